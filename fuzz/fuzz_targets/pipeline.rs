//! Fuzzes the whole pipeline: read, extract, check, serialise (and checks that the
//! crate's JSON writer gives exactly `serde_json`'s bytes).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(report) = disclosure_report::parse_bytes(data, None) {
        let ours = disclosure_report::json::to_vec(&report).ok();
        assert_eq!(ours, serde_json::to_vec(&report).ok());
    }
});
