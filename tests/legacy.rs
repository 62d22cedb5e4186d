//! Legacy reports (2008–2018): the real pages of `../shared/corpus/real-legacy` and the
//! reports of `testdata/legacy/` written from REPORT_FORMAT.md §9, in text, HTML and
//! grid form. Every figure is asserted, and no other figure may appear.

mod common;

use disclosure_report::document::{Block, Document, Origin, Paragraph, TableBuilder};
use disclosure_report::model::{CheckStatus, Source, Template};
use disclosure_report::{Format, Options, Report};
use serde_json::{json, Value};

fn leaves(v: &Value, path: String, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                leaves(x, format!("{path}/{k}"), out);
            }
        }
        _ => out.push((path, v.clone())),
    }
}

/// The report's `legacy` object equals `want` exactly: same keys, same values.
fn assert_legacy(report: &Report, want: &Value, what: &str) {
    let got = serde_json::to_value(report).unwrap_or(Value::Null);
    let got = got.get("legacy").cloned().unwrap_or(Value::Null);
    let (mut g, mut w) = (Vec::new(), Vec::new());
    leaves(&got, String::new(), &mut g);
    leaves(want, String::new(), &mut w);
    let num = |v: &Value| v.as_f64();
    let missing: Vec<String> = w
        .iter()
        .filter(|(p, v)| !g.iter().any(|(q, x)| q == p && num(x) == num(v)))
        .map(|(p, v)| format!("{p} = {v}"))
        .collect();
    let extra: Vec<String> = g
        .iter()
        .filter(|(p, _)| !w.iter().any(|(q, _)| q == p))
        .map(|(p, v)| format!("{p} = {v}"))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what}: missing or different {missing:?}; not stated but present {extra:?}\n{}",
        serde_json::to_string_pretty(&got).unwrap_or_default()
    );
    // Every figure has provenance.
    for (p, _) in &g {
        assert!(
            report
                .provenance
                .contains_key(format!("/legacy{p}").as_str()),
            "{what}: no provenance for /legacy{p}"
        );
    }
}

fn testdata(name: &str) -> Vec<u8> {
    std::fs::read(common::root().join("testdata/legacy").join(name)).unwrap_or_default()
}

fn parse(name: &str) -> Report {
    match disclosure_report::parse_bytes(&testdata(name), Some(name)) {
        Ok(r) => r,
        Err(e) => panic!("{name}: {e}"),
    }
}

fn source(format: Format) -> Source {
    Source {
        path: None,
        format,
        encoding: None,
        sha256: String::new(),
    }
}

fn para(text: &str, line: usize) -> Block {
    Block::Paragraph(Paragraph {
        text: text.to_string(),
        origin: Origin::Line { line, field: 0 },
    })
}

fn status(report: &Report, id: &str) -> Option<CheckStatus> {
    report.checks.iter().find(|c| c.id == id).map(|c| c.status)
}

#[test]
fn real_legacy_pages() {
    let Some((n, bad)) = common::corpus_folder("real-legacy") else {
        return;
    };
    assert_eq!(n, 3);
    assert!(bad.is_empty(), "{bad:#?}");
    let Some(dir) = common::shared("corpus/real-legacy") else {
        return;
    };
    for id in ["L01", "L06", "L12"] {
        let report = match disclosure_report::parse_path(dir.join(format!("{id}.txt"))) {
            Ok(r) => r,
            Err(e) => panic!("{id}: {e}"),
        };
        let expected: Value = std::fs::read(dir.join(format!("{id}.expected.json")))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or(Value::Null);
        assert_eq!(report.template, Template::Legacy, "{id}");
        assert!(report.active_disclosure.is_none() && report.applications.is_none());
        assert!(report.review_litigation.is_none(), "{id}");
        // Exactly the expected figures: nothing the page does not state.
        assert_legacy(&report, &expected["legacy"], id);
        if id == "L12" {
            let legacy = report.legacy.clone().unwrap_or_default();
            assert!(!legacy.contains_key("replies_total"));
            assert!(legacy
                .get("proactive_by_channel")
                .and_then(|c| c.get("website"))
                .is_none());
            assert_eq!(legacy.get("proactive_total"), Some(&json!(733)));
            assert!(report
                .provenance
                .get("/legacy/proactive_total")
                .and_then(|p| p.raw.as_deref())
                .is_some_and(|r| r.contains("主动公开政府信息733条")));
            assert!(report
                .provenance
                .contains_key("/legacy/requests_by_channel/in_person"));
            assert!(report
                .warnings
                .iter()
                .any(|w| w.code == "cells_run_together"));
        }
    }
}

#[test]
fn narrative_2010() {
    let r = parse("narrative-2010.txt");
    assert_eq!(r.template, Template::Legacy);
    assert_eq!(r.meta.agency.as_deref(), Some("某县地震局"));
    assert_eq!(r.meta.report_year, Some(2010));
    assert_legacy(
        &r,
        &json!({
            "proactive_total": 175,
            "e_text_rate_pct": 100,
            "consultations": 2070,
            "requests_received": 0,
            "fees_collected_wan_yuan": 0,
            "fees_waived_wan_yuan": 0,
            "admin_review": {"total": 0},
            "litigation": {"total": 0},
            "staffing": {"staff_fulltime": 1, "staff_parttime": 2},
            "trainings": 3
        }),
        "narrative-2010",
    );
    // "主动公开政府信息工作取得了新进展，全年开展培训3次" states no proactive total 3; the
    // cumulative 820 is not the year's.
    let p = r.provenance.get("/legacy/proactive_total");
    assert!(p
        .and_then(|p| p.raw.as_deref())
        .is_some_and(|s| s.contains("175条")));
    assert!(p.is_some_and(|p| p.at.starts_with("line ")));
}

#[test]
fn invented_figures_are_refused() {
    let text = "某局2011年政府信息公开工作年度报告\n一、概述\n主动公开政府信息工作取得了新进展，全年开展培训3次。\n二、主动公开政府信息情况\n共清理出6条政府公开信息。在公开的11条信息中，机构职能类信息1条。历年累计主动公开政府信息2027条。\n三、依申请公开政府信息情况\n非政府信息、政府信息不存在、非本机关政府信息的件数为8件，信函传真申请11件。\n五、因政府信息公开申请行政复议、提起行政诉讼的情况\n本年度有关情况详见附件。\n";
    let r = match disclosure_report::parse_bytes(text.as_bytes(), Some("x.txt")) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(r.template, Template::Legacy);
    assert_legacy(&r, &json!({"trainings": 3}), "invented");
}

const ANNEX_2012: &str = r#"{
    "proactive_total": 48,
    "proactive_by_channel": {"website": 45, "gazette": 3},
    "requests_received": 5,
    "requests_by_channel": {"in_person": 2, "fax": 0, "email": 0, "online": 2, "letter": 1, "other": 0},
    "replies_total": 5,
    "replies": {"granted": 3, "partially_granted": 1, "denied": 1},
    "admin_review": {"total": 0},
    "litigation": {"total": 0},
    "complaints": 0,
    "fees_collected_wan_yuan": 0
}"#;

fn annex_checks(r: &Report, what: &str) {
    assert_eq!(status(r, "L-RECV"), Some(CheckStatus::Ok), "{what}");
    assert_eq!(status(r, "L-REPLIES"), Some(CheckStatus::Ok), "{what}");
    assert_eq!(status(r, "L-REVIEW"), None, "{what}: no outcomes, no check");
}

#[test]
fn annex_2012_text() {
    let r = parse("annex-2012.txt");
    assert_eq!(r.template, Template::Legacy);
    assert_eq!(r.meta.report_year, Some(2012));
    let want: Value = serde_json::from_str(ANNEX_2012).unwrap_or(Value::Null);
    assert_legacy(&r, &want, "annex-2012.txt");
    annex_checks(&r, "annex-2012.txt");
    // The 2012年度 column, not 历年累计; the cell is named.
    let p = r.provenance.get("/legacy/proactive_by_channel/website");
    assert_eq!(p.and_then(|p| p.raw.as_deref()), Some("45"));
    assert!(p.is_some_and(|p| p.at.starts_with("line ")), "{p:?}");
}

/// The annex report as a Document with a grid table, as the HTML reader builds it.
fn annex_document() -> Document {
    let text = String::from_utf8(testdata("annex-2012.txt")).unwrap_or_default();
    let mut blocks = Vec::new();
    let mut table = TableBuilder::new(10_000);
    for (i, line) in text.lines().enumerate() {
        if line.contains('\t') {
            table.start_row();
            for cell in line.split('\t') {
                let _ = table.push(cell.to_string(), 1, 1, Origin::Unknown);
            }
        } else if !line.trim().is_empty() {
            blocks.push(para(line, i + 1));
        }
    }
    blocks.push(Block::Table(table.build()));
    Document { blocks }
}

#[test]
fn annex_2012_html() {
    let want: Value = serde_json::from_str(ANNEX_2012).unwrap_or(Value::Null);
    let html = testdata("annex-2012.html");
    let r = disclosure_report::parse_bytes(&html, Some("annex-2012.html")).unwrap();
    assert_eq!(r.source.format, Format::Html);
    assert_eq!(r.template, Template::Legacy);
    assert_legacy(&r, &want, "annex-2012.html");
    annex_checks(&r, "annex-2012.html");
    assert!(r
        .template_evidence
        .iter()
        .any(|e| e.contains("legacy-style statistics table")));
}

fn statistics_2017() -> Value {
    json!({
        "proactive_total": 150,
        "proactive_normative_docs": 12,
        "normative_docs_issued": 15,
        "proactive_by_channel": {"gazette": 10, "website": 150, "weibo": 20, "wechat": 30, "other": 5},
        "responses": {
            "hot_topics": 3, "press_conferences": 2, "press_conferences_principal": 1,
            "online_interviews": 1, "online_interviews_principal": 1,
            "interpretations": 6, "weibo_wechat": 2, "other": 0
        },
        "requests_received": 20,
        "requests_by_channel": {"in_person": 5, "fax": 0, "online": 12, "letter": 3},
        "requests_closed": 20, "closed_on_time": 19, "closed_extended": 1,
        "replies_total": 20,
        "replies": {
            "already_public": 4, "granted": 8, "partially_granted": 2, "denied": 3,
            "not_this_agency": 1, "not_exist": 1, "asked_to_amend": 0, "other_channel": 1
        },
        "denied_reasons": {
            "state_secret": 1, "commercial_secret": 0, "privacy": 1,
            "security_stability": 0, "not_gov_info": 1, "other_legal": 0
        },
        "admin_review": {"total": 1, "upheld": 1, "corrected": 0, "other": 0},
        "litigation": {"total": 1, "upheld_or_dismissed": 0, "corrected": 0, "other": 1},
        "complaints": 0,
        "fees_collected_wan_yuan": 0,
        "staffing": {
            "units": 1, "reading_points": 2, "staff_total": 3,
            "staff_fulltime": 1, "staff_parttime": 2, "special_funds_wan_yuan": 1.5
        },
        "meetings": 2, "trainings": 1, "trainees": 40
    })
}

fn statistics_checks(r: &Report, what: &str) {
    for id in [
        "L-RECV",
        "L-CLOSED",
        "L-REPLIES",
        "L-DENIED",
        "L-REVIEW",
        "L-LIT",
        "L-STAFF",
    ] {
        assert_eq!(status(r, id), Some(CheckStatus::Ok), "{what}: {id}");
    }
}

#[test]
fn annex_2012_as_a_built_document() {
    let want: Value = serde_json::from_str(ANNEX_2012).unwrap_or(Value::Null);
    let r = Options::new()
        .parse_document(&annex_document(), source(Format::Html))
        .unwrap();
    assert_legacy(&r, &want, "annex-2012 document");
}

#[test]
fn statistics_2017_docx() {
    let text = String::from_utf8(testdata("statistics-2017.txt")).unwrap();
    let bytes = common::docx::docx_from_text(&text, |_| None, str::to_string);
    let r = disclosure_report::parse_bytes(&bytes, Some("statistics-2017.docx")).unwrap();
    assert_eq!(r.source.format, Format::Docx);
    assert_eq!(r.template, Template::Legacy);
    assert_legacy(&r, &statistics_2017(), "statistics-2017.docx");
    statistics_checks(&r, "statistics-2017.docx");
}

#[test]
fn statistics_2017_text() {
    let r = parse("statistics-2017.txt");
    assert_eq!(r.template, Template::Legacy);
    assert_eq!(r.meta.report_year, Some(2017));
    assert_legacy(&r, &statistics_2017(), "statistics-2017.txt");
    statistics_checks(&r, "statistics-2017.txt");
}

/// The 2017 report as a Document whose 统计表 is a grid: section rows merged across the
/// three columns.
fn statistics_document() -> Document {
    let text = String::from_utf8(testdata("statistics-2017.txt")).unwrap_or_default();
    let mut blocks = Vec::new();
    let mut table = TableBuilder::new(10_000);
    let mut in_table = false;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("统计指标") {
            in_table = true;
        }
        if !in_table {
            if !line.trim().is_empty() {
                blocks.push(para(line, i + 1));
            }
            continue;
        }
        let cells: Vec<&str> = line.split(' ').collect();
        table.start_row();
        if cells.len() == 1 {
            let _ = table.push(cells[0].to_string(), 1, 3, Origin::Unknown);
        } else {
            for c in cells {
                let _ = table.push(c.to_string(), 1, 1, Origin::Unknown);
            }
        }
    }
    blocks.push(Block::Table(table.build()));
    Document { blocks }
}

#[test]
fn statistics_2017_grid() {
    let r = match Options::new().parse_document(&statistics_document(), source(Format::Docx)) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(r.template, Template::Legacy);
    assert_legacy(&r, &statistics_2017(), "statistics-2017 grid");
    statistics_checks(&r, "statistics-2017 grid");
    let p = r.provenance.get("/legacy/replies/denied");
    assert_eq!(p.map(|p| p.at.as_str()), Some("table 1, row 35, col 3"));
}

#[test]
fn failed_soft_sum_is_reported() {
    let mut text = String::from_utf8(testdata("statistics-2017.txt")).unwrap_or_default();
    text = text.replace("2．延期办结数 件 1", "2．延期办结数 件 4");
    let r = match disclosure_report::parse_bytes(text.as_bytes(), Some("x.txt")) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(status(&r, "L-CLOSED"), Some(CheckStatus::Fail));
}

#[test]
fn mixed_eras_keep_the_national_template() {
    let dir = common::root().join("testdata/samples");
    let mut text = std::fs::read_to_string(dir.join("qx-jxj-2023.txt")).unwrap_or_default();
    text.push_str("\n附表\n指标名称\t计量单位\t年末统计\n主动公开信息数\t条\t52\n行政复议数\t件\t0\n行政诉讼数\t件\t0\n");
    let r = match disclosure_report::parse_bytes(text.as_bytes(), Some("mixed.txt")) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(r.template, Template::Gov2021);
    assert!(r.applications.is_some());
    assert!(
        r.template_evidence.iter().any(|e| e.contains("mixed eras")),
        "{:?}",
        r.template_evidence
    );
    assert_legacy(
        &r,
        &json!({"proactive_total": 52, "admin_review": {"total": 0}, "litigation": {"total": 0}}),
        "mixed",
    );
}

#[test]
fn statistics_2017_one_line_body() {
    // A scraper's page: the whole body on one line, cells separated by single spaces.
    let text = String::from_utf8(testdata("statistics-2017.txt")).unwrap_or_default();
    let mut lines = text.lines();
    let title = lines.next().unwrap_or_default().to_string();
    let body: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
    let page = format!("标题: {title}\n{}", body.join(" "));
    let r = match disclosure_report::parse_bytes(page.as_bytes(), Some("page.txt")) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(r.template, Template::Legacy);
    assert_legacy(&r, &statistics_2017(), "statistics-2017 one line");
}
