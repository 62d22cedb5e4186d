//! Fuzzes the Word 97-2003 reader: any bytes given to it directly must give a Document or
//! a typed error, never a panic, hang or unbounded allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = disclosure_report::Limits::default();
    let _ = disclosure_report::read::doc::read(data, disclosure_report::Format::Doc, &limits);
});
