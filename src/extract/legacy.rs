//! Legacy reports (2008–2018, REPORT_FORMAT.md §9): the figures of an appended 附表 /
//! 统计表 and of the narrative, into the `legacy` object (§9.3 keys).
//!
//! Tables are read by their row labels ([`classify`]): grid tables (DOCX, HTML,
//! spreadsheets, tab-separated text) cell by cell, tables written as text (one row a
//! line, or a whole table run together on one line) by cutting the text into labels
//! and digit runs ([`scan`]). A run holding several columns (`2017年度 | 历年累计`) is
//! split only where one split exists ([`super::runs`]); otherwise the row states
//! nothing. Sentences ([`sentences`]) fill what no table row states. A figure the text
//! does not determine is absent.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::{Map, Number, Value};

use crate::document::{Block, Cell, Document, Origin, Table};

use super::ctx::{is_narrative, Ctx};
use super::labels::{normalize, normalize_cow};
use super::meta::re;
use super::numbers::{parse_cell, CellValue};
use super::runs;
use super::unglue::Blocks;

mod classify;
mod scan;
mod sentences;

use classify::{classify, clean, Group};

/// One figure and where it came from.
#[derive(Debug, Clone)]
struct Fig {
    value: f64,
    raw: String,
    at: String,
    inferred: bool,
}

/// The figures read from tables, by key path (`replies/granted`).
#[derive(Debug, Default)]
pub struct Figures {
    table: BTreeMap<&'static str, Fig>,
}

impl Figures {
    /// Whether no table figure was read.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    fn set(&mut self, key: &'static str, fig: Fig, ctx: &mut Ctx) {
        match self.table.get(key) {
            Some(old) if (old.value - fig.value).abs() > 1e-9 => ctx.warn(
                "legacy_conflict",
                format!(
                    "{key}: the table states {} at {} and {} at {}; the first is kept",
                    fmt(old.value),
                    old.at,
                    fmt(fig.value),
                    fig.at
                ),
                Some(format!("/legacy/{key}")),
            ),
            Some(_) => {}
            None => {
                self.table.insert(key, fig);
            }
        }
    }
}

fn fmt(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Whether the document holds one of the national tables (REPORT_FORMAT.md §8.1):
/// 第二十条第（一）项, 本年新收…申请数量, table 2's or table 4's column headers.
pub fn has_national_table<S: AsRef<str>>(norms: impl Iterator<Item = S>) -> bool {
    const MARKS: &[&str] = &[
        "第二十条第",
        "本年新收",
        "申请人情况",
        "本年制发件数",
        "本年新制作数量",
        "对外公开总数量",
        "结果维持",
        "结果纠正",
        "尚未审结",
        "未经复议",
    ];
    // One scan per line for all marks, skipping ahead with the automaton's prefilter:
    // lines here are whole paragraphs of running text.
    static AUTOMATON: OnceLock<Option<aho_corasick::AhoCorasick>> = OnceLock::new();
    let automaton = AUTOMATON.get_or_init(|| aho_corasick::AhoCorasick::new(MARKS).ok());
    norms.into_iter().any(|n| match automaton {
        Some(ac) => ac.is_match(n.as_ref()),
        None => MARKS.iter().any(|m| n.as_ref().contains(m)),
    })
}

/// The header of a legacy table written as text: 指标名称 计量单位 年末统计 /
/// 指标名称单位2017年度历年累计 / 统计指标 单位 统计数. Returns the byte range of the
/// header in `text` and the number of value columns.
fn text_header(text: &str) -> Option<(usize, usize, usize)> {
    static HEADER: OnceLock<Option<Regex>> = OnceLock::new();
    static COLS: OnceLock<Option<Regex>> = OnceLock::new();
    let h = re(
        &HEADER,
        r"(?:指标名称|统计指标|指\s*标)\s*(?:计量)?\s*单\s*位(?P<c>(?:\s*(?:(?:19|20)\d{2}\s*年度?|本年累计|历年累计|本期实际|年末统计|统计数|本年度?|累计数?|数量))+)",
    )?;
    let c = h.captures(text)?;
    let m = c.get(0)?;
    let cols = re(
        &COLS,
        r"(?:19|20)\d{2}\s*年度?|本年累计|历年累计|本期实际|年末统计|统计数|本年度?|累计数?|数量",
    )?
    .find_iter(c.name("c")?.as_str())
    .count();
    Some((m.start(), m.end(), cols.max(1)))
}

/// The figures of the legacy-style tables found in `doc` (long paragraphs already cut).
/// Template evidence goes to `ctx.evidence`.
pub fn read_tables(doc: &Blocks<'_>, ctx: &mut Ctx) -> Figures {
    let mut figs = Figures::default();
    read_text_tables(doc, &mut figs, ctx);
    read_grid_tables(doc, &mut figs, ctx);
    figs
}

/// Completes the table figures with the sentences of `original` (the document as read)
/// when `sentences` is set (legacy reports), records provenance and builds the `legacy`
/// object; `None` when nothing was found.
pub fn finish(
    figs: Figures,
    original: &Document,
    sentences: bool,
    ctx: &mut Ctx,
) -> Option<Map<String, Value>> {
    let mut stated: BTreeMap<&'static str, Vec<(Fig, String)>> = BTreeMap::new();
    if sentences {
        read_sentences(original, &mut stated);
    }
    let mut out: BTreeMap<&'static str, Fig> = figs.table;
    for (key, list) in stated {
        let Some((first, _)) = list.first() else {
            continue;
        };
        let agree = list
            .iter()
            .all(|(f, _)| (f.value - first.value).abs() < 1e-9);
        if let Some(t) = out.get(key) {
            if let Some((f, _)) = list.iter().find(|(f, _)| (f.value - t.value).abs() > 1e-9) {
                ctx.warn(
                    "legacy_text_table_disagree",
                    format!(
                        "{key}: the table states {} ({}), a sentence {} (「{}」); the table is kept",
                        fmt(t.value),
                        t.at,
                        fmt(f.value),
                        f.raw
                    ),
                    Some(format!("/legacy/{key}")),
                );
            }
            continue;
        }
        if !agree {
            let vals: Vec<String> = list.iter().map(|(f, _)| fmt(f.value)).collect();
            ctx.warn(
                "legacy_text_conflict",
                format!(
                    "{key}: sentences state different figures ({}); none is taken",
                    vals.join(", ")
                ),
                Some(format!("/legacy/{key}")),
            );
            continue;
        }
        out.insert(key, first.clone());
    }
    if out.is_empty() {
        return None;
    }
    let mut map = Map::new();
    for (key, fig) in &out {
        let pointer = format!("/legacy/{key}");
        if fig.inferred {
            ctx.inferred(
                pointer,
                Some(fig.raw.as_str().into()),
                fig.at.as_str().into(),
            );
        } else {
            ctx.provenance.push((
                pointer.into(),
                crate::model::Provenance {
                    raw: Some(fig.raw.as_str().into()),
                    at: fig.at.as_str().into(),
                    ..Default::default()
                },
            ));
        }
        insert(&mut map, key, number(fig.value));
    }
    Some(map)
}

fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Value::Number(Number::from(v as i64))
    } else {
        Number::from_f64(v).map_or(Value::Null, Value::Number)
    }
}

fn insert(map: &mut Map<String, Value>, path: &str, v: Value) {
    match path.split_once('/') {
        None => {
            map.insert(path.to_string(), v);
        }
        Some((head, rest)) => {
            let entry = map
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = entry {
                insert(m, rest, v);
            }
        }
    }
}

/// A row's value converted to the key's unit; counts must be whole numbers ≥ 0.
fn convert(key: &str, v: f64, unit: Option<&str>) -> Option<f64> {
    if v < 0.0 {
        return None;
    }
    if key.ends_with("_wan_yuan") {
        return Some(if unit == Some("元") { v / 10_000.0 } else { v });
    }
    if key == "e_text_rate_pct" {
        return (unit == Some("%") || unit == Some("％") || v <= 100.0).then_some(v);
    }
    (v.fract() == 0.0).then_some(v)
}

/// Tables written as text in paragraphs: from a header line on, while lines are not
/// narrative.
fn read_text_tables(doc: &Blocks<'_>, figs: &mut Figures, ctx: &mut Ctx) {
    let mut open: Option<TextTable> = None;
    for b in doc.iter() {
        let Block::Paragraph(p) = b else {
            if let Some(t) = open.take() {
                t.read(figs, ctx);
            }
            continue;
        };
        let at = || p.origin.to_string();
        for part in p.text.split('\n') {
            if let Some(t) = open.as_mut() {
                if is_narrative(&normalize(part)) {
                    if let Some(t) = open.take() {
                        t.read(figs, ctx);
                    }
                } else {
                    t.push(part, &at());
                    continue;
                }
            }
            if let Some((_, end, cols)) = text_header(part) {
                let at = at();
                ctx.evidence.push(format!(
                    "legacy-style statistics table ({cols} value column(s)) at {at}"
                ));
                let mut t = TextTable {
                    cols,
                    text: String::new(),
                    spans: Vec::new(),
                };
                t.push(&part[end..], &at);
                open = Some(t);
            }
        }
    }
    if let Some(t) = open.take() {
        t.read(figs, ctx);
    }
}

struct TextTable {
    cols: usize,
    text: String,
    spans: Vec<(usize, String)>,
}

impl TextTable {
    fn push(&mut self, part: &str, at: &str) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.spans.push((self.text.len(), at.to_string()));
        self.text.push_str(part);
    }

    fn at(&self, offset: usize) -> String {
        self.spans
            .iter()
            .rev()
            .find(|(o, _)| *o <= offset)
            .map(|(_, a)| a.clone())
            .unwrap_or_default()
    }

    fn read(self, figs: &mut Figures, ctx: &mut Ctx) {
        let mut group = Group::None;
        let mut last_bare: Option<String> = None;
        for row in scan::scan(&self.text) {
            let (mut label, unit) = clean(&normalize(&row.label));
            // A label cut from its unit and figures by a line break: 四、行政复议数量 / 件 1.
            if label.is_empty() {
                if let Some(prev) = last_bare.take() {
                    label = prev;
                }
            }
            last_bare = row.run.is_none().then(|| label.clone());
            let (key, opens) = classify(&label, group);
            if let Some(g) = opens {
                group = g;
            }
            let (Some(key), Some(run)) = (key, row.run.as_deref()) else {
                continue;
            };
            let at = self.at(row.offset);
            let unit = row.unit_after.or(unit);
            if let Some((v, inferred)) = read_text_run(run, self.cols, key, &at, ctx) {
                if let Some(v) = convert(key, v, unit) {
                    figs.set(
                        key,
                        Fig {
                            value: v,
                            raw: run.to_string(),
                            at,
                            inferred,
                        },
                        ctx,
                    );
                }
            }
        }
    }
}

/// The report year's cell (the first value column) of a text run, when the run has only
/// one reading for it. Returns the value and whether the run had to be split.
fn read_text_run(
    run: &str,
    cols: usize,
    key: &str,
    at: &str,
    ctx: &mut Ctx,
) -> Option<(f64, bool)> {
    let chunks: Vec<&str> = run.split_whitespace().collect();
    let first = *chunks.first()?;
    if chunks.len() == cols {
        return first.parse().ok().map(|v| (v, false));
    }
    if chunks.iter().any(|c| c.contains('.')) || chunks.len() > cols {
        ctx.warn(
            "legacy_run_unread",
            format!("{key}: 「{run}」 does not fit {cols} value column(s); the row is not read"),
            Some(at.to_string()),
        );
        return None;
    }
    let reading = runs::read_run(&chunks, cols, |_| true);
    match reading
        .as_ref()
        .and_then(|r| r.cells.first().copied().flatten())
    {
        Some(v) => {
            ctx.warn(
                "cells_run_together",
                format!("{key}: the run 「{run}」 was split into {cols} cells (one split only); {v} is the report year's"),
                Some(at.to_string()),
            );
            Some((v as f64, true))
        }
        None => {
            let ways = reading.map_or(0, |r| r.possible);
            ctx.warn(
                "cells_run_together",
                format!(
                    "{key}: the run 「{run}」 splits into {cols} cells in {ways} ways; the row states no figure"
                ),
                Some(at.to_string()),
            );
            None
        }
    }
}

fn cell_at(cell: &Cell, table_no: usize) -> String {
    match &cell.origin {
        o @ (Origin::Line { .. } | Origin::Sheet { .. }) => o.to_string(),
        _ => format!(
            "table {}, row {}, col {}",
            table_no + 1,
            cell.row + 1,
            cell.col + 1
        ),
    }
}

fn is_unit(norm: &str) -> bool {
    classify::UNITS.contains(&norm) || norm == "计量单位" || norm == "单位"
}

/// Grid tables (and tab-separated text tables) with legacy row labels.
fn read_grid_tables(doc: &Blocks<'_>, figs: &mut Figures, ctx: &mut Ctx) {
    for (table_no, t) in doc.tables().enumerate() {
        if has_national_table(t.cells.iter().map(|c| normalize_cow(&c.text))) {
            continue;
        }
        let header = (0..t.rows).find_map(|r| grid_header(t, r));
        let rows = grid_rows(t, table_no, header.map(|h| h.1));
        let keyed = {
            let mut group = Group::None;
            rows.iter()
                .filter(|r| {
                    let (k, g) = classify(&r.label, group);
                    if let Some(g) = g {
                        group = g;
                    }
                    k.is_some() && r.value.is_some()
                })
                .count()
        };
        if header.is_none() && keyed < 3 {
            continue;
        }
        let where_ = t
            .cells
            .first()
            .map(|c| cell_at(c, table_no))
            .unwrap_or_default();
        ctx.evidence
            .push(format!("legacy-style statistics table (grid) at {where_}"));
        let mut group = Group::None;
        for r in rows {
            let (key, opens) = classify(&r.label, group);
            if let Some(g) = opens {
                group = g;
            }
            let (Some(key), Some((raw, v, at))) = (key, r.value) else {
                continue;
            };
            if let Some(v) = convert(key, v, r.unit.as_deref()) {
                figs.set(
                    key,
                    Fig {
                        value: v,
                        raw,
                        at,
                        inferred: false,
                    },
                    ctx,
                );
            }
        }
    }
}

/// The header row of a grid table: its row and the column of the first value column.
fn grid_header(t: &Table, r: usize) -> Option<(usize, usize)> {
    let cells: Vec<&Cell> = t.row_cells(r).collect();
    let norms: Vec<String> = cells.iter().map(|c| normalize(&c.text)).collect();
    let label = norms
        .iter()
        .any(|n| n.contains("指标") || n == "项目" || n == "统计项目");
    let unit = norms.iter().position(|n| n.contains("单位"))?;
    if !label {
        return None;
    }
    let after = cells.get(unit + 1)?;
    Some((r, after.col))
}

struct GridRow {
    label: String,
    unit: Option<String>,
    /// Raw text, value, where.
    value: Option<(String, f64, String)>,
}

fn grid_rows(t: &Table, table_no: usize, value_col: Option<usize>) -> Vec<GridRow> {
    let mut out = Vec::new();
    for r in 0..t.rows {
        let cells: Vec<&Cell> = t.row_cells(r).collect();
        let mut label = String::new();
        let mut unit = None;
        let mut value = None;
        for c in &cells {
            let n = normalize(&c.text);
            if n.is_empty() {
                continue;
            }
            if is_unit(&n) {
                unit = Some(n);
                continue;
            }
            match parse_cell(&c.text) {
                Some(CellValue::Number(num)) => {
                    let take = match value_col {
                        Some(col) => c.col == col,
                        None => value.is_none(),
                    };
                    if take && value.is_none() {
                        if unit.is_none() {
                            unit = num.unit.map(str::to_string);
                        }
                        value = Some((c.text.trim().to_string(), num.value, cell_at(c, table_no)));
                    }
                }
                Some(_) => {}
                None => {
                    if value.is_none() {
                        label.push_str(&n);
                    }
                }
            }
        }
        let (l, u) = clean(&label);
        out.push(GridRow {
            label: l,
            unit: unit.or(u.map(str::to_string)),
            value,
        });
    }
    out
}

/// Sentences of the narrative, table text left out.
fn read_sentences(doc: &Document, stated: &mut BTreeMap<&'static str, Vec<(Fig, String)>>) {
    let mut in_table = false;
    for p in doc.paragraphs() {
        let at = p.origin.to_string();
        for part in p.text.split('\n') {
            if in_table {
                if !is_narrative(&normalize(part)) {
                    continue;
                }
                in_table = false;
            }
            let text = match text_header(part) {
                Some((start, _, _)) => {
                    in_table = true;
                    &part[..start]
                }
                None => part,
            };
            for sentence in text.split_inclusive(['。', '；', '！', '!']) {
                let s = sentence.trim();
                if s.is_empty() {
                    continue;
                }
                for f in sentences::read(s) {
                    stated.entry(f.key).or_default().push((
                        Fig {
                            value: f.value,
                            raw: s.to_string(),
                            at: at.clone(),
                            inferred: false,
                        },
                        s.to_string(),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        assert_eq!(
            text_header("附表： 指标名称 计量单位 年末统计 主动公开信息数").map(|h| h.2),
            Some(1)
        );
        assert_eq!(
            text_header("七、附表指标名称单位2017年度历年累计主动公开文件数条6262027").map(|h| h.2),
            Some(2)
        );
        assert_eq!(text_header("统计指标\t单位\t统计数").map(|h| h.2), Some(1));
        assert!(text_header("主动公开政府信息733条").is_none());
    }
}
