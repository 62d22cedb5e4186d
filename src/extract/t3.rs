//! Table 3 (收到和处理政府信息公开申请情况), read by its row labels.
//!
//! The reader walks the lines of the table's region. Each label fragment is classified
//! by its distinctive keywords (REPORT_FORMAT.md §4.2) in the context of the current
//! group (（三）…（六）); the value fragments that follow a row label, up to the next
//! label, are that row's figures. Rows are therefore found wherever they stand: after a
//! repeated header, across a page break, in a second Word table, one cell per line.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::model::{Applications, Pointer, Row, RowKey, SmallString, COLUMNS, COLUMN_NAMES_ZH};
use compact_str::ToCompactString as _;

use super::ctx::{count, fit, is_blank, is_narrative, Ctx};
use super::labels::{keywords, strip_enumerator};
use super::lines::{Frag, Line};

/// The JSON Pointer of table 3's cell (`key`, column `col`): made once per process, so
/// recording a figure's provenance copies no pointer.
fn cell_pointer(key: RowKey, col: usize) -> Pointer {
    static TABLE: OnceLock<Vec<String>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        RowKey::ALL
            .iter()
            .flat_map(|k| COLUMNS.iter().map(move |c| [k.pointer(), "/", c].concat()))
            .collect()
    });
    let row = RowKey::ALL.iter().position(|k| *k == key);
    match row.and_then(|r| table.get(r * COLUMNS.len() + col)) {
        Some(p) => Cow::Borrowed(p.as_str()),
        None => Cow::Owned(
            [
                key.pointer(),
                "/",
                COLUMNS.get(col).copied().unwrap_or_default(),
            ]
            .concat(),
        ),
    }
}

/// What one label says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    /// A row with figures.
    Row(RowKey),
    /// A group label; its key is the group's subtotal row (printed by some reports).
    Group(RowKey),
    /// 三、本年度办理结果.
    Results,
}

/// Leaf rows by keywords, most specific first.
const LEAVES: &[(RowKey, &[&str])] = &[
    (RowKey::NoCorrection, &["逾期不补正", "不补正"]),
    (RowKey::FeeUnpaid, &["缴纳费用", "收费通知", "缴纳"]),
    (
        RowKey::NewReceived,
        &["本年新收", "新收政府信息公开申请", "本年收到"],
    ),
    (RowKey::CarriedOver, &["上年结转"]),
    (RowKey::CarriedForward, &["结转下年", "下年度继续办理"]),
    (RowKey::PartiallyGranted, &["部分公开"]),
    (RowKey::Granted, &["予以公开"]),
    (RowKey::StateSecret, &["国家秘密"]),
    (
        RowKey::ProhibitedByLaw,
        &["禁止公开", "法律行政", "法律法规禁止"],
    ),
    (RowKey::SecurityStability, &["三安全", "一稳定"]),
    (RowKey::ThirdPartyRights, &["第三方"]),
    (RowKey::InternalAffairs, &["内部事务"]),
    (RowKey::ProcessInfo, &["过程性"]),
    (RowKey::EnforcementFile, &["执法案"]),
    (RowKey::AdminQuery, &["查询事项", "行政查询"]),
    (RowKey::NotHeld, &["不掌握"]),
    (RowKey::NeedsCreation, &["另行制作", "没有现成"]),
    (RowKey::UnclearAfterCorrection, &["补正后", "仍不明确"]),
    (RowKey::Petition, &["信访", "举报投诉"]),
    (RowKey::Repeated, &["重复申请"]),
    (RowKey::Publication, &["出版物"]),
    (RowKey::Excessive, &["大量反复"]),
    (RowKey::ConfirmExisting, &["重新出具", "确认或"]),
];

const GROUPS: &[(RowKey, &[&str])] = &[
    (RowKey::DeniedTotal, &["不予公开"]),
    (RowKey::UnableTotal, &["无法提供"]),
    (RowKey::NotProcessedTotal, &["不予处理"]),
    (RowKey::OtherTotal, &["其他处理"]),
];

/// [`GROUPS`] in reverse order: the first match here is the last one there.
const GROUPS_LAST_FIRST: &[(RowKey, &[&str])] = &[
    (RowKey::OtherTotal, &["其他处理"]),
    (RowKey::NotProcessedTotal, &["不予处理"]),
    (RowKey::UnableTotal, &["无法提供"]),
    (RowKey::DeniedTotal, &["不予公开"]),
];

/// Whether a normalised label anchors table 3.
pub fn is_anchor(norm: &str) -> bool {
    norm.contains("本年新收") || norm.contains("申请人情况") || norm.contains("勾稽关系")
}

/// Classifies one label. Updates nothing; the caller tracks the group.
fn classify(norm: &str, group: Option<RowKey>) -> Option<Label> {
    if let Some(key) = keywords!(LEAVES, RowKey).first(norm) {
        return Some(Label::Row(key));
    }
    let body = strip_enumerator(norm);
    let body = strip_enumerator(body);
    if body.starts_with("总计") || body.starts_with("合计") {
        return Some(Label::Row(RowKey::ResultsTotal));
    }
    if group == Some(RowKey::OtherTotal) && (body == "其他" || body == "其他情形") {
        return Some(Label::Row(RowKey::OtherOther));
    }
    if let Some(key) = keywords!(GROUPS, RowKey).first(norm) {
        return Some(Label::Group(key));
    }
    if norm.contains("办理结果") {
        return Some(Label::Results);
    }
    None
}

/// A row's value fragments as read, before fitting.
#[derive(Debug, Clone)]
struct RowRead<'a> {
    vals: Vec<Frag<'a>>,
    label: String,
    grid: bool,
}

/// The reader's state while walking the region.
#[derive(Default)]
struct Walk<'a> {
    group: Option<RowKey>,
    cur: Option<(RowKey, String)>,
    vals: Vec<Frag<'a>>,
    pending: String,
    rows: BTreeMap<RowKey, RowRead<'a>>,
    seen: Vec<RowKey>,
    subtotal_col: bool,
    grid: bool,
}

impl<'a> Walk<'a> {
    fn finish_row(&mut self, ctx: &mut Ctx) {
        let Some((key, label)) = self.cur.take() else {
            self.vals.clear();
            return;
        };
        let vals = std::mem::replace(&mut self.vals, Vec::with_capacity(8));
        // `seen` keeps each row at its latest place: a header's 总计 moves to （七）总计.
        self.seen
            .retain(|k| *k != key || self.rows.get(k).is_some_and(|r| !r.vals.is_empty()));
        if !self.seen.contains(&key) {
            self.seen.push(key);
        }
        if vals.iter().all(is_blank) && !vals.is_empty() && !self.grid {
            return;
        }
        if vals.is_empty() {
            return;
        }
        if let Some(prev) = self.rows.get(&key) {
            // A row read before with only blanks (a header's 总计 over empty cells) gives
            // way to one with figures.
            if !prev.vals.is_empty() && !prev.vals.iter().all(is_blank) {
                ctx.warn(
                    "duplicate_row",
                    format!(
                        "表三 row {} appears twice; the first is kept",
                        key.label_zh()
                    ),
                    vals.first().map(|f| f.at.place()),
                );
                return;
            }
        }
        self.rows.insert(
            key,
            RowRead {
                vals,
                label,
                grid: self.grid,
            },
        );
    }

    fn label(&mut self, frag: &Frag, ctx: &mut Ctx) {
        if !self.vals.is_empty() {
            self.finish_row(ctx);
            self.pending.clear();
        }
        let mut found = classify(&frag.norm, self.group);
        if found.is_none() && !self.pending.is_empty() {
            let joined = [self.pending.as_str(), &frag.norm].concat();
            found = classify(&joined, self.group);
        }
        match found {
            Some(Label::Row(k)) => {
                // A group keyword inside the same label sets the group too (the last
                // group of the list whose keyword is there).
                if let Some(g) = keywords!(GROUPS_LAST_FIRST, RowKey).first(&frag.norm) {
                    self.group = Some(g);
                }
                if self.cur.is_some() {
                    self.finish_row(ctx);
                }
                self.cur = Some((k, frag.raw.to_string()));
                self.pending.clear();
            }
            Some(Label::Group(g)) => {
                self.group = Some(g);
                if self.cur.is_some() {
                    self.finish_row(ctx);
                }
                self.cur = Some((g, frag.raw.to_string()));
                self.pending.clear();
            }
            Some(Label::Results) => {
                self.pending.clear();
            }
            None => {
                if frag.norm.contains("小计") {
                    self.subtotal_col = true;
                }
                self.pending.push_str(&frag.norm);
                if self.pending.chars().count() > 80 {
                    self.pending.clear();
                }
            }
        }
    }
}

/// Reads table 3 from its region. `split_other`: the template has （六）'s three rows.
pub fn read(lines: &[Line], split_other: bool, ctx: &mut Ctx) -> Applications {
    let mut w = Walk::default();
    for line in lines {
        w.grid = line.grid;
        if line.paragraph
            && line
                .frags
                .iter()
                .any(|f| f.is_label() && is_narrative(&f.norm))
        {
            continue;
        }
        let mut label_seen = false;
        for frag in &line.frags {
            if frag.is_label() {
                if is_narrative(&frag.norm) {
                    continue;
                }
                label_seen = true;
                w.label(frag, ctx);
            } else {
                if line.grid && !label_seen && is_blank(frag) {
                    continue;
                }
                if w.cur.is_some() {
                    w.vals.push(frag.clone());
                }
            }
        }
        if line.grid && !w.vals.is_empty() {
            w.finish_row(ctx);
        }
    }
    w.finish_row(ctx);
    build(w, split_other, ctx)
}

/// Figures of one row: a value (or `None`) and its source fragment, per column.
type Slots<'a> = [Option<(Option<i64>, Option<Frag<'a>>)>; 7];

/// A table whose numbers all follow its labels ("flattened"): the last labelled row
/// holds 7 × m values and the m − 1 rows before it none. Distributes them in order when
/// the count leaves that one reading.
fn unflatten(w: &mut Walk<'_>, width: usize, split_other: bool, ctx: &mut Ctx) {
    let printed: Vec<RowKey> = w
        .seen
        .iter()
        .copied()
        .filter(|k| !(k.is_subtotal() || split_other && *k == RowKey::OtherTotal))
        .collect();
    let Some((last_idx, last)) = printed
        .iter()
        .enumerate()
        .rev()
        .find(|(_, k)| {
            w.rows
                .get(k)
                .is_some_and(|r| !r.grid && r.vals.len() > width)
        })
        .map(|(i, k)| (i, *k))
    else {
        return;
    };
    let n = w.rows.get(&last).map_or(0, |r| r.vals.len());
    if n % width != 0 {
        return;
    }
    let m = n / width;
    if m < 2 || m > last_idx + 1 {
        return;
    }
    let keys: Vec<RowKey> = printed[last_idx + 1 - m..=last_idx].to_vec();
    if keys[..m - 1].iter().any(|k| w.rows.contains_key(k)) {
        return;
    }
    let Some(row) = w.rows.remove(&last) else {
        return;
    };
    for (k, chunk) in keys.iter().zip(row.vals.chunks(width)) {
        w.rows.insert(
            *k,
            RowRead {
                vals: chunk.to_vec(),
                label: k.label_zh().to_string(),
                grid: false,
            },
        );
    }
    ctx.warn(
        "flattened_table",
        format!("表三's {n} figures follow its {m} row labels; they were taken {width} to a row in label order"),
        row.vals.first().map(|f| f.at.place()),
    );
}

fn build(mut w: Walk<'_>, split_other: bool, ctx: &mut Ctx) -> Applications {
    let mut app = Applications::new(split_other);
    let width = if w.subtotal_col { 8 } else { 7 };
    unflatten(&mut w, width, split_other, ctx);
    let mut full: BTreeMap<RowKey, [Option<i64>; 7]> = BTreeMap::new();
    let mut short: Vec<(RowKey, Vec<Frag>)> = Vec::new();
    let mut placed: BTreeMap<RowKey, Slots<'_>> = BTreeMap::new();
    let mut run_prov: Vec<(Pointer, String, SmallString, bool)> = Vec::new();

    for (key, row) in &w.rows {
        match fit(row.vals.clone(), width) {
            Ok(mut vals) => {
                if width == 8 {
                    // A printed 法人或其他组织 小计 column: kept for rule T3-SUBTOTAL.
                    let sub = vals.remove(6);
                    ctx.extra(
                        3,
                        &format!("{} {}", key.label_zh(), crate::model::SUBTOTAL_COLUMN),
                        &[sub],
                    );
                }
                let mut slots: Slots = Default::default();
                let mut nums = [None; 7];
                for (i, f) in vals.into_iter().enumerate().take(7) {
                    let v = count(&f);
                    if let Some(super::numbers::CellValue::Number(n)) = &f.value {
                        if v.is_none() {
                            ctx.warn(
                                "not_an_integer",
                                format!(
                                    "表三 {} {}: {} is not a whole number",
                                    key.label_zh(),
                                    COLUMN_NAMES_ZH[i],
                                    n.value
                                ),
                                Some(f.at.place()),
                            );
                        }
                    }
                    nums[i] = v;
                    slots[i] = Some((v, Some(f)));
                }
                full.insert(*key, nums);
                placed.insert(*key, slots);
            }
            Err(vals) if vals.len() < 7 && !vals.is_empty() => {
                let what = format!("表三 {}", key.label_zh());
                let row_sum =
                    |s: &[i64]| s.get(..6).map(|p| p.iter().sum::<i64>()) == s.get(6).copied();
                if let Some((cells, raw, inferred)) =
                    super::runs::read_frags(&vals, 7, &what, row_sum, ctx)
                {
                    let mut slots: Slots = Default::default();
                    let mut nums = [None; 7];
                    let at = vals.first().map(|f| f.at.place()).unwrap_or_default();
                    for (i, v) in cells.iter().enumerate().take(7) {
                        nums[i] = *v;
                        if v.is_some() {
                            slots[i] = Some((*v, None));
                            run_prov.push((
                                cell_pointer(*key, i),
                                raw.clone(),
                                at.clone(),
                                inferred,
                            ));
                        }
                    }
                    full.insert(*key, nums);
                    placed.insert(*key, slots);
                } else {
                    short.push((*key, vals));
                }
            }
            Err(vals) => {
                ctx.warn(
                    "row_count_mismatch",
                    format!(
                        "表三 {} has {} values for {} columns ({}); its figures are left null",
                        row.label,
                        vals.len(),
                        width,
                        vals.iter()
                            .map(|f| f.raw.as_ref())
                            .collect::<Vec<_>>()
                            .join(" ")
                    ),
                    vals.first().map(|f| f.at.place()),
                );
                let _ = row.grid;
            }
        }
    }

    for (key, vals) in short {
        let slots = infer_short_row(key, &vals, &full, split_other, ctx);
        if let Some(s) = slots {
            let mut nums = [None; 7];
            for (i, s) in s.iter().enumerate() {
                nums[i] = s.as_ref().and_then(|x| x.0);
            }
            full.insert(key, nums);
            placed.insert(key, s);
        }
    }

    for (ptr, raw, at, inferred) in run_prov {
        ctx.read_run(ptr, &raw, &at, inferred);
    }

    // Fill the model.
    for key in RowKey::ALL {
        if key.is_subtotal() || (key == RowKey::OtherTotal && split_other) {
            continue;
        }
        let Some(row) = app.row_mut(key) else {
            continue;
        };
        match placed.get(&key) {
            Some(slots) => {
                let mut vals = [None; 7];
                for (i, s) in slots.iter().enumerate() {
                    match s {
                        Some((v, Some(f))) => {
                            vals[i] = *v;
                            ctx.read(cell_pointer(key, i), f);
                        }
                        Some((v, None)) => vals[i] = *v,
                        None => {}
                    }
                }
                *row = Row::from_values(vals);
            }
            None => {
                if !(key == RowKey::OtherTotal && !split_other && w.rows.contains_key(&key)) {
                    let why = if w.seen.contains(&key) {
                        "has no figures"
                    } else {
                        "was not found"
                    };
                    ctx.warn(
                        "missing_row",
                        format!("表三 row {} {why}; its figures are null", key.label_zh()),
                        Some(key.pointer().to_string()),
                    );
                }
            }
        }
    }

    derive_subtotals(&mut app, &w, split_other, ctx);
    app
}

/// Derives the group subtotals (and （六） in 2021), comparing any printed subtotal.
fn derive_subtotals(app: &mut Applications, w: &Walk<'_>, split_other: bool, ctx: &mut Ctx) {
    let mut keys = vec![
        RowKey::DeniedTotal,
        RowKey::UnableTotal,
        RowKey::NotProcessedTotal,
    ];
    if split_other {
        keys.push(RowKey::OtherTotal);
    }
    for key in keys {
        let parts: Vec<Row> = key
            .parts()
            .iter()
            .filter_map(|p| app.row(*p).copied())
            .collect();
        let mut sum = Row::sum(parts.iter());
        let printed = w.rows.get(&key).and_then(|r| fit(r.vals.clone(), 7).ok());
        if key == RowKey::OtherTotal && parts.iter().all(|r| r.values().iter().all(Option::is_none))
        {
            // A 2021 report that kept the single 2019-style （六）其他处理 row.
            if let Some(vals) = &printed {
                let mut nums = [None; 7];
                for (i, f) in vals.iter().enumerate() {
                    nums[i] = count(f);
                    ctx.read(cell_pointer(key, i), f);
                }
                if let Some(r) = app.row_mut(key) {
                    *r = Row::from_values(nums);
                }
                ctx.evidence
                    .push("t3 (六) single 2019-style row".to_string());
                ctx.warn(
                    "other_single_row",
                    "表三 （六）其他处理 is one row, as in the 2019 format; its figures are results.other.total and the three sub-rows are null",
                    Some(key.pointer().to_string()),
                );
                continue;
            }
        }
        if let Some(vals) = printed {
            // A printed subtotal row: kept for rule T3-SUBTOTAL.
            ctx.extra(3, key.label_zh(), &vals);
        }
        for i in 0..COLUMNS.len() {
            if sum.values()[i].is_some() {
                ctx.derived(cell_pointer(key, i));
            }
        }
        if let Some(r) = app.row_mut(key) {
            std::mem::swap(r, &mut sum);
        }
    }
}

/// Places the values of a row that has fewer values than columns, when the table's own
/// sums leave exactly one reading (REPORT_FORMAT.md §7.1); else the row stays null.
fn infer_short_row<'a>(
    key: RowKey,
    vals: &[Frag<'a>],
    full: &BTreeMap<RowKey, [Option<i64>; 7]>,
    split_other: bool,
    ctx: &mut Ctx,
) -> Option<Slots<'a>> {
    let k = vals.len();
    let numbers: Vec<Option<i64>> = vals.iter().map(count).collect();
    let raw_list = vals
        .iter()
        .map(|f| f.raw.as_ref())
        .collect::<Vec<_>>()
        .join(" ");
    let at = vals.first().map(|f| f.at.place());
    if numbers.iter().any(Option::is_none) {
        ctx.warn(
            "short_row",
            format!(
                "表三 {}: {k} values for 7 columns ({raw_list}), not all numbers; left null",
                key.label_zh()
            ),
            at,
        );
        return None;
    }
    let mut readings: Vec<[Option<i64>; 7]> = Vec::new();
    for placement in combinations(7, k) {
        let mut row = [None; 7];
        for (slot, v) in placement.iter().zip(&numbers) {
            row[*slot] = *v;
        }
        if let Some(done) = complete(key, row, full, split_other) {
            readings.push(done);
        }
    }
    if readings.is_empty() {
        ctx.warn(
            "short_row",
            format!(
                "表三 {}: {k} values for 7 columns ({raw_list}); no placement agrees with the table's sums, so the row is left null",
                key.label_zh()
            ),
            at,
        );
        return None;
    }
    let mut slots: Slots = Default::default();
    let mut taken = 0;
    for (c, slot) in slots.iter_mut().enumerate() {
        let first = readings[0][c];
        if first.is_some() && readings.iter().all(|r| r[c] == first) {
            *slot = Some((first, None));
            taken += 1;
        }
    }
    let position = at.clone().unwrap_or_default();
    for (c, slot) in slots.iter().enumerate() {
        if let Some((v, _)) = slot {
            let raw = v.map(|v| v.to_compact_string());
            ctx.inferred(cell_pointer(key, c), raw, position.clone());
        }
    }
    ctx.warn(
        "short_row",
        format!(
            "表三 {}: {k} values for 7 columns ({raw_list}); {} of {} placements agree with the table's sums, {taken} cells placed by them and marked inferred{}",
            key.label_zh(),
            readings.len(),
            combinations(7, k).len(),
            if taken < 7 { ", the rest left null" } else { "" }
        ),
        at,
    );
    Some(slots)
}

/// Completes a row with missing cells from the column and row equations; `None` when
/// the placement contradicts them.
fn complete(
    key: RowKey,
    mut row: [Option<i64>; 7],
    full: &BTreeMap<RowKey, [Option<i64>; 7]>,
    split_other: bool,
) -> Option<[Option<i64>; 7]> {
    let get = |k: RowKey, c: usize| full.get(&k).and_then(|r| r[c]);
    let leaves: Vec<RowKey> = result_leaves(split_other);
    for c in 0..7 {
        if row.get(c).copied().flatten().is_some() {
            continue;
        }
        // Column equations: 一 + 二 = （七） + 四, and （七） = Σ results.
        let bal = (|| match key {
            RowKey::NewReceived => Some(
                get(RowKey::ResultsTotal, c)? + get(RowKey::CarriedForward, c)?
                    - get(RowKey::CarriedOver, c)?,
            ),
            RowKey::CarriedOver => Some(
                get(RowKey::ResultsTotal, c)? + get(RowKey::CarriedForward, c)?
                    - get(RowKey::NewReceived, c)?,
            ),
            RowKey::CarriedForward => Some(
                get(RowKey::NewReceived, c)? + get(RowKey::CarriedOver, c)?
                    - get(RowKey::ResultsTotal, c)?,
            ),
            RowKey::ResultsTotal => {
                let mut s = 0;
                for l in &leaves {
                    s += get(*l, c)?;
                }
                Some(s)
            }
            k if leaves.contains(&k) => {
                let mut s = get(RowKey::ResultsTotal, c)?;
                for l in leaves.iter().filter(|l| **l != k) {
                    s -= get(*l, c)?;
                }
                Some(s)
            }
            _ => None,
        })();
        row[c] = bal;
    }
    // Row equation: 总计 = Σ the six applicant columns.
    let unknown: Vec<usize> = (0..7).filter(|c| row[*c].is_none()).collect();
    if unknown.len() == 1 {
        let c = unknown[0];
        let parts: i64 = (0..6).filter(|i| *i != c).filter_map(|i| row[i]).sum();
        row[c] = if c == 6 {
            Some(parts)
        } else {
            row[6].map(|t| t - parts)
        };
    }
    if row.iter().any(|v| v.is_some_and(|v| v < 0)) {
        return None;
    }
    if row.iter().all(Option::is_some) {
        let parts: i64 = row[..6].iter().flatten().sum();
        if Some(parts) != row[6] {
            return None;
        }
    }
    Some(row)
}

fn result_leaves(split_other: bool) -> Vec<RowKey> {
    let mut v = vec![RowKey::Granted, RowKey::PartiallyGranted];
    v.extend(RowKey::DeniedTotal.parts());
    v.extend(RowKey::UnableTotal.parts());
    v.extend(RowKey::NotProcessedTotal.parts());
    if split_other {
        v.extend(RowKey::OtherTotal.parts());
    } else {
        v.push(RowKey::OtherTotal);
    }
    v
}

/// All increasing `k`-subsets of `0..n`.
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    fn go(start: usize, n: usize, k: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        for i in start..n {
            cur.push(i);
            go(i + 1, n, k, cur, out);
            cur.pop();
        }
    }
    if k <= n {
        go(0, n, k, &mut cur, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::labels::normalize;

    fn c(s: &str, g: Option<RowKey>) -> Option<Label> {
        classify(&normalize(s), g)
    }

    #[test]
    fn groups_last_first_is_groups_reversed() {
        let reversed: Vec<_> = GROUPS.iter().rev().collect();
        let last_first: Vec<_> = GROUPS_LAST_FIRST.iter().collect();
        assert_eq!(reversed, last_first);
    }

    #[test]
    fn every_label_variant() {
        use RowKey::*;
        for (s, k) in [
            ("一、本年新收政府信息公开申请数量", NewReceived),
            ("二、上年结转政府信息公开申请数量", CarriedOver),
            ("(一) 予以公开", Granted),
            (
                "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                PartiallyGranted,
            ),
            ("1.属于国家秘密", StateSecret),
            ("2.其他法律行政法规禁止公开", ProhibitedByLaw),
            ("2.其他法律行政止公开", ProhibitedByLaw),
            ("3.危及“三安全一稳定”", SecurityStability),
            ("4.保护第三方合法权益", ThirdPartyRights),
            ("5.属于三类内部事务信息", InternalAffairs),
            ("6.属于四类过程性信息", ProcessInfo),
            ("7.属于行政执法案卷", EnforcementFile),
            ("7.属于行政执法案件", EnforcementFile),
            ("8.属于行政查询事项", AdminQuery),
            ("1、本机关不掌握相关政府信息", NotHeld),
            ("(2)没有现成信息需要另行制作", NeedsCreation),
            ("3.补正后申请内容仍不明确", UnclearAfterCorrection),
            ("1.信访举报投诉类申请", Petition),
            ("2.重复申请", Repeated),
            ("3.要求提供公开出版物", Publication),
            ("4.无正当理由大量反复申请", Excessive),
            ("5.要求行政机关确认或重新出具已获取信息", ConfirmExisting),
            (
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                NoCorrection,
            ),
            (
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                FeeUnpaid,
            ),
            ("（七）总计", ResultsTotal),
            ("四、结转下年度继续办理", CarriedForward),
        ] {
            assert_eq!(c(s, None), Some(Label::Row(k)), "{s}");
        }
        assert_eq!(c("3.其他", Some(OtherTotal)), Some(Label::Row(OtherOther)));
        assert_eq!(c("3.其他", Some(NotProcessedTotal)), None);
        assert_eq!(c("（六）其他处理", None), Some(Label::Group(OtherTotal)));
        assert_eq!(c("（三）不予公开", None), Some(Label::Group(DeniedTotal)));
        assert_eq!(c("三、本年度办理结果", None), Some(Label::Results));
    }

    #[test]
    fn combinations_count() {
        assert_eq!(combinations(7, 6).len(), 7);
        assert_eq!(combinations(7, 5).len(), 21);
        assert_eq!(combinations(3, 0), vec![Vec::<usize>::new()]);
    }
}
