//! Plain text: the seed in every encoding, the bundled samples, the text corpus, and
//! inputs that are not reports.

mod common;

use common::{compare, corpus_folder, root};
use disclosure_report::{parse_bytes, ErrorKind};
use serde_json::Value;

fn seed() -> Vec<u8> {
    std::fs::read(root().join("testdata/samples/qx-jxj-2023.txt")).expect("seed in testdata")
}

fn seed_expected() -> std::path::PathBuf {
    root().join("testdata/expected/qx-jxj-2023.expected.json")
}

#[test]
fn seed_in_every_encoding_matches_expected() {
    let text = String::from_utf8(seed()).expect("seed is UTF-8");
    let (gb, _, _) = encoding_rs::GB18030.encode(&text);
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(text.as_bytes());
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    let mut bad = Vec::new();
    for (label, bytes, enc) in [
        ("utf-8", text.as_bytes().to_vec(), "utf-8"),
        ("gb18030", gb.into_owned(), "gb18030"),
        ("utf-16le+bom", le, "utf-16le"),
        ("utf-16be+bom", be, "utf-16be"),
        ("utf-8+bom", bom, "utf-8"),
    ] {
        bad.extend(compare(&bytes, "seed.txt", &seed_expected(), label));
        let r = parse_bytes(&bytes, Some("seed.txt")).expect("seed parses");
        assert_eq!(r.source.encoding.as_deref(), Some(enc), "{label}");
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn seed_values_and_provenance() {
    let r = parse_bytes(&seed(), Some("seed.txt")).unwrap();
    assert_eq!(
        r.meta.title.as_deref(),
        Some("渠县经济和信息化局2023年政府信息公开工作年度报告")
    );
    assert_eq!(r.meta.agency.as_deref(), Some("渠县经济和信息化局"));
    assert_eq!(r.meta.report_year, Some(2023));
    assert_eq!(
        r.meta.basis_documents,
        ["国务院令711号", "国办公开办函〔2021〕30号"]
    );
    let t2 = r.active_disclosure.as_ref().unwrap();
    assert_eq!(t2.regulations.in_force, Some(Some(0)));
    assert_eq!(t2.regulations.published_new, None, "2019-only field absent");
    assert_eq!(t2.admin_fees.amount_wan_yuan, Some(Some(0.0)));
    let t3 = r.applications.as_ref().unwrap();
    assert_eq!(t3.results.other.fee_unpaid.map(|x| x.total), Some(Some(0)));
    // The short row: six values for seven columns, placed by the balance rule.
    assert_eq!(t3.carried_forward.values(), [Some(0); 7]);
    let p = &r.provenance["/applications/carried_forward/total"];
    assert!(p.inferred);
    assert!(r.warnings.iter().any(|w| w.code == "short_row"));
    let p = &r.provenance["/applications/new_received/total"];
    assert_eq!(p.raw.as_deref(), Some("0"));
    assert!(p.at.starts_with("line "), "{}", p.at);
    assert!(r.provenance["/applications/results/denied/total/total"].derived);
    // Sections.
    let s = &r.sections;
    assert_eq!(
        s.problems_improvements.as_ref().unwrap().heading,
        "五、存在的主要问题及改进措施"
    );
    assert!(s
        .other_matters
        .as_ref()
        .unwrap()
        .text
        .contains("未发出政府信息处理费收费通知"));
    let fee = r.info_processing_fee.as_ref().unwrap();
    assert_eq!(fee.notices_issued, Some(0));
    assert_eq!(fee.collected_amount_yuan, Some(0.0));
    // Checks: every hard rule holds on the seed.
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["template"], "gov2021");
    assert_eq!(json["source"]["format"], "text");
    for id in [
        "T3-BAL", "T3-ROW", "T3-RES", "T4-REV", "T4-LIT-D", "T4-LIT-R", "NUM-INT", "S-SECT",
        "S-CELLS",
    ] {
        let n = r.checks.iter().filter(|c| c.id == id).count();
        assert!(n > 0, "{id} missing");
    }
    let failed: Vec<_> = r
        .checks
        .iter()
        .filter(|c| format!("{:?}", c.status) != "Ok")
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
}

#[test]
fn bundled_samples_in_every_format_match_their_expected_files() {
    let mut bad = Vec::new();
    let dir = root().join("testdata/samples");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
        let exp = root().join(format!("testdata/expected/{stem}.expected.json"));
        if exp.exists() {
            n += 1;
            bad.extend(compare(
                &std::fs::read(e.path()).unwrap(),
                &name,
                &exp,
                stem,
            ));
        }
    }
    assert!(n >= 9, "{n} samples with expected files");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn text_corpus_matches_expected() {
    for folder in ["txt-seed", "txt-gbk", "seed"] {
        let Some((n, bad)) = corpus_folder(folder) else {
            return;
        };
        assert!(n >= 1, "{folder}: no samples");
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}

#[test]
fn report_with_broken_arithmetic_keeps_printed_figures_and_blames_a_cell() {
    let bytes = std::fs::read(root().join("testdata/samples/021-txt-seed.txt")).unwrap();
    let r = parse_bytes(&bytes, Some("021.txt")).unwrap();
    let t3 = r.applications.as_ref().unwrap();
    assert_eq!(
        t3.results.partially_granted.values(),
        [
            Some(8),
            Some(1),
            Some(0),
            Some(0),
            Some(0),
            Some(0),
            Some(8)
        ]
    );
    let fails: Vec<(&str, &str)> = r
        .checks
        .iter()
        .filter(|c| format!("{:?}", c.status) == "Fail")
        .map(|c| (c.id.as_str(), c.scope.as_str()))
        .collect();
    assert!(
        fails.contains(&("T3-ROW", "/applications/results/partially_granted")),
        "{fails:?}"
    );
    assert!(
        fails.contains(&("T3-BAL", "commercial_enterprise")),
        "{fails:?}"
    );
    assert_eq!(
        r.suspect_cells,
        ["/applications/results/total/commercial_enterprise"]
    );
}

#[test]
fn non_reports_are_errors_not_half_reports() {
    let novel =
        "第一章\n\n天色已晚，他推开门，看见院子里的桂花开了。\n她说：明天再走吧。\n".repeat(50);
    let csv = (0..200)
        .map(|i| format!("{i},{},{}\n", i * 3, i * 7))
        .collect::<String>();
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    // Another document's numbered headings that happen to hold section keywords.
    let proposal = "一、项目基本情况\n本项目旨在建设数据平台。\n十一、 诉讼\n无。\n".to_string();
    for (label, bytes) in [
        ("proposal", proposal.into_bytes()),
        ("novel", novel.into_bytes()),
        ("csv", csv.into_bytes()),
        ("empty", Vec::new()),
        ("noise", noise),
    ] {
        match parse_bytes(&bytes, Some("x.txt")) {
            Ok(r) => panic!("{label}: parsed as a report: {:?}", r.meta),
            Err(e) => assert!(
                matches!(
                    e.kind(),
                    ErrorKind::NotAReport { .. }
                        | ErrorKind::Encoding { .. }
                        | ErrorKind::UnsupportedFormat { .. }
                ),
                "{label}: {e}"
            ),
        }
    }
}

#[test]
fn json_layout_follows_the_contract() {
    let r = parse_bytes(&seed(), Some("seed.txt")).unwrap();
    let v = serde_json::to_value(&r).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "schema_version",
            "source",
            "template",
            "template_evidence",
            "meta",
            "sections",
            "active_disclosure",
            "applications",
            "review_litigation",
            "info_processing_fee",
            "extras",
            "checks",
            "suspect_cells",
            "warnings",
            "provenance"
        ]
    );
    assert_eq!(v["sections"]["overview"]["heading"], "一、总体情况");
    assert!(v["applications"]["results"]["other"]["total"]["total"].is_i64());
    let check = &v["checks"][0];
    for k in [
        "id", "scope", "status", "lhs", "rhs", "delta", "cells", "message",
    ] {
        assert!(check.get(k).is_some(), "check lacks {k}");
    }
    assert_eq!(check["lhs"], Value::from(0));
}
