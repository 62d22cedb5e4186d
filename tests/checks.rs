//! Consistency checks on reports with known errors: the exact entries and the suspect cell.

mod common;

use common::root;
use disclosure_report::check::across_years;
use disclosure_report::model::{Check, CheckStatus, Report};
use disclosure_report::parse_bytes;

fn sample(id: &str) -> String {
    std::fs::read_to_string(root().join(format!("testdata/samples/{id}-txt-seed.txt"))).unwrap()
}

fn parse(text: &str) -> Report {
    parse_bytes(text.as_bytes(), Some("x.txt")).unwrap()
}

fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "no {from:?}");
    text.replacen(from, to, 1)
}

fn find<'a>(r: &'a Report, id: &str, scope: &str) -> &'a Check {
    r.checks
        .iter()
        .find(|c| c.id == id && c.scope == scope)
        .unwrap_or_else(|| panic!("no {id} {scope}"))
}

fn failed(r: &Report) -> Vec<(String, String)> {
    r.checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .map(|c| (c.id.to_string(), c.scope.to_string()))
        .collect()
}

#[test]
fn a_clean_report_passes_every_rule() {
    let r = parse(&sample("006"));
    assert!(failed(&r).is_empty(), "{:?}", failed(&r));
    assert!(r.suspect_cells.is_empty());
    assert_eq!(r.checks.iter().filter(|c| c.id == "T3-BAL").count(), 7);
    assert_eq!(r.checks.iter().filter(|c| c.id == "T3-RES").count(), 7);
    assert_eq!(
        r.checks.iter().filter(|c| c.id == "T3-ROW").count(),
        25,
        "2021: 25 rows"
    );
    let x = find(&r, "X-TEXT-T3", "new_received");
    assert_eq!(
        (x.status, x.lhs, x.rhs),
        (CheckStatus::Ok, Some(218.0), Some(218.0))
    );
    let r = parse(&sample("029"));
    assert_eq!(
        r.checks.iter().filter(|c| c.id == "T3-ROW").count(),
        23,
        "2019: 23 rows"
    );
    assert!(failed(&r).is_empty(), "{:?}", failed(&r));
}

#[test]
fn one_wrong_cell_is_located() {
    // （一）予以公开 自然人 71 → 70: its row, its column's T3-RES and T3-BAL… fail.
    let r = parse(&edit(
        &sample("006"),
        "(一) 予以公开\t\t71\t0",
        "(一) 予以公开\t\t70\t0",
    ));
    let row = find(&r, "T3-ROW", "/applications/results/granted");
    assert_eq!(
        (row.status, row.lhs, row.rhs, row.delta),
        (CheckStatus::Fail, Some(71.0), Some(70.0), Some(1.0))
    );
    let res = find(&r, "T3-RES", "natural_person");
    assert_eq!(
        (res.status, res.lhs, res.rhs, res.delta),
        (CheckStatus::Fail, Some(217.0), Some(216.0), Some(1.0))
    );
    assert!(res
        .cells
        .contains(&"/applications/results/granted/natural_person".to_string()));
    assert_eq!(find(&r, "T3-BAL", "natural_person").status, CheckStatus::Ok);
    assert_eq!(failed(&r).len(), 2, "{:?}", failed(&r));
    assert_eq!(
        r.suspect_cells,
        ["/applications/results/granted/natural_person"]
    );
    assert!(
        res.message.contains("217") && res.message.contains("216"),
        "{}",
        res.message
    );
}

#[test]
fn a_wrong_total_is_located() {
    // （七）总计 自然人 217 → 216.
    let r = parse(&edit(
        &sample("006"),
        "(七) 总计\t\t217",
        "(七) 总计\t\t216",
    ));
    let f = failed(&r);
    for (id, scope) in [
        ("T3-BAL", "natural_person"),
        ("T3-RES", "natural_person"),
        ("T3-ROW", "/applications/results/total"),
    ] {
        assert!(
            f.contains(&(id.to_string(), scope.to_string())),
            "{id} {scope} not in {f:?}"
        );
    }
    assert_eq!(f.len(), 3, "{f:?}");
    assert_eq!(
        r.suspect_cells[0],
        "/applications/results/total/natural_person"
    );
    assert_eq!(find(&r, "T3-BAL", "natural_person").delta, Some(1.0));
}

#[test]
fn a_placeholder_in_a_sum_is_assumed_zero_or_fails() {
    // 四、结转 自然人 0 → "—": the balance holds only with the blank taken as 0.
    let text = edit(
        &sample("006"),
        "四、结转下年度继续办理\t\t\t0",
        "四、结转下年度继续办理\t\t\t—",
    );
    let r = parse(&text);
    assert_eq!(
        r.applications
            .as_ref()
            .unwrap()
            .carried_forward
            .natural_person,
        None
    );
    assert_eq!(
        r.provenance["/applications/carried_forward/natural_person"]
            .raw
            .as_deref(),
        Some("—")
    );
    assert_eq!(
        find(&r, "T3-BAL", "natural_person").status,
        CheckStatus::AssumedZero
    );
    assert_eq!(
        find(&r, "T3-ROW", "/applications/carried_forward").status,
        CheckStatus::AssumedZero
    );
    // （一）予以公开 自然人 71 → "/": now the sums fail even with 0.
    let r = parse(&edit(
        &sample("006"),
        "(一) 予以公开\t\t71\t0",
        "(一) 予以公开\t\t/\t0",
    ));
    let row = find(&r, "T3-ROW", "/applications/results/granted");
    assert_eq!((row.status, row.delta), (CheckStatus::Fail, Some(71.0)));
}

#[test]
fn a_missing_row_makes_its_rules_not_assessable() {
    let text = edit(
        &sample("006"),
        "\t(七) 总计\t\t217\t1\t0\t0\t0\t0\t218\n",
        "",
    );
    let r = parse(&text);
    let bal = find(&r, "T3-BAL", "natural_person");
    assert_eq!(bal.status, CheckStatus::NotAssessable);
    assert!(
        bal.message
            .contains("/applications/results/total/natural_person"),
        "{}",
        bal.message
    );
    assert_eq!(
        find(&r, "T3-ROW", "/applications/results/total").status,
        CheckStatus::NotAssessable
    );
    assert_eq!(find(&r, "S-CELLS", "tables").status, CheckStatus::Fail);
    assert!(r
        .warnings
        .iter()
        .any(|w| w.code == "missing_row" && w.message.contains("总计")));
}

#[test]
fn table_four_rules() {
    let r = parse(&sample("021"));
    assert_eq!(
        find(&r, "T4-LIT-D", "litigation_direct").status,
        CheckStatus::Ok
    );
    let text = sample("021").replace(
        "0\t0\t0\t0\t0\t1\t0\t0\t0\t1\t0\t0\t0\t0\t0",
        "0\t0\t0\t0\t0\t1\t0\t0\t0\t2\t0\t0\t0\t0\t0",
    );
    let r = parse(&text);
    let c = find(&r, "T4-LIT-D", "litigation_direct");
    assert_eq!(
        (c.status, c.lhs, c.rhs),
        (CheckStatus::Fail, Some(2.0), Some(1.0))
    );
}

#[test]
fn text_versus_table() {
    // The overview says 218 new applications; make the table say 217.
    let text = edit(
        &sample("006"),
        "全年新收政府信息公开申请218件",
        "全年新收政府信息公开申请219件",
    );
    let r = parse(&text);
    let x = find(&r, "X-TEXT-T3", "new_received");
    assert_eq!(
        (x.status, x.lhs, x.rhs),
        (CheckStatus::Fail, Some(219.0), Some(218.0))
    );
    // The seed says no applications and no cases, and its tables agree.
    let seed = std::fs::read_to_string(root().join("testdata/samples/qx-jxj-2023.txt")).unwrap();
    let r = parse(&seed);
    assert_eq!(
        find(&r, "X-TEXT-T3", "new_received").status,
        CheckStatus::Ok
    );
    assert_eq!(
        find(&r, "X-TEXT-T4", "review_litigation").status,
        CheckStatus::Ok
    );
    assert_eq!(find(&r, "X-FEE", "fee_unpaid").status, CheckStatus::Ok);
    // A fee-unpaid application although no fee notice was issued.
    let bad = seed.replace(
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t1\t0\t0\t0\t0\t0\t1",
    );
    let r = parse(&bad);
    assert_eq!(find(&r, "X-FEE", "fee_unpaid").status, CheckStatus::Fail);
}

#[test]
fn printed_subtotals_are_checked() {
    // A report that prints a （三）不予公开 subtotal row.
    let text = edit(
        &sample("006"),
        "\t(三) 不予公开\t1.属于国家秘密",
        "\t(三) 不予公开\t\t9\t0\t0\t0\t0\t0\t9\n\t\t1.属于国家秘密",
    );
    let r = parse(&text);
    let c = r
        .checks
        .iter()
        .find(|c| c.id == "T3-SUBTOTAL" && c.scope.ends_with("denied/total/natural_person"))
        .unwrap();
    let derived = r
        .applications
        .as_ref()
        .unwrap()
        .results
        .denied
        .total
        .natural_person
        .unwrap();
    assert_eq!(c.lhs, Some(9.0));
    assert_eq!(c.rhs, Some(derived as f64));
    assert_eq!(c.status == CheckStatus::Ok, derived == 9);
}

#[test]
fn across_two_years() {
    let r2023 = parse(&sample("021"));
    let mut text = sample("006");
    text = edit(
        &text,
        "二、上年结转政府信息公开申请数量\t\t\t0",
        "二、上年结转政府信息公开申请数量\t\t\t1",
    );
    let r2024 = parse(&text);
    let checks = across_years(&r2023, &r2024);
    let np = checks
        .iter()
        .find(|c| c.id == "T3-XYEAR" && c.scope == "natural_person")
        .unwrap();
    assert_eq!(
        (np.status, np.lhs, np.rhs),
        (CheckStatus::Fail, Some(1.0), Some(0.0))
    );
    assert!(np.previous.is_some());
    let total = checks
        .iter()
        .find(|c| c.id == "T3-XYEAR" && c.scope == "total")
        .unwrap();
    assert_eq!(total.status, CheckStatus::Ok);
    assert!(checks.iter().any(|c| c.id == "T2-INFORCE-XYEAR"));
}
