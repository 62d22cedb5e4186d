//! The document flattened into lines of fragments, the one shape every table reader
//! works on, whatever the input format.
//!
//! A paragraph is one line; a table row is one line. Each line is a sequence of
//! fragments, each a label (text) or a value (a number, a placeholder or a blank).
//! Grid rows (DOCX, HTML, spreadsheets) keep blank cells, which are significant there;
//! rows rebuilt from text drop empty fields, which may be merge artefacts.

use crate::document::{Block, Cell, Document, Origin, Table};
use crate::read::text::is_space;

use super::labels::normalize;
use super::numbers::{parse_cell, CellValue};

/// One fragment: a label or a value, with its raw text and where it stood.
#[derive(Debug, Clone)]
pub struct Frag {
    /// The raw text, trimmed.
    pub raw: String,
    /// The normalised text (labels only; empty for values).
    pub norm: String,
    /// `Some` for values, blanks and placeholders; `None` for labels.
    pub value: Option<CellValue>,
    /// Where it stood, for provenance.
    pub at: String,
    /// Whether it came from a paragraph (running text) rather than a table cell.
    pub in_paragraph: bool,
}

impl Frag {
    /// Whether this fragment is a label.
    pub fn is_label(&self) -> bool {
        self.value.is_none()
    }
}

/// One line: a paragraph or a table row.
#[derive(Debug, Clone)]
pub struct Line {
    /// The fragments in reading order.
    pub frags: Vec<Frag>,
    /// Whether the line is a row of a grid table (blank cells significant).
    pub grid: bool,
    /// Whether the line is a paragraph (not a table row).
    pub paragraph: bool,
}

impl Line {
    /// The line's label text, normalised and concatenated.
    pub fn label_norm(&self) -> String {
        self.frags
            .iter()
            .filter(|f| f.is_label())
            .map(|f| f.norm.as_str())
            .collect()
    }

    /// The line's raw text, fragments joined by a space.
    pub fn raw_text(&self) -> String {
        let parts: Vec<&str> = self.frags.iter().map(|f| f.raw.as_str()).collect();
        parts.join(" ")
    }
}

/// Flattens a document into lines.
pub fn flatten(doc: &Document) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut table_no = 0usize;
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => {
                let at = origin_at(&p.origin, None);
                for part in p.text.split('\n') {
                    // Columns aligned with runs of spaces (pdftotext -layout): two or
                    // more spaces separate cells; one space stays inside a label.
                    let mut frags: Vec<Frag> = part
                        .split("  ")
                        .filter(|f| !f.trim().is_empty())
                        .flat_map(|field| tokenize(field, &at))
                        .collect();
                    for f in &mut frags {
                        f.in_paragraph = true;
                    }
                    if frags.is_empty() || is_page_number(part) {
                        continue;
                    }
                    lines.push(Line {
                        frags,
                        grid: false,
                        paragraph: true,
                    });
                }
            }
            Block::Table(t) => {
                flatten_table(t, table_no, &mut lines);
                table_no += 1;
            }
        }
    }
    lines
}

fn flatten_table(t: &Table, table_no: usize, lines: &mut Vec<Line>) {
    for row in 0..t.rows {
        let mut frags = Vec::new();
        for cell in t.row_cells(row) {
            let at = cell_at(cell, table_no);
            if t.from_text {
                frags.extend(tokenize(&cell.text, &at));
            } else {
                frags.push(grid_frag(cell, at));
            }
        }
        if frags
            .iter()
            .all(|f| matches!(f.value, Some(CellValue::Blank)))
        {
            continue;
        }
        lines.push(Line {
            frags,
            grid: !t.from_text,
            paragraph: false,
        });
    }
}

fn grid_frag(cell: &Cell, at: String) -> Frag {
    let raw = cell.text.trim_matches(is_space).to_string();
    match parse_cell(&raw) {
        Some(v) => Frag {
            raw,
            norm: String::new(),
            value: Some(v),
            at,
            in_paragraph: false,
        },
        None => Frag {
            norm: normalize(&raw),
            raw,
            value: None,
            at,
            in_paragraph: false,
        },
    }
}

fn cell_at(cell: &Cell, table_no: usize) -> String {
    origin_at(&cell.origin, Some((table_no, cell.row, cell.col)))
}

fn origin_at(origin: &Origin, grid: Option<(usize, usize, usize)>) -> String {
    match (origin, grid) {
        (Origin::Line { .. } | Origin::Sheet { .. }, _) => origin.to_string(),
        (_, Some((t, r, c))) => format!("table {}, row {}, col {}", t + 1, r + 1, c + 1),
        (o, None) => o.to_string(),
    }
}

/// Splits loose text (a paragraph or a text field) into fragments: white-space separated
/// tokens that parse as values stand alone; consecutive other tokens join into one label.
/// Empty text gives no fragment.
pub fn tokenize(text: &str, at: &str) -> Vec<Frag> {
    let text = text.trim_matches(is_space);
    if text.is_empty() {
        return Vec::new();
    }
    if let Some(v) = parse_cell(text) {
        return vec![Frag {
            raw: text.to_string(),
            norm: String::new(),
            value: Some(v),
            at: at.to_string(),
            in_paragraph: false,
        }];
    }
    let mut out: Vec<Frag> = Vec::new();
    let mut label = String::new();
    let flush = |label: &mut String, out: &mut Vec<Frag>| {
        if !label.is_empty() {
            out.push(Frag {
                norm: normalize(label),
                raw: std::mem::take(label),
                value: None,
                at: at.to_string(),
                in_paragraph: false,
            });
        }
    };
    for tok in text.split(is_space).filter(|t| !t.is_empty()) {
        if parse_cell(tok).is_none() && tok.bytes().any(|b| b.is_ascii_digit()) {
            // A token mixing text and digits: 规章000, 190000019二、上年结转….
            for (k, (chunk, is_value)) in chunks(tok).into_iter().enumerate() {
                if is_value {
                    flush(&mut label, &mut out);
                    out.push(Frag {
                        raw: chunk.to_string(),
                        norm: String::new(),
                        value: parse_cell(chunk),
                        at: at.to_string(),
                        in_paragraph: false,
                    });
                } else {
                    if k == 0 && !label.is_empty() {
                        label.push(' ');
                    }
                    label.push_str(chunk);
                }
            }
            continue;
        }
        match parse_cell(tok) {
            Some(v @ CellValue::Number(_)) => {
                flush(&mut label, &mut out);
                out.push(Frag {
                    raw: tok.to_string(),
                    norm: String::new(),
                    value: Some(v),
                    at: at.to_string(),
                    in_paragraph: false,
                });
            }
            Some(CellValue::Placeholder) if !label.is_empty() || tok != "—" => {
                flush(&mut label, &mut out);
                out.push(Frag {
                    raw: tok.to_string(),
                    norm: String::new(),
                    value: Some(CellValue::Placeholder),
                    at: at.to_string(),
                    in_paragraph: false,
                });
            }
            _ => {
                if !label.is_empty() {
                    label.push(' ');
                }
                label.push_str(tok);
            }
        }
    }
    flush(&mut label, &mut out);
    out
}

/// Splits a token that mixes text and digits into text and digit-run chunks. A digit
/// that opens an enumerator (`2.其他`, `（1）`) stays with its label; a unit after a run
/// (万元, 元, 件, %) stays with the run.
fn chunks(tok: &str) -> Vec<(&str, bool)> {
    let b = tok.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let run_start = i;
        while i < b.len()
            && (b[i].is_ascii_digit()
                || (b[i] == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit) && i > run_start))
        {
            i += 1;
        }
        let mut run_end = i;
        let rest = &tok[run_end..];
        let before = &tok[..run_start];
        // An enumerator: 2.其他 / 2、 / （1）: its digit belongs to the label.
        let enumerator =
            (rest.starts_with('.') || rest.starts_with('．') || rest.starts_with('、'))
                && rest
                    .chars()
                    .nth(1)
                    .is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let bracketed = (before.ends_with('(') || before.ends_with('（'))
            && (rest.starts_with(')') || rest.starts_with('）'));
        if bracketed || (enumerator && run_end - run_start == 1) {
            continue;
        }
        if enumerator {
            run_end -= 1;
            i = run_end;
        }
        // A unit written after the run.
        let mut unit_end = run_end;
        for u in ["万元", "元", "件", "条", "%", "％"] {
            if tok[run_end..].starts_with(u) && !enumerator {
                unit_end = run_end + u.len();
                break;
            }
        }
        if run_start > start {
            out.push((&tok[start..run_start], false));
        }
        out.push((&tok[run_start..unit_end], true));
        start = unit_end;
        i = i.max(unit_end);
    }
    if start < tok.len() {
        out.push((&tok[start..], false));
    }
    out
}

/// Page numbers and footers that sit between the parts of a table: `-3-`, `— 5 —`,
/// `第3页`, `第 3 页 共 9 页`, `3/9`.
pub fn is_page_number(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !is_space(*c)).collect();
    if t.is_empty() {
        return false;
    }
    let dashes = |c: char| matches!(c, '-' | '—' | '－' | '–' | '―');
    let core = t.trim_matches(dashes);
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit());
    if core.len() < t.len() && digits(core) {
        return true;
    }
    if let Some(rest) = t.strip_prefix('第') {
        if let Some((n, tail)) = rest.split_once('页') {
            let tail_ok = tail.is_empty()
                || tail
                    .strip_prefix('共')
                    .and_then(|x| x.strip_suffix('页'))
                    .is_some_and(digits);
            return digits(n) && tail_ok;
        }
    }
    if let Some((a, b)) = t.split_once('/') {
        return digits(a) && digits(b);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(frags: &[Frag]) -> Vec<String> {
        frags
            .iter()
            .map(|f| {
                if f.is_label() {
                    format!("L:{}", f.raw)
                } else {
                    format!("V:{}", f.raw)
                }
            })
            .collect()
    }

    #[test]
    fn tokenizes_labels_and_values() {
        assert_eq!(
            kinds(&tokenize("规 章 0 0 0", "x")),
            ["L:规 章", "V:0", "V:0", "V:0"]
        );
        assert_eq!(kinds(&tokenize("(一) 予以公开", "x")), ["L:(一) 予以公开"]);
        assert_eq!(kinds(&tokenize("45.82万元", "x")), ["V:45.82万元"]);
        assert_eq!(
            kinds(&tokenize("行政许可 — 3", "x")),
            ["L:行政许可", "V:—", "V:3"]
        );
        assert!(tokenize("  ", "x").is_empty());
        assert_eq!(
            kinds(&tokenize("规章000行政规范性文件2135", "x")),
            ["L:规章", "V:000", "L:行政规范性文件", "V:2135"]
        );
        assert_eq!(
            kinds(&tokenize("1.属于国家秘密 00000002.其他", "x")),
            ["L:1.属于国家秘密", "V:0000000", "L:2.其他"]
        );
        assert_eq!(
            kinds(&tokenize("（1）属于国家秘密", "x")),
            ["L:（1）属于国家秘密"]
        );
        assert_eq!(
            kinds(&tokenize("行政事业性收费18651.06万元", "x")),
            ["L:行政事业性收费", "V:18651.06万元"]
        );
    }

    #[test]
    fn page_numbers() {
        for p in ["-3-", "— 5 —", "- 12 -", "第3页", "第 3 页 共 9 页", "3/9"] {
            assert!(is_page_number(p), "{p}");
        }
        for p in ["3", "规章", "2023年", "-"] {
            assert!(!is_page_number(p), "{p}");
        }
    }
}
