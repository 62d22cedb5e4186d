//! DOCX layouts the corpus does not show, converted end to end: table 3 split into two
//! Word tables at a page break, table 2 written as four small tables, unmerged grids
//! (as LibreOffice writes tables converted from HTML), labels broken by soft line breaks.
//! Each document is generated from a bundled text sample and must give its figures.

mod common;

use common::docx::docx_from_text;
use common::{mismatches, root};
use disclosure_report::parse_bytes;

fn sample(id: &str) -> String {
    std::fs::read_to_string(root().join(format!("testdata/samples/{id}-txt-seed.txt")))
        .unwrap()
        .replace("\r\n", "\n")
}

fn assert_figures(bytes: &[u8], id: &str, what: &str) {
    let r = parse_bytes(bytes, Some("layout.docx")).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(r.source.format, disclosure_report::Format::Docx);
    let want: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root().join(format!("testdata/expected/{id}-txt-seed.expected.json")))
            .unwrap(),
    )
    .unwrap();
    let bad = mismatches(&serde_json::to_value(&r).unwrap(), &want);
    assert!(bad.is_empty(), "{what} {id}:\n{}", bad.join("\n"));
    assert!(
        r.warnings.iter().all(|w| w.code != "duplicate_row"),
        "{what}: {:?}",
        r.warnings
    );
}

#[test]
fn unmerged_grid_tables() {
    for id in ["006", "021"] {
        let bytes = docx_from_text(&sample(id), |_| None, str::to_string);
        assert_figures(&bytes, id, "unmerged grid");
    }
}

#[test]
fn table_three_split_at_a_page_break_with_its_header_repeated() {
    let header = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
    for id in ["006", "021"] {
        let text = sample(id);
        // The second part starts with a repeated header row, as Word repeats tblHeader rows.
        let text = text.replacen(
            "\t\t5.属于三类内部事务信息",
            &format!("{header}\t\t\t申请人情况\n\t\t5.属于三类内部事务信息"),
            1,
        );
        let bytes = docx_from_text(
            &text,
            |line| line.starts_with(header).then_some("— 2 —"),
            str::to_string,
        );
        assert_figures(&bytes, id, "split table 3");
    }
}

#[test]
fn table_two_as_four_small_tables() {
    for id in ["006", "021"] {
        let bytes = docx_from_text(
            &sample(id),
            |line| line.starts_with("第二十条").then_some(""),
            str::to_string,
        );
        assert_figures(&bytes, id, "four small tables");
    }
}

#[test]
fn labels_broken_by_soft_line_breaks() {
    let soft = |f: &str| -> String {
        if f.chars().count() > 8 && !f.chars().all(|c| c.is_ascii_digit()) {
            let mid = f
                .char_indices()
                .nth(f.chars().count() / 2)
                .map_or(0, |(i, _)| i);
            format!("{}|{}", &f[..mid], &f[mid..])
        } else {
            f.to_string()
        }
    };
    for id in ["006", "021"] {
        let bytes = docx_from_text(&sample(id), |_| None, soft);
        assert_figures(&bytes, id, "soft line breaks");
    }
}
