//! WordprocessingML (DOCX, DOCM, DOTX) → [`Document`].
//!
//! The main part is found as Office finds it: through the `officeDocument` relationship
//! of `_rels/.rels`, else the main content type of `[Content_Types].xml`, else
//! `word/document.xml`. Transitional and Strict namespaces are both read: elements are
//! matched by local name only.
//!
//! The main part is read in one pass over borrowed `quick-xml` events with a little
//! explicit state: the open paragraph, a stack of open tables (for nested tables), the
//! subtree being skipped, the open `mc:AlternateContent` blocks and the open complex
//! fields. What is read is Word's final view of the body:
//!
//! - paragraph text across runs, hyperlinks, smart tags, custom XML, simple fields and
//!   content controls (`w:sdt`) at block, row, cell and run level; `w:tab` is a space,
//!   `w:br`/`w:cr` a `\n`, `w:noBreakHyphen` a `-`, `w:sym` its character;
//! - complex fields as their result only (the code between `begin` and `separate` is
//!   dropped);
//! - tracked changes accepted: `w:ins` and `w:moveTo` kept, `w:del`, `w:moveFrom` and
//!   deleted table rows dropped;
//! - one branch of each `mc:AlternateContent`: the first `mc:Choice` whose requirements
//!   are understood, else `mc:Fallback`;
//! - tables through [`TableBuilder`]: `w:gridSpan`, `w:vMerge`, `w:gridBefore`, nested
//!   tables kept inside their cell; a cell's text is its non-empty paragraphs joined by
//!   `\n`;
//! - text boxes, drawings, embedded objects and properties are skipped; headers,
//!   footers, footnotes and comments live in other parts and are not read.
//!
//! Empty paragraphs (only whitespace) at body level are dropped, as the text reader
//! drops blank lines.

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;

use crate::document::{Block, Document, Origin, Paragraph, Table, TableBuilder};
use crate::error::Error;
use crate::limits::{Deadline, Limits};
use crate::read::package::{resolve_target, xml_text, Package};
use crate::read::Format;

const FORMAT: Format = Format::Docx;

/// Content types of a WordprocessingML main part (document, template, macro-enabled).
const MAIN_CONTENT_TYPES: &[&str] = &[
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
];

/// Namespace prefixes whose `mc:Choice` content this reader handles (it reads text by
/// local name, and skips drawings). `w16se` (emoji symbols) is left to the fallback.
const UNDERSTOOD_PREFIXES: &[&str] = &[
    "w", "r", "m", "v", "o", "w10", "wp", "wp14", "wps", "wpg", "wpc", "wpi", "w14", "w15",
    "w16", "w16cex", "w16cid", "w16du", "w16sdtdh", "w16sdtfl", "a", "a14", "pic", "mc",
];

/// Most complex fields kept open at once; deeper `begin`s are ignored.
const MAX_FIELD_NESTING: usize = 64;

/// Reads a DOCX package into a [`Document`].
///
/// Errors: a damaged zip or XML part is [`ErrorKind::Malformed`](crate::ErrorKind),
/// a package over one of `limits` is [`ErrorKind::LimitExceeded`](crate::ErrorKind),
/// a zip-encrypted part is [`ErrorKind::Encrypted`](crate::ErrorKind).
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document, Error> {
    let deadline = limits.deadline();
    let mut pkg = Package::open(bytes, FORMAT, limits, deadline)?;
    let main = main_part(&mut pkg, limits, deadline)?;
    let Some(xml) = pkg.read(&main)? else {
        return Err(Error::malformed(FORMAT, main, "main document part is missing"));
    };
    drop(pkg);
    let xml = xml_text(&xml);
    parse_main(&xml, &main, limits, deadline)
}

/// Finds the name of the main document part.
fn main_part(pkg: &mut Package<'_>, limits: &Limits, deadline: Deadline) -> Result<String, Error> {
    if let Some(rels) = pkg.read("_rels/.rels")? {
        let mut found = None;
        for_each_element(&xml_text(&rels), "_rels/.rels", limits, deadline, |name, e| {
            if found.is_some() || name != "Relationship" {
                return;
            }
            let ty = attr(e, "Type").unwrap_or_default();
            let external = attr(e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External"));
            if ty.ends_with("/officeDocument") && !external {
                if let Some(target) = attr(e, "Target") {
                    found = Some(resolve_target("", &target));
                }
            }
        })?;
        if let Some(name) = found.filter(|n| pkg.contains(n)) {
            return Ok(name);
        }
    }
    if let Some(types) = pkg.read("[Content_Types].xml")? {
        let mut found = None;
        for_each_element(
            &xml_text(&types),
            "[Content_Types].xml",
            limits,
            deadline,
            |name, e| {
                if found.is_some() || name != "Override" {
                    return;
                }
                let ty = attr(e, "ContentType").unwrap_or_default();
                if MAIN_CONTENT_TYPES.iter().any(|t| t.eq_ignore_ascii_case(ty.trim())) {
                    if let Some(part) = attr(e, "PartName") {
                        found = Some(resolve_target("", &part));
                    }
                }
            },
        )?;
        if let Some(name) = found.filter(|n| pkg.contains(n)) {
            return Ok(name);
        }
    }
    for fallback in ["word/document.xml", "word/document2.xml"] {
        if pkg.contains(fallback) {
            return Ok(fallback.to_string());
        }
    }
    Err(Error::malformed(
        FORMAT,
        "_rels/.rels",
        "the package has no main document part",
    ))
}

/// Calls `f(local_name, start)` for each element of a small XML part, under the depth,
/// element and time limits.
fn for_each_element(
    xml: &[u8],
    part: &str,
    limits: &Limits,
    deadline: Deadline,
    mut f: impl FnMut(&str, &BytesStart<'_>),
) -> Result<(), Error> {
    let mut reader = Reader::from_reader(xml);
    let mut depth = 0usize;
    let mut elements = 0u64;
    loop {
        let pos = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| Error::malformed_by(FORMAT, format!("{part} @{pos}"), e))?;
        match event {
            Event::Start(e) => {
                depth += 1;
                count(&mut elements, depth, limits, deadline)?;
                f(e.local_name().as_ref(), &e);
            }
            Event::Empty(e) => {
                count(&mut elements, depth + 1, limits, deadline)?;
                f(e.local_name().as_ref(), &e);
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// Counts one element and checks the depth, element and (every 1024 elements) time limits.
fn count(elements: &mut u64, depth: usize, limits: &Limits, deadline: Deadline) -> Result<(), Error> {
    *elements += 1;
    if depth > limits.max_xml_depth {
        return Err(Error::limit("XML depth", limits.max_xml_depth as u64));
    }
    if *elements > limits.max_xml_elements {
        return Err(Error::limit("XML elements", limits.max_xml_elements));
    }
    if *elements % 1024 == 0 {
        deadline.check()?;
    }
    Ok(())
}

/// The value of the attribute with local name `local`, with predefined entities decoded.
fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| decode_entities(&a.value))
}

/// Decodes predefined entities and character references; unknown entities are dropped.
fn decode_entities(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or_default());
        let after = rest.get(amp + 1..).unwrap_or_default();
        match after.find(';') {
            Some(semi) if semi <= 32 => {
                if let Some(c) = entity_char(after.get(..semi).unwrap_or_default()) {
                    out.push(c);
                }
                rest = after.get(semi + 1..).unwrap_or_default();
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character an entity name or `#…` reference stands for; `None` for anything else.
fn entity_char(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code).filter(|c| *c != '\0')
        }
    }
}

/// A `w:vMerge` state of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

/// A cell being read.
#[derive(Debug)]
struct CellState {
    text: String,
    span: usize,
    vmerge: VMerge,
    offset: u64,
    nested: Vec<Table>,
}

/// A table being read, with its current row and cell.
#[derive(Debug)]
struct TableState {
    builder: TableBuilder,
    /// The current row was started in the builder (at its first cell).
    row_started: bool,
    /// The current row is a deleted tracked change.
    row_deleted: bool,
    grid_before: usize,
    cell: Option<CellState>,
}

/// The state of the single pass over the main part.
struct Parser<'l> {
    part: &'l str,
    limits: &'l Limits,
    blocks: Vec<Block>,
    /// Text of the open paragraph.
    para: String,
    para_open: bool,
    para_offset: u64,
    /// Inside a `w:t` (or `m:t`): text events are content.
    in_text: bool,
    in_trpr: bool,
    in_tcpr: bool,
    /// One entry per open `mc:AlternateContent`: whether a branch was taken.
    alternates: Vec<bool>,
    /// One entry per open complex field: whether it is still in its code part.
    fields: Vec<bool>,
    tables: Vec<TableState>,
    text_chars: usize,
}

/// What to do with an element's subtree.
#[derive(PartialEq, Eq)]
enum Next {
    Enter,
    Skip,
}

fn parse_main(xml: &[u8], part: &str, limits: &Limits, deadline: Deadline) -> Result<Document, Error> {
    let mut reader = Reader::from_reader(xml);
    let mut p = Parser {
        part,
        limits,
        blocks: Vec::new(),
        para: String::new(),
        para_open: false,
        para_offset: 0,
        in_text: false,
        in_trpr: false,
        in_tcpr: false,
        alternates: Vec::new(),
        fields: Vec::new(),
        tables: Vec::new(),
        text_chars: 0,
    };
    let mut depth = 0usize;
    let mut elements = 0u64;
    // Depth at which a skipped subtree started.
    let mut skip: Option<usize> = None;
    loop {
        let pos = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| Error::malformed_by(FORMAT, format!("{part} @{pos}"), e))?;
        match event {
            Event::Start(e) => {
                depth += 1;
                count(&mut elements, depth, limits, deadline)?;
                if skip.is_none() && p.start(&e, pos)? == Next::Skip {
                    skip = Some(depth);
                }
            }
            Event::Empty(e) => {
                count(&mut elements, depth + 1, limits, deadline)?;
                if skip.is_none() && p.start(&e, pos)? == Next::Enter {
                    p.end(e.local_name().as_ref())?;
                }
            }
            Event::End(e) => {
                match skip {
                    Some(d) if d == depth => skip = None,
                    Some(_) => {}
                    None => p.end(e.local_name().as_ref())?,
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) if skip.is_none() && p.in_text => p.push_text(&t.xml10_content())?,
            Event::CData(t) if skip.is_none() && p.in_text => {
                p.push_text(&t.xml10_content())?;
            }
            Event::GeneralRef(r) if skip.is_none() && p.in_text => p.push_ref(&r)?,
            Event::Eof => break,
            _ => {}
        }
    }
    p.finish()
}

impl Parser<'_> {
    fn origin(&self, offset: u64) -> Origin {
        Origin::Part {
            part: self.part.to_string(),
            offset: Some(offset),
        }
    }

    /// Whether run content is suppressed (inside a field's code).
    fn in_field_code(&self) -> bool {
        self.fields.iter().any(|code| *code)
    }

    fn push_text(&mut self, s: &str) -> Result<(), Error> {
        if self.in_field_code() {
            return Ok(());
        }
        self.text_chars = self.text_chars.saturating_add(s.chars().count());
        if self.text_chars > self.limits.max_text_chars {
            return Err(Error::limit(
                "text (characters)",
                self.limits.max_text_chars as u64,
            ));
        }
        self.para.push_str(s);
        Ok(())
    }

    fn push_char(&mut self, c: char) -> Result<(), Error> {
        let mut buf = [0u8; 4];
        self.push_text(c.encode_utf8(&mut buf))
    }

    fn push_ref(&mut self, r: &BytesRef<'_>) -> Result<(), Error> {
        // Custom entities are never expanded: only predefined ones and character references.
        match entity_char(r) {
            Some(c) => self.push_char(c),
            None => Ok(()),
        }
    }

    /// Handles a start (or empty) element; says whether to enter or skip its subtree.
    fn start(&mut self, e: &BytesStart<'_>, pos: u64) -> Result<Next, Error> {
        let local = e.local_name();
        let name: &str = local.as_ref();
        match name {
            "p" => {
                if self.para_open {
                    self.end_paragraph();
                }
                self.para_open = true;
                self.para_offset = pos;
                self.para.clear();
            }
            "t" => self.in_text = true,
            "tab" | "ptab" => self.push_char(' ')?,
            "br" | "cr" => self.push_char('\n')?,
            "noBreakHyphen" => self.push_char('-')?,
            "sym" => {
                if let Some(c) = attr(e, "char").and_then(|v| sym_char(&v)) {
                    self.push_char(c)?;
                }
            }
            "fldChar" => match attr(e, "fldCharType").as_deref() {
                Some("begin") => {
                    if self.fields.len() < MAX_FIELD_NESTING {
                        self.fields.push(true);
                    }
                }
                Some("separate") => {
                    if let Some(top) = self.fields.last_mut() {
                        *top = false;
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            // Deleted content, field codes, and everything that is not body text.
            "del" if self.in_trpr => {
                if let Some(t) = self.tables.last_mut() {
                    t.row_deleted = true;
                }
            }
            "del" | "moveFrom" | "delText" | "instrText" | "delInstrText" | "txbxContent"
            | "drawing" | "pict" | "object" | "pPr" | "rPr" | "sectPr" | "sdtPr"
            | "sdtEndPr" | "background" | "fldData" | "customXmlPr" | "smartTagPr"
            | "tblPr" | "tblPrEx" | "tblGrid" | "tcPrChange" | "trPrChange" | "rPrChange"
            | "pPrChange" | "tblPrChange" | "tblGridChange" | "numberingChange"
            | "footnotes" | "endnotes" | "comments" => return Ok(Next::Skip),
            "AlternateContent" => self.alternates.push(false),
            "Choice" => {
                let understood = attr(e, "Requires").is_some_and(|req| {
                    req.split_ascii_whitespace()
                        .all(|p| UNDERSTOOD_PREFIXES.contains(&p))
                });
                match self.alternates.last_mut() {
                    Some(taken) if !*taken && understood => *taken = true,
                    _ => return Ok(Next::Skip),
                }
            }
            "Fallback" => match self.alternates.last_mut() {
                Some(taken) if !*taken => *taken = true,
                _ => return Ok(Next::Skip),
            },
            "tbl" => {
                if self.para_open {
                    self.end_paragraph();
                }
                let mut builder = TableBuilder::new(self.limits.max_table_cells);
                builder.set_origin(self.origin(pos));
                self.tables.push(TableState {
                    builder,
                    row_started: false,
                    row_deleted: false,
                    grid_before: 0,
                    cell: None,
                });
            }
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.row_started = false;
                    t.row_deleted = false;
                    t.grid_before = 0;
                }
            }
            "trPr" => self.in_trpr = true,
            "gridBefore" if self.in_trpr => {
                let n = attr(e, "val").and_then(|v| v.trim().parse::<usize>().ok());
                if let Some(t) = self.tables.last_mut() {
                    t.grid_before = n.unwrap_or(0).min(self.limits.max_table_cells);
                }
            }
            "tc" => {
                let Some(t) = self.tables.last_mut() else {
                    return Ok(Next::Enter);
                };
                if t.row_deleted {
                    return Ok(Next::Skip);
                }
                if !t.row_started {
                    t.row_started = true;
                    t.builder.start_row();
                    t.builder.skip_cols(t.grid_before);
                }
                t.cell = Some(CellState {
                    text: String::new(),
                    span: 1,
                    vmerge: VMerge::None,
                    offset: pos,
                    nested: Vec::new(),
                });
            }
            "tcPr" => self.in_tcpr = true,
            "gridSpan" if self.in_tcpr => {
                let n = attr(e, "val").and_then(|v| v.trim().parse::<usize>().ok());
                if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    c.span = n.unwrap_or(1).clamp(1, self.limits.max_table_cells);
                }
            }
            "vMerge" if self.in_tcpr => {
                let v = match attr(e, "val").as_deref() {
                    Some("restart") => VMerge::Restart,
                    _ => VMerge::Continue,
                };
                if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    c.vmerge = v;
                }
            }
            _ => {}
        }
        Ok(Next::Enter)
    }

    /// Handles an end element (also called right after an empty element).
    fn end(&mut self, name: &str) -> Result<(), Error> {
        match name {
            "t" => self.in_text = false,
            "p" => self.end_paragraph(),
            "tc" => self.end_cell()?,
            "tbl" => self.end_table()?,
            "trPr" => self.in_trpr = false,
            "tcPr" => self.in_tcpr = false,
            "AlternateContent" => {
                self.alternates.pop();
            }
            _ => {}
        }
        Ok(())
    }

    /// Closes the open paragraph: into the open cell, or as a body block.
    fn end_paragraph(&mut self) {
        let text = std::mem::take(&mut self.para);
        let offset = self.para_offset;
        self.para_open = false;
        self.in_text = false;
        match self.tables.last_mut() {
            Some(t) => {
                if let Some(cell) = t.cell.as_mut() {
                    if !text.trim().is_empty() {
                        if !cell.text.is_empty() {
                            cell.text.push('\n');
                        }
                        cell.text.push_str(&text);
                    }
                }
            }
            None => {
                if !text.trim().is_empty() {
                    let origin = self.origin(offset);
                    self.blocks.push(Block::Paragraph(Paragraph { text, origin }));
                }
            }
        }
    }

    fn end_cell(&mut self) -> Result<(), Error> {
        if self.para_open || !self.para.is_empty() {
            self.end_paragraph();
        }
        let origin_part = self.part;
        let Some(t) = self.tables.last_mut() else {
            return Ok(());
        };
        let Some(cell) = t.cell.take() else {
            return Ok(());
        };
        if cell.vmerge == VMerge::Continue {
            if let Some(row) = t.builder.current_row() {
                let col = t.builder.current_col();
                if t.builder.merge_up(row, col).is_some() {
                    t.builder.advance(cell.span);
                    return Ok(());
                }
            }
        }
        let origin = Origin::Part {
            part: origin_part.to_string(),
            offset: Some(cell.offset),
        };
        t.builder.push(cell.text, 1, cell.span, origin)?;
        for nested in cell.nested {
            t.builder.nest_in_last(nested);
        }
        Ok(())
    }

    fn end_table(&mut self) -> Result<(), Error> {
        if self.tables.last().is_some_and(|t| t.cell.is_some()) {
            self.end_cell()?;
        }
        let Some(state) = self.tables.pop() else {
            return Ok(());
        };
        if state.builder.is_empty() {
            return Ok(());
        }
        let table = state.builder.build();
        match self.tables.last_mut() {
            Some(parent) => match parent.cell.as_mut() {
                Some(cell) => cell.nested.push(table),
                None => parent.builder.nest_in_last(table),
            },
            None => self.blocks.push(Block::Table(table)),
        }
        Ok(())
    }

    /// Closes whatever a truncated part left open and returns the document.
    fn finish(mut self) -> Result<Document, Error> {
        if self.para_open || !self.para.is_empty() {
            self.end_paragraph();
        }
        while !self.tables.is_empty() {
            self.end_table()?;
        }
        Ok(Document {
            blocks: self.blocks,
        })
    }
}

/// The character of a `w:sym w:char` value when it is a plain code point (symbol-font
/// private-use codes have no meaning without the font, and are dropped).
fn sym_char(hex: &str) -> Option<char> {
    let code = u32::from_str_radix(hex.trim(), 16).ok()?;
    if (0xE000..=0xF8FF).contains(&code) || code < 0x20 {
        return None;
    }
    char::from_u32(code)
}

