//! Title, agency, report year, statistics period and basis documents.

use std::sync::OnceLock;

use regex::Regex;

use super::unglue::Blocks;
use crate::model::Meta;

use std::borrow::Cow;

use super::labels::{normalize, normalize_cow};

/// A regex compiled once. The patterns are constants, tested below; should one ever fail
/// to compile, it matches nothing rather than panicking.
pub(crate) fn re(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

/// Whether a normalised line reads as a report title: …政府信息公开…年度报告 / 工作报告 /
/// 年报, ending so (a bracketed note aside), no sentence, no breadcrumb.
pub fn is_title(norm: &str) -> bool {
    let core = match norm.rfind('(') {
        Some(i) if norm.ends_with(')') && i > 0 => &norm[..i],
        _ => norm,
    };
    norm.chars().count() <= 80
        && norm.contains("政府信息公开")
        && (core.ends_with("报告") || core.ends_with("年报"))
        && (norm.contains("年度报告") || norm.contains("工作报告") || norm.contains("年报"))
        && !norm.contains('。')
        && !norm.contains("当前位置")
        && !norm.contains('>')
        && !norm.contains('›')
        && !norm.starts_with("根据")
        && !norm.starts_with("按照")
        && !norm.starts_with("本报告")
}

fn has_year(norm: &str) -> bool {
    norm.as_bytes()
        .windows(4)
        .any(|w| (w.starts_with(b"19") || w.starts_with(b"20")) && w.iter().all(u8::is_ascii_digit))
}

/// Reads the report's meta data from its paragraphs.
pub fn read_meta(doc: &Blocks<'_>) -> Meta {
    let paras: Vec<&str> = doc.paragraphs().map(|p| p.text.as_str()).collect();
    // Each paragraph normalised once, for every look-up below.
    let norms: Vec<Cow<'_, str>> = paras.iter().map(|p| normalize_cow(p)).collect();
    let title = find_title(&paras, &norms);
    let mut meta = Meta {
        title: title.clone(),
        ..Meta::default()
    };
    static YEAR: OnceLock<Option<Regex>> = OnceLock::new();
    let year_re = re(&YEAR, r"((?:19|20)\d{2})年");
    if let (Some(t), Some(year_re)) = (&title, year_re) {
        let n = normalize(t);
        meta.report_year = year_re
            .captures(&n)
            .and_then(|c| c.get(1))
            .and_then(|m| m.as_str().parse().ok());
        meta.agency = agency_from_title(&n);
    }
    let (start, end) = stat_period(&norms);
    meta.stat_period_start = start;
    meta.stat_period_end = end;
    if meta.report_year.is_none() {
        meta.report_year = meta
            .stat_period_end
            .as_deref()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok());
    }
    meta.basis_documents = basis_documents(&norms);
    if meta.agency.is_none() {
        meta.agency = agency_from_signature(&paras);
    }
    meta
}

/// The agency that signs the report: the short line before (or the text before) the
/// closing date, when it ends like an agency's name.
fn agency_from_signature(paras: &[&str]) -> Option<String> {
    const ENDINGS: [&str; 16] = [
        "局",
        "委员会",
        "委",
        "政府",
        "办公室",
        "办",
        "中心",
        "院",
        "厅",
        "部",
        "署",
        "管委会",
        "街道办事处",
        "镇",
        "乡",
        "所",
    ];
    let agency_like = |s: &str| {
        let n = normalize(s);
        (2..=30).contains(&n.chars().count())
            && !n.contains(['。', '，', ',', '：', ':'])
            && ENDINGS.iter().any(|e| n.ends_with(e))
    };
    let last = paras.len().saturating_sub(40);
    for i in (last..paras.len()).rev() {
        let p = paras.get(i)?.trim();
        if !super::sections::ends_with_signature_date(p) {
            continue;
        }
        // "平潭综合实验区自然资源与生态环境局2024年1月5日" on one line.
        let n = normalize(p);
        if let Some(y) = n.find(|c: char| c.is_ascii_digit() || "〇○二".contains(c)) {
            let head = &n[..y];
            if agency_like(head) {
                return Some(head.to_string());
            }
        }
        let prev = paras.get(i.checked_sub(1)?)?.trim();
        if agency_like(prev) {
            return Some(normalize(prev));
        }
        return None;
    }
    None
}

fn find_title(paras: &[&str], norms: &[Cow<'_, str>]) -> Option<String> {
    // A scraper's header line: 标题: …
    for p in paras.iter().take(12) {
        if let Some(rest) = p
            .trim()
            .strip_prefix("标题:")
            .or_else(|| p.trim().strip_prefix("标题："))
        {
            let rest = rest.trim();
            if !rest.is_empty() {
                return Some(rest.to_string());
            }
        }
    }
    // A title with a year first; a bare one only when there is none.
    let with_year = norms
        .iter()
        .take(80)
        .position(|n| is_title(n) && has_year(n));
    let first = with_year.or_else(|| norms.iter().take(80).position(|n| is_title(n)));
    if let Some(i) = first {
        let p = paras.get(i)?;
        let n = norms.get(i)?;
        let mut title = p.trim().to_string();
        // A title split over two lines: agency, then "2023 年政府信息公开工作年度报告".
        let starts_with_year = n.chars().take(4).all(|c| c.is_ascii_digit());
        if starts_with_year && i > 0 {
            if let (Some(prev), Some(pn)) = (paras.get(i - 1), norms.get(i - 1)) {
                if (2..=30).contains(&pn.chars().count())
                    && !pn.contains(['。', '，', ',', ':', '：'])
                    && !pn.contains("政府信息公开")
                {
                    title = format!("{}{}", prev.trim(), title);
                }
            }
        }
        return Some(tidy_title(&title));
    }
    None
}

/// Removes spaces around digits ("2023 年" → "2023年") and collapses other white space.
fn tidy_title(t: &str) -> String {
    let chars: Vec<char> = t.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() || c == '\u{3000}' {
            let prev = chars.get(i.wrapping_sub(1)).copied().unwrap_or(' ');
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
            if (prev.is_ascii_digit() && cjk(next)) || (cjk(prev) && next.is_ascii_digit()) {
                continue;
            }
            if out.ends_with(' ') {
                continue;
            }
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// The agency named by a title: before the year, or between the year and 政府信息公开.
pub fn agency_from_title(norm: &str) -> Option<String> {
    static Y: OnceLock<Option<Regex>> = OnceLock::new();
    let y = re(&Y, r"(?:19|20)\d{2}年度?")?;
    let m = y.find(norm)?;
    let before = norm.get(..m.start()).unwrap_or("");
    let before = before.trim_end_matches(['关', '于']);
    let cand = if before.chars().count() >= 2 {
        before.to_string()
    } else {
        let after = norm.get(m.end()..).unwrap_or("");
        let end = after.find("政府信息公开").unwrap_or(0);
        after.get(..end).unwrap_or("").to_string()
    };
    let cand = cand
        .trim_matches(|c: char| c == '《' || c == '》' || c == '(' || c == ')')
        .to_string();
    (cand.chars().count() >= 2).then_some(cand)
}

fn stat_period(norms: &[Cow<'_, str>]) -> (Option<String>, Option<String>) {
    static P: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(p) = re(
        &P,
        r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日(?:起)?(?:至|到|－|-|—|～|~)((?:19|20)\d{2})?年?(\d{1,2})月(\d{1,2})日",
    ) else {
        return (None, None);
    };
    let mut fallback = None;
    for n in norms.iter().filter(|n| n.contains('月')) {
        for c in p.captures_iter(n) {
            let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
            let (Some(y1), Some(m1), Some(d1), Some(m2), Some(d2)) =
                (num(1), num(2), num(3), num(5), num(6))
            else {
                continue;
            };
            let y2 = num(4).unwrap_or(y1);
            if !(1..=12).contains(&m1)
                || !(1..=12).contains(&m2)
                || d1 > 31
                || d2 > 31
                || d1 == 0
                || d2 == 0
            {
                continue;
            }
            let found = (
                Some(format!("{y1:04}-{m1:02}-{d1:02}")),
                Some(format!("{y2:04}-{m2:02}-{d2:02}")),
            );
            let ctx_start = c.get(0).map_or(0, |m| m.start());
            let ctx = n
                .get(ctx_start.saturating_sub(60)..ctx_start)
                .unwrap_or_else(|| n.get(..ctx_start).unwrap_or(""));
            if ctx.contains("统计") || n.contains("统计期限") || n.contains("统计时限") {
                return found;
            }
            fallback.get_or_insert(found);
        }
    }
    fallback.unwrap_or((None, None))
}

fn basis_documents(norms: &[Cow<'_, str>]) -> Vec<String> {
    static D: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(d) = re(
        &D,
        r"(国务院令第?\d+号|[\p{Han}]{2,10}\[(?:19|20)\d{2}\]\d+号)",
    ) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    // Both forms end in 号.
    for n in norms.iter().take(40).filter(|n| n.contains('号')) {
        let n = n.replace('(', "[").replace(')', "]");
        for m in d.find_iter(&n) {
            let s = m.as_str().replace('[', "〔").replace(']', "〕");
            // "…和国办公开办函〔2021〕30号": a connector before the issuer is not part of it.
            let s = [
                "根据", "依据", "按照", "参照", "以及", "和", "与", "及", "的",
            ]
            .iter()
            .find_map(|c| s.strip_prefix(c).filter(|r| r.chars().count() > 6))
            .map_or(s.clone(), str::to_string);
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert!(is_title(&normalize(
            "渠县经济和信息化局2023年政府信息公开工作年度报告"
        )));
        assert!(is_title(&normalize("2023 年政府信息公开工作年度报告")));
        assert!(!is_title(&normalize(
            "根据《条例》编制本局2023年政府信息公开工作年度报告。"
        )));
        assert_eq!(
            tidy_title("渠县经济和信息化局2023 年政府信息公开工作年度报告"),
            "渠县经济和信息化局2023年政府信息公开工作年度报告"
        );
    }

    #[test]
    fn agencies() {
        assert_eq!(
            agency_from_title("平潭综合实验区社会事业局2019年政府信息公开工作年度报告").as_deref(),
            Some("平潭综合实验区社会事业局")
        );
        assert_eq!(
            agency_from_title("2019年度平潭县财政局政府信息公开工作年度报告").as_deref(),
            Some("平潭县财政局")
        );
    }

    #[test]
    fn agency_from_the_signature() {
        let p = [
            "政府信息公开工作年度报告",
            "一、总体情况",
            "……",
            "平潭县财政局",
            "二○一○年四月十日",
        ];
        assert_eq!(agency_from_signature(&p).as_deref(), Some("平潭县财政局"));
        let p = ["正文", "平潭综合实验区自然资源与生态环境局2024年1月5日"];
        assert_eq!(
            agency_from_signature(&p).as_deref(),
            Some("平潭综合实验区自然资源与生态环境局")
        );
        let p = ["正文。", "2024年1月5日"];
        assert_eq!(agency_from_signature(&p), None);
    }

    #[test]
    fn periods_and_documents() {
        let p = [normalize_cow("所列数据统计期限为 2023 年 1 月 1 日至 12 月 31 日。（国务院令 711 号）、（国办公开办函〔2021〕30 号）")];
        assert_eq!(
            stat_period(&p),
            (Some("2023-01-01".into()), Some("2023-12-31".into()))
        );
        assert_eq!(
            basis_documents(&p),
            ["国务院令711号", "国办公开办函〔2021〕30号"]
        );
        let p = [normalize_cow("统计期限自2023年1月1日起至2023年12月31日止")];
        assert_eq!(stat_period(&p).1.as_deref(), Some("2023-12-31"));
    }
}
