//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod docx;

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the crate, or `None` (with a printed skip message) when absent.
pub fn shared(what: &str) -> Option<PathBuf> {
    let p = root().join("../shared");
    let p = p.join(what);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: {} is absent", p.display());
        None
    }
}

fn is_choice(v: &Value) -> bool {
    matches!(v, Value::Object(m) if m.len() == 1 && m.get("any_of").is_some_and(Value::is_array))
}

fn same(found: &Value, want: &Value) -> bool {
    if is_choice(want) {
        return want["any_of"]
            .as_array()
            .is_some_and(|opts| opts.iter().any(|o| same(found, o)));
    }
    match (found, want) {
        (Value::Number(a), Value::Number(b)) => match (a.as_i64(), b.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => (x - y).abs() <= 1e-6,
                _ => false,
            },
        },
        (Value::String(a), Value::String(b)) => a.trim() == b.trim(),
        _ => found == want,
    }
}

fn leaves(v: &Value, path: String, out: &mut Vec<(String, Value)>) {
    if is_choice(v) {
        out.push((path, v.clone()));
        return;
    }
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                leaves(x, format!("{path}/{k}"), out);
            }
        }
        Value::Array(a) if !a.is_empty() && a.iter().all(|x| x.is_object() || x.is_array()) => {
            for (i, x) in a.iter().enumerate() {
                leaves(x, format!("{path}/{i}"), out);
            }
        }
        _ => out.push((path, v.clone())),
    }
}

/// Every field of `expected` that `output` lacks or differs on, as score.py counts them.
pub fn mismatches(output: &Value, expected: &Value) -> Vec<String> {
    let mut all = Vec::new();
    leaves(expected, String::new(), &mut all);
    let mut bad = Vec::new();
    for (path, want) in all {
        match output.pointer(&path) {
            Some(found) if same(found, &want) => {}
            Some(found) => bad.push(format!("{path}: got {found}, expected {want}")),
            None => bad.push(format!("{path}: missing, expected {want}")),
        }
    }
    bad
}

/// Number of leaf fields in an expected file.
pub fn field_count(expected: &Value) -> usize {
    let mut all = Vec::new();
    leaves(expected, String::new(), &mut all);
    all.len()
}

/// Parses `bytes` and compares with the expected file; returns mismatches prefixed by `label`.
pub fn compare(bytes: &[u8], name: &str, expected: &Path, label: &str) -> Vec<String> {
    let want: Value = match std::fs::read(expected)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
    {
        Some(v) => v,
        None => return vec![format!("{label}: cannot read {}", expected.display())],
    };
    match disclosure_report::parse_bytes(bytes, Some(name)) {
        Ok(report) => {
            let got = serde_json::to_value(&report).unwrap_or(Value::Null);
            mismatches(&got, &want)
                .into_iter()
                .map(|m| format!("{label}: {m}"))
                .collect()
        }
        Err(e) => vec![format!("{label}: error {e}")],
    }
}

/// Runs every `<id>.expected.json` of a corpus folder against `<id>.<ext>`; returns
/// all mismatches. `None` when the folder is absent.
pub fn corpus_folder(folder: &str) -> Option<(usize, Vec<String>)> {
    let dir = shared(&format!("corpus/{folder}"))?;
    let mut bad = Vec::new();
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for exp in entries
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
    {
        let name = exp
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let stem = name.trim_end_matches(".expected.json");
        let Some(input) = entries.iter().find(|p| {
            let n = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            n.starts_with(&format!("{stem}.")) && !n.ends_with(".json") && !n.ends_with(".md")
        }) else {
            bad.push(format!("{folder}/{stem}: no input file"));
            continue;
        };
        let bytes = std::fs::read(input).unwrap_or_default();
        n += 1;
        bad.extend(compare(
            &bytes,
            &input.to_string_lossy(),
            exp,
            &format!("{folder}/{stem}"),
        ));
    }
    Some((n, bad))
}

/// The example converter built beside the test binary
/// (`target/<profile>/deps/x-…` → `target/<profile>/examples/convert`).
pub fn converter() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?.parent()?;
    let bin = dir
        .join("examples")
        .join(format!("convert{}", std::env::consts::EXE_SUFFIX));
    if bin.exists() {
        Some(bin)
    } else {
        eprintln!("skipped: {} not built", bin.display());
        None
    }
}

/// A fresh, empty temporary folder for one test.
pub fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "disclosure-report-test-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temporary folder");
    d
}
