//! A profiling driver, not a benchmark: runs one input end to end (bytes → JSON) many
//! times, for `valgrind --tool=callgrind` (instruction counts are stable under load).
//!
//! ```text
//! cargo bench --bench profile --no-run     # prints the binary's path
//! PROFILE_INPUT=../shared/bench/seed-report.docx PROFILE_ITERS=50 \
//!     valgrind --tool=callgrind target/release/deps/profile-… --bench
//! ```
//!
//! Without `PROFILE_INPUT` it prints this usage and exits, so `cargo bench` stays quick.
//! `PROFILE_STAGE=read` stops after the reader (bytes → Document); `PROFILE_STAGE=parse`
//! after the report (no JSON); `PROFILE_STAGE=floor` runs the input's floor instead: for a
//! DOCX, inflating `word/document.xml` and walking its XML events; for an XLSX, calamine's
//! own read (`benches/floor`). `PROFILE_CHECKS=0` turns the checks off.

mod floor;

fn main() {
    let Some(path) = std::env::var_os("PROFILE_INPUT") else {
        eprintln!("bench profile: set PROFILE_INPUT=<file> (and PROFILE_ITERS, PROFILE_STAGE=read|e2e) to profile one input; nothing to do");
        return;
    };
    let iters: usize = std::env::var("PROFILE_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let stage = std::env::var("PROFILE_STAGE").unwrap_or_default();
    let bytes = std::fs::read(&path).expect("PROFILE_INPUT must be readable");
    let name = std::path::Path::new(&path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    let checks = std::env::var("PROFILE_CHECKS").map_or(true, |v| v != "0");
    let options = disclosure_report::Options::new().checks(checks);
    let limits = disclosure_report::Limits::default();
    let mut total = 0usize;
    let start = std::time::Instant::now();
    for _ in 0..iters {
        if stage == "floor" && name.as_deref().is_some_and(|n| n.ends_with(".xlsx")) {
            total += floor::xlsx_floor(&bytes);
        } else if stage == "floor" {
            total += floor::docx_floor(&bytes);
        } else if stage == "read" {
            let loaded =
                disclosure_report::read::load(&bytes, name.as_deref(), &limits).expect("read");
            total += loaded.document.blocks.len();
        } else if stage == "parse" {
            let report = options.parse_bytes(&bytes, name.as_deref()).expect("parse");
            total += report.provenance.len();
        } else {
            let report = options.parse_bytes(&bytes, name.as_deref()).expect("parse");
            total += disclosure_report::json::to_vec(&report)
                .expect("json")
                .len();
        }
    }
    eprintln!(
        "bench profile: {iters} iterations in {:?} ({:?} each), {total}",
        start.elapsed(),
        start.elapsed() / iters as u32
    );
}
