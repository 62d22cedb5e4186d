//! DOCX reader: the generated corpus, the wild robustness set, and layouts built here.

mod common;

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use disclosure_report::document::{Document, Table};
use disclosure_report::read::read_bytes;
use disclosure_report::ErrorKind;

/// `../shared` beside the crate, when present (it is not shipped with the crate).
fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    p.is_dir().then_some(p)
}

fn tables(doc: &Document) -> Vec<&Table> {
    doc.tables().collect()
}

/// A cell's text with full-width digits folded and spaces removed.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// A figure as the expected files write it: blank or a dash is `null`.
fn figure(s: &str) -> serde_json::Value {
    let n = norm(s);
    if n.is_empty() || matches!(n.as_str(), "—" | "——" | "-" | "－" | "/" | "／") {
        return serde_json::Value::Null;
    }
    n.parse::<i64>()
        .map(serde_json::Value::from)
        .unwrap_or(serde_json::Value::String(n))
}

/// The 表三 grid: the table holding the 本年新收 label.
fn table3(doc: &Document) -> &Table {
    tables(doc)
        .into_iter()
        .find(|t| {
            t.cells
                .iter()
                .any(|c| norm(&c.text).contains("本年新收政府信息公开申请数量"))
        })
        .expect("表三 not found")
}

fn row_of(t: &Table, label: &str) -> usize {
    t.cells
        .iter()
        .find(|c| norm(&c.text).contains(label))
        .map(|c| c.row)
        .unwrap_or_else(|| panic!("row {label} not found"))
}

fn row_figures(t: &Table, row: usize) -> Vec<serde_json::Value> {
    // The applicant columns are the last seven of the grid.
    (t.cols - 7..t.cols)
        .map(|c| figure(t.cell_at(row, c).map(|c| c.text.as_str()).unwrap_or("")))
        .collect()
}

fn expected_figures(v: &serde_json::Value) -> Vec<serde_json::Value> {
    [
        "natural_person",
        "commercial_enterprise",
        "research_institution",
        "social_welfare_org",
        "legal_service_org",
        "other_org",
        "total",
    ]
    .iter()
    .map(|k| v.get(k).cloned().unwrap_or(serde_json::Value::Null))
    .collect()
}

#[test]
fn corpus_docx_files_read_with_official_grid() {
    let Some(shared) = shared() else {
        eprintln!("skip: ../shared not present");
        return;
    };
    for variant in ["docx-template", "docx-messy"] {
        for id in ["006", "018", "021", "029"] {
            let dir = shared.join("corpus").join(variant);
            let path = dir.join(format!("{id}.docx"));
            let bytes = std::fs::read(&path).unwrap();
            let doc = read_bytes(&bytes, Some("x.docx"))
                .unwrap_or_else(|e| panic!("{variant}/{id}: {e}"));
            let expected: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(dir.join(format!("{id}.expected.json"))).unwrap(),
            )
            .unwrap();
            let title = expected["meta"]["title"].as_str().unwrap();
            assert!(
                doc.paragraphs().any(|p| p.text == title),
                "{variant}/{id}: title paragraph"
            );
            assert!(tables(&doc).len() >= 3, "{variant}/{id}: three tables");
            let t3 = table3(&doc);
            let label = t3
                .cells
                .iter()
                .find(|c| norm(&c.text).contains("本年新收政府信息公开申请数量"))
                .unwrap();
            assert_eq!(label.col, 0, "{variant}/{id}");
            let results = t3
                .cells
                .iter()
                .find(|c| norm(&c.text) == "三、本年度办理结果")
                .unwrap_or_else(|| panic!("{variant}/{id}: 三、本年度办理结果"));
            let apps = &expected["applications"];
            if expected["template"] == "gov2021" {
                assert_eq!(label.col_span, 3, "{variant}/{id}");
                assert_eq!(
                    results.row_span, 22,
                    "{variant}/{id}: 三、本年度办理结果 rows"
                );
                assert_eq!(t3.cols, 10, "{variant}/{id}");
            } else {
                assert!(
                    results.row_span > 1,
                    "{variant}/{id}: 三、本年度办理结果 merged"
                );
            }
            let new_row = row_of(t3, "本年新收政府信息公开申请数量");
            assert_eq!(
                row_figures(t3, new_row),
                expected_figures(&apps["new_received"]),
                "{variant}/{id}: 本年新收 row"
            );
            let granted_row = row_of(t3, "予以公开");
            assert_eq!(
                row_figures(t3, granted_row),
                expected_figures(&apps["results"]["granted"]),
                "{variant}/{id}: 予以公开 row"
            );
            // No merged cell appears twice; every grid position is covered at most once.
            for r in 0..t3.rows {
                for c in 0..t3.cols {
                    let n = t3
                        .cells
                        .iter()
                        .filter(|x| {
                            r >= x.row
                                && r < x.row + x.row_span
                                && c >= x.col
                                && c < x.col + x.col_span
                        })
                        .count();
                    assert!(n <= 1, "{variant}/{id}: ({r},{c}) covered {n} times");
                }
            }
        }
    }
}

#[test]
fn messy_corpus_tracked_change_content_control_and_soft_break() {
    let Some(shared) = shared() else {
        eprintln!("skip: ../shared not present");
        return;
    };
    let bytes = std::fs::read(shared.join("corpus/docx-messy/006.docx")).unwrap();
    let doc = read_bytes(&bytes, None).unwrap();
    let t2 = tables(&doc)[0];
    // 行政强制 66 → 65 as a tracked change: the inserted value counts, the deleted one not.
    assert!(t2.cells.iter().any(|c| c.text == "65"));
    assert!(!t2.cells.iter().any(|c| c.text.contains("66")));
    assert!(!doc.dump().contains("6665"));
    // Content control in the 予以公开 row: 71.
    let t3 = table3(&doc);
    let row = row_of(t3, "予以公开");
    assert_eq!(t3.cell_at(row, 3).unwrap().text, "71");
    // Soft line break inside a label.
    assert!(t2
        .cells
        .iter()
        .any(|c| c.text == "本年收费金额\n（单位：万元）"));
    // Text split into many runs joins.
    assert!(doc
        .paragraphs()
        .any(|p| p.text == "平潭综合实验区管委会2024年政府信息公开工作年度报告"));
}

#[test]
fn bench_seed_reads() {
    let Some(shared) = shared() else {
        eprintln!("skip: ../shared not present");
        return;
    };
    let bytes = std::fs::read(shared.join("bench/seed-report.docx")).unwrap();
    let doc = read_bytes(&bytes, Some("seed-report.docx")).unwrap();
    assert!(doc.tables().count() >= 3);
    let start = std::time::Instant::now();
    let n = 20;
    for _ in 0..n {
        read_bytes(&bytes, Some("seed-report.docx")).unwrap();
    }
    eprintln!(
        "seed-report.docx: {:?} per read (this build's profile)",
        start.elapsed() / n
    );
}

/// What a wild file is expected to give, from MANIFEST.tsv's `expected` column.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    Document,
    Malformed,
    Limit,
    Encrypted,
    Unsupported,
    Other,
    Panic,
    Hang,
}

fn run_one(bytes: Vec<u8>, name: String) -> Outcome {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = std::panic::catch_unwind(|| match read_bytes(&bytes, Some(&name)) {
            Ok(_) => Outcome::Document,
            Err(e) => match e.kind() {
                ErrorKind::Malformed { .. } => Outcome::Malformed,
                ErrorKind::LimitExceeded { .. } => Outcome::Limit,
                ErrorKind::Encrypted { .. } => Outcome::Encrypted,
                ErrorKind::UnsupportedFormat { .. } => Outcome::Unsupported,
                _ => Outcome::Other,
            },
        });
        let _ = tx.send(r.unwrap_or(Outcome::Panic));
    });
    rx.recv_timeout(Duration::from_secs(10))
        .unwrap_or(Outcome::Hang)
}

#[test]
fn wild_docx_files_never_panic_or_hang() {
    let Some(shared) = shared() else {
        eprintln!("skip: ../shared not present");
        return;
    };
    let wild = shared.join("wild");
    let Ok(manifest) = std::fs::read_to_string(wild.join("MANIFEST.tsv")) else {
        eprintln!("skip: no wild/MANIFEST.tsv");
        return;
    };
    let mut tally: std::collections::BTreeMap<(String, String), usize> = Default::default();
    let mut problems = Vec::new();
    let mut readable_failures = Vec::new();
    let mut total = 0;
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(path), Some(expected)) = (cols.first(), cols.get(7)) else {
            continue;
        };
        let lower = path.to_ascii_lowercase();
        if ![".docx", ".docm", ".dotx", ".ooxml"]
            .iter()
            .any(|e| lower.ends_with(e))
        {
            continue;
        }
        let Ok(bytes) = std::fs::read(wild.join(path)) else {
            continue;
        };
        total += 1;
        let got = run_one(bytes, path.to_string());
        *tally
            .entry((expected.to_string(), format!("{got:?}")))
            .or_default() += 1;
        let ok = match (*expected, got) {
            (_, Outcome::Panic | Outcome::Hang) => false,
            // Labelled broken, but what is broken is outside what the reader needs:
            // a CRC error in word/theme/theme1.xml only; an OPC part-naming violation
            // (a part under word/document.xml/) only; a file named bad-xml whose parts
            // are all well-formed XML (the name refers to another parser's bug).
            ("broken", Outcome::Document)
                if path.contains("POIXWPFFuzzer-6733884933668864")
                    || path.ends_with("OPCCompliance_DerivedPartNameFAIL.docx")
                    || path.ends_with("node-word-extractor/bad-xml.docx") =>
            {
                true
            }
            ("readable", Outcome::Document) => true,
            ("readable", _) => {
                readable_failures.push(format!("{path}: {got:?}"));
                true
            }
            ("broken", Outcome::Malformed | Outcome::Unsupported) => true,
            ("hostile", Outcome::Limit | Outcome::Malformed | Outcome::Document) => true,
            ("encrypted", Outcome::Encrypted) => true,
            ("other-format", o) => o != Outcome::Document,
            _ => false,
        };
        if *expected != "readable" {
            eprintln!("  {expected:<10} {path}: {got:?}");
        }
        if !ok {
            problems.push(format!("{path}: expected {expected}, got {got:?}"));
        }
    }
    eprintln!("wild DOCX files: {total}");
    for ((expected, got), n) in &tally {
        eprintln!("  {expected:<10} → {got:<12} {n}");
    }
    for f in &readable_failures {
        eprintln!("  readable but not read: {f}");
    }
    for p in &problems {
        eprintln!("  PROBLEM: {p}");
    }
    assert!(
        problems.is_empty(),
        "{} wild files misbehaved",
        problems.len()
    );
    assert!(
        readable_failures.len() * 20 <= total,
        "too many readable files failed: {}",
        readable_failures.len()
    );
}

#[test]
#[ignore]
fn dump_one() {
    let path = std::env::var("DOCX").unwrap();
    let bytes = std::fs::read(&path).unwrap();
    match read_bytes(&bytes, Some(&path)) {
        Ok(d) => println!("{}", d.dump()),
        Err(e) => println!("ERR {e}"),
    }
}

// ---- Layouts the corpus does not show, built here. ----

fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

fn cell(text: &str) -> String {
    format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"1000\" w:type=\"dxa\"/></w:tcPr>{}</w:tc>",
        para(text)
    )
}

#[test]
fn table_split_at_page_break_gives_two_tables_in_order() {
    let t1 = format!(
        "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
        cell("（一）予以公开"),
        cell("71"),
        cell("（二）部分公开"),
        cell("29")
    );
    let t2 = format!(
        "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>{}{}</w:tr></w:tbl>",
        cell("（三）不予公开"),
        cell("4")
    );
    let body = format!(
        "{}{t1}<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>{t2}{}",
        para("三、收到和处理政府信息公开申请情况"),
        para("四、政府信息公开行政复议、行政诉讼情况")
    );
    let doc = read_bytes(&common::docx::package(&body), Some("split.docx")).unwrap();
    assert_eq!(
        doc.dump(),
        "P 三、收到和处理政府信息公开申请情况\nT 2x2\n  0,0[1x1]: （一）予以公开\n  0,1[1x1]: 71\n  1,0[1x1]: （二）部分公开\n  1,1[1x1]: 29\nT 1x2\n  0,0[1x1]: （三）不予公开\n  0,1[1x1]: 4\nP 四、政府信息公开行政复议、行政诉讼情况\n"
    );
}

#[test]
fn libreoffice_style_table_with_merges() {
    // LibreOffice writes empty trPr/rPr, tcW and borders in every tcPr, an explicit
    // vMerge="continue", and an empty run in blank cells.
    let tc = |props: &str, text: &str| {
        format!(
            r#"<w:tc><w:tcPr><w:tcW w:w="3212" w:type="dxa"/>{props}<w:tcBorders><w:top w:val="single" w:sz="2" w:space="0" w:color="000000"/></w:tcBorders><w:shd w:fill="auto" w:val="clear"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="TableContents"/><w:rPr></w:rPr></w:pPr><w:r><w:rPr></w:rPr>{}</w:r></w:p></w:tc>"#,
            if text.is_empty() {
                String::new()
            } else {
                format!("<w:t>{text}</w:t>")
            }
        )
    };
    let body = format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="9638" w:type="dxa"/><w:tblBorders><w:top w:val="single"/></w:tblBorders><w:tblCellMar><w:top w:w="55" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid><w:gridCol w:w="3212"/><w:gridCol w:w="3213"/><w:gridCol w:w="3213"/></w:tblGrid>
        <w:tr><w:trPr></w:trPr>{}{}</w:tr>
        <w:tr><w:trPr></w:trPr>{}{}{}</w:tr>
        <w:tr><w:trPr></w:trPr>{}{}{}</w:tr></w:tbl>"#,
        tc(r#"<w:gridSpan w:val="2"/>"#, "申请人情况"),
        tc(r#"<w:vMerge w:val="restart"/>"#, "总计"),
        tc(r#"<w:vMerge w:val="restart"/>"#, "三、本年度办理结果"),
        tc("", "自然人"),
        tc(r#"<w:vMerge w:val="continue"/>"#, ""),
        tc(r#"<w:vMerge w:val="continue"/>"#, ""),
        tc("", ""),
        tc(r#"<w:vMerge w:val="continue"/>"#, "")
    );
    let doc = read_bytes(&common::docx::package(&body), None).unwrap();
    assert_eq!(
        doc.dump(),
        "T 3x3\n  0,0[1x2]: 申请人情况\n  0,2[3x1]: 总计\n  1,0[2x1]: 三、本年度办理结果\n  1,1[1x1]: 自然人\n  2,1[1x1]: \n"
    );
}

#[test]
fn labels_broken_by_soft_line_breaks() {
    let label = r#"<w:tc><w:p><w:r><w:t>一、本年新收政府信息</w:t></w:r><w:r><w:br/></w:r><w:r><w:t>公开申请数量</w:t></w:r></w:p></w:tc>"#;
    let body = format!("<w:tbl><w:tr>{label}{}</w:tr></w:tbl>", cell("218"));
    let doc = read_bytes(&common::docx::package(&body), None).unwrap();
    let t = doc.tables().next().unwrap();
    assert_eq!(
        t.cell_at(0, 0).unwrap().text,
        "一、本年新收政府信息\n公开申请数量"
    );
    assert_eq!(
        norm(&t.cell_at(0, 0).unwrap().text),
        "一、本年新收政府信息公开申请数量"
    );
    assert_eq!(t.cell_at(0, 1).unwrap().text, "218");
}

#[test]
fn wps_style_run_splitting_and_bookmarks() {
    // WPS splits runs at every property change and scatters bookmarks and proofing marks.
    let body = r#"<w:p><w:bookmarkStart w:id="0" w:name="_Toc1"/><w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>三</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t>、收到</w:t></w:r><w:proofErr w:type="spellEnd"/><w:r><w:rPr><w:lang w:val="en-US"/></w:rPr><w:t>和处理</w:t></w:r><w:bookmarkEnd w:id="0"/><w:r><w:t>政府信息公开申请情况</w:t></w:r></w:p>"#;
    let doc = read_bytes(&common::docx::package(body), None).unwrap();
    assert_eq!(doc.dump(), "P 三、收到和处理政府信息公开申请情况\n");
}
