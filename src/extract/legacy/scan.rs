//! Text rows of a legacy 附表: `主动公开信息数 条 6 其中：1．网站公开 条 6 …` or, with the
//! cells run together, `1.当面申请数条152.网上申请数条243.`.
//!
//! The text is cut into labels and digit runs. A run is digits with single spaces and
//! decimal points between them; inside brackets (`计1条`) digits belong to the label;
//! digits followed by 年/月/日 are a date in the label; the last digit(s) of a run that
//! are followed by `.`/`．`/`、` and text open the next row's enumerator.

use crate::read::text::is_space;
/// One row read from text: the label as written and its run (raw; `None` when no run
/// follows the label), with the byte offsets of the run in the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextRow {
    /// The label as written (may include an enumerator, 其中, a unit).
    pub label: String,
    /// The run as written, trimmed; `None` for a label without figures.
    pub run: Option<String>,
    /// Byte offset of the row's start in the scanned text.
    pub offset: usize,
    /// A unit written after the run (`%`).
    pub unit_after: Option<&'static str>,
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn ascii(c: char) -> char {
    if ('０'..='９').contains(&c) {
        char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
    } else {
        c
    }
}

/// Cuts `text` into rows.
pub fn scan(text: &str) -> Vec<TextRow> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut rows = Vec::new();
    let mut label = String::new();
    let mut label_start = 0usize;
    let mut depth = 0usize;
    let mut i = 0usize;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if matches!(c, '(' | '（' | '[' | '【') {
            depth += 1;
        } else if matches!(c, ')' | '）' | ']' | '】') {
            depth = depth.saturating_sub(1);
        }
        if c == '\n' && !label.trim().is_empty() {
            // A line ends a label that has no figures (a group row).
            rows.push(TextRow {
                label: std::mem::take(&mut label).trim().to_string(),
                run: None,
                offset: label_start,
                unit_after: None,
            });
            depth = 0;
            i += 1;
            continue;
        }
        if depth > 0 || !is_digit(c) {
            if label.trim().is_empty() {
                label_start = pos;
            }
            label.push(c);
            i += 1;
            continue;
        }
        // A digit run from i: digits, a decimal point between digits, and white space
        // followed by a digit.
        let mut j = i;
        let mut run = String::new();
        while j < chars.len() {
            let c = chars[j].1;
            if is_digit(c) {
                run.push(ascii(c));
                j += 1;
            } else if (c == '.' || c == '．')
                && chars.get(j + 1).is_some_and(|n| is_digit(n.1))
                && run.ends_with(|d: char| d.is_ascii_digit())
            {
                run.push('.');
                j += 1;
            } else if is_space(c) {
                let mut k = j;
                while k < chars.len() && is_space(chars[k].1) {
                    k += 1;
                }
                if chars.get(k).is_some_and(|n| is_digit(n.1)) {
                    run.push(' ');
                    j = k;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let next = chars.get(j).map(|x| x.1);
        // A date (2017年度) belongs to the label.
        let date = matches!(next, Some('年' | '月' | '日' | '号'));
        if date && !run.contains(' ') {
            for x in &chars[i..j] {
                label.push(x.1);
            }
            i = j;
            continue;
        }
        // The next row's enumerator: `2.其他`, `4、`; or a date after the run.
        let mut enum_digits = 0usize;
        if date {
            enum_digits = run.rsplit(' ').next().map_or(0, str::len);
        }
        let spaced = chars.get(j + 1).is_some_and(|n| is_space(n.1));
        let after_punct = chars[(j + 1).min(chars.len())..]
            .iter()
            .find(|x| !is_space(x.1))
            .map(|x| x.1);
        if !date
            && matches!(next, Some('.' | '．' | '、'))
            && after_punct.is_some_and(|n| !is_digit(n))
            && (!spaced || run.contains(' '))
        {
            let last = run.rsplit(' ').next().unwrap_or("");
            enum_digits = if run.contains(' ') && last.len() <= 2 && !last.contains('.') {
                last.len()
            } else {
                1
            };
        }
        let value: String = run[..run.len() - enum_digits].trim_end().to_string();
        if value.is_empty() {
            // Only an enumerator: part of the label.
            for x in &chars[i..j] {
                label.push(x.1);
            }
            i = j;
            continue;
        }
        let mut unit_after = None;
        let mut after = j;
        if enum_digits == 0 && matches!(next, Some('%' | '％')) {
            unit_after = Some("%");
            after = j + 1;
        }
        rows.push(TextRow {
            label: std::mem::take(&mut label).trim().to_string(),
            run: Some(value),
            offset: label_start,
            unit_after,
        });
        // Re-scan the enumerator digits as the start of the next label.
        if enum_digits > 0 {
            // Position of the first enumerator digit among chars[i..j].
            let mut k = j;
            let mut left = enum_digits;
            while left > 0 && k > i {
                k -= 1;
                if is_digit(chars[k].1) {
                    left -= 1;
                }
            }
            label_start = chars[k].0;
            for x in &chars[k..j] {
                label.push(x.1);
            }
        } else {
            label_start = chars.get(after).map_or(text.len(), |x| x.0);
        }
        i = after;
    }
    if !label.trim().is_empty() {
        rows.push(TextRow {
            label: label.trim().to_string(),
            run: None,
            offset: label_start,
            unit_after: None,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(t: &str) -> Vec<(String, Option<String>)> {
        scan(t).into_iter().map(|r| (r.label, r.run)).collect()
    }

    #[test]
    fn spaced_and_glued_rows() {
        let p = pairs(
            "主动公开信息数 条 6 其中：1．网站公开 条 6 2．政府公报公开 条 0 4. 网上申请数 条 0",
        );
        assert_eq!(p[0], ("主动公开信息数 条".into(), Some("6".into())));
        assert_eq!(p[1], ("其中：1．网站公开 条".into(), Some("6".into())));
        assert_eq!(p[2], ("2．政府公报公开 条".into(), Some("0".into())));
        assert_eq!(p[3], ("4. 网上申请数 条".into(), Some("0".into())));
        let p = pairs("1.当面申请数条152.网上申请数条243.信函、传真申请数条1114对申请");
        assert_eq!(p[0], ("1.当面申请数条".into(), Some("15".into())));
        assert_eq!(p[1], ("2.网上申请数条".into(), Some("24".into())));
        assert_eq!(p[2], ("3.信函、传真申请数条".into(), Some("1114".into())));
        assert_eq!(p[3], ("对申请".into(), None));
        let p = pairs("3.不予公开答复数条00 4.其他类型答复数条88");
        assert_eq!(p[0].1, Some("00".into()));
        assert_eq!(p[1], ("4.其他类型答复数条".into(), Some("88".into())));
        let p =
            pairs("主动公开政府信息数（不同渠道和方式公开相同信息计1条） 条 150 全文电子化率 100%");
        assert_eq!(p[0].1, Some("150".into()));
        assert_eq!(p[1].1, Some("100".into()));
        let p = pairs("政府信息公开专项经费 万元 1.5 2017年度 3");
        assert_eq!(p[0].1, Some("1.5".into()));
        assert_eq!(p[1], ("2017年度".into(), Some("3".into())));
    }
}
