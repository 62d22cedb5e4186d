//! Extraction: [`Document`] → [`Report`], by labels, never by position.
//!
//! The document is flattened into [`lines`]; the three tables' regions are found by
//! their anchor labels; each table reader classifies labels by keywords and takes the
//! values that follow them. Meta data and sections come from the paragraphs.

use crate::document::Document;
use crate::error::Error;
use crate::model::{Report, Sections, Source, Template, SCHEMA_VERSION};

mod ctx;
mod fee;
pub(crate) mod labels;
mod legacy;
mod lines;
mod meta;
pub(crate) mod numbers;
mod runs;
mod sections;
mod t2;
mod t3;
mod t4;
pub(crate) mod text_facts;
mod unglue;

use ctx::Ctx;
use lines::Line;

/// Extracts the report held in `doc`. `source` describes the input.
pub fn extract(doc: &Document, source: Source) -> Result<Report, Error> {
    let original = doc;
    let doc = &unglue::unglue(doc);
    let lines = lines::flatten(doc);
    let meta = meta::read_meta(doc);
    let sections = sections::read_sections(doc);
    // No national table anywhere (§8.1): what looks like a table region is legacy text.
    let national = legacy::has_national_table(lines.iter().map(Line::label_norm));
    let regions = if national {
        Regions::find(&lines)
    } else {
        Regions::default()
    };
    let mut ctx = Ctx::default();
    let (template, mut evidence) = detect_template(&lines, &regions, meta.report_year);

    let active_disclosure = regions
        .t2
        .map(|(a, b)| t2::read(&lines[a..b], template, &mut ctx));
    let split_other = template != Template::Gov2019;
    let applications = regions
        .t3
        .map(|(a, b)| t3::read(&lines[a..b], split_other, &mut ctx));
    let review_litigation = regions.t4.map(|(a, b)| t4::read(&lines[a..b], &mut ctx));
    evidence.append(&mut ctx.evidence);
    let legacy_tables = legacy::read_tables(doc, &mut ctx);

    // A heading is evidence of a report when it stands at its place in the template
    // (一、总体情况 … 六、其他…) or names 政府信息 / 信息公开 itself: "十一、诉讼" in some
    // other document is not.
    let heading_count = (0..6)
        .filter(|i| {
            sections.get(*i).is_some_and(|s| {
                let n = labels::normalize(&s.heading);
                labels::heading_ordinal(&n) == Some(*i as u8 + 1)
                    || n.contains("政府信息")
                    || n.contains("信息公开")
            })
        })
        .count();
    let has_table =
        active_disclosure.is_some() || applications.is_some() || review_litigation.is_some();
    if meta.title.is_none() && heading_count < 2 && !has_table && legacy_tables.is_empty() {
        return Err(Error::not_a_report(
            "title …政府信息公开…年度报告, two or more of the six section headings, or one of tables 2–4",
        ));
    }
    let template = if has_table {
        if !legacy_tables.is_empty() {
            ctx.evidence
                .push("mixed eras: a legacy-style table beside the national tables".to_string());
        }
        template
    } else if is_legacy(&sections, meta.report_year) || !legacy_tables.is_empty() {
        ctx.evidence
            .push("no national table (第二十条第（一）项, 本年新收…申请数量 absent)".to_string());
        Template::Legacy
    } else {
        Template::Unknown
    };
    let legacy = legacy::finish(
        legacy_tables,
        original,
        template == Template::Legacy,
        &mut ctx,
    );
    evidence.append(&mut ctx.evidence);
    let info_processing_fee = sections
        .other_matters
        .as_ref()
        .and_then(|s| fee::read(&s.text))
        .or_else(|| fee::read_anywhere(doc));

    Ok(Report {
        schema_version: SCHEMA_VERSION,
        source,
        template,
        template_evidence: evidence,
        meta,
        sections,
        active_disclosure,
        applications,
        review_litigation,
        legacy,
        info_processing_fee,
        extras: ctx.extras,
        checks: Vec::new(),
        suspect_cells: Vec::new(),
        warnings: ctx.warnings,
        provenance: Ctx::provenance_map(ctx.provenance),
    })
}

/// Line ranges of the three tables.
#[derive(Debug, Default)]
struct Regions {
    t2: Option<(usize, usize)>,
    t3: Option<(usize, usize)>,
    t4: Option<(usize, usize)>,
}

impl Regions {
    fn find(lines: &[Line]) -> Regions {
        // Each line's section heading, if it is one (paragraphs only), computed once.
        let headings: Vec<Option<usize>> = lines
            .iter()
            .map(|l| match l.frags.as_slice() {
                _ if !l.paragraph => None,
                [one] => sections::classify_heading(&one.raw),
                _ => sections::classify_heading(&l.raw_text()),
            })
            .collect();
        let any =
            |l: &Line, f: fn(&str) -> bool| l.frags.iter().any(|x| x.is_label() && f(&x.norm));
        let t3_start = lines.iter().position(|l| {
            any(l, t3::is_anchor) && !l.paragraph
                || any(l, |n| n.contains("本年新收") && n.contains("申请数量"))
        });
        let t2_start = lines
            .iter()
            .take(t3_start.unwrap_or(lines.len()))
            .position(|l| any(l, t2::is_anchor));
        let t4_from = t3_start.unwrap_or(0);
        let t4_start = lines
            .iter()
            .enumerate()
            .skip(t4_from)
            .find(|(i, l)| {
                any(l, t4::is_anchor)
                    && lines.iter().skip(*i).take(6).any(|n| {
                        any(n, |x| {
                            x.contains("结果维持")
                                || x.contains("未经复议")
                                || x.contains("行政诉讼")
                        })
                    })
            })
            .map(|(i, _)| i);
        let end_after = |start: usize, stop: &[Option<usize>], min_section: usize| -> usize {
            let mut end = lines.len();
            for s in stop.iter().flatten() {
                if *s > start {
                    end = end.min(*s);
                }
            }
            for (i, h) in headings
                .iter()
                .enumerate()
                .skip(start + 1)
                .take(end.saturating_sub(start + 1))
            {
                if h.is_some_and(|k| k >= min_section) {
                    return i;
                }
            }
            end
        };
        let mut r = Regions::default();
        if let Some(s) = t2_start {
            r.t2 = Some((s, end_after(s, &[t3_start, t4_start], 2)));
        }
        if let Some(s) = t3_start {
            r.t3 = Some((s, end_after(s, &[t4_start], 3)));
        }
        if let Some(s) = t4_start {
            r.t4 = Some((s, end_after(s, &[], 4)));
        }
        r
    }
}

/// Decides the template from features (REPORT_FORMAT.md §8.1): table 2's columns first,
/// then table 3's （六） rows, then the 文号 cited, then the year.
fn detect_template(
    lines: &[Line],
    regions: &Regions,
    year: Option<i32>,
) -> (Template, Vec<String>) {
    let mut evidence = Vec::new();
    let mut t2_vote = None;
    if let Some((a, b)) = regions.t2 {
        for l in &lines[a..b] {
            for f in l.frags.iter().filter(|f| f.is_label()) {
                if let Some((t, k)) = t2::evidence(&f.norm) {
                    evidence.push(format!("t2 header {k}"));
                    t2_vote.get_or_insert(t);
                }
            }
        }
    }
    let mut t3_vote = None;
    if let Some((a, b)) = regions.t3 {
        let split = lines[a..b].iter().flat_map(|l| l.frags.iter()).any(|f| {
            f.is_label() && (f.norm.contains("逾期不补正") || f.norm.contains("收费通知"))
        });
        if split {
            evidence.push("t3 (六) has 3 sub-rows".to_string());
            t3_vote = Some(Template::Gov2021);
        } else if lines[a..b]
            .iter()
            .flat_map(|l| l.frags.iter())
            .any(|f| f.norm.contains("其他处理"))
        {
            evidence.push("t3 (六) is a single row".to_string());
            t3_vote = Some(Template::Gov2019);
        }
    }
    let mut cite_vote = None;
    for l in lines.iter().filter(|l| l.paragraph).take(60) {
        let n = labels::normalize(&l.raw_text());
        if n.contains("[2021]30号") {
            evidence.push("cites 国办公开办函〔2021〕30号".to_string());
            cite_vote = Some(Template::Gov2021);
            break;
        }
        if n.contains("[2019]60号") {
            evidence.push("cites 国办公开办函〔2019〕60号".to_string());
            cite_vote = Some(Template::Gov2019);
            break;
        }
    }
    let year_vote = year.map(|y| {
        if y >= 2021 {
            Template::Gov2021
        } else {
            Template::Gov2019
        }
    });
    let t = t2_vote
        .or(t3_vote)
        .or(cite_vote)
        .or(year_vote)
        .unwrap_or(Template::Gov2021);
    if t2_vote.is_some() && t3_vote.is_some() && t2_vote != t3_vote {
        evidence.push("table 2 and table 3 follow different formats; table 2 decides".to_string());
    }
    if t2_vote.is_none() && t3_vote.is_none() && cite_vote.is_none() {
        if let Some(y) = year {
            evidence.push(format!("report year {y}"));
        }
    }
    (t, evidence)
}

fn is_legacy(sections: &Sections, year: Option<i32>) -> bool {
    year.is_some_and(|y| y < 2019) || (0..6).filter(|i| sections.get(*i).is_some()).count() >= 2
}
