//! HTML and MHTML → [`Document`].
//!
//! Decoding (see [`decode`]): a byte-order mark; else the charset a MIME part declares
//! (MHTML) or a `<meta charset>` / `<meta http-equiv="Content-Type">` in the first 8 KB;
//! else [`text::decode`]'s detection. GBK and GB2312 labels decode as GB18030. A
//! declaration loses to the bytes when they are valid UTF-8 with non-ASCII characters
//! (legacy Chinese text practically never is), or when it fails to decode and the
//! detected encoding does better.
//!
//! Parsing streams html5ever's tokenizer through a small state machine, with no tree:
//!
//! - block elements (`p`, `div`, `h1`–`h6`, `li`, `br`, …) end a paragraph, inline ones
//!   (`span`, `font`, `b`, `a`, `o:p`, …) do not, so a label split over many runs comes
//!   out whole;
//! - in a paragraph, runs of white space (`&nbsp;` included) become one space, a line
//!   break between two CJK characters disappears (as CSS renders it), and the ends are
//!   trimmed;
//! - `<table>` rows and cells are placed through [`TableBuilder`] with their `rowspan`
//!   and `colspan` once the table ends, when its row count is known, so a span past the
//!   end creates no phantom rows; paragraphs and line breaks inside a cell are joined
//!   with `\n`; a table inside a cell is nested in it; a `<caption>` becomes a paragraph
//!   before the table, as does text stray between rows;
//! - `<script>`, `<style>`, `<noscript>`, `<template>`, `<title>`, `<iframe>`,
//!   `<textarea>`, `<select>`, `<svg>` and `<math>` contents are skipped, so nothing of
//!   `<head>` reaches the document.
//!
//! Limits: input size, elements per page ([`Limits::max_xml_elements`]), table nesting
//! ([`Limits::max_xml_depth`]), grid positions per table ([`Limits::max_table_cells`]),
//! decoded characters and the time per file.

mod mhtml;

use std::borrow::Cow;
use std::cell::RefCell;

use encoding_rs::{Encoding, BIG5, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8, X_USER_DEFINED};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::document::{Block, Document, Origin, Paragraph, Table, TableBuilder};
use crate::error::Error;
use crate::limits::{Deadline, Limits};
use crate::read::text::{self, is_space};
use crate::read::Format;

/// How many bytes are searched for a `<meta>` charset declaration.
const PRESCAN_BYTES: usize = 8 * 1024;
/// How many bytes chardetng sees when nothing is declared.
const DETECT_BYTES: usize = 256 * 1024;
/// Characters fed to the tokenizer at a time; limits and the deadline are checked between.
const CHUNK_CHARS: usize = 64 * 1024;
/// Largest `colspan` honoured (the HTML standard's).
const MAX_COLSPAN: usize = 1000;
/// Largest `rowspan` honoured (the HTML standard's); rows actually present bound it too.
const MAX_ROWSPAN: usize = 65534;

/// Reads an HTML page (or the HTML part of an MHTML archive) into a [`Document`],
/// returning the text encoding used (WHATWG name, lower case: `utf-8`, `gb18030`,
/// `big5`, `utf-16le`, …).
pub fn read(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<(Document, &'static str), Error> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(Error::limit("input size (bytes)", limits.max_input_bytes));
    }
    let deadline = limits.deadline();
    if format == Format::Mhtml {
        let part = mhtml::html_part(bytes)?;
        let declared = part
            .charset
            .as_deref()
            .and_then(|l| Encoding::for_label(l.trim().as_bytes()));
        let (html, encoding) = decode_with(&part.body, declared, limits)?;
        return Ok((parse(&html, limits, deadline)?, encoding));
    }
    let (html, encoding) = decode(bytes, limits)?;
    Ok((parse(&html, limits, deadline)?, encoding))
}

/// Builds a [`Document`] from an HTML page already decoded to text.
pub fn from_str(html: &str, limits: &Limits) -> Result<Document, Error> {
    parse(html, limits, limits.deadline())
}

/// Decodes the bytes of an HTML page; see the module docs for the order of attempts.
/// Returns the text and the WHATWG name (lower case) of the encoding used.
pub fn decode<'a>(bytes: &'a [u8], limits: &Limits) -> Result<(Cow<'a, str>, &'static str), Error> {
    decode_with(bytes, None, limits)
}

/// Decodes with `declared` (a transport-level charset) taking the place of `<meta>`.
fn decode_with<'a>(
    bytes: &'a [u8],
    declared: Option<&'static Encoding>,
    limits: &Limits,
) -> Result<(Cow<'a, str>, &'static str), Error> {
    if Encoding::for_bom(bytes).is_some() {
        return text::decode(bytes, limits);
    }
    let declared = declared
        .or_else(|| prescan(bytes.get(..PRESCAN_BYTES).unwrap_or(bytes)))
        .and_then(usable_declaration);
    if let Ok(s) = std::str::from_utf8(bytes) {
        // Valid UTF-8 with any non-ASCII byte is UTF-8 whatever the page says; pure
        // ASCII is reported under the declared name.
        let enc = match declared {
            Some(d) if s.is_ascii() => d,
            _ => UTF_8,
        };
        check_length(s, limits)?;
        return Ok((Cow::Borrowed(s), text::name_of(enc)));
    }
    let Some(declared) = declared else {
        return detect(bytes, limits);
    };
    if declared == UTF_8 || declared.is_single_byte() {
        // Not UTF-8 after all, or a Latin code page on what is likely Chinese text:
        // the detector decides (it prefers GB18030 when that decodes cleanly).
        return detect(bytes, limits);
    }
    if let Some(s) = declared.decode_without_bom_handling_and_without_replacement(bytes) {
        check_length(&s, limits)?;
        return Ok((s, text::name_of(declared)));
    }
    // The declaration does not fit the bytes: take whichever decodes with fewer errors.
    let (lossy, _) = declared.decode_without_bom_handling(bytes);
    let declared_bad = lossy.chars().filter(|c| *c == '\u{fffd}').count();
    if let Ok((detected, name)) = detect(bytes, limits) {
        let detected_bad = detected.chars().filter(|c| *c == '\u{fffd}').count();
        if detected_bad < declared_bad {
            return Ok((detected, name));
        }
    }
    check_length(&lossy, limits)?;
    Ok((lossy, text::name_of(declared)))
}

/// Detects the encoding of a page that is not UTF-8 and declares nothing usable.
///
/// Markup is ASCII, so UTF-16 shows as zero bytes, and [`text::decode`] handles it.
/// Otherwise chardetng guesses from the page (not just a prefix: a long ASCII `<head>`
/// says nothing), GBK becomes GB18030, and a Latin code page or a Big5 guess that fails
/// to decode gives way to GB18030 when that decodes cleanly. (`text::decode`'s test for
/// UTF-16 without zero bytes is not used: ASCII letter pairs read as UTF-16 are CJK.)
fn detect<'a>(bytes: &'a [u8], limits: &Limits) -> Result<(Cow<'a, str>, &'static str), Error> {
    let prefix = bytes.get(..4096).unwrap_or(bytes);
    if prefix.iter().filter(|b| **b == 0).count() * 8 > prefix.len() {
        return text::decode(bytes, limits);
    }
    let sample = bytes.get(..DETECT_BYTES).unwrap_or(bytes);
    if let Some(text) = text::plainly_gb18030(bytes, sample) {
        check_length(&text, limits)?;
        return Ok((text, text::name_of(GB18030)));
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(sample, sample.len() == bytes.len());
    let guess = detector.guess(None, true);
    let clean = |enc: &'static Encoding| {
        enc.decode_without_bom_handling_and_without_replacement(sample)
            .is_some()
    };
    let enc = if guess == GBK || guess == GB18030 {
        GB18030
    } else if guess == BIG5 {
        // Big5 bytes decode as GB18030 too: trust the detector unless Big5 fails.
        if clean(BIG5) {
            BIG5
        } else {
            GB18030
        }
    } else if guess.is_single_byte() && guess != encoding_rs::IBM866 && clean(GB18030) {
        // Chinese text misread as a Latin code page.
        GB18030
    } else {
        guess
    };
    let (text, _) = enc.decode_without_bom_handling(bytes);
    check_length(&text, limits)?;
    Ok((text, text::name_of(enc)))
}

/// A declared encoding worth following: GBK and GB2312 become GB18030; UTF-16 (which a
/// `<meta>` in an ASCII-compatible prefix cannot truly mean) and x-user-defined are
/// ignored, leaving the bytes to detection.
fn usable_declaration(enc: &'static Encoding) -> Option<&'static Encoding> {
    if enc == GBK {
        Some(GB18030)
    } else if enc == UTF_16LE || enc == UTF_16BE || enc == X_USER_DEFINED {
        None
    } else {
        Some(enc)
    }
}

fn check_length(s: &str, limits: &Limits) -> Result<(), Error> {
    if s.len() > limits.max_text_chars.saturating_mul(4)
        || (s.len() > limits.max_text_chars && s.chars().count() > limits.max_text_chars)
    {
        return Err(Error::limit(
            "text length (characters)",
            limits.max_text_chars as u64,
        ));
    }
    Ok(())
}

/// Finds a charset declared by `<meta charset>`, `<meta http-equiv="Content-Type"
/// content="…; charset=…">` or an XML declaration in the prefix of a page.
fn prescan(head: &[u8]) -> Option<&'static Encoding> {
    if let Some(rest) = head.strip_prefix(b"<?xml") {
        let end = rest.iter().position(|b| *b == b'>').unwrap_or(rest.len());
        let decl = rest.get(..end).unwrap_or_default();
        let attrs = attributes(decl);
        if let Some((_, v)) = attrs.iter().find(|(k, _)| k == "encoding") {
            if let Some(enc) = Encoding::for_label(v.trim().as_bytes()) {
                return Some(enc);
            }
        }
    }
    let mut i = 0;
    while i < head.len() {
        let rest = head.get(i..).unwrap_or_default();
        if rest.starts_with(b"<!--") {
            i += rest
                .windows(3)
                .position(|w| w == b"-->")
                .map_or(rest.len(), |p| p + 3);
            continue;
        }
        let is_meta = rest.len() > 5
            && rest
                .get(..5)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"<meta"))
            && rest
                .get(5)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/');
        if !is_meta {
            i += 1;
            continue;
        }
        let body = rest.get(5..).unwrap_or_default();
        let end = tag_end(body);
        let attrs = attributes(body.get(..end).unwrap_or_default());
        i += 5 + end;
        let get = |name: &str| attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        if let Some(label) = get("charset") {
            if let Some(enc) = Encoding::for_label(label.trim().as_bytes()) {
                return Some(enc);
            }
        }
        let pragma = get("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("content-type"));
        if let (true, Some(content)) = (pragma, get("content")) {
            if let Some(enc) = charset_in_content(content) {
                return Some(enc);
            }
        }
    }
    None
}

/// The offset of the `>` ending a tag, outside quotes (or the end).
fn tag_end(body: &[u8]) -> usize {
    let mut quote: Option<u8> = None;
    for (i, &b) in body.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return i,
            None => {}
        }
    }
    body.len()
}

/// Attributes of a tag's inside: lower-case names, unquoted values.
fn attributes(s: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    let at = |i: usize| s.get(i).copied();
    loop {
        while at(i).is_some_and(|b| b.is_ascii_whitespace() || b == b'/') {
            i += 1;
        }
        let Some(_) = at(i) else { break };
        let start = i;
        while at(i).is_some_and(|b| !b.is_ascii_whitespace() && b != b'=' && b != b'/') {
            i += 1;
        }
        let name = String::from_utf8_lossy(s.get(start..i).unwrap_or_default()).to_lowercase();
        while at(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        let mut value = String::new();
        if at(i) == Some(b'=') {
            i += 1;
            while at(i).is_some_and(|b| b.is_ascii_whitespace()) {
                i += 1;
            }
            let vstart;
            let vend;
            match at(i) {
                Some(q @ (b'"' | b'\'')) => {
                    vstart = i + 1;
                    i += 1;
                    while at(i).is_some_and(|b| b != q) {
                        i += 1;
                    }
                    vend = i;
                    i += 1;
                }
                _ => {
                    vstart = i;
                    while at(i).is_some_and(|b| !b.is_ascii_whitespace()) {
                        i += 1;
                    }
                    vend = i;
                }
            }
            value = String::from_utf8_lossy(s.get(vstart..vend).unwrap_or_default()).into_owned();
        }
        if name.is_empty() {
            i += 1;
        } else {
            out.push((name, value));
        }
    }
    out
}

/// The encoding named by `charset=` in a `content` attribute value.
fn charset_in_content(content: &str) -> Option<&'static Encoding> {
    let lower = content.to_ascii_lowercase();
    let pos = lower.find("charset")?;
    let rest = lower.get(pos + "charset".len()..)?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_ascii_whitespace())
        .unwrap_or(rest.len());
    Encoding::for_label(rest.get(..end)?.as_bytes())
}

/// Runs the tokenizer over the page in chunks, checking limits between them.
fn parse(html: &str, limits: &Limits, deadline: Deadline) -> Result<Document, Error> {
    let xml = html.trim_start_matches('\u{feff}').starts_with("<?xml");
    let sink = Sink {
        state: RefCell::new(State::new(limits, deadline, xml)),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    let mut rest = html;
    while !rest.is_empty() {
        let mut cut = rest.len().min(CHUNK_CHARS);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (chunk, tail) = rest.split_at(cut);
        rest = tail;
        input.push_back(StrTendril::from_slice(chunk));
        let _ = tokenizer.feed(&input);
        let mut state = tokenizer.sink.state.borrow_mut();
        if state.error.is_none() {
            if let Err(e) = state.deadline.check() {
                state.error = Some(e);
            }
        }
        if let Some(e) = state.error.take() {
            return Err(e);
        }
    }
    tokenizer.end();
    let state = tokenizer.sink.state.into_inner();
    state.finish()
}

/// The token sink: html5ever calls it through `&self`, so the state sits in a `RefCell`.
struct Sink<'l> {
    state: RefCell<State<'l>>,
}

impl TokenSink for Sink<'_> {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        if state.error.is_some() {
            return TokenSinkResult::Continue;
        }
        let line = usize::try_from(line).unwrap_or(usize::MAX);
        match state.token(token, line) {
            Ok(result) => result,
            Err(e) => {
                state.error = Some(e);
                TokenSinkResult::Continue
            }
        }
    }
}

/// Text arriving in parts: finished parts (already normalised) and the current one.
#[derive(Debug, Default)]
struct Acc {
    parts: Vec<String>,
    cur: String,
}

impl Acc {
    /// Ends the current part.
    fn brk(&mut self) {
        if !self.cur.is_empty() {
            let part = normalize(&self.cur);
            self.cur.clear();
            if !part.is_empty() {
                self.parts.push(part);
            }
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.brk();
        self.parts
    }
}

/// A cell being read.
#[derive(Debug)]
struct PendingCell {
    acc: Acc,
    /// 0 means "to the end of the table".
    row_span: usize,
    col_span: usize,
    nested: Vec<Table>,
    line: usize,
}

/// A row being read.
#[derive(Debug, Default)]
struct PendingRow {
    cells: Vec<PendingCell>,
    /// `display:none` rows (Word's `supportMisalignedColumns` row) are dropped.
    hidden: bool,
}

/// A table being read; its grid is built when it ends.
#[derive(Debug)]
struct PendingTable {
    rows: Vec<PendingRow>,
    row: Option<PendingRow>,
    cell: Option<PendingCell>,
    caption: Option<Acc>,
    caption_parts: Vec<String>,
    /// Text between rows and cells, which browsers show before the table.
    foster: Acc,
    /// Cells read so far, bounded by the table cell limit.
    cells: usize,
    line: usize,
}

impl PendingTable {
    fn new(line: usize) -> Self {
        PendingTable {
            rows: Vec::new(),
            row: None,
            cell: None,
            caption: None,
            caption_parts: Vec::new(),
            foster: Acc::default(),
            cells: 0,
            line,
        }
    }

    fn close_cell(&mut self) {
        if let Some(mut cell) = self.cell.take() {
            cell.acc.brk();
            self.row
                .get_or_insert_with(PendingRow::default)
                .cells
                .push(cell);
        }
    }

    fn close_row(&mut self) {
        self.close_cell();
        if let Some(row) = self.row.take() {
            if !row.hidden {
                self.rows.push(row);
            }
        }
    }

    fn close_caption(&mut self) {
        if let Some(acc) = self.caption.take() {
            self.caption_parts.extend(acc.finish());
        }
    }

    /// Where text goes: the open cell, else the caption, else the foster text.
    fn text_target(&mut self) -> &mut Acc {
        if let Some(cell) = self.cell.as_mut() {
            &mut cell.acc
        } else if let Some(caption) = self.caption.as_mut() {
            caption
        } else {
            &mut self.foster
        }
    }
}

/// What a raw-text element's content is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Raw {
    /// Dropped (`script`, `style`, `title`, …).
    Skip,
    /// Kept as text (`xmp`).
    Keep,
}

/// The parser's state between tokens.
struct State<'l> {
    limits: &'l Limits,
    deadline: Deadline,
    xml: bool,
    blocks: Vec<Block>,
    para: String,
    para_line: Option<usize>,
    tables: Vec<PendingTable>,
    /// Inside a raw-text element: its name and what to do with its text.
    raw: Option<(String, Raw)>,
    /// Inside a skipped container (`template`, `select`, `svg`, `math`): its name and
    /// how many of that name are open.
    skip: Option<(String, usize)>,
    /// Open `pre` / `listing` elements, where line breaks end parts.
    pre: usize,
    /// Inside Word's `<![if !supportMisalignedColumns]>`: rows are hidden.
    filler_rows: bool,
    elements: u64,
    tokens: u64,
    error: Option<Error>,
}

/// Elements that end a paragraph (before and after them).
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "main"
            | "address"
            | "figure"
            | "figcaption"
            | "form"
            | "fieldset"
            | "legend"
            | "hr"
            | "center"
            | "details"
            | "summary"
            | "dir"
            | "menu"
            | "body"
            | "html"
            | "option"
            | "frameset"
            | "frame"
    )
}

impl<'l> State<'l> {
    fn new(limits: &'l Limits, deadline: Deadline, xml: bool) -> Self {
        State {
            limits,
            deadline,
            xml,
            blocks: Vec::new(),
            para: String::new(),
            para_line: None,
            tables: Vec::new(),
            raw: None,
            skip: None,
            pre: 0,
            filler_rows: false,
            elements: 0,
            tokens: 0,
            error: None,
        }
    }

    fn token(&mut self, token: Token, line: usize) -> Result<TokenSinkResult<()>, Error> {
        self.tokens += 1;
        if self.tokens % 4096 == 0 {
            self.deadline.check()?;
        }
        match token {
            Token::TagToken(tag) => return self.tag(tag, line),
            Token::CharacterTokens(t) => self.text(&t, line),
            Token::CommentToken(c) => {
                // Word wraps a row of zero-height filler cells in
                // `<![if !supportMisalignedColumns]> … <![endif]>`.
                let c = c.trim();
                if c.starts_with("[if !supportMisalignedColumns]") {
                    self.filler_rows = true;
                } else if c.starts_with("[endif]") {
                    self.filler_rows = false;
                }
            }
            Token::DoctypeToken(_)
            | Token::NullCharacterToken
            | Token::EOFToken
            | Token::ParseError(_) => {}
        }
        Ok(TokenSinkResult::Continue)
    }

    fn text(&mut self, t: &str, line: usize) {
        if self.skip.is_some() || matches!(self.raw, Some((_, Raw::Skip))) {
            return;
        }
        if self.pre > 0 && t.contains('\n') {
            let mut first = true;
            for piece in t.split('\n') {
                if !first {
                    self.brk();
                }
                first = false;
                self.push_text(piece, line);
            }
        } else {
            self.push_text(t, line);
        }
    }

    fn push_text(&mut self, t: &str, line: usize) {
        match self.tables.last_mut() {
            Some(table) => table.text_target().cur.push_str(t),
            None => {
                if self.para_line.is_none() && t.chars().any(|c| !is_space(c)) {
                    self.para_line = Some(line);
                }
                self.para.push_str(t);
            }
        }
    }

    /// Ends the current paragraph, or the current part of a cell.
    fn brk(&mut self) {
        match self.tables.last_mut() {
            Some(table) => table.text_target().brk(),
            None => self.flush_para(),
        }
    }

    fn flush_para(&mut self) {
        if self.para.is_empty() {
            return;
        }
        let text = normalize(&self.para);
        self.para.clear();
        let line = self.para_line.take().unwrap_or(0);
        if !text.is_empty() {
            self.blocks.push(Block::Paragraph(Paragraph {
                text,
                origin: Origin::Line { line, field: 0 },
            }));
        }
    }

    fn tag(&mut self, tag: Tag, line: usize) -> Result<TokenSinkResult<()>, Error> {
        let name: &str = &tag.name;
        if let Some((raw, what)) = &self.raw {
            // In a raw-text state the tokenizer emits only the matching end tag.
            if tag.kind == TagKind::EndTag && raw == name {
                let keep = *what == Raw::Keep;
                self.raw = None;
                if keep {
                    self.brk();
                }
            }
            return Ok(TokenSinkResult::Continue);
        }
        if let Some((skipped, open)) = &mut self.skip {
            if skipped == name {
                match tag.kind {
                    TagKind::StartTag if !tag.self_closing => *open += 1,
                    TagKind::EndTag => *open = open.saturating_sub(1),
                    TagKind::StartTag => {}
                }
                if *open == 0 {
                    self.skip = None;
                }
            }
            return Ok(TokenSinkResult::Continue);
        }
        match tag.kind {
            TagKind::StartTag => self.start_tag(&tag, line),
            TagKind::EndTag => {
                self.end_tag(name, line)?;
                Ok(TokenSinkResult::Continue)
            }
        }
    }

    fn start_tag(&mut self, tag: &Tag, line: usize) -> Result<TokenSinkResult<()>, Error> {
        self.elements += 1;
        if self.elements > self.limits.max_xml_elements {
            return Err(Error::limit("HTML elements", self.limits.max_xml_elements));
        }
        let name: &str = &tag.name;
        // In XHTML, `<script/>` is a whole element; in HTML it opens raw text.
        let closed = self.xml && tag.self_closing;
        let raw = |kind: RawKind| -> TokenSinkResult<()> { TokenSinkResult::RawData(kind) };
        match name {
            "script" if !closed => {
                self.raw = Some((name.to_string(), Raw::Skip));
                return Ok(raw(RawKind::ScriptData));
            }
            "style" | "iframe" | "noembed" | "noframes" | "noscript" if !closed => {
                self.raw = Some((name.to_string(), Raw::Skip));
                return Ok(raw(RawKind::Rawtext));
            }
            "title" | "textarea" if !closed => {
                self.raw = Some((name.to_string(), Raw::Skip));
                return Ok(raw(RawKind::Rcdata));
            }
            "xmp" if !closed => {
                self.brk();
                self.raw = Some((name.to_string(), Raw::Keep));
                return Ok(raw(RawKind::Rawtext));
            }
            "plaintext" => {
                self.brk();
                return Ok(TokenSinkResult::Plaintext);
            }
            "template" | "select" | "svg" | "math" | "datalist" if !tag.self_closing => {
                self.skip = Some((name.to_string(), 1));
            }
            "table" => self.open_table(line)?,
            "caption" => {
                if let Some(t) = self.tables.last_mut() {
                    t.close_row();
                    t.close_caption();
                    t.caption = Some(Acc::default());
                } else {
                    self.brk();
                }
            }
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.close_caption();
                    t.close_row();
                    t.row = Some(PendingRow {
                        cells: Vec::new(),
                        hidden: self.filler_rows || is_hidden(tag),
                    });
                } else {
                    self.brk();
                }
            }
            "td" | "th" => {
                let max_cells = self.limits.max_table_cells;
                if let Some(t) = self.tables.last_mut() {
                    t.close_caption();
                    t.close_cell();
                    t.cells += 1;
                    if t.cells > max_cells {
                        return Err(Error::limit("table cells", max_cells as u64));
                    }
                    t.row.get_or_insert_with(PendingRow::default);
                    t.cell = Some(PendingCell {
                        acc: Acc::default(),
                        row_span: span(tag, "rowspan", MAX_ROWSPAN, 0),
                        col_span: span(tag, "colspan", MAX_COLSPAN, 1),
                        nested: Vec::new(),
                        line,
                    });
                } else {
                    self.brk();
                }
            }
            "thead" | "tbody" | "tfoot" => {
                if let Some(t) = self.tables.last_mut() {
                    t.close_caption();
                    t.close_row();
                }
            }
            "br" => self.brk(),
            "pre" | "listing" => {
                self.brk();
                self.pre += 1;
            }
            _ if is_block(name) => self.brk(),
            _ => {}
        }
        Ok(TokenSinkResult::Continue)
    }

    fn end_tag(&mut self, name: &str, _line: usize) -> Result<(), Error> {
        match name {
            // close_table does nothing when no table is open.
            "table" => self.close_table()?,
            "caption" => {
                if let Some(t) = self.tables.last_mut() {
                    t.close_caption();
                }
            }
            "tr" | "thead" | "tbody" | "tfoot" => {
                if let Some(t) = self.tables.last_mut() {
                    t.close_row();
                }
            }
            "td" | "th" => {
                if let Some(t) = self.tables.last_mut() {
                    t.close_cell();
                }
            }
            "pre" | "listing" => {
                self.brk();
                self.pre = self.pre.saturating_sub(1);
            }
            "br" => self.brk(),
            _ if is_block(name) => self.brk(),
            _ => {}
        }
        Ok(())
    }

    fn open_table(&mut self, line: usize) -> Result<(), Error> {
        match self.tables.last_mut() {
            None => self.flush_para(),
            Some(t) => {
                t.close_caption();
                match t.cell.as_mut() {
                    Some(cell) => cell.acc.brk(),
                    // A table started in a table but outside a cell ends that table
                    // first, as the HTML standard says.
                    None => self.close_table()?,
                }
            }
        }
        if self.tables.len() >= self.limits.max_xml_depth {
            return Err(Error::limit(
                "HTML table nesting depth",
                self.limits.max_xml_depth as u64,
            ));
        }
        self.tables.push(PendingTable::new(line));
        Ok(())
    }

    /// Ends the innermost table: builds its grid and hands it to its parent.
    fn close_table(&mut self) -> Result<(), Error> {
        let Some(mut pending) = self.tables.pop() else {
            return Ok(());
        };
        pending.close_caption();
        pending.close_row();
        let foster = std::mem::take(&mut pending.foster).finish();
        let caption = std::mem::take(&mut pending.caption_parts);
        let line = pending.line;
        let table = build(pending.rows, line, self.limits, &self.deadline)?;
        let table = (!table.cells.is_empty()).then_some(table);
        match self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            Some(cell) => {
                cell.acc.brk();
                cell.acc.parts.extend(foster);
                cell.acc.parts.extend(caption);
                cell.nested.extend(table);
            }
            None => {
                for text in foster.into_iter().chain(caption) {
                    self.blocks.push(Block::Paragraph(Paragraph {
                        text,
                        origin: Origin::Line { line, field: 0 },
                    }));
                }
                if let Some(table) = table {
                    self.blocks.push(Block::Table(table));
                }
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Document, Error> {
        while !self.tables.is_empty() {
            self.close_table()?;
        }
        self.flush_para();
        Ok(Document {
            blocks: self.blocks,
        })
    }
}

/// Whether a row is styled `display:none`.
fn is_hidden(tag: &Tag) -> bool {
    tag.attrs.iter().any(|a| {
        &*a.name.local == "style" && {
            let style: String = a
                .value
                .chars()
                .filter(|c| !c.is_ascii_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            style.contains("display:none")
        }
    })
}

/// A `rowspan` / `colspan` attribute by the HTML rules for non-negative integers
/// (leading digits count: `3"` is 3), clamped to `max`; 1 when absent or invalid, `zero`
/// when 0.
fn span(tag: &Tag, attr: &str, max: usize, zero: usize) -> usize {
    let Some(value) = tag
        .attrs
        .iter()
        .find(|a| &*a.name.local == attr)
        .map(|a| &a.value)
    else {
        return 1;
    };
    let s = value.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let s = s.strip_prefix('+').unwrap_or(s);
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let Some(digits) = s.get(..digits).filter(|d| !d.is_empty()) else {
        return 1;
    };
    match digits.trim_start_matches('0') {
        "" => zero,
        d if d.len() > 9 => max,
        d => d.parse::<usize>().map_or(max, |n| n.min(max)),
    }
}

/// Places the rows of a finished table into a grid. Row spans are clamped to the rows
/// present; a `rowspan="0"` runs to the last row.
fn build(
    rows: Vec<PendingRow>,
    line: usize,
    limits: &Limits,
    deadline: &Deadline,
) -> Result<Table, Error> {
    let n = rows.len();
    let mut builder = TableBuilder::new(limits.max_table_cells);
    builder.set_origin(Origin::Line { line, field: 0 });
    for (r, row) in rows.into_iter().enumerate() {
        if r % 256 == 255 {
            deadline.check()?;
        }
        builder.start_row();
        let remaining = n - r;
        for cell in row.cells {
            let row_span = match cell.row_span {
                0 => remaining,
                s => s.min(remaining),
            };
            let text = cell.acc.finish().join("\n");
            builder.push(
                text,
                row_span,
                cell.col_span,
                Origin::Line {
                    line: cell.line,
                    field: 0,
                },
            )?;
            for nested in cell.nested {
                builder.nest_in_last(nested);
            }
        }
    }
    Ok(builder.build())
}

/// Collapses white space (ASCII and no-break spaces) to one space, drops a line break
/// between two CJK characters, and trims.
fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut space = false;
    let mut newline = false;
    let mut nbsp = false;
    let mut last: Option<char> = None;
    for c in raw.chars() {
        match c {
            ' ' | '\t' | '\x0c' => space = true,
            '\n' | '\r' => {
                space = true;
                newline = true;
            }
            '\u{a0}' => {
                space = true;
                nbsp = true;
            }
            _ => {
                if space {
                    let joined = newline && !nbsp && last.is_some_and(is_wide) && is_wide(c);
                    if last.is_some() && !joined {
                        out.push(' ');
                    }
                    space = false;
                    newline = false;
                    nbsp = false;
                }
                out.push(c);
                last = Some(c);
            }
        }
    }
    let trimmed = out.trim_matches(is_space);
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_string()
    }
}

/// East Asian wide characters, between which a source line break is not a space.
fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{2e80}'..='\u{303e}'
        | '\u{3040}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7a3}'
        | '\u{f900}'..='\u{faff}'
        | '\u{fe30}'..='\u{fe4f}'
        | '\u{ff00}'..='\u{ff60}'
        | '\u{ffe0}'..='\u{ffe6}'
        | '\u{20000}'..='\u{3fffd}')
}

#[cfg(test)]
mod tests;
