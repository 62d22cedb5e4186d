//! Label normalisation and the label dictionaries of the three tables.
//!
//! Labels are compared after [`normalize`]: full-width ASCII folded to half-width, all
//! white space removed (reports write "规 章"), quotes removed, brackets unified.
//! Rows are then recognised by their distinctive keywords, not by exact text, so that
//! typos such as 其他法律行政止公开 or 属于行政执法案件 still match.

/// Normalises a label for matching: full-width → half-width, no white space, no quotes,
/// unified brackets and enumerator punctuation.
pub fn normalize(s: &str) -> String {
    normalize_cow(s).into_owned()
}

/// [`normalize`], borrowing `s` when it is already normal (most labels are).
pub fn normalize_cow(s: &str) -> std::borrow::Cow<'_, str> {
    match first_change(s) {
        None => std::borrow::Cow::Borrowed(s),
        Some(at) => std::borrow::Cow::Owned(normalize_owned(s, at)),
    }
}

/// The byte offset of the first character [`normalize`] drops or replaces. A byte loop:
/// ASCII is judged by the byte, the CJK ideographs (lead bytes `E4`–`E9`: U+4000–U+9FFF,
/// none of which changes) are stepped over, and only other characters are decoded.
fn first_change(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(&x) = b.get(i) {
        match x {
            b'"' | b'\'' => return Some(i),
            _ if x.is_ascii_whitespace() || x == 0x0b => return Some(i),
            0x00..=0x7f => i += 1,
            0xe4..=0xe9 => i += 3,
            _ => {
                let c = s.get(i..).and_then(|r| r.chars().next())?;
                if changes(c) {
                    return Some(i);
                }
                i += c.len_utf8();
            }
        }
    }
    None
}

/// Whether `normalize(s)` would be longer than `n` characters, without building it.
pub fn normalized_len_exceeds(s: &str, n: usize) -> bool {
    s.chars().filter(|c| !dropped(*c)).nth(n).is_some()
}

/// Whether [`normalize`] drops `c`.
fn dropped(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{3000}'
                | '\u{a0}'
                | '\u{feff}'
                | '\u{200b}'
                | '“'
                | '”'
                | '"'
                | '‘'
                | '’'
                | '\''
                | '「'
                | '」'
                | '『'
                | '』'
                | '＂'
                | '＇'
        )
}

/// Whether [`normalize`] drops or replaces `c`.
fn changes(c: char) -> bool {
    if ('\u{4e00}'..='\u{9fff}').contains(&c) || c.is_ascii_alphanumeric() {
        return false;
    }
    dropped(c) || matches!(c, '\u{ff01}'..='\u{ff5e}' | '〔' | '【' | '〕' | '】')
}

/// [`normalize`] of `s`, whose first `from` bytes stay as they are.
fn normalize_owned(s: &str, from: usize) -> String {
    let mut out = String::with_capacity(s.len());
    // Runs of characters that stay as they are are copied whole.
    let mut run = 0;
    let tail = s.get(from..).unwrap_or_default();
    for (i, c) in tail.char_indices().map(|(i, c)| (from + i, c)) {
        if !changes(c) {
            continue;
        }
        out.push_str(s.get(run..i).unwrap_or_default());
        run = i + c.len_utf8();
        if dropped(c) {
            continue;
        }
        let c = match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        };
        match c {
            '"' | '\'' => {}
            '〔' | '【' => out.push('['),
            '〕' | '】' => out.push(']'),
            c => out.push(c),
        }
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out
}

/// Strips a leading enumerator: `一、`, `(一)`, `1.`, `1、`, `(1)`, `①`, `第一，`.
pub fn strip_enumerator(norm: &str) -> &str {
    let s = norm;
    // (一) / (1)
    if let Some(rest) = s.strip_prefix('(') {
        if let Some(close) = rest.find(')') {
            let inner = &rest[..close];
            if !inner.is_empty() && inner.chars().all(|c| is_cn_digit(c) || c.is_ascii_digit()) {
                return &rest[close + 1..];
            }
        }
    }
    let end = s
        .char_indices()
        .find(|(_, c)| !(is_cn_digit(*c) || c.is_ascii_digit()))
        .map_or(s.len(), |(i, _)| i);
    if end > 0 {
        let rest = &s[end..];
        for p in ["、", ".", ",", "，", ")", "．", ":", "："] {
            if let Some(r) = rest.strip_prefix(p) {
                return r;
            }
        }
    }
    if let Some(c) = s.chars().next() {
        if ('①'..='⑳').contains(&c) {
            return &s[c.len_utf8()..];
        }
    }
    s
}

/// A Chinese numeral character used in enumerators.
pub fn is_cn_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// The leading Chinese ordinal of a heading (`一、` → 1 … `十、` → 10), if any.
pub fn heading_ordinal(norm: &str) -> Option<u8> {
    let mut chars = norm.chars();
    let first = chars.next()?;
    let second = chars.next()?;
    let n = match first {
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        '十' => 10,
        _ => return None,
    };
    matches!(second, '、' | '.' | ',' | '，' | ':' | '：' | '．').then_some(n)
}

/// Keyword lists searched in one pass over a label: which entry, first in list order,
/// has one of its words in the label. Built once per list (see [`keywords!`]), so a
/// label costs one automaton scan however many rows the table has.
pub struct Keywords<T: 'static> {
    entries: &'static [(T, &'static [&'static str])],
    /// All words of all entries; `None` only if the automaton cannot be built, when
    /// [`Keywords::first`] falls back to trying each word.
    automaton: Option<aho_corasick::AhoCorasick>,
    /// The entry of each word, by the automaton's pattern index.
    entry_of: Vec<usize>,
}

impl<T: Copy> Keywords<T> {
    /// Builds the automaton over `entries`' words.
    pub fn new(entries: &'static [(T, &'static [&'static str])]) -> Keywords<T> {
        let mut words = Vec::new();
        let mut entry_of = Vec::new();
        for (i, (_, ws)) in entries.iter().enumerate() {
            for w in *ws {
                words.push(*w);
                entry_of.push(i);
            }
        }
        Keywords {
            entries,
            // A full DFA without a prefilter: labels are short (a prefilter's set-up costs
            // more than it skips), and the lists are small enough for a DFA.
            automaton: aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .prefilter(false)
                .build(words)
                .ok(),
            entry_of,
        }
    }

    /// The first entry (in list order) with a word contained in `text`.
    pub fn first(&self, text: &str) -> Option<T> {
        let Some(ac) = &self.automaton else {
            return self
                .entries
                .iter()
                .find(|(_, ws)| ws.iter().any(|w| text.contains(w)))
                .map(|(t, _)| *t);
        };
        let mut best = usize::MAX;
        for m in ac.find_overlapping_iter(text) {
            if let Some(e) = self.entry_of.get(m.pattern().as_usize()) {
                best = best.min(*e);
            }
        }
        self.entries.get(best).map(|(t, _)| *t)
    }
}

/// A [`Keywords`] table built on first use: `keywords!(LEAVES)` with `LEAVES` a
/// `&'static [(T, &[&str])]`.
macro_rules! keywords {
    ($list:expr, $t:ty) => {{
        static TABLE: std::sync::OnceLock<$crate::extract::labels::Keywords<$t>> =
            std::sync::OnceLock::new();
        TABLE.get_or_init(|| $crate::extract::labels::Keywords::new($list))
    }};
}
pub(crate) use keywords;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_width_space_quotes_and_brackets() {
        assert_eq!(normalize("规 章"), "规章");
        assert_eq!(normalize("（一）予以公开"), "(一)予以公开");
        assert_eq!(normalize("(一) 予以公开"), "(一)予以公开");
        assert_eq!(normalize("3.危及“三安全一稳定”"), "3.危及三安全一稳定");
        assert_eq!(normalize("3.危及\"三安全一稳定\""), "3.危及三安全一稳定");
        assert_eq!(
            normalize("国办公开办函〔2021〕30 号"),
            "国办公开办函[2021]30号"
        );
        assert_eq!(normalize("１．属于国家秘密"), "1.属于国家秘密");
        assert_eq!(normalize("行政\u{3000}许可\u{a0}"), "行政许可");
        assert!(!normalized_len_exceeds("“规 章”", 2));
        assert!(normalized_len_exceeds("规章a", 2));
    }

    #[test]
    fn the_byte_scan_finds_what_the_character_test_finds() {
        let reference = |s: &str| s.char_indices().find(|(_, c)| changes(*c)).map(|(i, _)| i);
        let samples = [
            "规章",
            "（一）",
            "a b",
            "a\u{b}b",
            "x\u{85}y",
            "中\u{a0}文",
            "〔2021〕",
            "【】",
            "“引”",
            "‘’",
            "\u{3000}",
            "\u{200b}",
            "\u{feff}",
            "ｗ１",
            "㐀䷀一鿿",
            "é😀",
            "",
        ];
        for s in samples {
            assert_eq!(first_change(s), reference(s), "{s:?}");
        }
        let mut seed = 7u64;
        for _ in 0..2000 {
            let s: String = (0..12)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    char::from_u32((seed >> 33) as u32 % 0x11000).unwrap_or('x')
                })
                .collect();
            assert_eq!(first_change(&s), reference(&s), "{s:?}");
            assert_eq!(normalize(&s), normalize_owned(&s, 0), "{s:?}");
        }
    }

    #[test]
    fn strips_every_enumerator_style() {
        for (s, want) in [
            ("(一)予以公开", "予以公开"),
            ("一、本年新收", "本年新收"),
            ("1.属于国家秘密", "属于国家秘密"),
            ("1、属于国家秘密", "属于国家秘密"),
            ("(1)属于国家秘密", "属于国家秘密"),
            ("①属于国家秘密", "属于国家秘密"),
            ("其他", "其他"),
        ] {
            assert_eq!(strip_enumerator(s), want, "{s}");
        }
    }

    #[test]
    fn keywords_take_the_first_entry_in_list_order() {
        static LIST: &[(u8, &[&str])] =
            &[(1, &["不补正"]), (2, &["补正", "补正后"]), (3, &["其他"])];
        let k = Keywords::new(LIST);
        assert_eq!(k.first("逾期不补正"), Some(1));
        assert_eq!(k.first("申请人补正后仍不明确"), Some(2));
        assert_eq!(k.first("其他处理"), Some(3));
        assert_eq!(k.first("予以公开"), None);
        assert_eq!(keywords!(LIST, u8).first("其他不补正"), Some(1));
    }

    #[test]
    fn heading_ordinals() {
        assert_eq!(heading_ordinal("一、总体情况"), Some(1));
        assert_eq!(heading_ordinal("六.其他需要报告的事项"), Some(6));
        assert_eq!(heading_ordinal("(一)主动公开"), None);
        assert_eq!(heading_ordinal("一是加强"), None);
    }
}
