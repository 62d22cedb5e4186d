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
use std::fmt::Write as _;
use std::ops::Bound;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::model::{
    Cells, Check, CheckStatus, Report, RowKey, SmallString, Template, COLUMNS, COLUMN_NAMES_ZH,
    OUTCOMES,
};
use compact_str::ToCompactString as _;

/// One rule instance as an equation: Σ `lhs` = Σ `rhs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Equation {
    /// Rule id.
    pub id: &'static str,
    /// The instance (a column key, a row pointer, a group).
    pub scope: SmallString,
    /// Pointers summed on the left.
    pub lhs: Vec<String>,
    /// Pointers summed on the right.
    pub rhs: Vec<String>,
    /// What the rule says, in Chinese, for messages.
    pub says: String,
}

impl Equation {
    /// The pointers of both sides, left then right: the `cells` of its check.
    fn cells(&self) -> Cells {
        self.lhs.iter().chain(&self.rhs).cloned().collect()
    }
}

/// A national equation with its cells, built once: every report's checks share them.
struct Rule {
    eq: Equation,
    cells: Cells,
    /// Where its cells are: the table (an index of [`TABLES`]), its usual layout, and
    /// per cell its pointer's [`hash`] and its leaf number in that layout (`u32::MAX`
    /// when not there).
    at: At,
}

/// Where an equation's cells are (see [`Rule`]).
struct At {
    table: usize,
    layout: Option<&'static Layout>,
    cells: Vec<(u64, u32)>,
}

impl Rule {
    /// `eq`, whose cells are in table `table`, usually laid out as `layout`.
    fn new(eq: Equation, table: usize, layout: &'static Layout) -> Self {
        let cells = eq.cells();
        let at = At {
            table,
            layout: Some(layout),
            cells: cells
                .iter()
                .map(|p| {
                    let i = layout.figures.find(p).and_then(|i| u32::try_from(i).ok());
                    (hash(p.as_bytes()), i.unwrap_or(u32::MAX))
                })
                .collect(),
        };
        Rule { eq, cells, at }
    }
}

/// The equations that apply to `report`'s template, in a stable order.
pub fn equations(report: &Report) -> Vec<Equation> {
    let mut out: Vec<Equation> = national_equations(report).map(|r| r.eq.clone()).collect();
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
fn national_equations(report: &Report) -> impl Iterator<Item = &'static Rule> {
    static T3: OnceLock<[Vec<Rule>; 2]> = OnceLock::new();
    static T4: OnceLock<Vec<Rule>> = OnceLock::new();
    let rules = |eqs: Vec<Equation>, t: usize, layout: &'static Layout| -> Vec<Rule> {
        eqs.into_iter().map(|e| Rule::new(e, t, layout)).collect()
    };
    let t3 = T3.get_or_init(|| {
        [false, true].map(|split| rules(t3_equations(split), 1, &layouts().t3[usize::from(split)]))
    });
    let t3 = match (&report.applications, other_split(report)) {
        (None, _) => &[][..],
        (Some(_), split) => &t3[usize::from(split)][..],
    };
    let t4 = match report.review_litigation {
        Some(_) => &T4.get_or_init(|| rules(t4_equations(), 2, &layouts().t4))[..],
        None => &[][..],
    };
    t3.iter().chain(t4)
}

fn t3_equations(split: bool) -> Vec<Equation> {
    let mut out = Vec::new();
    for (c, col) in COLUMNS.iter().enumerate() {
        out.push(Equation {
            id: "T3-BAL",
            scope: col.to_compact_string(),
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
            scope: base.to_compact_string(),
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
            scope: col.to_compact_string(),
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
        scope: group.to_compact_string(),
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
fn legacy_equations(legacy: &Map<String, Value>) -> Vec<Equation> {
    let has = |p: &str| legacy_number(legacy, p);
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
            scope: total.to_compact_string(),
            lhs: vec![format!("/legacy/{total}")],
            rhs: parts.iter().map(|p| format!("/legacy/{p}")).collect(),
            says: says.to_string(),
        });
    }
    out
}

/// Whether the legacy figure at `path` (keys joined by `/`, as in the rules above) is a
/// number: what `Value::pointer` answers for such a path, without cloning the map into
/// a `Value`.
fn legacy_number(legacy: &Map<String, Value>, path: &str) -> bool {
    let at = match path.split_once('/') {
        Some((first, _)) => legacy
            .get(first)
            .zip(path.get(first.len()..))
            .and_then(|(v, rest)| v.pointer(rest)),
        None => legacy.get(path),
    };
    at.is_some_and(Value::is_number)
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

/// Every figure of a report by JSON Pointer, from one walk of its tables: `Some(v)` for
/// a number, `None` for `null`. Rules look cells up here instead of walking the JSON.
///
/// The walk serialises tables 2–4 and `legacy` into a visitor rather than a JSON tree,
/// so the pointers are exactly those of the report's JSON. Tables 3 and 4 that take the
/// steps of their template (nearly all) reuse the template's pointers, index and order;
/// the rest are indexed by hash. Each figure also knows what the report's provenance
/// says of it (read, with raw text, derived).
///
/// ```
/// # let text = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/samples/006-txt-seed.txt"))?;
/// let report = disclosure_report::parse_bytes(&text, Some("006-txt-seed.txt"))?;
/// let figures = disclosure_report::check::Figures::of(&report);
/// assert_eq!(figures.get("/applications/new_received/total"), Some(Some(218.0)));
/// assert_eq!(figures.get("/applications/no_such_row/total"), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct Figures {
    /// The pointers of all leaves, one after another.
    text: String,
    /// Leaves in JSON order (tables 2–4, then `legacy`), strings left out.
    leaves: Vec<Leaf>,
    /// Leaf ranges of [`TABLES`], in that order.
    tables: [(usize, usize); 4],
    /// Per table: the [`Layout`] its leaves were found to follow, whose index and order
    /// serve for them.
    layouts: [Option<&'static Layout>; 4],
    /// Open-addressing hash index of the other leaves: per slot, the leaf number + 1 in
    /// the low 32 bits (0: empty) and the top 32 bits of the pointer's [`hash`] in the
    /// high ones.
    slots: Vec<u64>,
}

/// The leaves of one national table's template layout (table 3 of 2019 or 2021,
/// table 4), from the walk of an empty table. A report's table whose walk goes the same
/// way (the same fields, in the same order, each a number or `null`) has exactly these
/// pointers, so its figures are taken in one pass over its values, and its pointers,
/// index and order come from here.
#[derive(Debug)]
struct Layout {
    /// The table's figures in the empty template (all `null`), indexed.
    figures: Figures,
    /// Leaf numbers in pointer order (the order of `Report::provenance`).
    sorted: Vec<u32>,
    /// The walk, step by step.
    steps: Vec<walk::Step>,
}

impl Layout {
    fn new<T: serde::Serialize>(t: usize, table: &T) -> Layout {
        let mut figures = Figures::default();
        let mut w = walk::Walker::new(&mut figures);
        let steps = w.table_steps(t, table);
        figures.index();
        let mut sorted: Vec<u32> = (0..figures.leaves.len())
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        sorted.sort_by(|a, b| {
            let p = |i: &u32| {
                figures
                    .leaves
                    .get(*i as usize)
                    .map_or("", |l| figures.pointer(l))
            };
            p(a).cmp(p(b))
        });
        Layout {
            figures,
            sorted,
            steps,
        }
    }
}

/// The template layouts of tables 3 (2019: `t3[0]`, 2021: `t3[1]`) and 4, built once.
struct Layouts {
    t3: [Layout; 2],
    t4: Layout,
}

fn layouts() -> &'static Layouts {
    static L: OnceLock<Layouts> = OnceLock::new();
    L.get_or_init(|| Layouts {
        t3: [false, true].map(|split| Layout::new(1, &crate::model::Applications::new(split))),
        t4: Layout::new(2, &crate::model::ReviewLitigation::default()),
    })
}

/// `"/{table}/"` for each of [`TABLES`]: every leaf's pointer starts so.
const TABLE_PREFIXES: [&str; 4] = [
    "/active_disclosure/",
    "/applications/",
    "/review_litigation/",
    "/legacy/",
];

/// The parts of a report [`Figures`] walks, in JSON order.
const TABLES: [&str; 4] = [
    "active_disclosure",
    "applications",
    "review_litigation",
    "legacy",
];

/// One figure: its pointer (a range of [`Figures::text`], or of its table's layout's),
/// its value and what is known of it.
#[derive(Debug, Clone, Copy)]
struct Leaf {
    start: u32,
    end: u32,
    /// Its table, an index of [`TABLES`].
    table: u8,
    flags: u8,
    /// The number; meaningless when `flags` has [`NULL`].
    value: f64,
}

impl Leaf {
    fn value(&self) -> Option<f64> {
        (self.flags & NULL == 0).then_some(self.value)
    }

    /// Takes what the provenance entry of the leaf's pointer says.
    fn read(&mut self, p: &crate::model::Provenance) {
        self.flags |= READ;
        if p.derived {
            self.flags |= DERIVED;
        }
        if let Some(raw) = &p.raw {
            self.flags |= RAW;
            if self.flags & NULL != 0 && crate::extract::numbers::parse_number(raw).is_some() {
                self.flags |= RAW_NUMBER;
            }
        }
    }
}

/// The figure is `null`.
const NULL: u8 = 1;
/// The report's provenance has the pointer.
const READ: u8 = 2;
/// … with raw text (a printed cell, perhaps blank).
const RAW: u8 = 4;
/// … marked derived.
const DERIVED: u8 = 8;
/// `null`, but its raw text reads as a number (not kept: not a whole number).
const RAW_NUMBER: u8 = 16;
/// Under a derived subtotal row (`/denied/total/`, `/unable/total/`, `/not_processed/total/`).
const SUBTOTAL_SLOT: u8 = 32;
/// Under `/other/total/` (derived in the 2021 layout).
const OTHER_TOTAL_SLOT: u8 = 64;
/// The unit of 采购总金额 (`…total_amount_unit`), not a figure read.
const UNIT_SLOT: u8 = 128;

impl Figures {
    /// Collects the figures of `report`.
    pub fn of(report: &Report) -> Figures {
        let mut f = Figures::default();
        // Room for the usual tables (2: ~25 figures, 3: ~210, 4: 15) and, for those
        // without a layout, pointers of ~50 bytes, so the buffers rarely grow.
        let walked = report.active_disclosure.as_ref().map_or(0, |_| 32)
            + report.legacy.as_ref().map_or(0, |m| 4 * m.len());
        f.leaves.reserve(
            walked
                + report.applications.as_ref().map_or(0, |_| 224)
                + report.review_litigation.as_ref().map_or(0, |_| 16),
        );
        f.text.reserve(walked * 56);
        let layouts = layouts();
        let split = report
            .applications
            .as_ref()
            .is_some_and(|a| a.has_other_split());
        let mut w = walk::Walker::new(&mut f);
        w.table(0, report.active_disclosure.as_ref());
        w.table_like(
            1,
            report.applications.as_ref(),
            &layouts.t3[usize::from(split)],
        );
        w.table_like(2, report.review_litigation.as_ref(), &layouts.t4);
        w.table(3, report.legacy.as_ref());
        f.index();
        f.read_provenance(report);
        f
    }

    /// Joins `report`'s provenance to the leaves, table by table: for a table with a
    /// layout, a merge (both are in pointer order); otherwise through the index.
    fn read_provenance(&mut self, report: &Report) {
        for (t, prefix) in TABLE_PREFIXES.iter().enumerate() {
            let entries = report
                .provenance
                .range::<str, _>((Bound::Included(*prefix), Bound::Unbounded))
                .take_while(|(k, _)| k.starts_with(prefix));
            let Some(layout) = self.layouts.get(t).copied().flatten() else {
                for (ptr, p) in entries {
                    if let Some(leaf) = self.find(ptr).and_then(|i| self.leaves.get_mut(i)) {
                        leaf.read(p);
                    }
                }
                continue;
            };
            let base = self.tables.get(t).map_or(0, |r| r.0);
            let mut order = layout.sorted.iter().map(|&i| base + i as usize).peekable();
            for (ptr, p) in entries {
                while let Some(leaf) = order.peek().and_then(|&i| self.leaves.get_mut(i)) {
                    let at = layout
                        .figures
                        .text
                        .as_bytes()
                        .get(leaf.start as usize..leaf.end as usize)
                        .unwrap_or_default();
                    let ord = at.cmp(ptr.as_bytes());
                    if ord.is_gt() {
                        break;
                    }
                    order.next();
                    if ord.is_eq() {
                        leaf.read(p);
                        break;
                    }
                }
            }
        }
    }

    /// The figure at `pointer`: `None` when absent, `Some(None)` when `null`.
    pub fn get(&self, pointer: &str) -> Option<Option<f64>> {
        self.find(pointer)
            .and_then(|i| self.leaves.get(i))
            .map(Leaf::value)
    }

    /// The text holding `leaf`'s pointer.
    fn text_of(&self, leaf: &Leaf) -> &str {
        match self.layouts.get(usize::from(leaf.table)).copied().flatten() {
            Some(layout) => &layout.figures.text,
            None => &self.text,
        }
    }

    /// A leaf's pointer.
    fn pointer(&self, leaf: &Leaf) -> &str {
        self.text_of(leaf)
            .get(leaf.start as usize..leaf.end as usize)
            .unwrap_or_default()
    }

    /// Whether `leaf`'s pointer is `pointer`.
    fn is_at(&self, leaf: &Leaf, pointer: &str) -> bool {
        self.text_of(leaf)
            .as_bytes()
            .get(leaf.start as usize..leaf.end as usize)
            == Some(pointer.as_bytes())
    }

    /// The leaves of table `t` (an index of [`TABLES`]), in JSON order.
    fn table(&self, t: usize) -> &[Leaf] {
        self.tables
            .get(t)
            .and_then(|&(a, b)| self.leaves.get(a..b))
            .unwrap_or_default()
    }

    /// Adds a leaf at the pointer `path`; a figure store past 4 GiB of pointers is not
    /// a report's, so such leaves are dropped.
    fn push(&mut self, table: u8, path: &str, value: Option<f64>, flags: u8) {
        let start = self.text.len();
        let (Ok(s), Ok(e)) = (u32::try_from(start), u32::try_from(start + path.len())) else {
            return;
        };
        self.text.push_str(path);
        self.leaves.push(Leaf {
            start: s,
            end: e,
            table,
            flags: flags | if value.is_none() { NULL } else { 0 },
            value: value.unwrap_or(0.0),
        });
    }

    /// Builds the hash index of the leaves of tables without a layout; of two equal
    /// pointers the later leaf wins.
    fn index(&mut self) {
        let own: Vec<(usize, usize)> = (0..TABLES.len())
            .filter(|t| self.layouts.get(*t).is_some_and(Option::is_none))
            .filter_map(|t| self.tables.get(t).copied())
            .collect();
        let count: usize = own.iter().map(|(a, b)| b - a).sum();
        if count == 0 {
            return;
        }
        let size = (count * 2).next_power_of_two().max(16);
        let mut slots = vec![0u64; size];
        for i in own.into_iter().flat_map(|(a, b)| a..b) {
            let Some(leaf) = self.leaves.get(i) else {
                break;
            };
            let (Ok(n), Some(p)) = (
                u32::try_from(i + 1),
                self.text.get(leaf.start as usize..leaf.end as usize),
            ) else {
                break;
            };
            let h = hash(p.as_bytes());
            let tag = (h >> 32) as u32;
            let mut s = slot(h, size);
            while let Some(&entry) = slots.get(s) {
                let j = entry as u32 as usize;
                let same = j == 0
                    || ((entry >> 32) as u32 == tag
                        && self.leaves.get(j - 1).is_some_and(|o| self.is_at(o, p)));
                if same {
                    if let Some(e) = slots.get_mut(s) {
                        *e = (u64::from(tag) << 32) | u64::from(n);
                    }
                    break;
                }
                s = (s + 1) & (size - 1);
            }
        }
        self.slots = slots;
    }

    /// The leaf number of `pointer`.
    fn find(&self, pointer: &str) -> Option<usize> {
        self.find_hashed(pointer, hash(pointer.as_bytes()))
    }

    /// The leaf number of `pointer`, whose [`hash`] is `h`.
    fn find_hashed(&self, pointer: &str, h: u64) -> Option<usize> {
        for (t, layout) in self.layouts.iter().enumerate() {
            let (Some(layout), Some(&(base, _))) = (layout, self.tables.get(t)) else {
                continue;
            };
            if let Some(i) = layout.figures.find_hashed(pointer, h) {
                return Some(base + i);
            }
        }
        let size = self.slots.len();
        if size == 0 {
            return None;
        }
        let tag = (h >> 32) as u32;
        let mut s = slot(h, size);
        loop {
            let entry = *self.slots.get(s)?;
            let j = (entry as u32 as usize).checked_sub(1)?;
            if (entry >> 32) as u32 == tag
                && self.leaves.get(j).is_some_and(|l| self.is_at(l, pointer))
            {
                return Some(j);
            }
            s = (s + 1) & (size - 1);
        }
    }
}

/// The slot of `hash` in a table of `size` (a power of two) slots: its top bits.
fn slot(hash: u64, size: usize) -> usize {
    (hash >> (64 - size.trailing_zeros())) as usize
}

/// A quick multiplicative hash of a pointer (FxHash's mixing, 8 bytes at a time).
fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mix = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        h = mix(h, c.try_into().map_or(0, u64::from_le_bytes));
    }
    let rest = chunks.remainder();
    let tail = match bytes.len().checked_sub(8) {
        // The last eight bytes, overlapping the chunks: one load rather than a loop.
        Some(at) if !rest.is_empty() => bytes
            .get(at..)
            .and_then(|b| b.try_into().ok())
            .map_or(0, u64::from_le_bytes),
        _ => rest
            .iter()
            .rev()
            .fold(0u64, |w, b| (w << 8) | u64::from(*b)),
    };
    mix(h, tail)
}

fn cell(leaf: Option<&Leaf>) -> Cell {
    match leaf {
        Some(l) if l.flags & NULL == 0 => Cell::Value(l.value),
        Some(l) if l.flags & RAW != 0 => Cell::Blank,
        _ => Cell::Missing,
    }
}

/// Evaluates one equation on the figures of a report ([`Figures::of`]).
pub fn evaluate(eq: &Equation, figures: &Figures) -> Check {
    let cells = eq.cells();
    let at = At {
        table: 0,
        layout: None,
        cells: cells
            .iter()
            .map(|p| (hash(p.as_bytes()), u32::MAX))
            .collect(),
    };
    evaluate_at(eq, cells, &at, figures)
}

/// [`evaluate`] with `cells` built and where to find them (see [`Rule::at`]).
fn evaluate_at(eq: &Equation, cells: Cells, at: &At, figures: &Figures) -> Check {
    let mut blank = false;
    let mut missing: Vec<&str> = Vec::new();
    let mut sums = [0.0f64; 2];
    let leaves = figures.table(at.table);
    // When the table follows the layout, a cell's leaf number is known for sure.
    let sure = match (at.layout, figures.layouts.get(at.table).copied().flatten()) {
        (Some(a), Some(b)) => std::ptr::eq(a, b),
        _ => false,
    };
    let mut at = at.cells.iter();
    for (sum, ps) in sums.iter_mut().zip([&eq.lhs, &eq.rhs]) {
        for p in ps {
            let (h, i) = at
                .next()
                .copied()
                .unwrap_or_else(|| (hash(p.as_bytes()), u32::MAX));
            let leaf = match leaves.get(i as usize) {
                Some(l) if sure || figures.is_at(l, p) => Some(l),
                _ => figures
                    .find_hashed(p, h)
                    .and_then(|j| figures.leaves.get(j)),
            };
            match cell(leaf) {
                Cell::Value(v) => *sum += v,
                Cell::Blank => blank = true,
                Cell::Missing => missing.push(p),
            }
        }
    }
    let [lhs, rhs] = sums;
    let mut message = String::with_capacity(eq.says.len() + 64);
    message.push_str(&eq.says);
    if !missing.is_empty() {
        message.push_str(": cannot be checked, ");
        for (i, p) in missing.iter().enumerate() {
            if i > 0 {
                message.push_str(", ");
            }
            message.push_str(p);
        }
        message.push_str(" has no figure");
        return Check {
            id: eq.id.into(),
            scope: eq.scope.clone(),
            status: CheckStatus::NotAssessable,
            lhs: None,
            rhs: None,
            delta: None,
            cells,
            message,
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
    match status {
        CheckStatus::Ok | CheckStatus::AssumedZero => {
            message.push_str(": ");
            push_number(&mut message, lhs);
            message.push_str(" = ");
            push_number(&mut message, rhs);
            if status == CheckStatus::AssumedZero {
                message.push_str(" when blank cells are taken as 0");
            }
        }
        _ => {
            message.push_str(" does not hold: ");
            push_number(&mut message, lhs);
            message.push_str(" ≠ ");
            push_number(&mut message, rhs);
            message.push_str(" (difference ");
            push_number(&mut message, delta);
            message.push(')');
        }
    }
    Check {
        id: eq.id.into(),
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

/// A figure for a message: a whole number without `.0`.
fn fmt(v: f64) -> String {
    let mut s = String::new();
    push_number(&mut s, v);
    s
}

/// `v.fract() == 0.0` without a call to `trunc`: finite and whole.
fn is_whole(v: f64) -> bool {
    if v.abs() < 4.0e18 {
        v as i64 as f64 == v
    } else {
        // Beyond 2^53 every finite f64 is whole; infinities and NaN are not.
        v.is_finite()
    }
}

/// Appends `v` as [`fmt`] writes it.
fn push_number(s: &mut String, v: f64) {
    if is_whole(v) && v.abs() < 1e15 {
        let n = v as i64;
        if n < 0 {
            s.push('-');
        }
        let mut u = n.unsigned_abs();
        let mut p = 1u64;
        while p <= u / 10 {
            p *= 10;
        }
        loop {
            s.push(char::from(b'0' + (u / p) as u8));
            u %= p;
            if p == 1 {
                break;
            }
            p /= 10;
        }
    } else {
        let _ = write!(s, "{v}");
    }
}

/// Runs every rule on `report`, filling `checks` and `suspect_cells`.
pub fn run(report: &mut Report) {
    let figures = Figures::of(report);
    let mut checks: Vec<Check> = Vec::with_capacity(64);
    checks.extend(
        national_equations(report).map(|r| evaluate_at(&r.eq, r.cells.clone(), &r.at, &figures)),
    );
    if let Some(legacy) = &report.legacy {
        checks.extend(
            legacy_equations(legacy)
                .iter()
                .map(|e| evaluate(e, &figures)),
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
    for (t, (table, name)) in [
        ("active_disclosure", "表二"),
        ("applications", "表三"),
        ("review_litigation", "表四"),
    ]
    .into_iter()
    .enumerate()
    {
        let present = match table {
            "active_disclosure" => report.active_disclosure.is_some(),
            "applications" => report.applications.is_some(),
            _ => report.review_litigation.is_some(),
        };
        if !present {
            continue;
        }
        let leaves = figures.table(t);
        let mut bad = Vec::new();
        for leaf in leaves {
            let Some(n) = leaf.value() else {
                continue;
            };
            if is_whole(n) && n >= 0.0 {
                continue;
            }
            let ptr = figures.pointer(leaf);
            if ptr.ends_with("total_amount") || ptr.ends_with("amount_wan_yuan") {
                continue;
            }
            let signed = ptr.ends_with("items_change");
            if !is_whole(n) || !signed {
                bad.push(ptr.to_string());
            }
        }
        // Cells read but not kept because they were not whole numbers, in pointer order.
        let mut unkept: Vec<&str> = leaves
            .iter()
            .filter(|l| l.flags & RAW_NUMBER != 0)
            .map(|l| figures.pointer(l))
            .collect();
        unkept.sort_unstable();
        bad.extend(unkept.into_iter().map(str::to_string));
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
    let other_split = report
        .applications
        .as_ref()
        .is_some_and(|a| a.has_other_split());
    let mut printed = 0usize;
    let mut missing: Vec<String> = Vec::new();
    for leaf in (0..3).flat_map(|t| figures.table(t)) {
        if leaf.flags & DERIVED != 0 || is_derived_slot(leaf, other_split) {
            continue;
        }
        printed += 1;
        if leaf.flags & READ == 0 {
            missing.push(figures.pointer(leaf).to_string());
        }
    }
    let expected = if report.template == Template::Gov2019 {
        198
    } else {
        200
    };
    let found = printed - missing.len();
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

/// A figure the library derives rather than reads: under a subtotal row (（六） only in
/// the 2021 layout), or the unit of 采购总金额.
fn is_derived_slot(leaf: &Leaf, other_split: bool) -> bool {
    leaf.flags & (SUBTOTAL_SLOT | UNIT_SLOT) != 0
        || (other_split && leaf.flags & OTHER_TOTAL_SLOT != 0)
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
        id: id.into(),
        scope: scope.into(),
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
    let sections = (0..6).filter_map(|i| report.sections.get(i));
    let mut text = String::with_capacity(sections.clone().map(|s| s.text.len() + 1).sum());
    for s in sections {
        text.push_str(&s.text);
        text.push('\n');
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
                scope: (*col).into(),
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

/// The walk of [`Figures::of`]: a `serde::Serializer` that visits a table's leaves in
/// JSON order, exactly where `serde_json::to_value` would put them, without building
/// the JSON tree. Numbers and `null`s become figures; strings, booleans and arrays are
/// left out.
mod walk {
    use std::fmt::Write as _;

    use serde::ser::{self, Impossible, Serialize};

    use super::{Figures, Leaf, NULL, OTHER_TOTAL_SLOT, SUBTOTAL_SLOT, TABLES, UNIT_SLOT};

    /// A value JSON cannot hold (a map key that is no string, a number out of range):
    /// the table then has no figures, as when `serde_json::to_value` fails.
    #[derive(Debug)]
    pub(super) struct Unsupported;

    impl std::fmt::Display for Unsupported {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("not representable as JSON")
        }
    }

    impl std::error::Error for Unsupported {}

    impl ser::Error for Unsupported {
        fn custom<T: std::fmt::Display>(_: T) -> Self {
            Unsupported
        }
    }

    type Done = Result<(), Unsupported>;

    /// Walks tables into a [`Figures`].
    pub(super) struct Walker<'f> {
        figures: &'f mut Figures,
        /// The pointer of the value being visited.
        path: String,
        /// The segments of `path`.
        segs: Vec<Seg>,
        /// A map key being written.
        key: String,
        /// The steps taken, when recording a [`Layout`](super::Layout).
        steps: Option<Vec<Step>>,
        /// The table being walked.
        table: u8,
    }

    /// One step of a walk, as a [`Layout`](super::Layout) records it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) enum Step {
        /// Into a struct field.
        Enter(&'static str),
        /// Out of it.
        Exit,
        /// A figure (a number or `null`).
        Leaf,
        /// Anything else that gives figures (a map key, an enum variant): never
        /// followed by [`Fill`].
        Other,
    }

    /// One segment of the pointer being visited.
    struct Seg {
        /// Where it starts in the path (at its `/`).
        start: usize,
        /// The slot flags of the values under it: [`SUBTOTAL_SLOT`] when an ancestor
        /// segment `denied`, `unable` or `not_processed` is followed by `total` and one
        /// more segment, [`OTHER_TOTAL_SLOT`] for `other`: what
        /// `contains("/denied/total/")` … finds in a pointer whose keys hold no `/`.
        flags: u8,
        /// The flag this segment gives the segments below it (when it is such a `total`).
        arm: u8,
    }

    impl<'f> Walker<'f> {
        pub(super) fn new(figures: &'f mut Figures) -> Self {
            Walker {
                figures,
                path: String::with_capacity(96),
                segs: Vec::with_capacity(8),
                key: String::new(),
                steps: None,
                table: 0,
            }
        }

        fn step(&mut self, step: Step) {
            if let Some(steps) = &mut self.steps {
                steps.push(step);
            }
        }

        /// [`Walker::table`], recording the steps.
        pub(super) fn table_steps<T: Serialize>(&mut self, t: usize, table: &T) -> Vec<Step> {
            self.steps = Some(Vec::new());
            self.table(t, Some(table));
            self.steps.take().unwrap_or_default()
        }

        /// [`Walker::table`] for a table that usually follows `layout`: when its walk
        /// takes the layout's steps, its figures are taken with the layout's pointers
        /// (and the table is marked as following it); otherwise it is walked.
        pub(super) fn table_like<T: Serialize>(
            &mut self,
            t: usize,
            table: Option<&T>,
            layout: &'static super::Layout,
        ) {
            let Some(table) = table else {
                self.table(t, table);
                return;
            };
            let f = &mut *self.figures;
            let start = f.leaves.len();
            let mut fill = Fill {
                steps: &layout.steps,
                at: 0,
                template: &layout.figures.leaves,
                next: 0,
                out: &mut f.leaves,
                table: u8::try_from(t).unwrap_or(u8::MAX),
            };
            let followed = table.serialize(&mut fill).is_ok() && fill.at == layout.steps.len();
            if !followed {
                f.leaves.truncate(start);
                self.table(t, Some(table));
                return;
            }
            let end = f.leaves.len();
            if let (Some(r), Some(l)) = (f.tables.get_mut(t), f.layouts.get_mut(t)) {
                *r = (start, end);
                *l = Some(layout);
            }
        }

        /// Walks `table` as the part `TABLES[t]` of the report and records its leaves'
        /// range; a table that cannot be JSON adds none.
        pub(super) fn table<T: Serialize>(&mut self, t: usize, table: Option<&T>) {
            let (start, text) = (self.figures.leaves.len(), self.figures.text.len());
            if let (Some(table), Some(name)) = (table, TABLES.get(t)) {
                self.path.clear();
                self.segs.clear();
                self.table = u8::try_from(t).unwrap_or(u8::MAX);
                self.push(name);
                if table.serialize(&mut *self).is_err() {
                    self.figures.leaves.truncate(start);
                    self.figures.text.truncate(text);
                }
            }
            let end = self.figures.leaves.len();
            if let Some(r) = self.figures.tables.get_mut(t) {
                *r = (start, end);
            }
        }

        fn push(&mut self, key: &str) {
            let start = self.path.len();
            let (flags, arm) = match self.segs.last() {
                Some(parent) => {
                    let arm = if key == "total" {
                        match self.path.get(parent.start + 1..) {
                            Some("denied" | "unable" | "not_processed") => SUBTOTAL_SLOT,
                            Some("other") => OTHER_TOTAL_SLOT,
                            _ => 0,
                        }
                    } else {
                        0
                    };
                    (parent.flags | parent.arm, arm)
                }
                None => (0, 0),
            };
            self.segs.push(Seg { start, flags, arm });
            self.path.push('/');
            self.path.push_str(key);
        }

        fn pop(&mut self) {
            if let Some(seg) = self.segs.pop() {
                self.path.truncate(seg.start);
            }
        }

        fn leaf(&mut self, value: Option<f64>) -> Done {
            self.step(Step::Leaf);
            let mut flags = self.segs.last().map_or(0, |s| s.flags);
            if self.path.ends_with("total_amount_unit") {
                flags |= UNIT_SLOT;
            }
            self.figures.push(self.table, &self.path, value, flags);
            Ok(())
        }
    }

    impl<'f> ser::Serializer for &mut Walker<'f> {
        type Ok = ();
        type Error = Unsupported;
        type SerializeSeq = Skip;
        type SerializeTuple = Skip;
        type SerializeTupleStruct = Skip;
        type SerializeTupleVariant = Skip;
        type SerializeMap = Self;
        type SerializeStruct = Self;
        type SerializeStructVariant = Self;

        fn serialize_bool(self, _: bool) -> Done {
            Ok(())
        }
        fn serialize_i8(self, v: i8) -> Done {
            self.leaf(Some(f64::from(v)))
        }
        fn serialize_i16(self, v: i16) -> Done {
            self.leaf(Some(f64::from(v)))
        }
        fn serialize_i32(self, v: i32) -> Done {
            self.leaf(Some(f64::from(v)))
        }
        fn serialize_i64(self, v: i64) -> Done {
            self.leaf(Some(v as f64))
        }
        fn serialize_i128(self, v: i128) -> Done {
            if u64::try_from(v).is_ok() || i64::try_from(v).is_ok() {
                self.leaf(Some(v as f64))
            } else {
                Err(Unsupported)
            }
        }
        fn serialize_u8(self, v: u8) -> Done {
            self.leaf(Some(f64::from(v)))
        }
        fn serialize_u16(self, v: u16) -> Done {
            self.leaf(Some(f64::from(v)))
        }
        fn serialize_u32(self, v: u32) -> Done {
            self.leaf(Some(f64::from(v)))
        }
        fn serialize_u64(self, v: u64) -> Done {
            self.leaf(Some(v as f64))
        }
        fn serialize_u128(self, v: u128) -> Done {
            match u64::try_from(v) {
                Ok(v) => self.leaf(Some(v as f64)),
                Err(_) => Err(Unsupported),
            }
        }
        fn serialize_f32(self, v: f32) -> Done {
            self.serialize_f64(f64::from(v))
        }
        fn serialize_f64(self, v: f64) -> Done {
            // JSON has no NaN or infinity: `to_value` makes them `null`.
            self.leaf(v.is_finite().then_some(v))
        }
        fn serialize_char(self, _: char) -> Done {
            Ok(())
        }
        fn serialize_str(self, _: &str) -> Done {
            Ok(())
        }
        fn serialize_bytes(self, _: &[u8]) -> Done {
            Ok(())
        }
        fn serialize_none(self) -> Done {
            self.leaf(None)
        }
        fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Done {
            v.serialize(self)
        }
        fn serialize_unit(self) -> Done {
            self.leaf(None)
        }
        fn serialize_unit_struct(self, _: &'static str) -> Done {
            self.leaf(None)
        }
        fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Done {
            Ok(())
        }
        fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, v: &T) -> Done {
            v.serialize(self)
        }
        fn serialize_newtype_variant<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: u32,
            variant: &'static str,
            v: &T,
        ) -> Done {
            self.step(Step::Other);
            self.push(variant);
            let r = v.serialize(&mut *self);
            self.pop();
            r
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Skip, Unsupported> {
            Ok(Skip)
        }
        fn serialize_tuple(self, _: usize) -> Result<Skip, Unsupported> {
            Ok(Skip)
        }
        fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Skip, Unsupported> {
            Ok(Skip)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Skip, Unsupported> {
            // `{variant: [...]}`: an array only, so no figure.
            Ok(Skip)
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self, Unsupported> {
            Ok(self)
        }
        fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Unsupported> {
            Ok(self)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            variant: &'static str,
            _: usize,
        ) -> Result<Self, Unsupported> {
            self.step(Step::Other);
            self.push(variant);
            Ok(self)
        }
    }

    impl<'f> ser::SerializeStruct for &mut Walker<'f> {
        type Ok = ();
        type Error = Unsupported;

        fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, v: &T) -> Done {
            self.step(Step::Enter(key));
            self.push(key);
            let r = v.serialize(&mut **self);
            self.pop();
            self.step(Step::Exit);
            r
        }
        fn end(self) -> Done {
            Ok(())
        }
    }

    impl<'f> ser::SerializeStructVariant for &mut Walker<'f> {
        type Ok = ();
        type Error = Unsupported;

        fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, v: &T) -> Done {
            ser::SerializeStruct::serialize_field(self, key, v)
        }
        fn end(self) -> Done {
            self.pop();
            Ok(())
        }
    }

    impl<'f> ser::SerializeMap for &mut Walker<'f> {
        type Ok = ();
        type Error = Unsupported;

        fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Done {
            let mut k = std::mem::take(&mut self.key);
            k.clear();
            let r = key.serialize(KeyWriter(&mut k));
            if r.is_ok() {
                self.step(Step::Other);
                self.push(&k);
            }
            self.key = k;
            r
        }
        fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> Done {
            let r = v.serialize(&mut **self);
            self.pop();
            r
        }
        fn end(self) -> Done {
            Ok(())
        }
    }

    /// An array: no figures are taken from it.
    pub(super) struct Skip;

    impl ser::SerializeSeq for Skip {
        type Ok = ();
        type Error = Unsupported;
        fn serialize_element<T: ?Sized + Serialize>(&mut self, _: &T) -> Done {
            Ok(())
        }
        fn end(self) -> Done {
            Ok(())
        }
    }

    impl ser::SerializeTuple for Skip {
        type Ok = ();
        type Error = Unsupported;
        fn serialize_element<T: ?Sized + Serialize>(&mut self, _: &T) -> Done {
            Ok(())
        }
        fn end(self) -> Done {
            Ok(())
        }
    }

    impl ser::SerializeTupleStruct for Skip {
        type Ok = ();
        type Error = Unsupported;
        fn serialize_field<T: ?Sized + Serialize>(&mut self, _: &T) -> Done {
            Ok(())
        }
        fn end(self) -> Done {
            Ok(())
        }
    }

    impl ser::SerializeTupleVariant for Skip {
        type Ok = ();
        type Error = Unsupported;
        fn serialize_field<T: ?Sized + Serialize>(&mut self, _: &T) -> Done {
            Ok(())
        }
        fn end(self) -> Done {
            Ok(())
        }
    }

    /// Takes a table's figures along a [`Layout`](super::Layout)'s steps: fails (and
    /// the table is walked instead) at the first step the table does not take.
    struct Fill<'a> {
        steps: &'a [Step],
        /// The next step.
        at: usize,
        /// The layout's leaves.
        template: &'a [Leaf],
        /// The next of them.
        next: usize,
        out: &'a mut Vec<Leaf>,
        /// The table's number.
        table: u8,
    }

    impl Fill<'_> {
        /// Follows the template walk one step: `Unsupported` when the table departs from it.
        fn follow(&mut self, step: Step) -> Done {
            let same = match (self.steps.get(self.at), step) {
                // The same field name, mostly the same `&'static str`.
                (Some(Step::Enter(a)), Step::Enter(b)) => {
                    (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || *a == b
                }
                (Some(a), b) => *a == b,
                (None, _) => false,
            };
            if !same {
                return Err(Unsupported);
            }
            self.at += 1;
            Ok(())
        }

        fn leaf(&mut self, value: Option<f64>) -> Done {
            self.follow(Step::Leaf)?;
            let t = self.template.get(self.next).ok_or(Unsupported)?;
            self.next += 1;
            self.out.push(Leaf {
                start: t.start,
                end: t.end,
                table: self.table,
                flags: (t.flags & !NULL) | if value.is_none() { NULL } else { 0 },
                value: value.unwrap_or(0.0),
            });
            Ok(())
        }
    }

    impl ser::Serializer for &mut Fill<'_> {
        type Ok = ();
        type Error = Unsupported;
        type SerializeSeq = Impossible<(), Unsupported>;
        type SerializeTuple = Impossible<(), Unsupported>;
        type SerializeTupleStruct = Impossible<(), Unsupported>;
        type SerializeTupleVariant = Impossible<(), Unsupported>;
        type SerializeMap = Impossible<(), Unsupported>;
        type SerializeStruct = Self;
        type SerializeStructVariant = Impossible<(), Unsupported>;

        fn serialize_bool(self, _: bool) -> Done {
            Err(Unsupported)
        }
        fn serialize_i8(self, v: i8) -> Done {
            self.leaf(Some(f64::from(v)))
        }
        fn serialize_i16(self, v: i16) -> Done {
            self.leaf(Some(f64::from(v)))
        }
        fn serialize_i32(self, v: i32) -> Done {
            self.leaf(Some(f64::from(v)))
        }
        fn serialize_i64(self, v: i64) -> Done {
            self.leaf(Some(v as f64))
        }
        fn serialize_i128(self, _: i128) -> Done {
            Err(Unsupported)
        }
        fn serialize_u8(self, v: u8) -> Done {
            self.leaf(Some(f64::from(v)))
        }
        fn serialize_u16(self, v: u16) -> Done {
            self.leaf(Some(f64::from(v)))
        }
        fn serialize_u32(self, v: u32) -> Done {
            self.leaf(Some(f64::from(v)))
        }
        fn serialize_u64(self, v: u64) -> Done {
            self.leaf(Some(v as f64))
        }
        fn serialize_u128(self, _: u128) -> Done {
            Err(Unsupported)
        }
        fn serialize_f32(self, v: f32) -> Done {
            self.serialize_f64(f64::from(v))
        }
        fn serialize_f64(self, v: f64) -> Done {
            self.leaf(v.is_finite().then_some(v))
        }
        fn serialize_char(self, _: char) -> Done {
            Err(Unsupported)
        }
        fn serialize_str(self, _: &str) -> Done {
            Err(Unsupported)
        }
        fn serialize_bytes(self, _: &[u8]) -> Done {
            Err(Unsupported)
        }
        fn serialize_none(self) -> Done {
            self.leaf(None)
        }
        fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Done {
            v.serialize(self)
        }
        fn serialize_unit(self) -> Done {
            self.leaf(None)
        }
        fn serialize_unit_struct(self, _: &'static str) -> Done {
            self.leaf(None)
        }
        fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Done {
            Err(Unsupported)
        }
        fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, v: &T) -> Done {
            v.serialize(self)
        }
        fn serialize_newtype_variant<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Done {
            Err(Unsupported)
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Unsupported> {
            Ok(self)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Unsupported> {
            Err(Unsupported)
        }
    }

    impl ser::SerializeStruct for &mut Fill<'_> {
        type Ok = ();
        type Error = Unsupported;

        fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, v: &T) -> Done {
            self.follow(Step::Enter(key))?;
            v.serialize(&mut **self)?;
            self.follow(Step::Exit)
        }
        fn end(self) -> Done {
            Ok(())
        }
    }

    /// Writes a map key into the pointer as `serde_json` turns it into an object key.
    struct KeyWriter<'a>(&'a mut String);

    impl KeyWriter<'_> {
        fn display(self, v: impl std::fmt::Display) -> Done {
            write!(self.0, "{v}").map_err(|_| Unsupported)
        }
    }

    impl ser::Serializer for KeyWriter<'_> {
        type Ok = ();
        type Error = Unsupported;
        type SerializeSeq = Impossible<(), Unsupported>;
        type SerializeTuple = Impossible<(), Unsupported>;
        type SerializeTupleStruct = Impossible<(), Unsupported>;
        type SerializeTupleVariant = Impossible<(), Unsupported>;
        type SerializeMap = Impossible<(), Unsupported>;
        type SerializeStruct = Impossible<(), Unsupported>;
        type SerializeStructVariant = Impossible<(), Unsupported>;

        fn serialize_bool(self, v: bool) -> Done {
            self.display(v)
        }
        fn serialize_i8(self, v: i8) -> Done {
            self.display(v)
        }
        fn serialize_i16(self, v: i16) -> Done {
            self.display(v)
        }
        fn serialize_i32(self, v: i32) -> Done {
            self.display(v)
        }
        fn serialize_i64(self, v: i64) -> Done {
            self.display(v)
        }
        fn serialize_i128(self, v: i128) -> Done {
            self.display(v)
        }
        fn serialize_u8(self, v: u8) -> Done {
            self.display(v)
        }
        fn serialize_u16(self, v: u16) -> Done {
            self.display(v)
        }
        fn serialize_u32(self, v: u32) -> Done {
            self.display(v)
        }
        fn serialize_u64(self, v: u64) -> Done {
            self.display(v)
        }
        fn serialize_u128(self, v: u128) -> Done {
            self.display(v)
        }
        fn serialize_f32(self, v: f32) -> Done {
            if !v.is_finite() {
                return Err(Unsupported);
            }
            let s = serde_json::to_string(&v).map_err(|_| Unsupported)?;
            self.0.push_str(&s);
            Ok(())
        }
        fn serialize_f64(self, v: f64) -> Done {
            if !v.is_finite() {
                return Err(Unsupported);
            }
            let s = serde_json::to_string(&v).map_err(|_| Unsupported)?;
            self.0.push_str(&s);
            Ok(())
        }
        fn serialize_char(self, v: char) -> Done {
            self.0.push(v);
            Ok(())
        }
        fn serialize_str(self, v: &str) -> Done {
            self.0.push_str(v);
            Ok(())
        }
        fn serialize_bytes(self, _: &[u8]) -> Done {
            Err(Unsupported)
        }
        fn serialize_none(self) -> Done {
            Err(Unsupported)
        }
        fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Done {
            Err(Unsupported)
        }
        fn serialize_unit(self) -> Done {
            Err(Unsupported)
        }
        fn serialize_unit_struct(self, _: &'static str) -> Done {
            Err(Unsupported)
        }
        fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Done {
            self.0.push_str(variant);
            Ok(())
        }
        fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, v: &T) -> Done {
            v.serialize(self)
        }
        fn serialize_newtype_variant<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Done {
            Err(Unsupported)
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStruct, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Unsupported> {
            Err(Unsupported)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde_json::{json, Value};

    use super::*;

    fn parse(path: &str) -> Report {
        let path = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap();
        crate::parse_bytes(&bytes, Some(&path)).unwrap()
    }

    /// The figures as `serde_json::to_value` lays them out: what `Figures` replaces.
    fn reference(report: &Report) -> Vec<(String, Option<f64>)> {
        fn walk(v: &Value, path: &mut String, out: &mut Vec<(String, Option<f64>)>) {
            match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        let len = path.len();
                        path.push('/');
                        path.push_str(k);
                        walk(x, path, out);
                        path.truncate(len);
                    }
                }
                Value::Number(n) => out.push((path.clone(), n.as_f64())),
                Value::Null => out.push((path.clone(), None)),
                _ => {}
            }
        }
        let tables = [
            serde_json::to_value(&report.active_disclosure).unwrap(),
            serde_json::to_value(&report.applications).unwrap(),
            serde_json::to_value(&report.review_litigation).unwrap(),
            serde_json::to_value(&report.legacy).unwrap(),
        ];
        let mut out = Vec::new();
        for (name, v) in TABLES.iter().zip(tables) {
            if !v.is_null() {
                walk(&v, &mut format!("/{name}"), &mut out);
            }
        }
        out
    }

    fn leaves(f: &Figures) -> Vec<(String, Option<f64>)> {
        f.leaves
            .iter()
            .map(|l| (f.pointer(l).to_string(), l.value()))
            .collect()
    }

    fn assert_like_json(report: &Report) -> Figures {
        let f = Figures::of(report);
        let want = reference(report);
        assert_eq!(leaves(&f), want);
        let last: HashMap<&str, Option<f64>> = want.iter().map(|(p, v)| (p.as_str(), *v)).collect();
        for (p, v) in &last {
            assert_eq!(f.get(p), Some(*v), "{p}");
        }
        assert_eq!(f.get("/applications/results/nothing/total"), None);
        f
    }

    #[test]
    fn figures_are_the_json_leaves() {
        let r = parse("testdata/samples/006-txt-seed.txt");
        let f = assert_like_json(&r);
        // 2021: table 3 and table 4 follow their layouts.
        assert!(f.layouts[1].is_some() && f.layouts[2].is_some());
        assert_eq!(f.table(1).len(), 29 * 7);
        assert_eq!(f.table(2).len(), 15);
        assert_eq!(
            f.get("/applications/results/granted/natural_person"),
            Some(Some(71.0))
        );
        let r = parse("testdata/samples/029-txt-seed.txt");
        let f = assert_like_json(&r);
        assert!(f.layouts[1].is_some(), "2019 layout");
        assert_eq!(f.table(1).len(), 26 * 7);
        for path in [
            "testdata/samples/qx-jxj-2023.txt",
            "testdata/samples/018-gbk.txt",
            "testdata/legacy/statistics-2017.txt",
            "testdata/legacy/annex-2012.txt",
        ] {
            assert_like_json(&parse(path));
        }
    }

    #[test]
    fn a_table_off_its_layout_is_walked() {
        let mut r = parse("testdata/samples/006-txt-seed.txt");
        if let Some(a) = &mut r.applications {
            a.results.other.fee_unpaid = None;
        }
        let f = assert_like_json(&r);
        assert!(f.layouts[1].is_none());
        assert_eq!(f.table(1).len(), 28 * 7);
        // The rules still find their cells, or see them missing.
        run(&mut r);
        let res = r
            .checks
            .iter()
            .find(|c| c.id == "T3-RES" && c.scope == "natural_person")
            .unwrap();
        assert_eq!(res.status, CheckStatus::NotAssessable);
        assert!(res
            .message
            .contains("/applications/results/other/fee_unpaid/natural_person has no figure"));
        let bal = r.checks.iter().find(|c| c.id == "T3-BAL").unwrap();
        assert_eq!(bal.status, CheckStatus::Ok);
    }

    #[test]
    fn legacy_maps_keep_serde_json_keys_and_last_duplicate() {
        let mut r = parse("testdata/samples/006-txt-seed.txt");
        let Value::Object(m) = json!({
            "a/b": 1,
            "a": {"b": 2, "c": null, "s": "text", "list": [1, 2]},
            "f": 1.5,
            "big": u64::MAX,
        }) else {
            unreachable!()
        };
        r.legacy = Some(m);
        let f = assert_like_json(&r);
        assert_eq!(f.get("/legacy/a/b"), Some(Some(2.0)));
        assert_eq!(f.get("/legacy/a/c"), Some(None));
        assert_eq!(f.get("/legacy/a/s"), None);
        assert_eq!(f.get("/legacy/a/list"), None);
        assert_eq!(f.get("/legacy/big"), Some(Some(u64::MAX as f64)));
    }

    #[test]
    fn legacy_number_reads_like_a_pointer() {
        let Value::Object(m) = json!({"replies": {"denied": 3, "granted": null}, "x": [1]}) else {
            unreachable!()
        };
        let v = Value::Object(m.clone());
        for p in [
            "replies/denied",
            "replies/granted",
            "replies",
            "x",
            "x/0",
            "nope/denied",
        ] {
            let want = v.pointer(&format!("/{p}")).is_some_and(Value::is_number);
            assert_eq!(legacy_number(&m, p), want, "{p}");
        }
        assert!(legacy_number(&m, "replies/denied"));
    }

    #[test]
    fn numbers_print_as_before() {
        let old = |v: f64| {
            if v.fract() == 0.0 && v.abs() < 1e15 {
                format!("{}", v as i64)
            } else {
                format!("{v}")
            }
        };
        for v in [
            0.0,
            -0.0,
            7.0,
            -3.0,
            1.5,
            -2.25,
            218.0,
            1e15 - 1.0,
            1e15,
            1e16,
            4.0e18,
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(fmt(v), old(v), "{v}");
            assert_eq!(is_whole(v), v.fract() == 0.0, "{v}");
        }
        assert_eq!(fmt(-1234567.0), "-1234567");
    }
}
