//! Table 4 (行政复议、行政诉讼情况): three header rows and one row of 15 figures.

use crate::model::{Outcomes, ReviewLitigation, OUTCOMES};

use super::ctx::{count, fit, is_narrative, Ctx};
use super::lines::{Frag, Line};
use super::numbers::CellValue;

/// Whether a normalised label anchors table 4.
pub fn is_anchor(norm: &str) -> bool {
    !is_narrative(norm) && (norm.contains("行政复议") || norm.contains("未经复议直接起诉"))
}

const GROUPS: [&str; 3] = [
    "admin_review",
    "litigation_direct",
    "litigation_after_review",
];

/// Reads table 4 from its region.
pub fn read(lines: &[Line], ctx: &mut Ctx) -> ReviewLitigation {
    let mut header = String::new();
    let mut vals: Vec<Frag> = Vec::new();
    'lines: for line in lines {
        if line.paragraph
            && line
                .frags
                .iter()
                .any(|f| f.is_label() && is_narrative(&f.norm))
        {
            if vals.is_empty() {
                continue;
            }
            break;
        }
        let values_only = line.frags.iter().all(|f| !f.is_label());
        for f in &line.frags {
            if f.is_label() {
                if !vals.is_empty() && vals.len() < 15 && !line.grid {
                    // A label after some figures: the row is over.
                    break 'lines;
                }
                header.push_str(&f.norm);
            } else if line.grid
                && !values_only
                && matches!(f.value, Some(CellValue::Blank))
                && vals.is_empty()
            {
                continue;
            } else {
                vals.push(f.clone());
            }
        }
        if vals.len() >= 15 {
            break;
        }
    }
    let mut rl = ReviewLitigation::default();
    // Group order from the header: 复议后起诉 may be printed before 未经复议直接起诉.
    let mut order = [0usize, 1, 2];
    if let (Some(d), Some(r)) = (header.find("未经复议"), header.find("复议后起诉")) {
        if r < d {
            order = [0, 2, 1];
        }
    }
    let vals = match fit(vals, 15) {
        Ok(v) => v,
        Err(v) => {
            // Cells run together ("00 0 0 01 …"): split by each group's total.
            let groups = |s: &[i64]| {
                s.chunks(5)
                    .all(|g| g.get(..4).map(|p| p.iter().sum::<i64>()) == g.get(4).copied())
            };
            if let Some((cells, raw, inferred)) =
                super::runs::read_frags(&v, 15, "表四", groups, ctx)
            {
                let at = v.first().map(|f| f.at.place()).unwrap_or_default();
                for (i, c) in cells.iter().enumerate() {
                    let group = order[i / 5];
                    let g = match group {
                        0 => &mut rl.admin_review,
                        1 => &mut rl.litigation_direct,
                        _ => &mut rl.litigation_after_review,
                    };
                    if let Some(s) = g.slot_mut(i % 5) {
                        *s = *c;
                    }
                    if c.is_some() {
                        let ptr =
                            ["/review_litigation/", GROUPS[group], "/", OUTCOMES[i % 5]].concat();
                        ctx.read_run(ptr, &raw, &at, inferred);
                    }
                }
                return rl;
            }
            if !v.is_empty() {
                let raw: Vec<&str> = v.iter().map(|f| f.raw.as_ref()).collect();
                ctx.warn(
                    "short_row",
                    format!(
                        "表四 has {} figures for 15 columns ({}); they are left null",
                        v.len(),
                        raw.join(" ")
                    ),
                    v.first().map(|f| f.at.place()),
                );
            } else {
                ctx.warn(
                    "missing_row",
                    "表四's figures were not found; they are null",
                    Some("/review_litigation"),
                );
            }
            return rl;
        }
    };
    for (i, f) in vals.iter().enumerate() {
        let group = order[i / 5];
        let slot = i % 5;
        let g: &mut Outcomes = match group {
            0 => &mut rl.admin_review,
            1 => &mut rl.litigation_direct,
            _ => &mut rl.litigation_after_review,
        };
        if let Some(s) = g.slot_mut(slot) {
            *s = count(f);
        }
        ctx.read(
            ["/review_litigation/", GROUPS[group], "/", OUTCOMES[slot]].concat(),
            f,
        );
    }
    rl
}
