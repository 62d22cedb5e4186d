//! The typed report: [`Report`] and its parts, serialised by serde exactly as the JSON
//! contract (`spec/JSON.md`, schema version 1) lays it out.
//!
//! Conventions: a count is `Option<i64>` (`None` → JSON `null`: blank, placeholder or
//! unreadable; never 0). A field that exists only in one template is `Option<Count>`,
//! absent from the JSON when `None`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::read::Format;

mod active;
mod applications;
mod review;

pub use active::{ActiveDisclosure, DocRow, Fees, ItemRow, Procurement};
pub use applications::{
    Applications, Denied, NotProcessed, OtherResults, Results, Row, RowKey, Unable, COLUMNS,
    COLUMN_NAMES_ZH, SUBTOTAL_COLUMN,
};
pub use review::{Outcomes, ReviewLitigation, OUTCOMES};

/// A count: `None` is JSON `null` (blank, placeholder or unreadable), never 0.
pub type Count = Option<i64>;

/// The JSON schema version this crate writes.
pub const SCHEMA_VERSION: u32 = 1;

/// One report, as read from one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// What the report was read from.
    pub source: Source,
    /// Which national format the report follows.
    pub template: Template,
    /// The features that decided [`template`](Self::template).
    pub template_evidence: Vec<String>,
    /// Title, agency, year, statistics period, basis documents.
    pub meta: Meta,
    /// The six narrative sections.
    pub sections: Sections,
    /// Table 2 (主动公开政府信息情况); `None` when the report has none.
    pub active_disclosure: Option<ActiveDisclosure>,
    /// Table 3 (收到和处理政府信息公开申请情况); `None` when the report has none.
    pub applications: Option<Applications>,
    /// Table 4 (行政复议、行政诉讼情况); `None` when the report has none.
    pub review_litigation: Option<ReviewLitigation>,
    /// Legacy-era figures (REPORT_FORMAT.md §9.3), when a legacy table or statement is present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy: Option<serde_json::Map<String, serde_json::Value>>,
    /// The 信息处理费 figures stated in section 六, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info_processing_fee: Option<InfoProcessingFee>,
    /// Rows of the tables that are not in the template, kept rather than shifted.
    pub extras: Vec<Extra>,
    /// Consistency rules (勾稽关系), one entry per rule instance.
    pub checks: Vec<Check>,
    /// JSON Pointers of the cells most likely to be wrong, from the failed checks.
    pub suspect_cells: Vec<String>,
    /// What the reading had to assume or could not do.
    pub warnings: Vec<Warning>,
    /// For every figure read, the JSON Pointer → raw text and where it stood.
    pub provenance: BTreeMap<Pointer, Provenance>,
}

/// A JSON Pointer as `provenance` keys it: the template's cells are `'static` strings
/// made once per process, other figures (legacy keys) own theirs. Look it up with a
/// `&str`: `report.provenance.get("/applications/new_received/total")`.
pub type Pointer = std::borrow::Cow<'static, str>;

/// What a report was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The path as given by the caller; `None` for in-memory input.
    pub path: Option<String>,
    /// The input format.
    pub format: Format,
    /// The text encoding (text and HTML only), a WHATWG name in lower case.
    pub encoding: Option<String>,
    /// SHA-256 of the input bytes, lower-case hex.
    pub sha256: String,
}

/// The national format a report follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Template {
    /// 国办公开办函〔2021〕30号 (reports for 2021 on).
    Gov2021,
    /// 国办公开办函〔2019〕60号 (reports for 2019 and 2020).
    Gov2019,
    /// Free-form reports of 2008–2018.
    Legacy,
    /// A report whose format could not be told.
    Unknown,
}

/// Report metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// 报告标题.
    pub title: Option<String>,
    /// 机关名称.
    pub agency: Option<String>,
    /// 报告年度.
    pub report_year: Option<i32>,
    /// 统计期限 start, ISO date.
    pub stat_period_start: Option<String>,
    /// 统计期限 end, ISO date.
    pub stat_period_end: Option<String>,
    /// 编制依据: the 文号 cited in the preamble.
    pub basis_documents: Vec<String>,
}

/// The six sections; each `None` when absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sections {
    /// 一、总体情况.
    pub overview: Option<Section>,
    /// 二、主动公开政府信息情况.
    pub active_disclosure: Option<Section>,
    /// 三、收到和处理政府信息公开申请情况.
    pub applications: Option<Section>,
    /// 四、政府信息公开行政复议、行政诉讼情况.
    pub review_litigation: Option<Section>,
    /// 五、存在的主要问题及改进情况.
    pub problems_improvements: Option<Section>,
    /// 六、其他需要报告的事项.
    pub other_matters: Option<Section>,
}

/// Section keys in template order, as in JSON.
pub const SECTION_KEYS: [&str; 6] = [
    "overview",
    "active_disclosure",
    "applications",
    "review_litigation",
    "problems_improvements",
    "other_matters",
];

impl Sections {
    /// The section at template position `i` (0 = 一 … 5 = 六).
    pub fn get(&self, i: usize) -> Option<&Section> {
        [
            &self.overview,
            &self.active_disclosure,
            &self.applications,
            &self.review_litigation,
            &self.problems_improvements,
            &self.other_matters,
        ]
        .get(i)
        .and_then(|s| s.as_ref())
    }

    /// Mutable access to the slot at template position `i`.
    pub fn slot_mut(&mut self, i: usize) -> Option<&mut Option<Section>> {
        match i {
            0 => Some(&mut self.overview),
            1 => Some(&mut self.active_disclosure),
            2 => Some(&mut self.applications),
            3 => Some(&mut self.review_litigation),
            4 => Some(&mut self.problems_improvements),
            5 => Some(&mut self.other_matters),
            _ => None,
        }
    }
}

/// One narrative section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// The heading as written.
    pub heading: String,
    /// The section's paragraphs, joined by `\n` (tables left out).
    pub text: String,
    /// Position of the heading among the document's blocks (for order checks).
    #[serde(skip)]
    pub order: usize,
}

/// The 信息处理费 figures from section 六.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InfoProcessingFee {
    /// 发出收费通知件数.
    pub notices_issued: Option<i64>,
    /// 收费通知总金额 (元).
    pub notices_amount_yuan: Option<f64>,
    /// 实际收取总金额 (元).
    pub collected_amount_yuan: Option<f64>,
    /// The sentence the values came from.
    pub statement_raw: String,
}

/// A table row not in the template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extra {
    /// Table number (2, 3 or 4).
    pub table: u8,
    /// The row's label as written.
    pub label: String,
    /// The row's values in order.
    pub values: Vec<Option<f64>>,
    /// Where the row stood.
    pub at: String,
}

/// Outcome of one rule instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// The rule holds.
    Ok,
    /// The rule fails.
    Fail,
    /// The rule holds only when blank cells are taken as 0.
    AssumedZero,
    /// A cell the rule needs is missing.
    NotAssessable,
}

/// One consistency-rule instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// Rule id (REPORT_FORMAT.md §6), e.g. `T3-BAL` (inline, no allocation).
    pub id: SmallString,
    /// Which instance: a column key, a row pointer, a section (inline up to 24 bytes).
    pub scope: SmallString,
    /// The outcome.
    pub status: CheckStatus,
    /// Left-hand side (blanks as 0), when computable.
    #[serde(serialize_with = "whole_as_int")]
    pub lhs: Option<f64>,
    /// Right-hand side (blanks as 0), when computable.
    #[serde(serialize_with = "whole_as_int")]
    pub rhs: Option<f64>,
    /// `lhs − rhs`, when computable.
    #[serde(serialize_with = "whole_as_int")]
    pub delta: Option<f64>,
    /// JSON Pointers of the cells involved (a JSON array of strings).
    pub cells: Cells,
    /// A message a clerk understands.
    pub message: String,
    /// For cross-year rules: the previous year's report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
}

/// The JSON Pointers of a [`Check`]'s cells: a list of strings, shared rather than copied
/// by the checks of one rule (cloning is a reference-count increment). Serialises as a
/// JSON array of strings, exactly as `Vec<String>` would; reads like a `[String]`.
///
/// ```
/// use disclosure_report::model::Cells;
/// let cells = Cells::from(vec!["/applications/new_received/total".to_string()]);
/// assert_eq!(cells.len(), 1);
/// assert_eq!(serde_json::to_string(&cells).unwrap(), r#"["/applications/new_received/total"]"#);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Cells(Arc<[String]>);

impl std::ops::Deref for Cells {
    type Target = [String];

    fn deref(&self) -> &[String] {
        &self.0
    }
}

impl From<Vec<String>> for Cells {
    fn from(v: Vec<String>) -> Self {
        Cells(v.into())
    }
}

impl FromIterator<String> for Cells {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Self {
        Cells(iter.into_iter().collect())
    }
}

impl<'a> IntoIterator for &'a Cells {
    type Item = &'a String;
    type IntoIter = std::slice::Iter<'a, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Serialize for Cells {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}

impl<'de> Deserialize<'de> for Cells {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<String>::deserialize(d).map(Cells::from)
    }
}

/// Something the reading had to assume or could not do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// A stable snake_case code, e.g. `short_row`.
    pub code: String,
    /// What happened, for people.
    pub message: String,
    /// Where (a JSON Pointer, a line, a cell), when it applies.
    pub at: Option<String>,
}

/// A string kept inline (no allocation) up to 24 bytes of UTF-8 and on the heap beyond:
/// [`compact_str::CompactString`]. It derefs to `str`, compares with `&str` and `String`,
/// and is built with `.into()` from either; serialized as a string.
pub type SmallString = compact_str::CompactString;

/// Where one figure came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The cell's raw text; `None` for derived figures. A [`SmallString`]: a figure's
    /// text is short, and kept without an allocation of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<SmallString>,
    /// Where it stood: `table 3, row 4, col 10`, `表三!D7`, `line 57` (a
    /// [`SmallString`], inline up to 24 bytes).
    #[serde(default, skip_serializing_if = "SmallString::is_empty")]
    pub at: SmallString,
    /// Placed by the table's own arithmetic (a short row, a run of digits).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inferred: bool,
    /// Computed, not printed (subtotals).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
}

/// Writes a whole number as a JSON integer (`12`, not `12.0`).
fn whole_as_int<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => s.serialize_i64(*x as i64),
        Some(x) => s.serialize_f64(*x),
        None => s.serialize_none(),
    }
}
