//! HTML and MHTML reader tests on the shared corpus and wild files.

use std::path::{Path, PathBuf};

use disclosure_report::document::{Block, Document, Table};
use disclosure_report::read::{self, Format};
use disclosure_report::Limits;

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if p.is_dir() {
        Some(p)
    } else {
        println!("skipped: {} is absent", p.display());
        None
    }
}

fn load(rel: &str) -> Option<(Document, Format, Option<&'static str>)> {
    let path = shared()?.join(rel);
    let bytes = std::fs::read(&path).ok()?;
    let loaded = read::load(&bytes, Some(rel), &Limits::default()).expect(rel);
    Some((loaded.document, loaded.format, loaded.encoding))
}

#[test]
#[ignore = "prints a dump: HTML_DUMP=path cargo test --test html dump -- --ignored --nocapture"]
fn dump() {
    let Ok(rel) = std::env::var("HTML_DUMP") else {
        return;
    };
    let bytes = std::fs::read(&rel).unwrap();
    let loaded = read::load(&bytes, Some(&rel), &Limits::default()).unwrap();
    println!("{:?} {:?}", loaded.format, loaded.encoding);
    print!("{}", loaded.document.dump());
}
