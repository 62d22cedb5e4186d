//! Real reports bend the template. Each variant here was seen in published reports; each
//! is made from the bundled 021 sample (text) by one edit, and must read correctly.

mod common;

use common::{mismatches, root};
use disclosure_report::model::Report;
use disclosure_report::parse_bytes;
use serde_json::Value;

fn base() -> String {
    std::fs::read_to_string(root().join("testdata/samples/021-txt-seed.txt")).unwrap()
}

fn expected() -> Value {
    let b = std::fs::read(root().join("testdata/expected/021-txt-seed.expected.json")).unwrap();
    serde_json::from_slice(&b).unwrap()
}

fn parse(text: &str) -> Report {
    parse_bytes(text.as_bytes(), Some("variant.txt")).expect("parses")
}

fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "sample lacks {from:?}");
    text.replacen(from, to, 1)
}

/// All expected fields match, except those under the given pointers.
fn assert_matches_except(r: &Report, except: &[&str]) {
    let got = serde_json::to_value(r).unwrap();
    let bad: Vec<String> = mismatches(&got, &expected())
        .into_iter()
        .filter(|m| !except.iter().any(|e| m.starts_with(e)))
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn normative_documents_without_the_word_xingzheng() {
    let r = parse(&edit(
        &base(),
        "行政规范性文件\t2\t1\t35",
        "规范性文件\t2\t1\t35",
    ));
    assert_matches_except(&r, &[]);
    assert_eq!(
        r.active_disclosure.unwrap().normative_documents.in_force,
        Some(Some(35))
    );
}

#[test]
fn no_regulations_row_gives_nulls_and_a_warning() {
    let r = parse(&edit(&base(), "规 章\t0\t0\t0\n", ""));
    assert_matches_except(&r, &["/active_disclosure/regulations"]);
    let t2 = r.active_disclosure.as_ref().unwrap();
    assert_eq!(t2.regulations.issued, Some(None));
    assert_eq!(t2.normative_documents.issued, Some(Some(2)));
    assert!(r
        .warnings
        .iter()
        .any(|w| w.code == "missing_row" && w.message.contains("规章")));
}

#[test]
fn single_2019_style_other_row_in_a_2021_report() {
    let three = "\t(六) 其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\t\n\t\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\n\t\t3.其他\t1\t0\t0\t0\t0\t0\t1\n";
    let text = base().replace("\r\n", "\n");
    let r = parse(&edit(
        &text,
        three,
        "\t(六) 其他处理\t\t1\t0\t0\t0\t0\t0\t1\n",
    ));
    assert_eq!(serde_json::to_value(r.template).unwrap(), "gov2021");
    assert!(
        r.template_evidence.iter().any(|e| e.contains("single")),
        "{:?}",
        r.template_evidence
    );
    let other = &r.applications.as_ref().unwrap().results.other;
    assert_eq!(other.total.natural_person, Some(1));
    assert_eq!(other.total.total, Some(1));
    assert_eq!(other.other.map(|o| o.total), Some(None));
    assert_matches_except(&r, &["/applications/results/other"]);
}

#[test]
fn sub_items_numbered_differently_and_label_typos() {
    let mut t = base();
    t = edit(&t, "1.属于国家秘密", "1、属于国家秘密");
    t = edit(&t, "2.其他法律行政法规禁止公开", "(2)其他法律行政止公开");
    t = edit(&t, "7.属于行政执法案卷", "7.属于行政执法案件");
    t = edit(
        &t,
        "1.本机关不掌握相关政府信息",
        "（1）本机关不掌握相关政府信息",
    );
    t = edit(&t, "本年废止件数", "本年废纸件数");
    t = edit(&t, "行政复议\t", "行政法复议\t");
    let r = parse(&t);
    assert_matches_except(&r, &[]);
    assert_eq!(
        r.applications.unwrap().results.unable.not_held.total,
        Some(4)
    );
}

#[test]
fn cell_annotated_in_brackets() {
    let r = parse(&edit(
        &base(),
        "行政规范性文件\t2\t1\t35",
        "行政规范性文件\t2（其中修订1件）\t1\t35",
    ));
    assert_matches_except(&r, &[]);
    let p = &r.provenance["/active_disclosure/normative_documents/issued"];
    assert_eq!(p.raw.as_deref(), Some("2（其中修订1件）"));
}

#[test]
fn header_repeated_mid_table_with_page_number_and_narrative_between() {
    let header = "(本列数据的勾稽关系为：第一项加第二项之和， 等于第三项加第四项之和)\t\t\t申请人情况\t\t\t\t\t\t\n\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计\n\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\n";
    let row = "\t\t4.保护第三方合法权益\t0\t0\t0\t0\t0\t0\t0\n";
    let r = parse(&edit(
        &base(),
        row,
        &format!("{row}\n- 7 -\n\n（续表）\n\n{header}"),
    ));
    assert_matches_except(&r, &[]);
    assert!(
        r.warnings.iter().all(|w| w.code != "duplicate_row"),
        "{:?}",
        r.warnings
    );
}

#[test]
fn a_small_fee_table_in_section_six_is_not_table_two() {
    let six = "六、其他需要报告的事项\n";
    let table =
        "六、其他需要报告的事项\n\n收费通知件数\t收费金额（元）\t实际收取（元）\n0\t0\t0\n\n";
    let r = parse(&edit(&base(), six, table));
    assert_matches_except(&r, &[]);
    assert!(r.extras.is_empty(), "{:?}", r.extras);
}

#[test]
fn heading_variants() {
    let mut t = base();
    t = edit(
        &t,
        "五、存在的主要问题及改进措施",
        "五、存在的主要问题及整改措施",
    );
    t = edit(&t, "一、基本情况", "一、总体情况");
    let r = parse(&t);
    assert_eq!(
        r.sections.problems_improvements.unwrap().heading,
        "五、存在的主要问题及整改措施"
    );
    assert!(r
        .sections
        .review_litigation
        .unwrap()
        .heading
        .contains("行政复议与行政诉讼"));
    assert!(r.sections.overview.is_some());
}

#[test]
fn a_short_row_is_placed_only_where_the_sums_agree() {
    // 一、本年新收 with 6 values for 7 columns: only the readings the table's sums allow
    // are kept, and only the cells on which they all agree are placed.
    let r = parse(&edit(
        &base(),
        "一、本年新收政府信息公开申请数量\t\t\t19\t0\t0\t0\t0\t0\t19",
        "一、本年新收政府信息公开申请数量\t\t\t19\t0\t0\t0\t0\t19",
    ));
    let row = r.applications.as_ref().unwrap().new_received;
    // 19 is the natural-person figure and the total in every reading the sums allow.
    assert_eq!(row.natural_person, Some(19));
    assert_eq!(row.total, Some(19));
    assert!(r.warnings.iter().any(|w| w.code == "short_row"));
    assert!(r.provenance["/applications/new_received/total"].inferred);
}

#[test]
fn a_short_row_without_a_unique_reading_stays_null() {
    // 二、上年结转 with 5 values for 7 columns and the carried-forward row missing: the
    // column sums cannot be used, so the row is not placed.
    let t = edit(
        &base(),
        "四、结转下年度继续办理\t\t\t0\t0\t0\t0\t0\t0\t0\n",
        "",
    );
    let r = parse(&edit(
        &t,
        "二、上年结转政府信息公开申请数量\t\t\t0\t0\t0\t0\t0\t0\t0",
        "二、上年结转政府信息公开申请数量\t\t\t3\t0\t0\t1\t4",
    ));
    let row = r.applications.as_ref().unwrap().carried_over;
    assert_eq!(
        row.values().iter().filter(|v| v.is_some()).count(),
        0,
        "{row:?}"
    );
    assert!(
        r.warnings.iter().any(|w| w.code == "short_row"),
        "{:?}",
        r.warnings
    );
}
