//! Every corpus sample against its expected file (`../shared/corpus/<variant>/`), as
//! `score.py` compares them: all mismatches are gathered, then the test fails once.

mod common;

use common::corpus_folder;

fn folder(name: &str, at_least: usize) {
    let Some((n, bad)) = corpus_folder(name) else {
        return;
    };
    assert!(n >= at_least, "{name}: {n} samples");
    assert!(
        bad.is_empty(),
        "{name}: {} mismatches\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn docx_template() {
    folder("docx-template", 4);
}

#[test]
fn docx_messy() {
    folder("docx-messy", 4);
}

#[test]
fn html_template() {
    folder("html-template", 4);
}

#[test]
fn real_html_portal_pages() {
    folder("real-html", 2);
}

#[test]
fn html_in_gb18030_with_a_gb2312_meta_gives_the_same_report() {
    let Some(dir) = common::shared("corpus/html-template") else {
        return;
    };
    let page = std::fs::read_to_string(dir.join("021.html")).unwrap();
    let page = page.replacen(
        "<head>",
        "<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
        1,
    );
    let (gb, _, _) = encoding_rs::GB18030.encode(&page);
    let utf8 = disclosure_report::parse_bytes(page.as_bytes(), Some("021.html")).unwrap();
    let gbk = disclosure_report::parse_bytes(&gb, Some("021.html")).unwrap();
    assert_eq!(gbk.source.encoding.as_deref(), Some("gb18030"));
    assert_eq!(utf8.applications, gbk.applications);
    assert_eq!(utf8.active_disclosure, gbk.active_disclosure);
    assert_eq!(utf8.meta, gbk.meta);
    let bad = common::compare(
        &gb,
        "021.html",
        &dir.join("021.expected.json"),
        "021 gb18030",
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn same_report_in_every_format_gives_the_same_figures() {
    let Some(root) = common::shared("corpus") else {
        return;
    };
    for id in ["006", "018", "021", "029"] {
        let mut reports = Vec::new();
        for (dir, ext) in [
            ("docx-template", "docx"),
            ("html-template", "html"),
            ("txt-seed", "txt"),
            ("txt-gbk", "txt"),
        ] {
            let path = root.join(dir).join(format!("{id}.{ext}"));
            let r = disclosure_report::parse_path(&path).unwrap_or_else(|e| panic!("{e}"));
            reports.push((dir, r));
        }
        let (first_dir, first) = &reports[0];
        for (dir, r) in &reports[1..] {
            assert_eq!(
                first.applications, r.applications,
                "{id}: {first_dir} vs {dir}"
            );
            assert_eq!(
                first.review_litigation, r.review_litigation,
                "{id}: {first_dir} vs {dir}"
            );
            assert_eq!(first.template, r.template, "{id}: {first_dir} vs {dir}");
        }
    }
}

#[test]
fn xlsx_sheets() {
    folder("xlsx-sheets", 4);
}

/// The same reports saved by LibreOffice as .xls and .ods (testdata/sheet/), and stacked
/// on one sheet, give the figures of the .xlsx.
#[test]
fn xls_ods_and_one_sheet_layouts_give_the_same_report() {
    let Some(dir) = common::shared("corpus/xlsx-sheets") else {
        return;
    };
    let testdata = common::root().join("testdata/sheet");
    for id in ["021", "029"] {
        let xlsx = disclosure_report::parse_path(dir.join(format!("{id}.xlsx"))).unwrap();
        for ext in ["xls", "ods"] {
            let other =
                disclosure_report::parse_path(testdata.join(format!("{id}.{ext}"))).unwrap();
            assert_eq!(xlsx.template, other.template, "{id}.{ext}");
            assert_eq!(xlsx.meta, other.meta, "{id}.{ext}");
            assert_eq!(
                xlsx.active_disclosure, other.active_disclosure,
                "{id}.{ext}"
            );
            assert_eq!(xlsx.applications, other.applications, "{id}.{ext}");
            assert_eq!(
                xlsx.review_litigation, other.review_litigation,
                "{id}.{ext}"
            );
            let bad = common::compare(
                &std::fs::read(testdata.join(format!("{id}.{ext}"))).unwrap(),
                &format!("{id}.{ext}"),
                &dir.join(format!("{id}.expected.json")),
                &format!("{id}.{ext}"),
            );
            assert!(bad.is_empty(), "{}", bad.join("\n"));
        }
    }
    let one = std::fs::read(testdata.join("one-sheet.xlsx")).unwrap();
    let bad = common::compare(
        &one,
        "one-sheet.xlsx",
        &dir.join("021.expected.json"),
        "one-sheet",
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
