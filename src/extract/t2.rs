//! Table 2 (主动公开政府信息情况), read by row labels and header labels.
//!
//! Table 2 is stacked blocks: 第二十条第（X）项, a header row starting 信息内容, then data
//! rows. Each header gives the block's columns in order; a data row's values go to those
//! columns in order ("parse by logical order of values, not by grid column index").
//! Without a readable header, the template's columns for that row are used.

use crate::model::{ActiveDisclosure, DocRow, Fees, ItemRow, Procurement, Template};

use super::ctx::{count, fit, is_narrative, number, Ctx};
use super::labels::keywords;
use super::lines::{At, Frag, Line};
use super::numbers::CellValue;

/// A row of table 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum R {
    Regulations,
    Normative,
    Licensing,
    OtherServices,
    Penalty,
    Coercion,
    Fees,
    Procurement,
}

/// A column of table 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum C {
    Issued,
    PublishedNew,
    PublishedTotal,
    Repealed,
    InForce,
    Decisions,
    ItemsPrev,
    ItemsChange,
    Amount,
    Projects,
    TotalAmount,
}

impl R {
    fn key(self) -> &'static str {
        match self {
            R::Regulations => "regulations",
            R::Normative => "normative_documents",
            R::Licensing => "admin_licensing",
            R::OtherServices => "other_admin_services",
            R::Penalty => "admin_penalty",
            R::Coercion => "admin_coercion",
            R::Fees => "admin_fees",
            R::Procurement => "central_procurement",
        }
    }

    fn name(self) -> &'static str {
        match self {
            R::Regulations => "规章",
            R::Normative => "规范性文件",
            R::Licensing => "行政许可",
            R::OtherServices => "其他对外管理服务事项",
            R::Penalty => "行政处罚",
            R::Coercion => "行政强制",
            R::Fees => "行政事业性收费",
            R::Procurement => "政府集中采购",
        }
    }

    /// The template's columns for this row.
    fn default_cols(self, t: Template) -> &'static [C] {
        let y2019 = t == Template::Gov2019;
        match (self, y2019) {
            (R::Regulations | R::Normative, false) => &[C::Issued, C::Repealed, C::InForce],
            (R::Regulations | R::Normative, true) => {
                &[C::Issued, C::PublishedNew, C::PublishedTotal]
            }
            (R::Licensing | R::Penalty | R::Coercion, false) => &[C::Decisions],
            (R::Licensing | R::Penalty | R::Coercion | R::OtherServices, true) => {
                &[C::ItemsPrev, C::ItemsChange, C::Decisions]
            }
            (R::OtherServices, false) => &[C::ItemsPrev, C::ItemsChange, C::Decisions],
            (R::Fees, false) => &[C::Amount],
            (R::Fees, true) => &[C::ItemsPrev, C::ItemsChange],
            (R::Procurement, _) => &[C::Projects, C::TotalAmount],
        }
    }
}

impl C {
    fn key(self) -> &'static str {
        match self {
            C::Issued => "issued",
            C::PublishedNew => "published_new",
            C::PublishedTotal => "published_total",
            C::Repealed => "repealed",
            C::InForce => "in_force",
            C::Decisions => "decisions",
            C::ItemsPrev => "items_prev_year",
            C::ItemsChange => "items_change",
            C::Amount => "amount_wan_yuan",
            C::Projects => "projects",
            C::TotalAmount => "total_amount",
        }
    }
}

fn classify_row(norm: &str) -> Option<R> {
    let body = norm
        .trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | '、' | '(' | ')'));
    if body.len() > 60 {
        return None;
    }
    if body.contains("规范性文件") {
        Some(R::Normative)
    } else if body.contains("规章") {
        Some(R::Regulations)
    } else if body.contains("对外管理服务") {
        Some(R::OtherServices)
    } else if body.contains("行政许可") {
        Some(R::Licensing)
    } else if body.contains("行政处罚") {
        Some(R::Penalty)
    } else if body.contains("行政强制") {
        Some(R::Coercion)
    } else if body.contains("事业性收费") {
        Some(R::Fees)
    } else if body.contains("集中采购") || body.contains("政府采购") {
        Some(R::Procurement)
    } else {
        None
    }
}

/// Column headers by keywords, in the order they are tried.
const COLUMN_WORDS: &[(C, &[&str])] = &[
    (C::ItemsPrev, &["上一年"]),
    (C::ItemsChange, &["增/减", "增减", "增(减)"]),
    (C::Issued, &["制发", "新制作"]),
    (C::PublishedNew, &["新公开"]),
    (C::PublishedTotal, &["公开总数"]),
    (C::Repealed, &["废止"]),
    (C::InForce, &["现行有效"]),
    (C::Decisions, &["处理决定"]),
    (C::Amount, &["收费金额"]),
    (C::Projects, &["采购项目", "项目数量"]),
    (C::TotalAmount, &["总金额", "采购金额"]),
];

fn classify_col(norm: &str) -> Option<C> {
    let found = keywords!(COLUMN_WORDS, C).first(norm);
    // 本年废(止)件数 with the 止 lost: tried where 废止 stands in the list.
    let repealed_after = |c: C| {
        let rank = |c: C| COLUMN_WORDS.iter().position(|(k, _)| *k == c);
        rank(c) > rank(C::Repealed)
    };
    if found.is_none_or(repealed_after) && norm.contains('废') && norm.contains("件数") {
        return Some(C::Repealed);
    }
    found
}

/// Whether a normalised label anchors table 2.
pub fn is_anchor(norm: &str) -> bool {
    norm.contains("第二十条")
        || norm.starts_with("信息内容")
        || (norm.len() < 40 && classify_col(norm).is_some_and(|c| c != C::Projects))
}

/// Header labels that say which template table 2 follows.
pub fn evidence(norm: &str) -> Option<(Template, &'static str)> {
    for (k, t) in [
        ("本年制发件数", Template::Gov2021),
        ("本年废止件数", Template::Gov2021),
        ("现行有效件数", Template::Gov2021),
        ("本年收费金额", Template::Gov2021),
        ("本年新制作数量", Template::Gov2019),
        ("对外公开总数量", Template::Gov2019),
        ("上一年项目数量", Template::Gov2019),
        ("本年新公开数量", Template::Gov2019),
        ("第二十条第(九)项", Template::Gov2019),
        ("采购项目数量", Template::Gov2019),
    ] {
        if norm.contains(k) {
            return Some((t, k));
        }
    }
    None
}

/// Reads table 2 from its region.
pub fn read(lines: &[Line], template: Template, ctx: &mut Ctx) -> ActiveDisclosure {
    let mut ad = empty(template);
    let mut header: Vec<C> = Vec::new();
    let mut header_open = false;
    let mut cur: Option<(Option<R>, String)> = None;
    let mut vals: Vec<Frag> = Vec::new();
    let mut done: Vec<R> = Vec::new();

    let flush = |cur: &mut Option<(Option<R>, String)>,
                 vals: &mut Vec<Frag>,
                 header: &[C],
                 ad: &mut ActiveDisclosure,
                 ctx: &mut Ctx,
                 done: &mut Vec<R>| {
        let Some((row, label)) = cur.take() else {
            vals.clear();
            return;
        };
        let v = std::mem::take(vals);
        let Some(row) = row else {
            if !v.is_empty() {
                ctx.extra(2, &label, &v);
                ctx.warn(
                    "extra_row",
                    format!("表二 row 「{label}」 is not in the template; kept in extras"),
                    v.first().map(|f| f.at.place()),
                );
            }
            return;
        };
        if v.is_empty() {
            return;
        }
        if done.contains(&row) {
            return;
        }
        let cols: Vec<C> = if header.is_empty() {
            row.default_cols(template).to_vec()
        } else {
            header.to_vec()
        };
        place(ad, row, &cols, v, template, ctx);
        done.push(row);
    };

    for line in lines {
        if line.paragraph
            && line
                .frags
                .iter()
                .any(|f| f.is_label() && is_narrative(&f.norm))
        {
            continue;
        }
        if line.grid && !vals.is_empty() {
            flush(&mut cur, &mut vals, &header, &mut ad, ctx, &mut done);
        }
        let mut label_seen = false;
        for frag in &line.frags {
            if frag.is_label() {
                if is_narrative(&frag.norm) {
                    continue;
                }
                label_seen = true;
                if !vals.is_empty() {
                    flush(&mut cur, &mut vals, &header, &mut ad, ctx, &mut done);
                }
                let n = &frag.norm;
                if n.starts_with("信息内容") {
                    header.clear();
                    header_open = true;
                    cur = None;
                    continue;
                }
                if n.starts_with("第二十条") {
                    header_open = false;
                    cur = None;
                    continue;
                }
                if let Some(c) = classify_col(n) {
                    if header_open || cur.is_none() {
                        if !header_open {
                            header.clear();
                            header_open = true;
                        }
                        header.push(c);
                        continue;
                    }
                }
                header_open = false;
                cur = Some((classify_row(n), frag.raw.to_string()));
            } else {
                if line.grid && !label_seen && matches!(frag.value, Some(CellValue::Blank)) {
                    continue;
                }
                if cur.is_some() {
                    vals.push(frag.clone());
                }
            }
        }
        if line.grid {
            flush(&mut cur, &mut vals, &header, &mut ad, ctx, &mut done);
        }
    }
    flush(&mut cur, &mut vals, &header, &mut ad, ctx, &mut done);

    for r in [
        R::Regulations,
        R::Normative,
        R::Licensing,
        R::Penalty,
        R::Coercion,
        R::Fees,
    ] {
        if !done.contains(&r) {
            ctx.warn(
                "missing_row",
                format!("表二 row {} was not found; its figures are null", r.name()),
                Some(format!("/active_disclosure/{}", r.key())),
            );
        }
    }
    ad
}

fn empty(t: Template) -> ActiveDisclosure {
    let y19 = t == Template::Gov2019;
    let doc = if y19 {
        DocRow {
            issued: Some(None),
            published_new: Some(None),
            published_total: Some(None),
            ..DocRow::default()
        }
    } else {
        DocRow {
            issued: Some(None),
            repealed: Some(None),
            in_force: Some(None),
            ..DocRow::default()
        }
    };
    let item = if y19 {
        ItemRow {
            decisions: Some(None),
            items_prev_year: Some(None),
            items_change: Some(None),
        }
    } else {
        ItemRow {
            decisions: Some(None),
            ..ItemRow::default()
        }
    };
    ActiveDisclosure {
        regulations: doc,
        normative_documents: doc,
        admin_licensing: item,
        other_admin_services: y19.then_some(item),
        admin_penalty: item,
        admin_coercion: item,
        admin_fees: if y19 {
            Fees {
                items_prev_year: Some(None),
                items_change: Some(None),
                ..Fees::default()
            }
        } else {
            Fees {
                amount_wan_yuan: Some(None),
                ..Fees::default()
            }
        },
        central_procurement: y19.then(Procurement::default),
    }
}

fn place(
    ad: &mut ActiveDisclosure,
    row: R,
    cols: &[C],
    vals: Vec<Frag>,
    t: Template,
    ctx: &mut Ctx,
) {
    let vals = match fit(vals, cols.len()) {
        Ok(v) => v,
        Err(v) if v.len() > cols.len() && !cols.is_empty() => {
            ctx.warn(
                "row_count_mismatch",
                format!(
                    "表二 {}: {} values for {} columns; the first {} are taken",
                    row.name(),
                    v.len(),
                    cols.len(),
                    cols.len()
                ),
                v.first().map(|f| f.at.place()),
            );
            v.into_iter().take(cols.len()).collect()
        }
        Err(v) if !v.is_empty() => {
            let what = format!("表二 {}", row.name());
            if let Some((cells, raw, inferred)) =
                super::runs::read_frags(&v, cols.len(), &what, |_| true, ctx)
            {
                let place = v.first().map_or(At::unknown(), |f| f.at);
                let at = place.place();
                for (c, val) in cols.iter().zip(cells) {
                    let frag = Frag {
                        raw: val.map(|x| x.to_string()).unwrap_or_default().into(),
                        norm: "".into(),
                        value: Some(match val {
                            Some(x) => CellValue::Number(super::numbers::Number {
                                value: x as f64,
                                is_integer: true,
                                unit: None,
                            }),
                            None => CellValue::Blank,
                        }),
                        at: place,
                        in_paragraph: true,
                    };
                    if set(ad, row, *c, &frag, t) && val.is_some() {
                        let ptr = ["/active_disclosure/", row.key(), "/", c.key()].concat();
                        ctx.read_run(ptr, &raw, &at, inferred);
                    }
                }
                return;
            }
            let raw: Vec<&str> = v.iter().map(|f| f.raw.as_ref()).collect();
            ctx.warn(
                "short_row",
                format!("表二 {}: {} values for {} columns ({}); no sum links them, so they are left null", row.name(), v.len(), cols.len(), raw.join(" ")),
                v.first().map(|f| f.at.place()),
            );
            return;
        }
        Err(_) => return,
    };
    for (c, f) in cols.iter().zip(&vals) {
        let ptr = ["/active_disclosure/", row.key(), "/", c.key()].concat();
        if set(ad, row, *c, f, t) {
            ctx.read(ptr, f);
        } else {
            ctx.warn(
                "column_not_in_template",
                format!(
                    "表二 {} column {} is not in the {:?} template; value {} ignored",
                    row.name(),
                    c.key(),
                    t,
                    f.raw
                ),
                Some(f.at.place()),
            );
        }
    }
}

/// Sets one figure; `false` when the template has no such field.
fn set(ad: &mut ActiveDisclosure, row: R, col: C, f: &Frag, _t: Template) -> bool {
    let n = count(f);
    let slot_count = |slot: &mut Option<Option<i64>>| -> bool {
        match slot {
            Some(v) => {
                *v = n;
                true
            }
            None => false,
        }
    };
    match row {
        R::Regulations | R::Normative => {
            let d = if row == R::Regulations {
                &mut ad.regulations
            } else {
                &mut ad.normative_documents
            };
            match col {
                C::Issued => slot_count(&mut d.issued),
                C::PublishedNew => slot_count(&mut d.published_new),
                C::PublishedTotal => slot_count(&mut d.published_total),
                C::Repealed => slot_count(&mut d.repealed),
                C::InForce => slot_count(&mut d.in_force),
                _ => false,
            }
        }
        R::Licensing | R::OtherServices | R::Penalty | R::Coercion => {
            let it = match row {
                R::Licensing => &mut ad.admin_licensing,
                R::Penalty => &mut ad.admin_penalty,
                R::Coercion => &mut ad.admin_coercion,
                _ => match ad.other_admin_services.as_mut() {
                    Some(x) => x,
                    None => return false,
                },
            };
            match col {
                C::Decisions => slot_count(&mut it.decisions),
                C::ItemsPrev => slot_count(&mut it.items_prev_year),
                C::ItemsChange => slot_count(&mut it.items_change),
                _ => false,
            }
        }
        R::Fees => match col {
            C::Amount => match ad.admin_fees.amount_wan_yuan.as_mut() {
                Some(v) => {
                    *v = amount_wan_yuan(f);
                    true
                }
                None => false,
            },
            C::ItemsPrev => slot_count(&mut ad.admin_fees.items_prev_year),
            C::ItemsChange => slot_count(&mut ad.admin_fees.items_change),
            _ => false,
        },
        R::Procurement => {
            let Some(p) = ad.central_procurement.as_mut() else {
                return false;
            };
            match col {
                C::Projects => {
                    p.projects = n;
                    true
                }
                C::TotalAmount => {
                    p.total_amount = number(f);
                    p.total_amount_unit = match &f.value {
                        Some(CellValue::Number(x)) => x
                            .unit
                            .filter(|u| *u == "元" || *u == "万元")
                            .map(str::to_string),
                        _ => None,
                    };
                    true
                }
                _ => false,
            }
        }
    }
}

/// 本年收费金额 in 万元; a cell written in 元 is converted.
fn amount_wan_yuan(f: &Frag) -> Option<f64> {
    match &f.value {
        Some(CellValue::Number(n)) if n.unit == Some("元") => Some(n.value / 10_000.0),
        Some(CellValue::Number(n)) => Some(n.value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::labels::normalize;

    #[test]
    fn rows_and_columns() {
        assert_eq!(classify_row(&normalize("规 章")), Some(R::Regulations));
        assert_eq!(
            classify_row(&normalize("行政规范性文件")),
            Some(R::Normative)
        );
        assert_eq!(classify_row(&normalize("规范性文件")), Some(R::Normative));
        assert_eq!(
            classify_row(&normalize("其他对外管理服务事项")),
            Some(R::OtherServices)
        );
        assert_eq!(classify_col(&normalize("本年增/减")), Some(C::ItemsChange));
        assert_eq!(
            classify_col(&normalize("上一年项目数量")),
            Some(C::ItemsPrev)
        );
        assert_eq!(classify_col(&normalize("采购项目数量")), Some(C::Projects));
        // 废止 with its 止 lost still names the column, but not before the ones tried
        // first; 废止 itself beats the later columns.
        assert_eq!(classify_col("本年废件数"), Some(C::Repealed));
        assert_eq!(classify_col("本年废件数现行有效"), Some(C::Repealed));
        assert_eq!(classify_col("本年新公开废件数"), Some(C::PublishedNew));
        assert_eq!(classify_col("现行有效件数"), Some(C::InForce));
        assert_eq!(classify_col("废止处理决定"), Some(C::Repealed));
        assert_eq!(classify_col("信息内容"), None);
        assert_eq!(
            classify_col(&normalize("本年收费金额（单位：万元）")),
            Some(C::Amount)
        );
    }
}
