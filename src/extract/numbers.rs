//! One cell's text → a count, an amount, a blank or a placeholder.
//!
//! Accepted: ASCII and full-width digits, thousands separators (`,` `，`), decimals,
//! a sign (`-` `−` `－` `+`, `减少3`, `增加5`), a trailing unit (件, 万元, 元, 条, 个, 项,
//! 次, 人次, %), and a bracketed annotation after the number (`22（其中修订16件）` → 22).
//! Blank (white space only, including U+3000 and no-break spaces) and placeholders
//! (`—`, `——`, `–`, `-`, `－`, `/`, `／`, `\`, `无`, `空`) are kept apart from zero.

use crate::read::text::is_space;
/// What one cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    /// Empty or white space only.
    Blank,
    /// A placeholder such as `—` or `/`: no figure, the raw text is kept.
    Placeholder,
    /// A number.
    Number(Number),
}

/// A number as written in a cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    /// The value.
    pub value: f64,
    /// Whether it was written without a fractional part.
    pub is_integer: bool,
    /// The unit written after it, if any (`元`, `万元`, `件` …).
    pub unit: Option<&'static str>,
}

impl Number {
    /// The value as an integer, when it is one.
    pub fn as_int(&self) -> Option<i64> {
        if self.is_integer && self.value.abs() < 9.0e15 {
            Some(self.value as i64)
        } else {
            None
        }
    }
}

const UNITS: &[&str] = &[
    "万元", "人次", "件次", "元", "件", "条", "个", "项", "次", "人", "篇", "家", "%", "％",
];

/// The characters of [`UNITS`] and of the written signs 减少 / 增加.
const NUMBER_WORD_CHARS: &str = "万元人次件条个项篇家减少增加";

/// Parses one cell. `None` when the text is not a value (a label, a sentence).
pub fn parse_cell(raw: &str) -> Option<CellValue> {
    let t = raw.trim_matches(is_space);
    if t.is_empty() {
        return Some(CellValue::Blank);
    }
    if is_placeholder(t) {
        return Some(CellValue::Placeholder);
    }
    parse_number(t).map(CellValue::Number)
}

/// Whether the trimmed text is a placeholder standing for "no figure".
pub fn is_placeholder(t: &str) -> bool {
    if t == "无" || t == "空" {
        return true;
    }
    !t.is_empty()
        && t.chars().all(|c| {
            matches!(
                c,
                '—' | '–' | '-' | '－' | '−' | '―' | '─' | '/' | '／' | '\\' | '＼' | '一'
            ) || is_space(c)
        })
        && !t.chars().all(|c| c == '一' || is_space(c))
}

/// Parses a number with optional sign, unit and bracketed annotation.
pub fn parse_number(t: &str) -> Option<Number> {
    // Most value cells are plain ASCII digits: read them without allocating.
    if !t.is_empty() && t.len() <= 15 && t.bytes().all(|b| b.is_ascii_digit()) {
        let value = t.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
        return Some(Number {
            value: value as f64,
            is_integer: true,
            unit: None,
        });
    }
    // Most cells are labels: reject them before allocating anything.
    let first = t.trim_start_matches(is_space).chars().next()?;
    if !(first.is_ascii_digit()
        || ('０'..='９').contains(&first)
        || matches!(first, '-' | '−' | '－' | '–' | '+' | '＋' | '减' | '增'))
    {
        return None;
    }
    let mut s: String = String::with_capacity(t.len());
    let mut gap = false;
    let mut bracketed = false;
    for c in t.trim_matches(is_space).chars() {
        if is_space(c) {
            gap = true;
            continue;
        }
        // White space between two digits separates two cells: "19 0" is no number.
        if gap
            && (c.is_ascii_digit() || ('０'..='９').contains(&c))
            && s.ends_with(|p: char| p.is_ascii_digit())
        {
            return None;
        }
        gap = false;
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFF10 + u32::from(b'0')).unwrap_or(c),
            '．' => '.',
            '，' => ',',
            '－' | '−' | '–' => '-',
            '＋' => '+',
            '（' => '(',
            '）' => ')',
            '％' => '%',
            c => c,
        };
        // Before the first bracket only a sign, digits, separators and a unit can
        // stand; anything else makes this no number (most label tokens stop here).
        if !bracketed {
            if matches!(c, '(' | '[' | '【') {
                bracketed = true;
            } else if !(c.is_ascii_digit()
                || matches!(c, '.' | ',' | '-' | '+' | '%')
                || NUMBER_WORD_CHARS.contains(c))
            {
                return None;
            }
        }
        s.push(c);
    }
    // A bracketed annotation after the number: 22(其中修订16件).
    if let Some(open) = s.find(['(', '[', '【']) {
        if open > 0 && (s.ends_with(')') || s.ends_with(']') || s.ends_with('】')) {
            s.truncate(open);
        }
    }
    let mut body = s.as_str();
    let mut negative = false;
    if let Some(rest) = body.strip_prefix("减少") {
        negative = true;
        body = rest;
    } else if let Some(rest) = body.strip_prefix("增加") {
        body = rest;
    } else if let Some(rest) = body.strip_prefix('-') {
        negative = true;
        body = rest;
    } else if let Some(rest) = body.strip_prefix('+') {
        body = rest;
    }
    let mut unit = None;
    for u in UNITS {
        if let Some(rest) = body.strip_suffix(u) {
            unit = Some(*u);
            body = rest;
            break;
        }
    }
    if body.is_empty() || !body.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    if body.matches('.').count() > 1 || body.ends_with('.') || body.ends_with(',') {
        return None;
    }
    // Thousands separators must group by three.
    let (int_part, frac) = body.split_once('.').unwrap_or((body, ""));
    if int_part.contains(',') {
        let groups: Vec<&str> = int_part.split(',').collect();
        let ok = groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
            && groups.iter().skip(1).all(|g| g.len() == 3);
        if !ok {
            return None;
        }
    }
    let digits: String = int_part.chars().filter(|c| *c != ',').collect();
    let text = if frac.is_empty() {
        digits
    } else {
        format!("{digits}.{frac}")
    };
    let mut value: f64 = text.parse().ok()?;
    if negative {
        value = -value;
    }
    Some(Number {
        value,
        is_integer: frac.is_empty() || frac.chars().all(|c| c == '0'),
        unit: unit.map(|u| if u == "％" { "%" } else { u }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Option<f64> {
        match parse_cell(s)? {
            CellValue::Number(n) => Some(n.value),
            _ => None,
        }
    }

    #[test]
    fn plain_and_full_width_digits() {
        assert_eq!(num("0"), Some(0.0));
        assert_eq!(num("  42 "), Some(42.0));
        assert_eq!(num("１２３"), Some(123.0));
        assert_eq!(num("\u{3000}７\u{3000}"), Some(7.0));
        // Plain digits take the short path; longer runs the general one.
        assert_eq!(num("007"), Some(7.0));
        assert_eq!(num("123456789012345"), Some(123456789012345.0));
        assert_eq!(num("1234567890123456"), Some(1234567890123456.0));
    }

    #[test]
    fn separators_decimals_and_units() {
        assert_eq!(num("1,234"), Some(1234.0));
        assert_eq!(num("1，234，567"), Some(1234567.0));
        assert_eq!(num("7730.28"), Some(7730.28));
        assert_eq!(num("７７３０．２８"), Some(7730.28));
        assert_eq!(num("12件"), Some(12.0));
        assert_eq!(num("0件"), Some(0.0));
        assert_eq!(num("45.82万元"), Some(45.82));
        assert_eq!(num("251000元"), Some(251000.0));
        assert_eq!(num("100%"), Some(100.0));
        let Some(CellValue::Number(n)) = parse_cell("45.82万元") else {
            panic!()
        };
        assert_eq!((n.unit, n.is_integer), (Some("万元"), false));
        assert_eq!(num("12,34"), None);
        assert_eq!(num("19 0"), None);
        assert_eq!(num("45.82 万元"), Some(45.82));
    }

    #[test]
    fn signs() {
        assert_eq!(num("-8"), Some(-8.0));
        assert_eq!(num("−8"), Some(-8.0));
        assert_eq!(num("－8"), Some(-8.0));
        assert_eq!(num("+5"), Some(5.0));
        assert_eq!(num("减少3"), Some(-3.0));
        assert_eq!(num("增加5"), Some(5.0));
    }

    #[test]
    fn annotations_in_brackets() {
        assert_eq!(num("22（其中修订16件）"), Some(22.0));
        assert_eq!(num("22(其中修订16件)"), Some(22.0));
    }

    #[test]
    fn blanks_and_placeholders_are_not_zero() {
        for b in ["", " ", "\u{3000}", "\u{a0}", "\t"] {
            assert_eq!(parse_cell(b), Some(CellValue::Blank), "{b:?}");
        }
        for p in [
            "—", "——", "–", "-", "－", "/", "／", "\\", "无", "空", " — ",
        ] {
            assert_eq!(parse_cell(p), Some(CellValue::Placeholder), "{p:?}");
        }
    }

    #[test]
    fn labels_are_not_values() {
        for l in [
            "规章",
            "1.属于国家秘密",
            "2023年",
            "第二十条第（一）项",
            "-3-",
            "一",
            "3.5.1",
        ] {
            assert_eq!(parse_cell(l), None, "{l:?}");
        }
    }
}
