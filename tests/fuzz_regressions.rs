//! Every input the fuzzers found (`tests/fuzz-regressions/`), through every reader and
//! the whole pipeline: a result or a typed error, never a panic.

use disclosure_report::{read, Format, Limits};

#[test]
fn fuzz_regressions_stay_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let limits = Limits::default();
    let mut n = 0;
    for e in std::fs::read_dir(&dir)
        .expect("tests/fuzz-regressions")
        .flatten()
    {
        let name = e.file_name().to_string_lossy().to_string();
        if name == "README.md" {
            continue;
        }
        let bytes = std::fs::read(e.path()).unwrap();
        n += 1;
        let _ = read::text::read(&bytes, &limits);
        let _ = read::docx::read(&bytes, &limits);
        let _ = read::sheet::read(&bytes, Format::Xlsx, &limits);
        let _ = read::sheet::read(&bytes, Format::Xls, &limits);
        let _ = read::sheet::read(&bytes, Format::Ods, &limits);
        let _ = read::html::read(&bytes, Format::Html, &limits);
        let _ = read::doc::read(&bytes, Format::Doc, &limits);
        if let Ok(r) = disclosure_report::parse_bytes(&bytes, Some(&name)) {
            serde_json::to_string(&r).unwrap();
        }
    }
    eprintln!("{n} fuzz regression input(s)");
}
