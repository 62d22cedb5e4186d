//! Property test: random damage to the bundled samples (truncation, byte flips, a zip
//! entry dropped) never panics. Each case must give a report or a typed error.

mod common;

use std::io::{Cursor, Write};

use proptest::prelude::*;

fn samples() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in ["testdata/samples", "testdata/sheet"] {
        let Ok(entries) = std::fs::read_dir(common::root().join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.ends_with(".py") {
                continue;
            }
            if let Ok(b) = std::fs::read(e.path()) {
                out.push((name, b));
            }
        }
    }
    out.sort();
    out
}

fn parse_without_panic(bytes: &[u8], name: &str) -> Result<(), String> {
    match std::panic::catch_unwind(|| disclosure_report::parse_bytes(bytes, Some(name))) {
        Ok(Ok(r)) => serde_json::to_string(&r)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Ok(Err(e)) => {
            assert!(!e.code().is_empty());
            Ok(())
        }
        Err(_) => Err(format!("panic on a mutated {name} ({} bytes)", bytes.len())),
    }
}

/// The zip package without its entry number `drop`.
fn drop_entry(bytes: &[u8], drop: usize) -> Option<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let n = archive.len();
    if n == 0 {
        return None;
    }
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in (0..n).filter(|i| *i != drop % n) {
        let f = archive.by_index_raw(i).ok()?;
        w.raw_copy_file(f).ok()?;
    }
    let mut out = w.finish().ok()?.into_inner();
    out.flush().ok()?;
    Some(out)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn truncated_files_never_panic(pick in 0usize..64, cut in 0.0f64..1.0) {
        let all = samples();
        let (name, bytes) = &all[pick % all.len()];
        let at = (bytes.len() as f64 * cut) as usize;
        prop_assert_eq!(parse_without_panic(&bytes[..at], name), Ok(()));
    }

    #[test]
    fn flipped_bytes_never_panic(pick in 0usize..64, flips in proptest::collection::vec((0.0f64..1.0, any::<u8>()), 1..24)) {
        let all = samples();
        let (name, bytes) = &all[pick % all.len()];
        let mut b = bytes.clone();
        for (at, x) in flips {
            let i = ((b.len() as f64) * at) as usize;
            if let Some(v) = b.get_mut(i) {
                *v ^= x | 1;
            }
        }
        prop_assert_eq!(parse_without_panic(&b, name), Ok(()));
    }

    #[test]
    fn zip_entries_dropped_never_panic(pick in 0usize..64, drop in 0usize..64) {
        let all: Vec<(String, Vec<u8>)> = samples().into_iter().filter(|(_, b)| b.starts_with(b"PK")).collect();
        let (name, bytes) = &all[pick % all.len()];
        if let Some(b) = drop_entry(bytes, drop) {
            prop_assert_eq!(parse_without_panic(&b, name), Ok(()));
        }
    }
}
