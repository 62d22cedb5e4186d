//! Property test: random damage to the bundled samples (truncation, byte flips, a zip
//! entry dropped, markup inserted into or cut out of an XML part) never panics. Each case
//! must give a report or a typed error, and a report's JSON is `serde_json`'s, byte for
//! byte.

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
        Ok(Ok(r)) => {
            let ours = disclosure_report::json::to_vec(&r).map_err(|e| e.to_string())?;
            let theirs = serde_json::to_vec(&r).map_err(|e| e.to_string())?;
            (ours == theirs)
                .then_some(())
                .ok_or_else(|| format!("json differs from serde_json on a mutated {name}"))
        }
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

/// The zip package with the XML entry number `pick` (among its `.xml` entries) edited:
/// `cut` bytes removed at `at` (a fraction of its length), then `insert` put there.
fn edit_xml_entry(bytes: &[u8], pick: usize, at: f64, cut: usize, insert: &str) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let xml: Vec<usize> = (0..archive.len())
        .filter(|i| {
            archive
                .name_for_index(*i)
                .is_some_and(|n| n.is_ok_and(|n| n.ends_with(".xml")))
        })
        .collect();
    let target = *xml.get(pick % xml.len().max(1))?;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        if i != target {
            w.raw_copy_file(archive.by_index_raw(i).ok()?).ok()?;
            continue;
        }
        let mut f = archive.by_index(i).ok()?;
        let name = f.name().ok()?.to_string();
        let mut content = Vec::new();
        f.read_to_end(&mut content).ok()?;
        let start = ((content.len() as f64) * at) as usize;
        let end = (start + cut).min(content.len());
        content.splice(start..end, insert.bytes());
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .ok()?;
        w.write_all(&content).ok()?;
    }
    Some(w.finish().ok()?.into_inner())
}

/// Markup that the readers' shortcuts (jumping over skipped subtrees, scanning cell
/// properties and merged regions) must survive.
const MARKUP: &[&str] = &[
    "<",
    ">",
    "</",
    "/>",
    "\"",
    "<!--",
    "-->",
    "<?x ",
    "<![CDATA[",
    "]]>",
    "<w:rPr>",
    "</w:rPr>",
    "<w:pPr>",
    "</w:pPr>",
    "<w:tcPr>",
    "</w:tcPr>",
    "<w:gridSpan w:val=\"9\"/>",
    "<w:vMerge/>",
    "<w:tcPrChange>",
    "<w:p>",
    "</w:p>",
    "<w:tc>",
    "</w:tc>",
    "<mergeCells>",
    "<mergeCell ref=\"A1:ZZZZZZZ9\"/>",
    "</mergeCells>",
    "<mergeCell ref=\"$A$1\"/>",
    "",
];

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
    fn edited_xml_parts_never_panic(pick in 0usize..64, part in 0usize..16, at in 0.0f64..1.0, cut in 0usize..64, insert in 0usize..64) {
        let all: Vec<(String, Vec<u8>)> = samples().into_iter().filter(|(_, b)| b.starts_with(b"PK")).collect();
        let (name, bytes) = &all[pick % all.len()];
        if let Some(b) = edit_xml_entry(bytes, part, at, cut, MARKUP[insert % MARKUP.len()]) {
            prop_assert_eq!(parse_without_panic(&b, name), Ok(()));
        }
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
