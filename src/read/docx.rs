//! WordprocessingML (DOCX, DOCM, DOTX) → [`Document`].
//!
//! The main part is found as Office finds it: through the `officeDocument` relationship
//! of `_rels/.rels`, else the main content type of `[Content_Types].xml`, else
//! `word/document.xml`. Transitional and Strict namespaces are both read: elements are
//! matched by local name only.
//!
//! The main part is inflated into a buffer the thread reuses and read in one pass over
//! borrowed `quick-xml` events with a little explicit state: the open paragraph, the tag
//! of each open element (so an end tag is handled without looking at its name), a stack
//! of open tables (for nested tables), the open `mc:AlternateContent` blocks and the open
//! complex fields. A skipped subtree (properties, drawings, deleted text) is jumped over,
//! end tag included, by scanning for its end tag with `memchr`, without tokenising what
//! is inside (so the reader checks that end tags match their start tags itself); when
//! the subtree holds a comment, CDATA, a processing instruction or a nested element of
//! the same name, it is read past by a loop that only counts its elements. What is read is Word's final view of the body:
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
//! - `w:altChunk` imports (HTML, MHTML, text, or a DOCX one level deep) are read with
//!   the matching reader and spliced in at their place; a chunk that cannot be read is
//!   left out;
//! - text boxes, drawings, embedded objects and properties are skipped; headers,
//!   footers, footnotes and comments live in other parts and are not read.
//!
//! Empty paragraphs (only whitespace) at body level are dropped, as the text reader
//! drops blank lines.

use std::io::BufRead as _;
use std::sync::Arc;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;

use crate::document::{Block, Document, Origin, Paragraph, Table, TableBuilder};
use crate::error::Error;
use crate::limits::{Deadline, Limits};
use crate::model::SmallString;
use crate::read::package::{
    attr, count, entity_char, for_each_element, normalize_name, office_document, relationships,
    resolve_target, xml_text, Package,
};
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
    "w", "r", "m", "v", "o", "w10", "wp", "wp14", "wps", "wpg", "wpc", "wpi", "w14", "w15", "w16",
    "w16cex", "w16cid", "w16du", "w16sdtdh", "w16sdtfl", "a", "a14", "pic", "mc",
];

/// Most complex fields kept open at once; deeper `begin`s are ignored.
const MAX_FIELD_NESTING: usize = 64;

/// Reads a DOCX package into a [`Document`].
///
/// Errors: a damaged zip or XML part is [`ErrorKind::Malformed`](crate::ErrorKind),
/// a package over one of `limits` is [`ErrorKind::LimitExceeded`](crate::ErrorKind),
/// a zip-encrypted part is [`ErrorKind::Encrypted`](crate::ErrorKind).
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document, Error> {
    read_package(bytes, limits, limits.deadline(), true)
}

fn read_package(
    bytes: &[u8],
    limits: &Limits,
    deadline: Deadline,
    with_chunks: bool,
) -> Result<Document, Error> {
    let mut pkg = Package::open(bytes, FORMAT, limits, deadline)?;
    let main = main_part(&mut pkg, limits, deadline)?;
    // The main part is inflated into the thread's reused buffer.
    let parsed = pkg.read_scratch(&main, |xml| {
        parse_main(&xml_text(xml), &main, limits, deadline)
    })?;
    let Some(parsed) = parsed else {
        return Err(Error::malformed(
            FORMAT,
            main,
            "main document part is missing",
        ));
    };
    let (mut doc, chunks) = parsed?;
    if with_chunks && !chunks.is_empty() {
        splice_alt_chunks(&mut doc, &chunks, &mut pkg, &main, limits, deadline)?;
    }
    Ok(doc)
}

/// Reads the parts `w:altChunk` elements import (HTML, MHTML, text or a nested DOCX,
/// one level deep) and inserts their blocks where each chunk stood. A chunk that cannot
/// be read is left out; a limit breach still stops the whole file.
fn splice_alt_chunks(
    doc: &mut Document,
    chunks: &[(usize, String)],
    pkg: &mut Package<'_>,
    main: &str,
    limits: &Limits,
    deadline: Deadline,
) -> Result<(), Error> {
    let targets = relationships(pkg, FORMAT, main, limits, deadline)?;
    // Insert from the last position back, so earlier positions stay valid.
    for (at, id) in chunks.iter().rev() {
        let Some(target) = targets.iter().find(|r| r.id == *id).map(|r| &r.target) else {
            continue;
        };
        let Some(bytes) = pkg.read(target)? else {
            continue;
        };
        let lower = target.to_ascii_lowercase();
        let read = if lower.ends_with(".docx") || bytes.starts_with(b"PK\x03\x04") {
            read_package(&bytes, limits, deadline, false)
        } else if lower.ends_with(".mht") || lower.ends_with(".mhtml") {
            crate::read::html::read(&bytes, Format::Mhtml, limits).map(|(d, _)| d)
        } else if lower.ends_with(".txt") {
            crate::read::text::read(&bytes, limits).map(|(d, _)| d)
        } else {
            crate::read::html::read(&bytes, Format::Html, limits).map(|(d, _)| d)
        };
        match read {
            Ok(chunk) => {
                let at = (*at).min(doc.blocks.len());
                doc.blocks.splice(at..at, chunk.blocks);
            }
            Err(e) if e.code() == "limit_exceeded" => return Err(e),
            Err(_) => {}
        }
    }
    Ok(())
}

/// Finds the name of the main document part.
///
/// The `officeDocument` relationship wins when its target exists and is not declared with
/// another content type; then the part declared with a main content type; then
/// `word/document.xml`.
fn main_part(pkg: &mut Package<'_>, limits: &Limits, deadline: Deadline) -> Result<String, Error> {
    let is_main = |ty: &str| {
        let ty = ty.split(';').next().unwrap_or_default().trim();
        MAIN_CONTENT_TYPES
            .iter()
            .any(|t| t.eq_ignore_ascii_case(ty))
    };
    // (part name, whether its content type is a main one) of each `Override`.
    let mut overrides: Vec<(String, bool)> = Vec::new();
    if let Some(types) = pkg.read("[Content_Types].xml")? {
        for_each_element(
            &xml_text(&types),
            FORMAT,
            "[Content_Types].xml",
            limits,
            deadline,
            |name, e| {
                if name == "Override" {
                    if let (Some(part), Some(ty)) = (attr(e, "PartName"), attr(e, "ContentType")) {
                        overrides.push((normalize_name(&resolve_target("", &part)), is_main(&ty)));
                    }
                }
            },
        )?;
    }
    // Whether `part` is declared, and if so with a main content type.
    let declared = |part: &str| {
        let key = normalize_name(part);
        overrides.iter().find(|(n, _)| *n == key).map(|(_, m)| *m)
    };
    if let Some(name) = office_document(pkg, FORMAT, limits, deadline)? {
        if pkg.contains(&name) && declared(&name).unwrap_or(true) {
            return Ok(name);
        }
    }
    if let Some((name, _)) = overrides.iter().find(|(n, m)| *m && pkg.contains(n)) {
        return Ok(name.clone());
    }
    for fallback in ["word/document.xml", "word/document2.xml"] {
        if pkg.contains(fallback) && declared(fallback).unwrap_or(true) {
            return Ok(fallback.to_string());
        }
    }
    Err(Error::malformed(
        FORMAT,
        "_rels/.rels",
        "the package has no Word main document part",
    ))
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
    text: SmallString,
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
    /// The main part's name, shared by the origins of its blocks and cells.
    part_name: Arc<str>,
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
    /// Body-level `w:altChunk`s: (index in `blocks`, relationship id).
    alt_chunks: Vec<(usize, String)>,
}

/// What to do with an element's subtree.
#[derive(PartialEq, Eq)]
enum Next {
    Enter,
    Skip,
}

/// Reads the main part; also returns each body-level `w:altChunk` as (block index, r:id).
fn parse_main(
    xml: &[u8],
    part: &str,
    limits: &Limits,
    deadline: Deadline,
) -> Result<(Document, Vec<(usize, String)>), Error> {
    let mut reader = Reader::from_reader(xml);
    let mut p = Parser {
        part_name: Arc::from(part),
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
        alt_chunks: Vec::new(),
    };
    let mut depth = 0usize;
    let mut elements = 0u64;
    let mut root_seen = false;
    // The tag of each open element that was entered (not skipped), innermost last, and
    // where its name starts in `names`: an end tag is handled by the tag of its start,
    // once its name is checked against the start's. Bounded by the depth limit. (The
    // names are checked here, not by quick-xml, because a skipped element's end tag is
    // jumped over and never seen as an event.)
    let mut open: Vec<(Tag, usize)> = Vec::with_capacity(32);
    let mut names: Vec<u8> = Vec::with_capacity(256);
    reader.config_mut().check_end_names = false;
    loop {
        let pos = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => return Err(Error::malformed_by(FORMAT, format!("{part} @{pos}"), e)),
        };
        match event {
            Event::Start(e) => {
                depth += 1;
                count(&mut elements, depth, limits, deadline)?;
                let qname = e.name();
                let name = local(qname.as_ref());
                if !root_seen {
                    root_seen = true;
                    check_root(name, part, pos)?;
                }
                let t = tag(name);
                if p.start(t, &e, pos)? == Next::Enter {
                    if t == Tag::TcPr && scan_cell_properties(&mut reader, &mut p, qname.as_ref())?
                    {
                        p.end(t)?;
                        depth -= 1;
                    } else {
                        open.push((t, names.len()));
                        names.extend_from_slice(qname.as_ref().as_bytes());
                    }
                } else if jump_past_end_tag(&mut reader, qname.as_ref()) {
                    depth -= 1;
                } else if skip_subtree(
                    &mut reader,
                    &mut depth,
                    &mut elements,
                    part,
                    limits,
                    deadline,
                )? {
                    break;
                }
            }
            Event::Empty(e) => {
                count(&mut elements, depth + 1, limits, deadline)?;
                let qname = e.name();
                let name = local(qname.as_ref());
                if !root_seen {
                    root_seen = true;
                    check_root(name, part, pos)?;
                }
                let t = tag(name);
                if p.start(t, &e, pos)? == Next::Enter {
                    p.end(t)?;
                }
            }
            Event::End(e) => {
                let found = e.name();
                let found = found.as_ref().as_bytes();
                let Some((t, start)) = open.pop() else {
                    return Err(end_tag_error(part, pos, None, found));
                };
                let expected = names.get(start..).unwrap_or_default();
                if expected != found {
                    return Err(end_tag_error(part, pos, Some(expected), found));
                }
                names.truncate(start);
                p.end(t)?;
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) if p.in_text => p.push_text(&t.xml10_content())?,
            Event::CData(t) if p.in_text => p.push_text(&t.xml10_content())?,
            Event::GeneralRef(r) if p.in_text => p.push_ref(&r)?,
            Event::Eof => break,
            _ => {}
        }
    }
    if !root_seen {
        return Err(Error::malformed(
            FORMAT,
            part,
            "the main part has no root element",
        ));
    }
    p.finish()
}

/// Where the element whose content starts `rest` ends, for an element named `name`:
/// (length of the content, length through the end tag's `>`), found without tokenising
/// the content: one `memchr` for each `<`, and a look at the bytes after it. `None` when
/// the content holds a comment, CDATA, a processing instruction or a DOCTYPE (`<!`, `<?`:
/// they may hide a `<`) or an element of the same name (the depth would have to be
/// counted), or when the end tag is missing.
fn find_end_tag(rest: &[u8], name: &str) -> Option<(usize, usize)> {
    let name = name.as_bytes();
    let mut from = 0;
    while let Some(at) = rest
        .get(from..)
        .and_then(|s| memchr::memchr(b'<', s))
        .map(|i| from + i)
    {
        let markup = rest.get(at + 1..).unwrap_or_default();
        match markup.first() {
            Some(b'/') if starts_with_name(markup.get(1..).unwrap_or_default(), name) => {
                let gt = memchr::memchr(b'>', markup)?;
                return Some((at, at + 1 + gt + 1));
            }
            Some(b'!' | b'?') => return None,
            _ if starts_with_name(markup, name) => return None,
            _ => from = at + 1,
        }
    }
    None
}

/// Whether `s` starts with the tag name `name`, followed by what can end a tag name.
fn starts_with_name(s: &[u8], name: &[u8]) -> bool {
    s.starts_with(name) && s.get(name.len()).is_some_and(ends_name)
}

/// Whether `b` ends a tag name: `>`, `/` or white space.
fn ends_name(b: &u8) -> bool {
    matches!(b, b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n')
}

/// Moves `reader`, just after the start tag of an element named `name`, past its end tag
/// (see [`find_end_tag`]). Says whether it did; when it did not, [`skip_subtree`] walks
/// the subtree.
fn jump_past_end_tag(reader: &mut Reader<&[u8]>, name: &str) -> bool {
    match find_end_tag(reader.get_ref(), name) {
        Some((_, through)) => {
            reader.stream().consume(through);
            true
        }
        None => false,
    }
}

/// Reads a cell's properties (`w:tcPr`, just started) from its bytes and moves `reader`
/// past them. Only `w:gridSpan` and `w:vMerge` matter, and they nest in nothing but a
/// tracked change (`w:tcPrChange`), so one scan for them stands in for a walk of every
/// element (borders, widths, shading). Says whether it did; it does not, and leaves
/// `reader` where it was, when the properties hold a tracked change or alternate
/// content, or when [`find_end_tag`] cannot find their end.
fn scan_cell_properties(
    reader: &mut Reader<&[u8]>,
    p: &mut Parser<'_>,
    name: &str,
) -> Result<bool, Error> {
    let rest: &[u8] = reader.get_ref();
    let Some((len, through)) = find_end_tag(rest, name) else {
        return Ok(false);
    };
    let body = rest.get(..len).unwrap_or_default();
    // The span and merge elements, applied once the scan found nothing that rules the
    // scan out (a later tracked change would hold the old properties).
    let mut found: [Option<(Tag, usize)>; 4] = [None; 4];
    let mut n = 0;
    let mut from = 0;
    while let Some(at) = body
        .get(from..)
        .and_then(|s| memchr::memchr(b'<', s))
        .map(|i| from + i)
    {
        from = at + 1;
        let markup = body.get(at + 1..).unwrap_or_default();
        if markup.first() == Some(&b'/') {
            continue;
        }
        // A name of interest is short: looking at a bounded head keeps a run of `<`
        // without a name end from costing its length at each `<`.
        let head = markup.get(..64).unwrap_or(markup);
        let Some(qname_len) = head.iter().position(ends_name) else {
            continue;
        };
        // The local name, compared as bytes (most names here are borders', not wanted).
        let qname = head.get(..qname_len).unwrap_or_default();
        let local = qname.rsplit(|b| *b == b':').next().unwrap_or(qname);
        let t = match local {
            b"gridSpan" => Tag::GridSpan,
            b"vMerge" => Tag::VMerge,
            l if l.ends_with(b"Change") || l == b"AlternateContent" => return Ok(false),
            _ => continue,
        };
        match found.get_mut(n) {
            Some(slot) => *slot = Some((t, at)),
            None => return Ok(false),
        }
        n += 1;
    }
    let base = reader.buffer_position();
    for (t, at) in found.into_iter().flatten() {
        // The element itself is read by quick-xml (its attributes may hold any text).
        let mut one = Reader::from_reader(body.get(at..).unwrap_or_default());
        if let Ok(Event::Start(e) | Event::Empty(e)) = one.read_event() {
            p.start(t, &e, base + at as u64)?;
        }
    }
    reader.stream().consume(through);
    Ok(true)
}

/// The error of an end tag that closes no open element (`expected` is `None`) or
/// another one than the innermost: quick-xml's own error, as its name check gives it.
#[cold]
fn end_tag_error(part: &str, pos: u64, expected: Option<&[u8]>, found: &[u8]) -> Error {
    use quick_xml::errors::IllFormedError;
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let e = match expected {
        None => IllFormedError::UnmatchedEndTag(text(found)),
        Some(expected) => IllFormedError::MismatchedEndTag {
            expected: text(expected),
            found: text(found),
        },
    };
    Error::malformed_by(
        FORMAT,
        format!("{part} @{pos}"),
        quick_xml::Error::IllFormed(e),
    )
}

/// Reads past the subtree of the element just started (at `depth`), through its end tag,
/// counting its elements against the limits and ignoring everything else. Returns whether
/// the part ended first (a truncated part).
fn skip_subtree(
    reader: &mut Reader<&[u8]>,
    depth: &mut usize,
    elements: &mut u64,
    part: &str,
    limits: &Limits,
    deadline: Deadline,
) -> Result<bool, Error> {
    let top = *depth;
    loop {
        let pos = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| Error::malformed_by(FORMAT, format!("{part} @{pos}"), e))?;
        match event {
            Event::Start(_) => {
                *depth += 1;
                count(elements, *depth, limits, deadline)?;
            }
            Event::Empty(_) => count(elements, *depth + 1, limits, deadline)?,
            Event::End(_) => {
                let closed = *depth;
                *depth = depth.saturating_sub(1);
                if closed <= top {
                    return Ok(false);
                }
            }
            Event::Eof => return Ok(true),
            _ => {}
        }
    }
}

/// The local part of a qualified name (after the last `:`).
fn local(name: &str) -> &str {
    match name.as_bytes().iter().rposition(|b| *b == b':') {
        Some(i) => name.get(i + 1..).unwrap_or(name),
        None => name,
    }
}

/// What an element is to the reader, by local name (one length test, then a few
/// comparisons, instead of a chain of ~50 string comparisons per element).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    P,
    T,
    Tab,
    Br,
    NoBreakHyphen,
    Sym,
    FldChar,
    Del,
    Skip,
    AltChunk,
    AlternateContent,
    Choice,
    Fallback,
    Tbl,
    Tr,
    TrPr,
    GridBefore,
    Tc,
    TcPr,
    GridSpan,
    VMerge,
    /// Anything else: entered, no effect of its own.
    Other,
}

fn tag(name: &str) -> Tag {
    match name.len() {
        1 => match name {
            "p" => Tag::P,
            "t" => Tag::T,
            _ => Tag::Other,
        },
        2 => match name {
            "br" | "cr" => Tag::Br,
            "tr" => Tag::Tr,
            "tc" => Tag::Tc,
            _ => Tag::Other,
        },
        3 => match name {
            "tab" => Tag::Tab,
            "sym" => Tag::Sym,
            "del" => Tag::Del,
            "pPr" | "rPr" => Tag::Skip,
            "tbl" => Tag::Tbl,
            _ => Tag::Other,
        },
        4 => match name {
            "ptab" => Tag::Tab,
            "pict" => Tag::Skip,
            "trPr" => Tag::TrPr,
            "tcPr" => Tag::TcPr,
            _ => Tag::Other,
        },
        5 => match name {
            "sdtPr" | "tblPr" => Tag::Skip,
            _ => Tag::Other,
        },
        6 => match name {
            "object" | "sectPr" => Tag::Skip,
            "Choice" => Tag::Choice,
            "vMerge" => Tag::VMerge,
            _ => Tag::Other,
        },
        7 => match name {
            "fldChar" => Tag::FldChar,
            "delText" | "drawing" | "fldData" | "tblPrEx" | "tblGrid" => Tag::Skip,
            _ => Tag::Other,
        },
        8 => match name {
            "moveFrom" | "sdtEndPr" | "endnotes" | "comments" => Tag::Skip,
            "altChunk" => Tag::AltChunk,
            "Fallback" => Tag::Fallback,
            "gridSpan" => Tag::GridSpan,
            _ => Tag::Other,
        },
        9 => match name {
            "tcBorders" | "instrText" | "rPrChange" | "pPrChange" | "footnotes" => Tag::Skip,
            _ => Tag::Other,
        },
        10 => match name {
            "background" | "smartTagPr" | "tcPrChange" | "trPrChange" => Tag::Skip,
            "gridBefore" => Tag::GridBefore,
            _ => Tag::Other,
        },
        11 => match name {
            "txbxContent" | "customXmlPr" | "tblPrChange" => Tag::Skip,
            _ => Tag::Other,
        },
        12 => match name {
            "delInstrText" => Tag::Skip,
            _ => Tag::Other,
        },
        13 => match name {
            "noBreakHyphen" => Tag::NoBreakHyphen,
            "tblGridChange" => Tag::Skip,
            _ => Tag::Other,
        },
        15 => match name {
            "numberingChange" => Tag::Skip,
            _ => Tag::Other,
        },
        16 => match name {
            "AlternateContent" => Tag::AlternateContent,
            _ => Tag::Other,
        },
        _ => Tag::Other,
    }
}

/// The main part's root must be a WordprocessingML `document`.
fn check_root(local: &str, part: &str, pos: u64) -> Result<(), Error> {
    if local == "document" {
        return Ok(());
    }
    Err(Error::malformed(
        FORMAT,
        format!("{part} @{pos}"),
        format!("the main part is not a WordprocessingML document (root element <{local}>)"),
    ))
}

impl Parser<'_> {
    fn origin(&self, offset: u64) -> Origin {
        Origin::Part {
            part: Arc::clone(&self.part_name),
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
    fn start(&mut self, t: Tag, e: &BytesStart<'_>, pos: u64) -> Result<Next, Error> {
        match t {
            Tag::P => {
                if self.para_open {
                    self.end_paragraph();
                }
                self.para_open = true;
                self.para_offset = pos;
                self.para.clear();
            }
            Tag::T => self.in_text = true,
            Tag::Tab => self.push_char(' ')?,
            Tag::Br => self.push_char('\n')?,
            Tag::NoBreakHyphen => self.push_char('-')?,
            Tag::Sym => {
                if let Some(c) = attr(e, "char").and_then(|v| sym_char(&v)) {
                    self.push_char(c)?;
                }
            }
            Tag::FldChar => match attr(e, "fldCharType").as_deref() {
                Some("begin") if self.fields.len() < MAX_FIELD_NESTING => self.fields.push(true),
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
            Tag::Del if self.in_trpr => {
                if let Some(t) = self.tables.last_mut() {
                    t.row_deleted = true;
                }
            }
            Tag::Del | Tag::Skip => return Ok(Next::Skip),
            Tag::AltChunk => {
                if self.tables.is_empty() && self.alt_chunks.len() < 1000 {
                    if self.para_open {
                        self.end_paragraph();
                    }
                    if let Some(id) = attr(e, "id") {
                        self.alt_chunks.push((self.blocks.len(), id.into_owned()));
                    }
                }
                return Ok(Next::Skip);
            }
            Tag::AlternateContent => self.alternates.push(false),
            Tag::Choice => {
                let understood = attr(e, "Requires").is_some_and(|req| {
                    req.split_ascii_whitespace()
                        .all(|p| UNDERSTOOD_PREFIXES.contains(&p))
                });
                match self.alternates.last_mut() {
                    Some(taken) if !*taken && understood => *taken = true,
                    _ => return Ok(Next::Skip),
                }
            }
            Tag::Fallback => match self.alternates.last_mut() {
                Some(taken) if !*taken => *taken = true,
                _ => return Ok(Next::Skip),
            },
            Tag::Tbl => {
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
            Tag::Tr => {
                if let Some(t) = self.tables.last_mut() {
                    t.row_started = false;
                    t.row_deleted = false;
                    t.grid_before = 0;
                }
            }
            Tag::TrPr => self.in_trpr = true,
            Tag::GridBefore if self.in_trpr => {
                let n = attr(e, "val").and_then(|v| v.trim().parse::<usize>().ok());
                if let Some(t) = self.tables.last_mut() {
                    t.grid_before = n.unwrap_or(0).min(self.limits.max_table_cells);
                }
            }
            Tag::Tc => {
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
                    text: SmallString::default(),
                    span: 1,
                    vmerge: VMerge::None,
                    offset: pos,
                    nested: Vec::new(),
                });
            }
            Tag::TcPr => self.in_tcpr = true,
            Tag::GridSpan if self.in_tcpr => {
                let n = attr(e, "val").and_then(|v| v.trim().parse::<usize>().ok());
                if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    c.span = n
                        .unwrap_or(1)
                        .clamp(1, self.limits.max_table_cells.saturating_add(1));
                }
            }
            Tag::VMerge if self.in_tcpr => {
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
    fn end(&mut self, t: Tag) -> Result<(), Error> {
        match t {
            Tag::T => self.in_text = false,
            Tag::P => self.end_paragraph(),
            Tag::Tc => self.end_cell()?,
            Tag::Tbl => self.end_table()?,
            Tag::TrPr => self.in_trpr = false,
            Tag::TcPr => self.in_tcpr = false,
            Tag::AlternateContent => {
                self.alternates.pop();
            }
            _ => {}
        }
        Ok(())
    }

    /// Closes the open paragraph: into the open cell, or as a body block.
    fn end_paragraph(&mut self) {
        let offset = self.para_offset;
        self.para_open = false;
        self.in_text = false;
        // A field code does not run past its paragraph: a `begin` whose `separate` never
        // comes must not hide the rest of the document.
        for code in &mut self.fields {
            *code = false;
        }
        // `para` is a buffer kept across paragraphs: a cell's paragraph is copied into the
        // cell's text, a body paragraph into a string of its exact size.
        if !self.para.trim().is_empty() {
            match self.tables.last_mut() {
                Some(t) => {
                    if let Some(cell) = t.cell.as_mut() {
                        if !cell.text.is_empty() {
                            cell.text.push('\n');
                        }
                        cell.text.push_str(&self.para);
                    }
                }
                None => {
                    let text = self.para.as_str().to_owned();
                    let origin = self.origin(offset);
                    self.blocks
                        .push(Block::Paragraph(Paragraph { text, origin }));
                }
            }
        }
        self.para.clear();
    }

    fn end_cell(&mut self) -> Result<(), Error> {
        if self.para_open || !self.para.is_empty() {
            self.end_paragraph();
        }
        let origin_part = Arc::clone(&self.part_name);
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
            part: origin_part,
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
    fn finish(mut self) -> Result<(Document, Vec<(usize, String)>), Error> {
        if self.para_open || !self.para.is_empty() {
            self.end_paragraph();
        }
        while !self.tables.is_empty() {
            self.end_table()?;
        }
        let doc = Document {
            blocks: self.blocks,
        };
        Ok((doc, self.alt_chunks))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use std::io::Write;

    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";

    const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

    const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

    /// A zip package of `parts` (deflated).
    pub(crate) fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn document_xml(ns: &str, body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{ns}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:w16se="http://schemas.microsoft.com/office/word/2015/wordml/symex" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><w:body>{body}<w:sectPr/></w:body></w:document>"#
        )
    }

    fn docx(body: &str) -> Vec<u8> {
        docx_with_main(document_xml(W, body).as_bytes())
    }

    /// A package whose main part is `xml`, as given.
    fn docx_with_main(xml: &[u8]) -> Vec<u8> {
        package(&[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
            ("_rels/.rels", RELS.as_bytes()),
            ("word/document.xml", xml),
        ])
    }

    fn read_body(body: &str) -> Document {
        read(&docx(body), &Limits::default()).unwrap()
    }

    fn dump(body: &str) -> String {
        read_body(body).dump()
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    fn tc(inner: &str) -> String {
        format!("<w:tc>{inner}</w:tc>")
    }

    #[test]
    fn runs_join_and_special_characters() {
        let body = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs><w:rPr><w:b/></w:rPr></w:pPr>
            <w:r><w:rPr><w:b/></w:rPr><w:t>一、本年</w:t></w:r><w:r><w:t xml:space="preserve">新收 </w:t></w:r>
            <w:r><w:tab/><w:t>A&amp;B&#x4e00;&#20108;&lt;</w:t><w:br/><w:t>x</w:t><w:cr/><w:noBreakHyphen/><w:softHyphen/>
            <w:sym w:font="Symbol" w:char="F0B7"/><w:sym w:font="SimSun" w:char="2460"/></w:r></w:p>"#;
        assert_eq!(dump(body), "P 一、本年新收  A&B一二<⏎x⏎-①\n");
    }

    #[test]
    fn custom_entities_are_not_expanded() {
        let body = "<w:p><w:r><w:t>a&custom;b</w:t></w:r></w:p>";
        assert_eq!(dump(body), "P ab\n");
    }

    #[test]
    fn hyperlink_smarttag_customxml_fldsimple_are_transparent() {
        let body = r#"<w:p><w:hyperlink r:id="rId9" xmlns:r="urn:r"><w:r><w:t>链接</w:t></w:r></w:hyperlink>
            <w:smartTag w:uri="u" w:element="date"><w:smartTagPr/><w:r><w:t>2024年</w:t></w:r></w:smartTag>
            <w:customXml w:element="x"><w:customXmlPr/><w:r><w:t>自定义</w:t></w:r></w:customXml>
            <w:fldSimple w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple></w:p>"#;
        assert_eq!(dump(body), "P 链接2024年自定义7\n");
    }

    #[test]
    fn complex_field_keeps_result_only() {
        let body = r#"<w:p><w:r><w:t>第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>
            <w:r><w:instrText xml:space="preserve"> MERGEFIELD 数量 </w:instrText></w:r>
            <w:r><w:t>code-text</w:t></w:r>
            <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>12</w:t></w:r>
            <w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>件</w:t></w:r></w:p>"#;
        assert_eq!(dump(body), "P 第12件\n");
    }

    #[test]
    fn unterminated_field_code_stops_at_paragraph_end() {
        let body = format!(
            r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:t>code</w:t></w:r></w:p>{}"#,
            p("可见")
        );
        assert_eq!(dump(&body), "P 可见\n");
    }

    #[test]
    fn content_controls_at_every_level() {
        let body = format!(
            r#"<w:sdt><w:sdtPr><w:alias w:val="块"/><w:text/></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt>
            <w:tbl><w:sdt><w:sdtPr/><w:sdtContent><w:tr>
              <w:sdt><w:sdtPr><w:placeholder><w:docPart w:val="x"/></w:placeholder></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt>
              {}</w:tr></w:sdtContent></w:sdt></w:tbl>
            <w:p><w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtEndPr><w:rPr/></w:sdtEndPr><w:sdtContent><w:r><w:t>行内</w:t></w:r></w:sdtContent></w:sdt></w:p>"#,
            p("块级"),
            tc(&p("单元格级")),
            tc(&p("普通"))
        );
        assert_eq!(
            dump(&body),
            "P 块级\nT 1x2\n  0,0[1x1]: 单元格级\n  0,1[1x1]: 普通\nP 行内\n"
        );
    }

    #[test]
    fn alternate_content_takes_one_branch() {
        let body = r#"<w:p><w:r><w:t>前</w:t></w:r>
            <mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:t>选择</w:t></w:r></mc:Choice>
            <mc:Fallback><w:r><w:t>后备</w:t></w:r></mc:Fallback></mc:AlternateContent>
            <mc:AlternateContent><mc:Choice Requires="w16se"><w16se:symEx w16se:font="Segoe UI Emoji" w16se:char="1F600"/></mc:Choice>
            <mc:Fallback><w:r><w:t>☺</w:t></w:r></mc:Fallback></mc:AlternateContent>
            <mc:AlternateContent><mc:Choice Requires="unknownNs"><w:r><w:t>X</w:t></w:r></mc:Choice>
            <mc:Choice Requires="w14"><w:r><w:t>第二选择</w:t></w:r></mc:Choice>
            <mc:Fallback><w:r><w:t>Y</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>"#;
        assert_eq!(dump(body), "P 前选择☺第二选择\n");
    }

    #[test]
    fn tracked_changes_final_view() {
        let body = r#"<w:p><w:r><w:t>行政强制</w:t></w:r>
            <w:del w:id="1" w:author="a"><w:r><w:delText>66</w:delText></w:r></w:del>
            <w:ins w:id="2" w:author="b"><w:r><w:t>65</w:t></w:r></w:ins>
            <w:moveFrom w:id="3"><w:r><w:t>旧位置</w:t></w:r></w:moveFrom>
            <w:moveTo w:id="4"><w:r><w:t>新位置</w:t></w:r></w:moveTo></w:p>"#;
        assert_eq!(dump(body), "P 行政强制65新位置\n");
    }

    #[test]
    fn deleted_table_row_is_dropped() {
        let body = format!(
            r#"<w:tbl><w:tr>{}</w:tr><w:tr><w:trPr><w:del w:id="1" w:author="a"/></w:trPr>{}</w:tr><w:tr><w:trPr><w:ins w:id="2" w:author="a"/></w:trPr>{}</w:tr></w:tbl>"#,
            tc(&p("a")),
            tc(&p("deleted")),
            tc(&p("b"))
        );
        assert_eq!(dump(&body), "T 2x1\n  0,0[1x1]: a\n  1,0[1x1]: b\n");
    }

    #[test]
    fn grid_span_and_vertical_merge() {
        let body = format!(
            r#"<w:tbl><w:tblPr><w:tblW w:w="0"/></w:tblPr><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
            <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>{}</w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>{}</w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>{}{}</w:tr>
            <w:tr><w:tc><w:tcPr><w:vMerge w:val="continue"/></w:tcPr><w:p/></w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge w:val="restart"/></w:tcPr>{}</w:tc></w:tr>
            <w:tr>{}<w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>
            </w:tbl>"#,
            p("三、本年度办理结果"),
            p("表头"),
            tc(&p("1")),
            tc(&p("2")),
            p("合并"),
            tc(&p("x"))
        );
        let doc = read_body(&body);
        assert_eq!(
            doc.dump(),
            "T 4x3\n  0,0[3x1]: 三、本年度办理结果\n  0,1[1x2]: 表头\n  1,1[1x1]: 1\n  1,2[1x1]: 2\n  2,1[2x2]: 合并\n  3,0[1x1]: x\n"
        );
        let Some(Block::Table(t)) = doc.blocks.first() else {
            panic!("no table")
        };
        let c = t.cell_at(2, 0).unwrap();
        assert_eq!((c.row, c.col, c.row_span), (0, 0, 3));
        assert!(
            matches!(&c.origin, Origin::Part { part, offset: Some(_) } if &**part == "word/document.xml")
        );
    }

    #[test]
    fn skipped_subtrees_are_jumped_or_walked() {
        // Jumped: properties before the text, cell borders before the span.
        let body = format!(
            r#"<w:p><w:pPr><w:jc w:val="center"/><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:t>甲</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:tcPr><w:tcBorders><w:top w:val="single"/></w:tcBorders><w:gridSpan w:val="2"/></w:tcPr>{}</w:tc></w:tr></w:tbl>"#,
            p("乙")
        );
        assert_eq!(dump(&body), "P 甲\nT 1x2\n  0,0[1x2]: 乙\n");
        // Cell properties are scanned for the span and merge, unless a tracked change
        // holds old ones (then they are walked, and the change skipped).
        let body = format!(
            r#"<w:tbl><w:tr><w:tc><w:tcPr><w:tcW w:w="1"/><w:vMerge w:val="restart"/><w:gridSpan w:val="2"/></w:tcPr>{}</w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge/></w:tcPr>{}</w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:gridSpan w:val="1"/><w:tcPrChange w:id="1"><w:tcPr><w:gridSpan w:val="2"/></w:tcPr></w:tcPrChange></w:tcPr>{}</w:tc>{}</w:tr></w:tbl>"#,
            p("甲"),
            p(""),
            p("乙"),
            tc(&p("丙"))
        );
        assert_eq!(
            dump(&body),
            "T 3x2\n  0,0[2x2]: 甲\n  2,0[1x1]: 乙\n  2,1[1x1]: 丙\n"
        );
        // A long run of `<` in cell properties is scanned in linear time (and, like any
        // content jumped over, not validated).
        let body = format!(
            "<w:tbl><w:tr><w:tc><w:tcPr>{}</w:tcPr>{}</w:tc></w:tr></w:tbl>",
            "<".repeat(200_000),
            p("丁")
        );
        assert_eq!(dump(&body), "T 1x1\n  0,0[1x1]: 丁\n");
        // Walked: a comment hiding an end tag, a nested element of the same name, a
        // processing instruction, an end tag with a space before `>`.
        let body = r#"<w:p><w:pPr><!-- </w:pPr> --><w:jc/></w:pPr><w:r><w:t>a</w:t></w:r></w:p>
            <w:p><w:del><w:del><w:r><w:t>x</w:t></w:r></w:del><w:r><w:t>y</w:t></w:r></w:del><w:r><w:t>b</w:t></w:r></w:p>
            <w:p><w:rPr><?pi </w:rPr>?></w:rPr><w:r><w:t>c</w:t></w:r></w:p>
            <w:p><w:rPr><w:rPrx/></w:rPr ><w:r><w:t>d</w:t></w:r></w:p>"#;
        assert_eq!(dump(body), "P a\nP b\nP c\nP d\n");
        // A skipped element whose end tag is missing is an error, as before.
        let e = read(&docx("<w:p><w:pPr><w:jc/></w:p>"), &Limits::default()).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Malformed { .. }), "{e}");
    }

    #[test]
    fn grid_before_and_ragged_rows() {
        let body = format!(
            r#"<w:tbl><w:tr>{}{}{}</w:tr>
            <w:tr><w:trPr><w:gridBefore w:val="1"/><w:gridAfter w:val="1"/></w:trPr>{}</w:tr>
            <w:tr>{}</w:tr></w:tbl>"#,
            tc(&p("a")),
            tc(&p("b")),
            tc(&p("c")),
            tc(&p("d")),
            tc(&p("e"))
        );
        assert_eq!(
            dump(&body),
            "T 3x3\n  0,0[1x1]: a\n  0,1[1x1]: b\n  0,2[1x1]: c\n  1,1[1x1]: d\n  2,0[1x1]: e\n"
        );
    }

    #[test]
    fn nested_table_stays_in_its_cell() {
        let inner = format!(
            "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
            tc(&p("i1")),
            tc(&p("i2"))
        );
        let body = format!(
            "{}<w:tbl><w:tr>{}<w:tc>{}{}<w:p/></w:tc>{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>{}",
            p("前"),
            tc(&p("a")),
            p("外层文字"),
            inner,
            tc(&p("c")),
            tc(&p("d")),
            tc(&p("e")),
            tc(&p("f")),
            p("后")
        );
        assert_eq!(
            dump(&body),
            "P 前\nT 2x3\n  0,0[1x1]: a\n  0,1[1x1]: 外层文字\n    T 1x2\n      0,0[1x1]: i1\n      0,1[1x1]: i2\n  0,2[1x1]: c\n  1,0[1x1]: d\n  1,1[1x1]: e\n  1,2[1x1]: f\nP 后\n"
        );
    }

    #[test]
    fn cell_paragraphs_join_with_newline() {
        let body = format!(
            "<w:tbl><w:tr>{}</w:tr></w:tbl>",
            tc(&format!(
                "{}<w:p/>{}<w:p><w:r><w:t>c</w:t><w:br/><w:t>d</w:t></w:r></w:p>",
                p("a"),
                p("b")
            ))
        );
        assert_eq!(dump(&body), "T 1x1\n  0,0[1x1]: a⏎b⏎c⏎d\n");
    }

    #[test]
    fn text_boxes_and_drawings_are_skipped() {
        let body = r#"<w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor xmlns:wp="urn:wp"><a:graphic xmlns:a="urn:a"><a:graphicData><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
            <mc:Fallback><w:pict><v:shape xmlns:v="urn:v"><v:textbox><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#;
        assert_eq!(dump(body), "P 正文\n");
    }

    #[test]
    fn strict_namespace_and_relationships() {
        let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" Target="/word/main.xml"/></Relationships>"#;
        let doc = document_xml(W_STRICT, &p("严格"));
        let bytes = package(&[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
            ("_rels/.rels", rels.as_bytes()),
            ("word/main.xml", doc.as_bytes()),
        ]);
        let d = read(&bytes, &Limits::default()).unwrap();
        assert_eq!(d.dump(), "P 严格\n");
        assert!(
            matches!(&d.blocks[0], Block::Paragraph(p) if p.origin == Origin::Part { part: "word/main.xml".into(), offset: p.origin_offset() })
        );
    }

    trait OriginOffset {
        fn origin_offset(&self) -> Option<u64>;
    }
    impl OriginOffset for Paragraph {
        fn origin_offset(&self) -> Option<u64> {
            match self.origin {
                Origin::Part { offset, .. } => offset,
                _ => None,
            }
        }
    }

    #[test]
    fn main_part_from_content_types_without_rels() {
        let types = CONTENT_TYPES.replace("/word/document.xml", "/doc/body.xml");
        let bytes = package(&[
            ("[Content_Types].xml", types.as_bytes()),
            ("doc/body.xml", document_xml(W, &p("无关系")).as_bytes()),
        ]);
        assert_eq!(
            read(&bytes, &Limits::default()).unwrap().dump(),
            "P 无关系\n"
        );
    }

    #[test]
    fn backslash_entry_names() {
        let bytes = package(&[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
            ("_rels\\.rels", RELS.as_bytes()),
            (
                "word\\document.xml",
                document_xml(W, &p("反斜杠")).as_bytes(),
            ),
        ]);
        assert_eq!(
            read(&bytes, &Limits::default()).unwrap().dump(),
            "P 反斜杠\n"
        );
    }

    #[test]
    fn utf16_main_part() {
        let xml = document_xml(W, &p("十六位")).replace("UTF-8", "UTF-16");
        let bytes: Vec<u8> = "\u{feff}"
            .encode_utf16()
            .chain(xml.encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect();
        let pkg = docx_with_main(&bytes);
        assert_eq!(read(&pkg, &Limits::default()).unwrap().dump(), "P 十六位\n");
    }

    #[test]
    fn missing_main_part_is_malformed() {
        let bytes = package(&[("[Content_Types].xml", b"<Types/>")]);
        let e = read(&bytes, &Limits::default()).unwrap_err();
        assert_eq!(e.code(), "malformed");
    }

    #[test]
    fn bad_xml_is_malformed_with_place() {
        let bytes = docx_with_main(b"<w:document><w:body><w:p></w:body></w:document>");
        let e = read(&bytes, &Limits::default()).unwrap_err();
        match e.kind() {
            ErrorKind::Malformed { format, part, .. } => {
                assert_eq!(*format, Format::Docx);
                assert_eq!(part, "word/document.xml @25");
            }
            k => panic!("{k:?}"),
        }
        assert!(
            e.to_string()
                .contains("expected `</w:p>`, but `</w:body>` was found"),
            "{e}"
        );
        let bytes = docx_with_main(b"<w:document><w:body></w:body></w:document></w:x>");
        let e = read(&bytes, &Limits::default()).unwrap_err();
        assert!(
            e.to_string()
                .contains("close tag `</w:x>` does not match any open tag"),
            "{e}"
        );
        // A stray end tag after a skipped subtree jumped over.
        let e = read(
            &docx("<w:p><w:pPr><w:jc/></w:pPr></w:p></w:p>"),
            &Limits::default(),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("expected `</w:body>`, but `</w:p>` was found"),
            "{e}"
        );
    }

    #[test]
    fn depth_and_element_limits() {
        let deep = format!(
            "<w:p>{}{}</w:p>",
            "<w:sdt><w:sdtContent>".repeat(300),
            "</w:sdtContent></w:sdt>".repeat(300)
        );
        let e = read(&docx(&deep), &Limits::default()).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::LimitExceeded { what, .. } if what == "XML depth"));
        let limits = Limits {
            max_xml_elements: 50,
            ..Limits::default()
        };
        let many = p("x").repeat(20);
        let e = read(&docx(&many), &limits).unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::LimitExceeded { what, .. } if what == "XML elements")
        );
    }

    #[test]
    fn size_and_table_limits() {
        let big = p(&"字".repeat(2000));
        let limits = Limits {
            max_entry_bytes: 1000,
            ..Limits::default()
        };
        let e = read(&docx(&big), &limits).unwrap_err();
        assert_eq!(e.code(), "limit_exceeded");
        let limits = Limits {
            max_decompressed_bytes: 1500,
            ..Limits::default()
        };
        let e = read(&docx(&big), &limits).unwrap_err();
        assert_eq!(e.code(), "limit_exceeded");
        let limits = Limits {
            max_table_cells: 4,
            ..Limits::default()
        };
        let body = format!(
            "<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"9\"/></w:tcPr>{}</w:tc></w:tr></w:tbl>",
            p("x")
        );
        let e = read(&docx(&body), &limits).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::LimitExceeded { what, .. } if what == "table cells"));
        let limits = Limits {
            max_text_chars: 100,
            ..Limits::default()
        };
        let e = read(&docx(&big), &limits).unwrap_err();
        assert_eq!(e.code(), "limit_exceeded");
    }

    #[test]
    fn compression_ratio_limit() {
        // 4 MiB of one repeated byte deflates far beyond 200:1.
        let body = format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", "a".repeat(4 << 20));
        let e = read(&docx(&body), &Limits::default()).unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::LimitExceeded { what, .. } if what == "zip compression ratio"),
            "{e}"
        );
    }

    #[test]
    fn entry_count_limit() {
        let mut parts: Vec<(String, Vec<u8>)> = vec![
            (
                "[Content_Types].xml".into(),
                CONTENT_TYPES.as_bytes().to_vec(),
            ),
            ("_rels/.rels".into(), RELS.as_bytes().to_vec()),
            (
                "word/document.xml".into(),
                document_xml(W, &p("x")).into_bytes(),
            ),
        ];
        for i in 0..20 {
            parts.push((format!("junk/{i}.xml"), b"<a/>".to_vec()));
        }
        let refs: Vec<(&str, &[u8])> = parts
            .iter()
            .map(|(n, d)| (n.as_str(), d.as_slice()))
            .collect();
        let bytes = package(&refs);
        let limits = Limits {
            max_zip_entries: 10,
            ..Limits::default()
        };
        let e = read(&bytes, &limits).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::LimitExceeded { what, .. } if what == "zip entries"));
    }

    #[test]
    fn doctype_is_never_expanded() {
        let xml = format!(
            r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY a "AAAA">]>{}"#,
            document_xml(W, "<w:p><w:r><w:t>x&xxe;&a;y</w:t></w:r></w:p>")
                .trim_start_matches(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#)
        );
        let bytes = docx_with_main(xml.as_bytes());
        assert_eq!(read(&bytes, &Limits::default()).unwrap().dump(), "P xy\n");
    }

    #[test]
    fn alt_chunks_are_spliced_in_place() {
        let inner = docx(&p("嵌入文档"));
        let body = format!(
            r#"{}<w:altChunk r:id="c1" xmlns:r="urn:r"/><w:altChunk r:id="c2" xmlns:r="urn:r"><w:altChunkPr/></w:altChunk><w:altChunk r:id="missing" xmlns:r="urn:r"/>{}"#,
            p("前"),
            p("后")
        );
        let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="c1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="chunk.txt"/><Relationship Id="c2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="/word/afchunk.docx"/></Relationships>"#;
        let bytes = package(&[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
            ("_rels/.rels", RELS.as_bytes()),
            ("word/document.xml", document_xml(W, &body).as_bytes()),
            ("word/_rels/document.xml.rels", rels.as_bytes()),
            ("word/chunk.txt", "文本块".as_bytes()),
            ("word/afchunk.docx", &inner),
        ]);
        let d = read(&bytes, &Limits::default()).unwrap();
        assert_eq!(d.dump(), "P 前\nP 文本块\nP 嵌入文档\nP 后\n");
    }

    #[test]
    fn math_text_is_read() {
        let body =
            r#"<w:p><w:r><w:t>增长</w:t></w:r><m:oMath><m:r><m:t>5%</m:t></m:r></m:oMath></w:p>"#;
        assert_eq!(dump(body), "P 增长5%\n");
    }
}
