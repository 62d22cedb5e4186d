//! Every file of `../shared/wild/` (real office files from other projects' test suites,
//! many broken or hostile on purpose) through `parse_bytes`: never a panic, never a hang,
//! and the outcome `MANIFEST.tsv` expects. Read in place, never copied.

mod common;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::shared;
use disclosure_report::{read, ErrorKind};

/// Generous: catches hangs only. Speed belongs in benches.
const WATCHDOG: Duration = Duration::from_secs(if cfg!(debug_assertions) { 20 } else { 5 });

/// What one file gave; the payloads are printed through `Debug` on failure.
#[derive(Debug)]
#[allow(dead_code)]
enum Outcome {
    Document,
    Error(&'static str, String),
    Panic(String),
    Hang,
}

fn run(bytes: Vec<u8>, name: String) -> Outcome {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = std::panic::catch_unwind(|| read::read_bytes(&bytes, Some(&name)));
        let out = match r {
            Ok(Ok(_)) => Outcome::Document,
            Ok(Err(e)) => Outcome::Error(e.code(), e.to_string()),
            Err(p) => Outcome::Panic(
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default(),
            ),
        };
        let _ = tx.send(out);
    });
    rx.recv_timeout(WATCHDOG).unwrap_or(Outcome::Hang)
}

/// Readable files that calamine cannot read, with the reason; they must still give a
/// typed error, never a panic.
const KNOWN_LIMITS: &[(&str, &str)] = &[
    (
        "poi/spreadsheet/Simple.xlsb",
        "calamine 0.38 panics on this XLSB (caught → Malformed)",
    ),
    (
        "phpspreadsheet/Reader/XLSX/utf16be.xlsx",
        "calamine reads no UTF-16 XML parts",
    ),
    (
        "phpspreadsheet/Reader/XLSX/utf16be.bom.xlsx",
        "calamine reads no UTF-16 XML parts",
    ),
];

/// Files the manifest calls `other-format` because they were wrong for the project they
/// came from, in a format this crate reads: a document is the right outcome.
const READ_HERE: &[(&str, &str)] = &[(
    "phpspreadsheet/Reader/NotASpreadsheetFile.doc",
    "a Word 97 .doc handed to a spreadsheet reader; the DOC reader reads it",
)];

/// Whether the outcome is acceptable for the manifest's `expected` column.
fn acceptable(expected: &str, o: &Outcome) -> bool {
    match (expected, o) {
        (_, Outcome::Panic(_) | Outcome::Hang) => false,
        ("readable", Outcome::Document) => true,
        // A readable file in a format or encoding the crate does not read (ODT, CSV,
        // Shift-JIS text, BIFF3/4, Word 6/95 …).
        ("readable", Outcome::Error(code, _)) => matches!(*code, "unsupported_format" | "encoding"),
        ("broken", Outcome::Error(code, _)) => matches!(
            *code,
            "malformed" | "unsupported_format" | "encrypted" | "limit_exceeded"
        ),
        ("broken", Outcome::Document) => true, // a documented partial result
        ("hostile", Outcome::Error(code, _)) => {
            matches!(*code, "limit_exceeded" | "malformed" | "unsupported_format")
        }
        ("hostile", Outcome::Document) => true, // harmless once limits apply
        ("encrypted", Outcome::Error(code, _)) => *code == "encrypted",
        ("other-format", Outcome::Error(code, _)) => *code == "unsupported_format",
        _ => false,
    }
}

#[test]
fn every_wild_file_gives_a_document_or_a_typed_error() {
    let Some(dir) = shared("wild") else { return };
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("manifest");
    let mut tally: std::collections::BTreeMap<(String, String), usize> = Default::default();
    let mut bad = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(path), Some(expected)) = (cols.first(), cols.get(7)) else {
            continue;
        };
        let Ok(bytes) = std::fs::read(dir.join(path)) else {
            bad.push(format!("{path}: unreadable"));
            continue;
        };
        let t = Instant::now();
        let o = run(bytes, path.to_string());
        let took = t.elapsed();
        if took > slowest.0 {
            slowest = (took, path.to_string());
        }
        let kind = match &o {
            Outcome::Document => "document".to_string(),
            Outcome::Error(c, _) => c.to_string(),
            Outcome::Panic(_) => "PANIC".into(),
            Outcome::Hang => "HANG".into(),
        };
        *tally.entry((expected.to_string(), kind)).or_default() += 1;
        let read_here = READ_HERE.iter().any(|(p, _)| p == path) && matches!(o, Outcome::Document);
        let known = read_here
            || KNOWN_LIMITS.iter().any(|(p, _)| p == path)
                && matches!(o, Outcome::Error("malformed", _));
        if !acceptable(expected, &o) && !known {
            bad.push(format!("{path} (expected {expected}): {o:?}"));
        }
    }
    eprintln!("wild tally (expected, outcome): {tally:#?}");
    eprintln!("slowest: {:?} {}", slowest.0, slowest.1);
    let panics = bad
        .iter()
        .filter(|b| b.contains("Panic") || b.contains("Hang"))
        .count();
    assert_eq!(panics, 0, "panics or hangs:\n{}", bad.join("\n"));
    assert!(
        bad.is_empty(),
        "{} unexpected outcomes:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn error_kinds_name_what_was_recognised() {
    let e = read::read_bytes(b"%PDF-1.4\n...", Some("r.pdf")).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::UnsupportedFormat { format, .. } if format == "PDF"));
    let e = read::read_bytes(b"{\\rtf1\\ansi hello}", Some("r.doc")).unwrap_err();
    assert!(e.to_string().contains("RTF"), "{e}");
}
