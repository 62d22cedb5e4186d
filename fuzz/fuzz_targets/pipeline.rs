//! Fuzzes the whole pipeline: read, extract, check, serialise.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(report) = disclosure_report::parse_bytes(data, None) {
        let _ = serde_json::to_string(&report);
    }
});
