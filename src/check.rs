//! Consistency checks (勾稽关系): every rule of REPORT_FORMAT.md §6.1, one entry per
//! instance, with the cells involved and a message a clerk understands.
//!
//! Rules are data: an equation is a rule id, a scope, and the JSON Pointers of its left
//! and right sides ([`Equation`]); [`equations`] lists them for a report's template and
//! one evaluator handles them all. A blank cell counts as 0 but marks the result
//! `assumed_zero`; a cell that was never read makes it `not_assessable`.
//!
//! ```
//! let text = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/samples/qx-jxj-2023.txt"))?;
//! let report = disclosure_report::parse_bytes(&text, Some("qx-jxj-2023.txt"))?;
//! let bal: Vec<_> = report.checks.iter().filter(|c| c.id == "T3-BAL").collect();
//! assert_eq!(bal.len(), 7);
//! assert!(bal.iter().all(|c| c.status == disclosure_report::model::CheckStatus::Ok));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;

use serde_json::Value;

use crate::model::{
    Cells, Check, CheckStatus, Report, RowKey, Template, COLUMNS, COLUMN_NAMES_ZH, OUTCOMES,
};

/// One rule instance as an equation: Σ `lhs` = Σ `rhs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Equation {
    /// Rule id.
    pub id: &'static str,
    /// The instance (a column key, a row pointer, a group).
    pub scope: String,
    /// Pointers summed on the left.
    pub lhs: Vec<String>,
    /// Pointers summed on the right.
    pub rhs: Vec<String>,
    /// What the rule says, in Chinese, for messages.
    pub says: String,
}

/// The equations that apply to `report`'s template, in a stable order.
pub fn equations(report: &Report) -> Vec<Equation> {
    let mut out: Vec<Equation> = national_equations(report).cloned().collect();
    if let Some(legacy) = &report.legacy {
        out.extend(legacy_equations(legacy));
    }
    out
}

/// Whether table 3's （六） is three rows (2021) rather than one (2019).
fn other_split(report: &Report) -> bool {
    report
        .applications
        .as_ref()
        .map_or(report.template != Template::Gov2019, |a| {
            a.has_other_split()
        })
}

/// The table 3 and table 4 equations, built once per layout and shared.
fn national_equations(report: &Report) -> impl Iterator<Item = &'static Equation> {
    static T3: std::sync::OnceLock<[Vec<Equation>; 2]> = std::sync::OnceLock::new();
    static T4: std::sync::OnceLock<Vec<Equation>> = std::sync::OnceLock::new();
    let t3 = T3.get_or_init(|| [t3_equations(false), t3_equations(true)]);
    let t3 = match (&report.applications, other_split(report)) {
        (None, _) => &[][..],
        (Some(_), split) => &t3[usize::from(split)][..],
    };
    let t4 = match report.review_litigation {
        Some(_) => &T4.get_or_init(t4_equations)[..],
        None => &[][..],
    };
    t3.iter().chain(t4)
}

fn t3_equations(split: bool) -> Vec<Equation> {
    let mut out = Vec::new();
    for (c, col) in COLUMNS.iter().enumerate() {
        out.push(Equation {
            id: "T3-BAL",
            scope: col.to_string(),
            lhs: ptrs(&[RowKey::NewReceived, RowKey::CarriedOver], col),
            rhs: ptrs(&[RowKey::ResultsTotal, RowKey::CarriedForward], col),
            says: format!("一+二 = （七）+四（{}）", COLUMN_NAMES_ZH[c]),
        });
    }
    for key in RowKey::ALL {
        if key.is_subtotal() || (split && key == RowKey::OtherTotal) {
            continue;
        }
        if !split && key.parts().is_empty() && RowKey::OtherTotal.parts().contains(&key) {
            continue;
        }
        let base = key.pointer();
        out.push(Equation {
            id: "T3-ROW",
            scope: base.to_string(),
            lhs: vec![format!("{base}/total")],
            rhs: COLUMNS[..6].iter().map(|c| format!("{base}/{c}")).collect(),
            says: format!("{} 总计 = 各申请人之和", key.label_zh()),
        });
    }
    let mut leaves = vec![RowKey::Granted, RowKey::PartiallyGranted];
    leaves.extend(RowKey::DeniedTotal.parts());
    leaves.extend(RowKey::UnableTotal.parts());
    leaves.extend(RowKey::NotProcessedTotal.parts());
    if split {
        leaves.extend(RowKey::OtherTotal.parts());
    } else {
        leaves.push(RowKey::OtherTotal);
    }
    for (c, col) in COLUMNS.iter().enumerate() {
        out.push(Equation {
            id: "T3-RES",
            scope: col.to_string(),
            lhs: ptrs(&[RowKey::ResultsTotal], col),
            rhs: ptrs(&leaves, col),
            says: format!("（七）总计 = （一）至（六）之和（{}）", COLUMN_NAMES_ZH[c]),
        });
    }
    out
}

fn t4_equations() -> Vec<Equation> {
    [
        ("T4-REV", "admin_review", "行政复议"),
        ("T4-LIT-D", "litigation_direct", "未经复议直接起诉"),
        ("T4-LIT-R", "litigation_after_review", "复议后起诉"),
    ]
    .into_iter()
    .map(|(id, group, name)| Equation {
        id,
        scope: group.to_string(),
        lhs: vec![format!("/review_litigation/{group}/total")],
        rhs: OUTCOMES[..4]
            .iter()
            .map(|o| format!("/review_litigation/{group}/{o}"))
            .collect(),
        says: format!("{name} 总计 = 维持+纠正+其他+尚未审结"),
    })
    .collect()
}

/// The legacy soft sums (REPORT_FORMAT.md §9.2): each only when its figures exist. For
/// a sum with alternative part lists (the six channels of the older 附表, the four of
/// the 2016–2018 统计表), the first list whose parts are all present is used.
fn legacy_equations(legacy: &serde_json::Map<String, Value>) -> Vec<Equation> {
    let l = Value::Object(legacy.clone());
    let has = |p: &str| l.pointer(&format!("/{p}")).is_some_and(Value::is_number);
    let rules: [(&'static str, &str, &[&[&str]], &str); 7] = [
        (
            "L-RECV",
            "requests_received",
            &[
                &[
                    "requests_by_channel/in_person",
                    "requests_by_channel/fax",
                    "requests_by_channel/online",
                    "requests_by_channel/email",
                    "requests_by_channel/letter",
                    "requests_by_channel/other",
                ],
                &[
                    "requests_by_channel/in_person",
                    "requests_by_channel/fax",
                    "requests_by_channel/online",
                    "requests_by_channel/letter",
                ],
            ],
            "收到申请数 = 各渠道之和",
        ),
        (
            "L-CLOSED",
            "requests_closed",
            &[&["closed_on_time", "closed_extended"]],
            "申请办结数 = 按时办结 + 延期办结",
        ),
        (
            "L-REPLIES",
            "replies_total",
            &[
                &[
                    "replies/already_public",
                    "replies/granted",
                    "replies/partially_granted",
                    "replies/denied",
                    "replies/not_this_agency",
                    "replies/not_exist",
                    "replies/asked_to_amend",
                    "replies/other_channel",
                ],
                &[
                    "replies/granted",
                    "replies/partially_granted",
                    "replies/denied",
                ],
            ],
            "申请答复数 = 各类答复之和",
        ),
        (
            "L-DENIED",
            "replies/denied",
            &[&[
                "denied_reasons/state_secret",
                "denied_reasons/commercial_secret",
                "denied_reasons/privacy",
                "denied_reasons/security_stability",
                "denied_reasons/not_gov_info",
                "denied_reasons/other_legal",
            ]],
            "不同意公开 = 其中各项之和",
        ),
        (
            "L-REVIEW",
            "admin_review/total",
            &[&[
                "admin_review/upheld",
                "admin_review/corrected",
                "admin_review/other",
            ]],
            "行政复议数量 = 维持 + 纠错 + 其他",
        ),
        (
            "L-LIT",
            "litigation/total",
            &[&[
                "litigation/upheld_or_dismissed",
                "litigation/corrected",
                "litigation/other",
            ]],
            "行政诉讼数量 = 维持或驳回 + 纠错 + 其他",
        ),
        (
            "L-STAFF",
            "staffing/staff_total",
            &[&["staffing/staff_fulltime", "staffing/staff_parttime"]],
            "工作人员数 = 专职 + 兼职",
        ),
    ];
    let mut out = Vec::new();
    for (id, total, lists, says) in rules {
        if !has(total) {
            continue;
        }
        let Some(parts) = lists.iter().find(|ps| ps.iter().all(|p| has(p))) else {
            continue;
        };
        // The shorter list applies only when the longer one's extra parts are absent.
        if lists.len() > 1
            && parts.len() < lists[0].len()
            && lists[0].iter().any(|p| has(p) && !parts.contains(p))
        {
            continue;
        }
        out.push(Equation {
            id,
            scope: total.to_string(),
            lhs: vec![format!("/legacy/{total}")],
            rhs: parts.iter().map(|p| format!("/legacy/{p}")).collect(),
            says: says.to_string(),
        });
    }
    out
}

fn ptrs(rows: &[RowKey], col: &str) -> Vec<String> {
    rows.iter()
        .map(|r| format!("{}/{col}", r.pointer()))
        .collect()
}

/// A cell's state for a check.
enum Cell {
    Value(f64),
    /// Null but printed (blank or placeholder): counts as 0, marks `assumed_zero`.
    Blank,
    /// Absent from the template or never read.
    Missing,
}

/// Every figure of a report by JSON Pointer, from one walk of its JSON: `Some(v)` for a
/// number, `None` for `null`. Rules look cells up here instead of walking the JSON.
#[derive(Debug, Default)]
pub struct Figures {
    /// Leaves in JSON order (tables 2–4 and `legacy`), strings left out.
    leaves: Vec<(String, Option<f64>)>,
    by_pointer: std::collections::HashMap<String, Option<f64>>,
}

impl Figures {
    /// Collects the figures of `report`.
    pub fn of(report: &Report) -> Figures {
        let mut f = Figures::default();
        let tables = [
            (
                "active_disclosure",
                report
                    .active_disclosure
                    .as_ref()
                    .and_then(|t| serde_json::to_value(t).ok()),
            ),
            (
                "applications",
                report
                    .applications
                    .as_ref()
                    .and_then(|t| serde_json::to_value(t).ok()),
            ),
            (
                "review_litigation",
                report
                    .review_litigation
                    .as_ref()
                    .and_then(|t| serde_json::to_value(t).ok()),
            ),
            (
                "legacy",
                report.legacy.as_ref().map(|m| Value::Object(m.clone())),
            ),
        ];
        for (name, value) in tables {
            if let Some(v) = value {
                let mut path = format!("/{name}");
                walk_figures(&v, &mut path, &mut f.leaves);
            }
        }
        f.by_pointer = f.leaves.iter().cloned().collect();
        f
    }

    /// The figure at `pointer`: `None` when absent, `Some(None)` when `null`.
    pub fn get(&self, pointer: &str) -> Option<Option<f64>> {
        self.by_pointer.get(pointer).copied()
    }

    /// The leaves under `prefix` (e.g. `/applications`), in JSON order.
    fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a (String, Option<f64>)> {
        self.leaves.iter().filter(move |(p, _)| {
            p.strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('/'))
        })
    }
}

fn walk_figures(v: &Value, path: &mut String, out: &mut Vec<(String, Option<f64>)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let len = path.len();
                path.push('/');
                path.push_str(k);
                walk_figures(x, path, out);
                path.truncate(len);
            }
        }
        Value::Number(n) => out.push((path.clone(), n.as_f64())),
        Value::Null => out.push((path.clone(), None)),
        _ => {}
    }
}

fn cell(figures: &Figures, report: &Report, ptr: &str) -> Cell {
    match figures.get(ptr) {
        Some(Some(v)) => Cell::Value(v),
        Some(None) if report.provenance.get(ptr).is_some_and(|p| p.raw.is_some()) => Cell::Blank,
        _ => Cell::Missing,
    }
}

/// Evaluates one equation.
pub fn evaluate(eq: &Equation, report: &Report, figures: &Figures) -> Check {
    let mut blank = false;
    let mut missing = Vec::new();
    let mut side = |ps: &[String]| -> f64 {
        let mut s = 0.0;
        for p in ps {
            match cell(figures, report, p) {
                Cell::Value(v) => s += v,
                Cell::Blank => blank = true,
                Cell::Missing => missing.push(p.clone()),
            }
        }
        s
    };
    let lhs = side(&eq.lhs);
    let rhs = side(&eq.rhs);
    let cells: Cells = eq.lhs.iter().chain(&eq.rhs).cloned().collect();
    if !missing.is_empty() {
        return Check {
            id: eq.id.to_string(),
            scope: eq.scope.clone(),
            status: CheckStatus::NotAssessable,
            lhs: None,
            rhs: None,
            delta: None,
            cells,
            message: format!(
                "{}: cannot be checked, {} has no figure",
                eq.says,
                missing.join(", ")
            ),
            previous: None,
        };
    }
    let delta = lhs - rhs;
    let holds = delta.abs() < 1e-6;
    let status = match (holds, blank) {
        (true, false) => CheckStatus::Ok,
        (true, true) => CheckStatus::AssumedZero,
        (false, _) => CheckStatus::Fail,
    };
    let message = match status {
        CheckStatus::Ok => format!("{}: {} = {}", eq.says, fmt(lhs), fmt(rhs)),
        CheckStatus::AssumedZero => format!(
            "{}: {} = {} when blank cells are taken as 0",
            eq.says,
            fmt(lhs),
            fmt(rhs)
        ),
        _ => format!(
            "{} does not hold: {} ≠ {} (difference {})",
            eq.says,
            fmt(lhs),
            fmt(rhs),
            fmt(delta)
        ),
    };
    Check {
        id: eq.id.to_string(),
        scope: eq.scope.clone(),
        status,
        lhs: Some(lhs),
        rhs: Some(rhs),
        delta: Some(delta),
        cells,
        message,
        previous: None,
    }
}

fn fmt(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Runs every rule on `report`, filling `checks` and `suspect_cells`.
pub fn run(report: &mut Report) {
    let figures = Figures::of(report);
    let mut checks: Vec<Check> = national_equations(report)
        .map(|e| evaluate(e, report, &figures))
        .collect();
    if let Some(legacy) = &report.legacy {
        checks.extend(
            legacy_equations(legacy)
                .iter()
                .map(|e| evaluate(e, report, &figures)),
        );
    }
    checks.extend(number_rules(report, &figures));
    checks.extend(section_rules(report));
    checks.extend(cells_rule(report, &figures));
    checks.extend(subtotal_rules(report));
    checks.extend(text_rules(report));
    report.suspect_cells = suspects(&checks);
    report.checks = checks;
}

/// NUM-INT and NUM-AMT: figures are whole numbers ≥ 0 (本年增/减 may be negative).
fn number_rules(report: &Report, figures: &Figures) -> Vec<Check> {
    let mut out = Vec::new();
    for (table, name) in [
        ("active_disclosure", "表二"),
        ("applications", "表三"),
        ("review_litigation", "表四"),
    ] {
        let present = match table {
            "active_disclosure" => report.active_disclosure.is_some(),
            "applications" => report.applications.is_some(),
            _ => report.review_litigation.is_some(),
        };
        if !present {
            continue;
        }
        let prefix = format!("/{table}");
        let mut bad = Vec::new();
        for (ptr, n) in figures
            .under(&prefix)
            .filter_map(|(p, n)| n.map(|n| (p, n)))
        {
            if ptr.ends_with("total_amount") || ptr.ends_with("amount_wan_yuan") {
                continue;
            }
            let signed = ptr.ends_with("items_change");
            if n.fract() != 0.0 || (!signed && n < 0.0) {
                bad.push(ptr.clone());
            }
        }
        // Cells read but not kept because they were not whole numbers.
        for (ptr, p) in report.provenance.range(format!("/{table}/")..) {
            if !ptr.starts_with(&format!("/{table}/")) {
                break;
            }
            if figures.get(ptr) == Some(None) {
                if let Some(raw) = &p.raw {
                    if crate::extract::numbers::parse_number(raw).is_some() {
                        bad.push(ptr.clone());
                    }
                }
            }
        }
        let status = if bad.is_empty() {
            CheckStatus::Ok
        } else {
            CheckStatus::Fail
        };
        out.push(Check {
            id: "NUM-INT".into(),
            scope: table.into(),
            status,
            lhs: None,
            rhs: None,
            delta: None,
            message: if bad.is_empty() {
                format!("{name}: every count is a whole number ≥ 0")
            } else {
                format!("{name}: {} figure(s) not a whole number ≥ 0", bad.len())
            },
            cells: bad.into(),
            previous: None,
        });
    }
    if let Some(Some(Some(a))) = report
        .active_disclosure
        .as_ref()
        .map(|a| a.admin_fees.amount_wan_yuan)
    {
        out.push(Check {
            id: "NUM-AMT".into(),
            scope: "admin_fees".into(),
            status: if a >= 0.0 {
                CheckStatus::Ok
            } else {
                CheckStatus::Fail
            },
            lhs: Some(a),
            rhs: None,
            delta: None,
            cells: vec!["/active_disclosure/admin_fees/amount_wan_yuan".into()].into(),
            message: format!(
                "表二 本年收费金额 {a} 万元 {}",
                if a >= 0.0 { "≥ 0" } else { "is negative" }
            ),
            previous: None,
        });
    }
    out
}

/// S-SECT: all six sections present, in order.
fn section_rules(report: &Report) -> Vec<Check> {
    if !matches!(report.template, Template::Gov2019 | Template::Gov2021) {
        return Vec::new();
    }
    let names = [
        "一、总体情况",
        "二、主动公开",
        "三、收到和处理申请",
        "四、复议诉讼",
        "五、问题及改进",
        "六、其他事项",
    ];
    let missing: Vec<&str> = (0..6)
        .filter(|i| report.sections.get(*i).is_none())
        .map(|i| names[i])
        .collect();
    let orders: Vec<usize> = (0..6)
        .filter_map(|i| report.sections.get(i).map(|s| s.order))
        .collect();
    let in_order = orders.windows(2).all(|w| w[0] < w[1]);
    let status = if missing.is_empty() && in_order {
        CheckStatus::Ok
    } else {
        CheckStatus::Fail
    };
    let message = if !missing.is_empty() {
        format!("missing section(s): {}", missing.join("、"))
    } else if !in_order {
        "the six sections are not in order 一…六".to_string()
    } else {
        "all six sections present, in order".to_string()
    };
    vec![Check {
        id: "S-SECT".into(),
        scope: "sections".into(),
        status,
        lhs: None,
        rhs: None,
        delta: None,
        cells: missing.iter().map(|m| m.to_string()).collect(),
        message,
        previous: None,
    }]
}

/// S-CELLS: every template cell was found (198 figures in 2019, 200 in 2021).
fn cells_rule(report: &Report, figures: &Figures) -> Vec<Check> {
    if !matches!(report.template, Template::Gov2019 | Template::Gov2021) {
        return Vec::new();
    }
    let leaves: Vec<String> = ["/active_disclosure", "/applications", "/review_litigation"]
        .iter()
        .flat_map(|t| figures.under(t).map(|(p, _)| p.clone()))
        .collect();
    let printed: Vec<&String> = leaves
        .iter()
        .filter(|p| !report.provenance.get(*p).is_some_and(|x| x.derived))
        .filter(|p| !is_derived_slot(p, report))
        .collect();
    let missing: Vec<String> = printed
        .iter()
        .filter(|p| !report.provenance.contains_key(**p))
        .map(|p| p.to_string())
        .collect();
    let expected = if report.template == Template::Gov2019 {
        198
    } else {
        200
    };
    let found = printed.len() - missing.len();
    vec![Check {
        id: "S-CELLS".into(),
        scope: "tables".into(),
        status: if missing.is_empty() && found >= expected {
            CheckStatus::Ok
        } else {
            CheckStatus::Fail
        },
        lhs: Some(found as f64),
        rhs: Some(expected as f64),
        delta: Some(found as f64 - expected as f64),
        message: format!("{found} of {expected} template cells found"),
        cells: missing.into(),
        previous: None,
    }]
}

fn is_derived_slot(p: &str, report: &Report) -> bool {
    p.contains("/denied/total/")
        || p.contains("/unable/total/")
        || p.contains("/not_processed/total/")
        || (p.contains("/other/total/")
            && report
                .applications
                .as_ref()
                .is_some_and(|a| a.has_other_split()))
        || p.ends_with("total_amount_unit")
}

fn check_entry(
    id: &str,
    scope: &str,
    ok: bool,
    lhs: Option<f64>,
    rhs: Option<f64>,
    cells: Cells,
    message: String,
) -> Check {
    Check {
        id: id.to_string(),
        scope: scope.to_string(),
        status: if ok {
            CheckStatus::Ok
        } else {
            CheckStatus::Fail
        },
        lhs,
        rhs,
        delta: lhs.zip(rhs).map(|(a, b)| a - b),
        cells,
        message,
        previous: None,
    }
}

/// T3-SUBTOTAL: printed subtotal rows (（三）（四）（五）, （六） in 2021) and a printed
/// 法人或其他组织 小计 column equal what their parts add up to.
fn subtotal_rules(report: &Report) -> Vec<Check> {
    let Some(app) = &report.applications else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for extra in report.extras.iter().filter(|e| e.table == 3) {
        if let Some(key) = RowKey::ALL.iter().find(|k| k.label_zh() == extra.label) {
            let Some(derived) = app.row(*key) else {
                continue;
            };
            for (i, (printed, d)) in extra.values.iter().zip(derived.values()).enumerate() {
                let (Some(p), Some(d)) = (printed, d) else {
                    continue;
                };
                let col = COLUMNS[i];
                out.push(check_entry(
                    "T3-SUBTOTAL",
                    &format!("{}/{col}", key.pointer()),
                    (*p - d as f64).abs() < 1e-6,
                    Some(*p),
                    Some(d as f64),
                    key.parts()
                        .iter()
                        .map(|r| format!("{}/{col}", r.pointer()))
                        .collect(),
                    format!(
                        "printed subtotal {} {}: {} vs its rows' sum {}",
                        key.label_zh(),
                        COLUMN_NAMES_ZH[i],
                        fmt(*p),
                        d
                    ),
                ));
            }
        } else if let Some(row_label) = extra.label.strip_suffix(crate::model::SUBTOTAL_COLUMN) {
            let Some(key) = RowKey::ALL
                .iter()
                .find(|k| k.label_zh() == row_label.trim())
            else {
                continue;
            };
            let (Some(Some(p)), Some(row)) = (extra.values.first(), app.row(*key)) else {
                continue;
            };
            let parts = &row.values()[1..6];
            if parts.iter().any(Option::is_none) {
                continue;
            }
            let sum: i64 = parts.iter().flatten().sum();
            out.push(check_entry(
                "T3-SUBTOTAL",
                &format!("{}/legal_entity_subtotal", key.pointer()),
                (*p - sum as f64).abs() < 1e-6,
                Some(*p),
                Some(sum as f64),
                COLUMNS[1..6]
                    .iter()
                    .map(|c| format!("{}/{c}", key.pointer()))
                    .collect(),
                format!(
                    "printed 法人或其他组织小计 of {}: {} vs 商业企业…其他 {}",
                    key.label_zh(),
                    fmt(*p),
                    sum
                ),
            ));
        }
    }
    out
}

/// Text-versus-table rules (soft): X-TEXT-T3, X-TEXT-T4, X-FEE.
fn text_rules(report: &Report) -> Vec<Check> {
    use crate::extract::text_facts;
    let mut text = String::new();
    for i in 0..6 {
        if let Some(s) = report.sections.get(i) {
            text.push_str(&s.text);
            text.push('\n');
        }
    }
    let facts = text_facts::read(&text);
    let mut out = Vec::new();
    if let Some(app) = &report.applications {
        let rows = [
            (
                "new_received",
                facts.new_received,
                app.new_received.total,
                "新收申请",
            ),
            (
                "carried_over",
                facts.carried_over,
                app.carried_over.total,
                "上年结转",
            ),
            (
                "carried_forward",
                facts.carried_forward,
                app.carried_forward.total,
                "结转下年度",
            ),
        ];
        for (scope, stated, table, name) in rows {
            let (Some(stated), Some(table)) = (stated, table) else {
                continue;
            };
            let ptr = format!("/applications/{scope}/total");
            out.push(check_entry(
                "X-TEXT-T3",
                scope,
                stated == table,
                Some(stated as f64),
                Some(table as f64),
                vec![ptr].into(),
                format!("the text states {name} {stated} 件, table 3 says {table}"),
            ));
        }
    }
    if let (Some(rl), true) = (&report.review_litigation, facts.no_review_litigation) {
        let totals: Vec<Option<i64>> = rl.groups().iter().map(|(_, g)| g.total).collect();
        if totals.iter().all(Option::is_some) {
            let sum: i64 = totals.iter().flatten().sum();
            out.push(check_entry(
                "X-TEXT-T4",
                "review_litigation",
                sum == 0,
                Some(0.0),
                Some(sum as f64),
                rl.groups().iter().map(|(g, _)| format!("/review_litigation/{g}/total")).collect(),
                format!("the text says there was no 行政复议 or 行政诉讼; table 4's totals add up to {sum}"),
            ));
        }
    }
    let fee_unpaid = report
        .applications
        .as_ref()
        .and_then(|a| a.results.other.fee_unpaid)
        .and_then(|r| r.total);
    let notices = report
        .info_processing_fee
        .as_ref()
        .and_then(|f| f.notices_issued);
    if let (Some(unpaid), Some(notices)) = (fee_unpaid, notices) {
        let ok = !(unpaid > 0 && notices == 0);
        out.push(check_entry(
            "X-FEE",
            "fee_unpaid",
            ok,
            Some(unpaid as f64),
            Some(notices as f64),
            vec!["/applications/results/other/fee_unpaid/total".into(), "/info_processing_fee/notices_issued".into()].into(),
            if ok {
                format!("（六）2 逾期未缴费 {unpaid} 件 agrees with {notices} fee notice(s) in section 六")
            } else {
                format!("（六）2 逾期未缴费 is {unpaid}, but section 六 says no fee notice was issued")
            },
        ));
    }
    out
}

/// Cells that stand in two or more failed equations: where a failed row equation and a
/// failed column equation meet, the likely wrong cell.
fn suspects(checks: &[Check]) -> Vec<String> {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for c in checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail && c.lhs.is_some())
    {
        if c.id.starts_with("NUM") || c.id.starts_with("S-") {
            continue;
        }
        for p in &c.cells {
            *count.entry(p.as_str()).or_default() += 1;
        }
    }
    let mut v: Vec<(&str, usize)> = count.into_iter().filter(|(_, n)| *n >= 2).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.into_iter().map(|(p, _)| p.to_string()).collect()
}

/// Cross-year rules over two reports of one agency: T3-XYEAR (二 of this year = 四 of
/// last year, per column) and T2-INFORCE-XYEAR (现行有效 this year ≈ last year's +
/// 制发 − 废止, per row). Entries carry `previous`.
pub fn across_years(previous: &Report, current: &Report) -> Vec<Check> {
    let prev_name = previous
        .source
        .path
        .clone()
        .or_else(|| previous.meta.title.clone())
        .unwrap_or_else(|| "previous report".into());
    let mut out = Vec::new();
    if let (Some(p), Some(c)) = (&previous.applications, &current.applications) {
        let pv = p.carried_forward.values();
        let cv = c.carried_over.values();
        for (i, col) in COLUMNS.iter().enumerate() {
            let (status, lhs, rhs) = match (cv[i], pv[i]) {
                (Some(a), Some(b)) => (
                    if a == b {
                        CheckStatus::Ok
                    } else {
                        CheckStatus::Fail
                    },
                    Some(a as f64),
                    Some(b as f64),
                ),
                _ => (CheckStatus::NotAssessable, None, None),
            };
            out.push(Check {
                id: "T3-XYEAR".into(),
                scope: col.to_string(),
                status,
                lhs,
                rhs,
                delta: lhs.zip(rhs).map(|(a, b)| a - b),
                cells: vec![format!("/applications/carried_over/{col}")].into(),
                message: format!(
                    "二、上年结转（{}）应等于上年报告的四、结转下年度继续办理",
                    COLUMN_NAMES_ZH[i]
                ),
                previous: Some(prev_name.clone()),
            });
        }
    }
    if let (Some(p), Some(c)) = (&previous.active_disclosure, &current.active_disclosure) {
        for (key, prow, crow) in [
            ("regulations", &p.regulations, &c.regulations),
            (
                "normative_documents",
                &p.normative_documents,
                &c.normative_documents,
            ),
        ] {
            let (Some(Some(cur)), Some(Some(prev))) = (crow.in_force, prow.in_force) else {
                continue;
            };
            let issued = crow.issued.flatten().unwrap_or(0);
            let repealed = crow.repealed.flatten().unwrap_or(0);
            let expect = prev + issued - repealed;
            out.push(Check {
                id: "T2-INFORCE-XYEAR".into(),
                scope: key.into(),
                status: if cur == expect { CheckStatus::Ok } else { CheckStatus::Fail },
                lhs: Some(cur as f64),
                rhs: Some(expect as f64),
                delta: Some((cur - expect) as f64),
                cells: vec![
                    format!("/active_disclosure/{key}/in_force"),
                    format!("/active_disclosure/{key}/issued"),
                    format!("/active_disclosure/{key}/repealed"),
                ]
                .into(),
                message: format!("现行有效件数 {cur} vs 上年 {prev} + 制发 {issued} − 废止 {repealed} = {expect}"),
                previous: Some(prev_name.clone()),
            });
        }
    }
    out
}
