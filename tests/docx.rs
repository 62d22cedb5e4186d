//! DOCX reader: corpus files, wild files, and layouts built in the test.

use std::path::PathBuf;

use disclosure_report::read::read_bytes;

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    p.is_dir().then_some(p)
}

#[test]
fn scratch_dump() {
    let Some(s) = shared() else { return };
    for f in ["corpus/docx-template/006.docx", "corpus/docx-messy/006.docx"] {
        let bytes = std::fs::read(s.join(f)).unwrap();
        let doc = read_bytes(&bytes, Some(f)).unwrap();
        println!("{}", doc.dump());
    }
}
