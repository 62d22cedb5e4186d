//! The document flattened into lines of fragments, the one shape every table reader
//! works on, whatever the input format.
//!
//! A paragraph is one line; a table row is one line. Each line is a sequence of
//! fragments, each a label (text) or a value (a number, a placeholder or a blank).
//! Grid rows (DOCX, HTML, spreadsheets) keep blank cells, which are significant there;
//! rows rebuilt from text drop empty fields, which may be merge artefacts.
//!
//! Fragments borrow the document's text: a label is copied only when normalising
//! changes it, and a fragment's place is formatted only when a figure is kept.

use std::borrow::Cow;

use compact_str::ToCompactString as _;

use crate::document::{push_column_letters, Block, Cell, Origin, Table};
use crate::model::SmallString;
use crate::read::text::is_space;

use super::labels::normalize_cow;
use super::numbers::{parse_cell, CellValue};
use super::unglue::Blocks;

/// Where a fragment stood: its block's or cell's origin, and its place in a grid table.
/// Formatted (`table 2, row 5, col 2`, `line 57, field 3`, `Sheet1!B5`) only on demand.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    origin: &'a Origin,
    /// Table number, row and column (0-based), for cells of grid tables.
    grid: Option<(usize, usize, usize)>,
}

impl At<'_> {
    /// A place with no origin, for fragments built by the extractor itself.
    pub fn unknown() -> At<'static> {
        static UNKNOWN: Origin = Origin::Unknown;
        At {
            origin: &UNKNOWN,
            grid: None,
        }
    }

    /// The place as provenance writes it: a grid cell's table, row and column, else the
    /// origin as `Origin`'s `Display` writes it; built on the stack without the
    /// formatting machinery, then kept inline (one per figure kept).
    pub fn place(&self) -> SmallString {
        let mut out = Place::default();
        match (self.origin, self.grid) {
            (Origin::Line { line, field }, _) => {
                out.push(b"line ");
                out.num(*line);
                if *field > 0 {
                    out.push(b", field ");
                    out.num(field.saturating_add(1));
                }
            }
            (Origin::Sheet { sheet, row, col }, _) => {
                let mut s = SmallString::from(sheet.as_str());
                s.push('!');
                push_column_letters(&mut s, *col);
                s.push_str(itoa::Buffer::new().format((*row as usize).saturating_add(1)));
                return s;
            }
            (_, None) => return self.origin.to_compact_string(),
            (_, Some((t, r, c))) => {
                out.push(b"table ");
                out.num(t.saturating_add(1));
                out.push(b", row ");
                out.num(r.saturating_add(1));
                out.push(b", col ");
                out.num(c.saturating_add(1));
            }
        }
        out.finish()
    }
}

/// A place being written: ASCII on the stack, 80 bytes at most (a few words and up to
/// three 20-digit numbers).
struct Place {
    buf: [u8; 80],
    len: usize,
}

impl Default for Place {
    fn default() -> Place {
        Place {
            buf: [0; 80],
            len: 0,
        }
    }
}

impl Place {
    fn push(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            dst.copy_from_slice(bytes);
            self.len = end;
        }
    }

    fn num(&mut self, n: usize) {
        self.push(itoa::Buffer::new().format(n).as_bytes());
    }

    fn finish(&self) -> SmallString {
        let text = self.buf.get(..self.len).unwrap_or_default();
        SmallString::from(std::str::from_utf8(text).unwrap_or_default())
    }
}

/// One fragment: a label or a value, with its raw text and where it stood.
#[derive(Debug, Clone)]
pub struct Frag<'a> {
    /// The raw text, trimmed (runs of white space inside a label folded to one space).
    pub raw: Cow<'a, str>,
    /// The normalised text (labels only; empty for values).
    pub norm: Cow<'a, str>,
    /// `Some` for values, blanks and placeholders; `None` for labels.
    pub value: Option<CellValue>,
    /// Where it stood, for provenance.
    pub at: At<'a>,
    /// Whether it came from a paragraph (running text) rather than a table cell.
    pub in_paragraph: bool,
}

impl<'a> Frag<'a> {
    /// Whether this fragment is a label.
    pub fn is_label(&self) -> bool {
        self.value.is_none()
    }

    fn value(raw: &'a str, value: CellValue, at: At<'a>, in_paragraph: bool) -> Frag<'a> {
        Frag {
            raw: Cow::Borrowed(raw),
            norm: Cow::Borrowed(""),
            value: Some(value),
            at,
            in_paragraph,
        }
    }

    fn label(raw: Cow<'a, str>, at: At<'a>, in_paragraph: bool) -> Frag<'a> {
        let norm = match &raw {
            Cow::Borrowed(s) => normalize_cow(s),
            Cow::Owned(s) => Cow::Owned(normalize_cow(s).into_owned()),
        };
        Frag {
            raw,
            norm,
            value: None,
            at,
            in_paragraph,
        }
    }
}

/// One line: a paragraph or a table row.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// The fragments in reading order.
    pub frags: Vec<Frag<'a>>,
    /// Whether the line is a row of a grid table (blank cells significant).
    pub grid: bool,
    /// Whether the line is a paragraph (not a table row).
    pub paragraph: bool,
}

impl Line<'_> {
    /// The line's label text, normalised and concatenated (borrowed when the line has
    /// one label).
    pub fn label_norm(&self) -> Cow<'_, str> {
        let mut labels = self.frags.iter().filter(|f| f.is_label());
        match (labels.next(), labels.next()) {
            (None, _) => Cow::Borrowed(""),
            (Some(one), None) => Cow::Borrowed(one.norm.as_ref()),
            _ => Cow::Owned(
                self.frags
                    .iter()
                    .filter(|f| f.is_label())
                    .map(|f| f.norm.as_ref())
                    .collect(),
            ),
        }
    }

    /// The line's raw text, fragments joined by a space.
    pub fn raw_text(&self) -> String {
        let mut out = String::new();
        for (i, f) in self.frags.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&f.raw);
        }
        out
    }
}

/// Flattens a document into lines.
pub fn flatten<'a>(doc: &'a Blocks<'_>) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let mut table_no = 0usize;
    for b in doc.iter() {
        match b {
            Block::Paragraph(p) => {
                let at = At {
                    origin: &p.origin,
                    grid: None,
                };
                for part in p.text.split('\n') {
                    if is_page_number(part) {
                        continue;
                    }
                    // Columns aligned with runs of spaces (pdftotext -layout): two or
                    // more spaces separate cells; one space stays inside a label.
                    let mut frags = Vec::new();
                    for field in part.split("  ") {
                        tokenize_into(field, at, true, &mut frags);
                    }
                    if frags.is_empty() {
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

fn flatten_table<'a>(t: &'a Table, table_no: usize, lines: &mut Vec<Line<'a>>) {
    for row in 0..t.rows {
        let mut frags = Vec::with_capacity(t.cols.min(64));
        for cell in t.row_cells(row) {
            let at = At {
                origin: &cell.origin,
                grid: Some((table_no, cell.row, cell.col)),
            };
            if t.from_text {
                tokenize_into(&cell.text, at, false, &mut frags);
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

fn grid_frag<'a>(cell: &'a Cell, at: At<'a>) -> Frag<'a> {
    let raw = cell.text.trim_matches(is_space);
    match parse_cell(raw) {
        Some(v) => Frag::value(raw, v, at, false),
        None => Frag::label(Cow::Borrowed(raw), at, false),
    }
}

/// Splits loose text (a paragraph or a text field) into fragments: white-space separated
/// tokens that parse as values stand alone; consecutive other tokens join into one label.
/// Empty text gives no fragment.
#[cfg(test)]
pub fn tokenize<'a>(text: &'a str, at: At<'a>) -> Vec<Frag<'a>> {
    let mut out = Vec::new();
    tokenize_into(text, at, false, &mut out);
    out
}

/// A label being gathered from consecutive tokens: a span of the source text.
struct Pending {
    start: usize,
    end: usize,
}

fn tokenize_into<'a>(text: &'a str, at: At<'a>, in_paragraph: bool, out: &mut Vec<Frag<'a>>) {
    let text = text.trim_matches(is_space);
    if text.is_empty() {
        return;
    }
    if let Some(v) = parse_cell(text) {
        out.push(Frag::value(text, v, at, in_paragraph));
        return;
    }
    let mut label: Option<Pending> = None;
    let flush = |label: &mut Option<Pending>, out: &mut Vec<Frag<'a>>| {
        if let Some(p) = label.take() {
            let raw = fold_spaces(text.get(p.start..p.end).unwrap_or_default());
            out.push(Frag::label(raw, at, in_paragraph));
        }
    };
    // Extends the pending label to `start..end` of `text`.
    let extend = |label: &mut Option<Pending>, start: usize, end: usize| match label {
        Some(p) => p.end = end,
        None => *label = Some(Pending { start, end }),
    };
    for tok in text.split(is_space).filter(|t| !t.is_empty()) {
        let offset = tok.as_ptr() as usize - text.as_ptr() as usize;
        let value = parse_cell(tok);
        if value.is_none() && tok.bytes().any(|b| b.is_ascii_digit()) {
            // A token mixing text and digits: 规章000, 190000019二、上年结转….
            for (chunk, is_value) in chunks(tok) {
                let start = offset + (chunk.as_ptr() as usize - tok.as_ptr() as usize);
                if is_value {
                    flush(&mut label, out);
                    if let Some(v) = parse_cell(chunk) {
                        out.push(Frag::value(chunk, v, at, in_paragraph));
                    } else {
                        out.push(Frag {
                            raw: Cow::Borrowed(chunk),
                            norm: Cow::Borrowed(""),
                            value: None,
                            at,
                            in_paragraph,
                        });
                    }
                } else {
                    extend(&mut label, start, start + chunk.len());
                }
            }
            continue;
        }
        match value {
            Some(v @ CellValue::Number(_)) => {
                flush(&mut label, out);
                out.push(Frag::value(tok, v, at, in_paragraph));
            }
            Some(CellValue::Placeholder) if label.is_some() || tok != "—" => {
                flush(&mut label, out);
                out.push(Frag::value(tok, CellValue::Placeholder, at, in_paragraph));
            }
            _ => extend(&mut label, offset, offset + tok.len()),
        }
    }
    flush(&mut label, out);
}

/// The text with every run of white space folded to one space: borrowed when it
/// already is.
fn fold_spaces(s: &str) -> Cow<'_, str> {
    let mut prev_space = false;
    let clean = s.chars().all(|c| {
        let ok = if is_space(c) {
            c == ' ' && !prev_space
        } else {
            true
        };
        prev_space = is_space(c);
        ok
    });
    if clean {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for tok in s.split(is_space).filter(|t| !t.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(tok);
    }
    Cow::Owned(out)
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
    let dashes = |c: char| matches!(c, '-' | '—' | '－' | '–' | '―');
    // Every form below is made of these characters only: most lines stop here.
    if !text.chars().all(|c| {
        is_space(c) || c.is_ascii_digit() || dashes(c) || matches!(c, '第' | '页' | '共' | '/')
    }) {
        return false;
    }
    let t: String = text.chars().filter(|c| !is_space(*c)).collect();
    if t.is_empty() {
        return false;
    }
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

    fn tokenize_at(text: &str) -> Vec<Frag<'_>> {
        tokenize(text, At::unknown())
    }

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
            kinds(&tokenize_at("规 章 0 0 0")),
            ["L:规 章", "V:0", "V:0", "V:0"]
        );
        assert_eq!(kinds(&tokenize_at("(一) 予以公开")), ["L:(一) 予以公开"]);
        assert_eq!(kinds(&tokenize_at("45.82万元")), ["V:45.82万元"]);
        assert_eq!(
            kinds(&tokenize_at("行政许可 — 3")),
            ["L:行政许可", "V:—", "V:3"]
        );
        assert!(tokenize_at("  ").is_empty());
        assert_eq!(
            kinds(&tokenize_at("规章000行政规范性文件2135")),
            ["L:规章", "V:000", "L:行政规范性文件", "V:2135"]
        );
        assert_eq!(
            kinds(&tokenize_at("1.属于国家秘密 00000002.其他")),
            ["L:1.属于国家秘密", "V:0000000", "L:2.其他"]
        );
        assert_eq!(
            kinds(&tokenize_at("（1）属于国家秘密")),
            ["L:（1）属于国家秘密"]
        );
        assert_eq!(
            kinds(&tokenize_at("行政事业性收费18651.06万元")),
            ["L:行政事业性收费", "V:18651.06万元"]
        );
    }

    #[test]
    fn places_read_as_origins_display_them() {
        for origin in [
            Origin::Line { line: 57, field: 0 },
            Origin::Line { line: 7, field: 2 },
            Origin::Unknown,
            Origin::Sheet {
                sheet: "表三".into(),
                row: 6,
                col: 3,
            },
            Origin::Sheet {
                sheet: "S".into(),
                row: 1_048_575,
                col: 16_383,
            },
            Origin::Sheet {
                sheet: "S".into(),
                row: 0,
                col: 27,
            },
            Origin::Part {
                part: "word/document.xml".into(),
                offset: None,
            },
        ] {
            for grid in [None, Some((0, 9, 10)), Some((2, 0, 123_456))] {
                let at = At {
                    origin: &origin,
                    grid,
                };
                let want = match (&origin, grid) {
                    (Origin::Line { .. } | Origin::Sheet { .. }, _) | (_, None) => {
                        origin.to_string()
                    }
                    (_, Some((t, r, c))) => {
                        format!("table {}, row {}, col {}", t + 1, r + 1, c + 1)
                    }
                };
                assert_eq!(at.place(), want);
            }
        }
        let o = Origin::Unknown;
        let at = At {
            origin: &o,
            grid: Some((1, 4, 9)),
        };
        assert_eq!(at.place(), "table 2, row 5, col 10");
        let o = Origin::Line { line: 3, field: 1 };
        let at = At {
            origin: &o,
            grid: None,
        };
        assert_eq!(at.place(), "line 3, field 2");
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
