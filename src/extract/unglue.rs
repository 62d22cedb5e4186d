//! Whole report bodies stored as one line, as scrapers save portal pages.
//!
//! A paragraph that holds a whole report (headings, narrative and tables run together)
//! is cut into paragraphs before every inline section heading, table row label, block
//! title and sentence end, so that sections and tables are found as in any other input.
//! Short paragraphs are left alone.

use std::borrow::Cow;

use crate::document::{Block, Document, Paragraph, Table};

use super::labels::is_cn_digit;
use super::sections::classify_heading;

/// Paragraphs at least this long (in characters) are cut.
const LONG: usize = 200;

/// Labels of tables 2 and 3 that start a row or a header cell.
const MARKERS: &[&str] = &[
    "第二十条第",
    "信息内容",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "本年处理决定数量",
    "处理决定数量",
    "本年收费金额",
    "采购项目数量",
    "采购总金额",
    "规章",
    "行政规范性文件",
    "其他对外管理服务事项",
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政事业性收费",
    "政府集中采购",
    "申请人情况",
    "行政复议",
];

/// The blocks extraction reads: the document's, with long paragraphs cut into owned
/// pieces; every other block (tables above all) is borrowed, never copied.
#[derive(Debug)]
pub struct Blocks<'a> {
    blocks: Vec<Cow<'a, Block>>,
}

impl<'a> From<&'a Document> for Blocks<'a> {
    fn from(doc: &'a Document) -> Blocks<'a> {
        Blocks {
            blocks: doc.blocks.iter().map(Cow::Borrowed).collect(),
        }
    }
}

impl Blocks<'_> {
    /// The blocks in reading order.
    pub fn iter(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter().map(AsRef::as_ref)
    }

    /// The paragraphs in reading order.
    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.iter().filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
    }

    /// The tables in reading order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
    }
}

/// The document's blocks with long paragraphs cut.
pub fn unglue(doc: &Document) -> Blocks<'_> {
    let mut blocks = Vec::with_capacity(doc.blocks.len());
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) if p.text.chars().nth(LONG - 1).is_some() => {
                for piece in cut(&p.text) {
                    let t = piece.trim();
                    if !t.is_empty() {
                        blocks.push(Cow::Owned(Block::Paragraph(Paragraph {
                            text: t.to_string(),
                            origin: p.origin.clone(),
                        })));
                    }
                }
            }
            other => blocks.push(Cow::Borrowed(other)),
        }
    }
    Blocks { blocks }
}

/// The pieces of one long paragraph.
fn cut(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut points: Vec<usize> = Vec::new();
    let at = |i: usize| chars.get(i).map(|c| c.1);
    let pos = |i: usize| chars.get(i).map_or(text.len(), |c| c.0);
    let is_han = |c: Option<char>| c.is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    // Inside a heading no other cut applies (行政复议 in 四、…行政复议、行政诉讼情况).
    let mut heading_until = 0usize;
    for i in 0..chars.len() {
        let c = chars[i].1;
        if pos(i) < heading_until {
            continue;
        }
        let prev = if i > 0 { at(i - 1) } else { None };
        // After a sentence.
        if matches!(c, '。' | '；' | '!' | '！') {
            points.push(pos(i + 1));
            continue;
        }
        // Inline headings and table 3's top rows: 一、 二、 …
        if is_cn_digit(c)
            && !prev.is_some_and(is_cn_digit)
            && matches!(at(i + 1), Some('、') | Some('．'))
        {
            points.push(pos(i));
            // A heading is its own piece: cut again where it ends.
            if let Some(end) = heading_end(&text[pos(i)..]) {
                points.push(pos(i) + end);
                heading_until = pos(i) + end;
            }
            continue;
        }
        // Group enumerators （一） (一), but not 第二十条第（一）项.
        if matches!(c, '（' | '(')
            && prev != Some('第')
            && at(i + 1).is_some_and(is_cn_digit)
            && matches!(at(i + 2), Some('）') | Some(')'))
        {
            points.push(pos(i));
            continue;
        }
        // Item enumerators 1. 2、, also when glued to the previous row's digits.
        if c.is_ascii_digit()
            && matches!(at(i + 1), Some('.') | Some('．') | Some('、'))
            && is_han(at(i + 2))
            && !prev.is_some_and(|p| p == '.' || p == '．')
        {
            points.push(pos(i));
            continue;
        }
        // A year glued to the previous cell: …0 02023年.
        if c.is_ascii_digit()
            && prev.is_some_and(|p| p.is_ascii_digit())
            && text[pos(i)..].len() >= 7
            && is_year_at(&text[pos(i)..])
        {
            points.push(pos(i));
            continue;
        }
        // Table labels.
        if is_han(Some(c)) && marker_initials().contains(&c) {
            let rest = &text[pos(i)..];
            if let Some(m) = MARKERS.iter().find(|m| rest.starts_with(**m)) {
                // Not inside a longer marker: 规范性文件 in 行政规范性文件, 行政复议 in 未经复议.
                let inside = MARKERS.iter().any(|o| {
                    o.len() > m.len()
                        && o.ends_with(*m)
                        && text[..pos(i)].ends_with(&o[..o.len() - m.len()])
                });
                if !inside {
                    points.push(pos(i));
                }
            }
        }
    }
    points.sort_unstable();
    points.dedup();
    let mut out = Vec::with_capacity(points.len() + 1);
    let mut start = 0;
    for p in points {
        if p > start && p <= text.len() {
            if let Some(s) = text.get(start..p) {
                out.push(s);
            }
            start = p;
        }
    }
    if let Some(s) = text.get(start..) {
        out.push(s);
    }
    out
}

/// The first characters of [`MARKERS`]: only where one stands can a marker start.
fn marker_initials() -> &'static [char] {
    static INITIALS: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    INITIALS.get_or_init(|| MARKERS.iter().filter_map(|m| m.chars().next()).collect())
}

/// Where a heading that starts `rest` ends (byte offset): at white space, or after the
/// word that closes a heading (情况, 事项, 措施 …) when the text runs on.
fn heading_end(rest: &str) -> Option<usize> {
    let limit = rest.char_indices().nth(40).map_or(rest.len(), |(i, _)| i);
    let window = &rest[..limit];
    if let Some(ws) = window.find(char::is_whitespace) {
        if classify_heading(&window[..ws]).is_some() {
            return Some(ws);
        }
    }
    // The shortest heading: "六、其他需要报告的事项2024年，无收取…情况" ends at 事项.
    let mut ends: Vec<usize> = ["情况", "事项", "措施", "概述", "打算"]
        .iter()
        .flat_map(|w| window.match_indices(w).map(move |(k, _)| k + w.len()))
        .collect();
    ends.sort_unstable();
    ends.into_iter()
        .find(|end| classify_heading(&window[..*end]).is_some())
}

fn is_year_at(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 7
        && (b.starts_with(b"19") || b.starts_with(b"20"))
        && b[..4].iter().all(u8::is_ascii_digit)
        && s.get(4..7) == Some("年")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_a_scraped_body() {
        let body = "统计期限为2023年1月1日至12月31日。一、总体情况 2023年，我局坚持公开。二、主动公开政府信息情况 第二十条第（一）项 信息内容 本年制发件数 本年废止件数 现行有效件数 规章000行政规范性文件2135第二十条第（五）项信息内容本年处理决定数量行政许可315 三、收到和处理政府信息公开申请情况 一、本年新收政府信息公开申请数量 190000019二、上年结转政府信息公开申请数量 0000000（三）不予公开 1.属于国家秘密 00000002.其他法律行政法规禁止公开 0000000";
        let pieces: Vec<&str> = cut(body)
            .into_iter()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        for want in [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "规章000",
            "行政规范性文件2135",
            "行政许可315",
            "一、本年新收政府信息公开申请数量 190000019",
            "二、上年结转政府信息公开申请数量 0000000",
            "1.属于国家秘密 0000000",
            "2.其他法律行政法规禁止公开 0000000",
        ] {
            assert!(pieces.contains(&want), "{want} not in {pieces:#?}");
        }
    }

    #[test]
    fn glued_year_is_cut() {
        let p = cut("总计 0 0 0 0 02023年，我局认真按照要求");
        assert!(p.iter().any(|s| s.starts_with("2023年")), "{p:?}");
    }
}
