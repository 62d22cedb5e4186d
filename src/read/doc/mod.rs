//! Word 97–2003 binary (`.doc`, and WPS Office `.wps`, which uses the same layout) →
//! [`Document`].
//!
//! The file is an OLE compound file. The reader follows the path Word itself takes to the
//! main document text ([MS-DOC]):
//!
//! 1. the FIB at the start of the `WordDocument` stream gives `fEncrypted`,
//!    `fWhichTblStm` (`0Table` or `1Table`), the language ids, `ccpText` (length of the
//!    main document in characters) and the offsets of the CLX and the `PlcfBtePapx` in
//!    the table stream;
//! 2. the CLX's piece table (`Pcdt`/`PlcPcd`; `Prc` entries before it are skipped) maps
//!    character positions to bytes of `WordDocument`: a piece is UTF-16LE, or "compressed"
//!    8-bit text (cp1252 per the specification; GBK when the FIB says the document is in
//!    Simplified Chinese — Big5 for Traditional — and the piece has non-ASCII bytes, as
//!    Chinese writers produce);
//! 3. only the main document (the first `ccpText` characters) is read; footnotes,
//!    headers, comments and text boxes that follow it are not;
//! 4. paragraph marks (0x0D), cell marks (0x07) and page/section breaks (0x0C) end
//!    paragraphs. Whether a paragraph is in a table, ends a cell or ends a row is read
//!    from its paragraph properties (`sprmPFInTable`, `sprmPFTtp`, `sprmPItap`,
//!    `sprmPFInnerTableCell`, `sprmPFInnerTtp`) through the `PlcfBtePapx` and its FKP
//!    pages (`papx.rs`). When a paragraph's properties cannot be found (a damaged
//!    `PlcfBtePapx`), a heuristic stands in: 0x07 ends a cell, and a second 0x07 right
//!    after a cell end (an empty "cell") ends the row, and paragraphs between a row end and
//!    the next cell mark open the next row's first cell (so a row whose last cell is
//!    empty is misread in that mode);
//! 5. the row-end paragraph's `sprmTDefTable` gives the cells' boundaries and merge
//!    flags: cells are placed on a grid made of every boundary of the table, so wide
//!    cells span columns, and vertically merged cells become one cell with a row span
//!    (`layout.rs`);
//! 6. fields keep their result and drop their code (0x13 code 0x14 result 0x15, nested);
//!    a symbol (a special `(` with `sprmCSymbol`) is its character, or nothing when it is
//!    a private-use one (a symbol-font glyph), and so are symbol-font glyphs stored in
//!    the text itself (U+F000–U+F0FF);
//!    0x0B is a `\n`, a tab a space, 0x1E a `-`; 0x1F, pictures (0x01, 0x08),
//!    footnote and comment anchors (0x02–0x05) and other control characters are dropped.
//!
//! Tracked changes are accepted: text marked deleted (`sprmCFRMarkDel`, found through the
//! `PlcfBteChpx`, `chpx.rs`) is dropped. Paragraph and cell marks are kept whatever
//! their properties say (LibreOffice marks the previous row's end as deleted, not the
//! deleted row's cell marks); instead a table row left with only empty cells, some of
//! whose text was deleted, is dropped.
//!
//! A document whose main text gives no block but that embeds Word documents (storages
//! of `ObjectPool` with a `WordDocument` stream, as WPS and Word save attached or
//! embedded documents) gives their blocks instead, read the same way, one level deep;
//! an embedded document that cannot be read is left out.
//!
//! Not read: list numbering labels (as in the DOCX reader), text boxes, headers and
//! footers, other embedded objects, Word 6.0/95 files (sniffing declines them).
//!
//! [MS-DOC]: https://learn.microsoft.com/en-us/openspecs/office_file_formats/ms-doc/

mod chpx;
mod fkp;
mod layout;
mod papx;

use std::io::{Cursor, Read};

use crate::document::Document;
use crate::error::Error;
use crate::limits::{Deadline, Limits};
use crate::read::Format;

use chpx::{Chpx, Run};
use layout::Layout;
use papx::Papx;

/// Bit 30 of a piece's file offset: the piece is 8-bit "compressed" text.
const FC_COMPRESSED: u32 = 0x4000_0000;

/// Most pieces a piece table may hold (one per character is already absurd).
const MAX_PIECES: usize = 1 << 22;

/// Most fields kept open at once; deeper `begin`s are counted but not tracked.
const MAX_FIELD_NESTING: usize = 64;

/// Reads a Word 97–2003 binary document (or a WPS one) into a [`Document`].
///
/// `format` is [`Format::Doc`] or [`Format::Wps`], as sniffed; it names the format in
/// errors. A damaged file is [`ErrorKind::Malformed`](crate::ErrorKind) naming the part
/// (`WordDocument`, `1Table`, `CLX`, …), an encrypted one
/// [`ErrorKind::Encrypted`](crate::ErrorKind), and a file over one of `limits`
/// [`ErrorKind::LimitExceeded`](crate::ErrorKind).
pub fn read(bytes: &[u8], format: Format, limits: &Limits) -> Result<Document, Error> {
    let deadline = limits.deadline();
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| Error::malformed_by(format, "OLE compound file header", e))?;
    let mut budget = limits.max_text_chars;
    let mut doc = read_word(
        &mut cfb,
        "",
        bytes.len(),
        format,
        limits,
        deadline,
        &mut budget,
    )?;
    if doc.blocks.is_empty() {
        // Nothing but embedded objects: the Word documents among them are the content.
        for dir in embedded_documents(&cfb) {
            match read_word(
                &mut cfb,
                &dir,
                bytes.len(),
                format,
                limits,
                deadline,
                &mut budget,
            ) {
                Ok(d) => doc.blocks.extend(d.blocks),
                Err(e) if e.code() == "limit_exceeded" => return Err(e),
                Err(_) => {}
            }
        }
    }
    Ok(doc)
}

/// Most embedded documents read from an `ObjectPool`.
const MAX_EMBEDDED: usize = 16;

/// The storages of `/ObjectPool` that hold a `WordDocument` stream, in directory order.
fn embedded_documents(cfb: &cfb::CompoundFile<Cursor<&[u8]>>) -> Vec<String> {
    let Ok(entries) = cfb.read_storage("/ObjectPool") else {
        return Vec::new();
    };
    entries
        .filter(|e| e.is_storage())
        .map(|e| format!("/ObjectPool/{}", e.name()))
        .filter(|dir| cfb.is_stream(format!("{dir}/WordDocument")))
        .take(MAX_EMBEDDED)
        .collect()
}

/// Reads the Word document whose streams are in storage `dir` ("" for the root),
/// spending at most `budget` characters of text (and taking them off it).
fn read_word(
    cfb: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    dir: &str,
    file_len: usize,
    format: Format,
    limits: &Limits,
    deadline: Deadline,
    budget: &mut usize,
) -> Result<Document, Error> {
    let word = read_stream(cfb, dir, "WordDocument", file_len, format)?
        .ok_or_else(|| Error::malformed(format, "WordDocument", "stream is missing"))?;
    let fib = Fib::parse(&word, format)?;
    let table = read_stream(cfb, dir, fib.table_stream, file_len, format)?.ok_or_else(|| {
        Error::malformed(
            format,
            fib.table_stream,
            "table stream named by the FIB is missing",
        )
    })?;
    // The Data stream holds paragraph properties too large for an FKP page.
    let data = read_stream(cfb, dir, "Data", file_len, format)
        .ok()
        .flatten();
    let pieces = pieces(&table, &fib, format)?;
    let papx = Papx::new(&word, &table, data.as_deref(), fib.bte_papx);
    let mut walker = Walker {
        layout: Layout::new(limits.max_table_cells),
        papx,
        chpx: Chpx::new(&word, &table, fib.bte_chpx),
        run: None,
        para: String::new(),
        para_deleted: false,
        para_fc: None,
        fields: Vec::new(),
        fields_overflow: 0,
        chars: 0,
        max_chars: *budget,
        limit: limits.max_text_chars,
        deadline,
    };
    for piece in &pieces {
        deadline.check()?;
        walker.piece(&word, piece, fib.ccp_text, fib.cjk, format)?;
    }
    *budget = budget.saturating_sub(walker.chars);
    walker.finish()
}

/// Reads a whole stream of the compound file, `None` when it does not exist. A stream
/// claiming more bytes than the file holds is malformed.
fn read_stream(
    cfb: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    dir: &str,
    name: &str,
    file_len: usize,
    format: Format,
) -> Result<Option<Vec<u8>>, Error> {
    let path = format!("{dir}/{name}");
    if !cfb.is_stream(&path) {
        return Ok(None);
    }
    let part = if dir.is_empty() { name } else { &path[1..] };
    let len = cfb
        .entry(&path)
        .map_err(|e| Error::malformed_by(format, part, e))?
        .len();
    if len > file_len as u64 {
        return Err(Error::malformed(
            format,
            part,
            format!("stream claims {len} bytes in a file of {file_len}"),
        ));
    }
    let stream = cfb
        .open_stream(&path)
        .map_err(|e| Error::malformed_by(format, part, e))?;
    let mut buf = Vec::with_capacity(len as usize);
    stream
        .take(len)
        .read_to_end(&mut buf)
        .map_err(|e| Error::malformed_by(format, part, e))?;
    Ok(Some(buf))
}

/// Little-endian `u16` at `at`, if in bounds.
fn le16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

/// Little-endian `u32` at `at`, if in bounds.
fn le32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// What the reader needs from the File Information Block.
#[derive(Debug)]
struct Fib {
    /// `0Table` or `1Table`.
    table_stream: &'static str,
    /// Characters of main document text.
    ccp_text: u32,
    /// Offset and length of the CLX in the table stream.
    clx: (u32, u32),
    /// Offset and length of the `PlcfBtePapx` in the table stream.
    bte_papx: (u32, u32),
    /// Offset and length of the `PlcfBteChpx` in the table stream.
    bte_chpx: (u32, u32),
    /// The double-byte encoding of 8-bit pieces with non-ASCII bytes, when the
    /// document's language (`lid` or `lidFE`) is Chinese: GBK, or Big5 for Traditional.
    cjk: Option<&'static encoding_rs::Encoding>,
}

impl Fib {
    fn parse(word: &[u8], format: Format) -> Result<Fib, Error> {
        let bad = |what: &str| Error::malformed(format, "WordDocument", format!("FIB: {what}"));
        let flags = le16(word, 0x0A).ok_or_else(|| bad("shorter than its base"))?;
        if flags & 0x0100 != 0 {
            return Err(Error::encrypted(format!("{} (fEncrypted)", format.name())));
        }
        let nfib = le16(word, 2).unwrap_or(0);
        if nfib != 0 && nfib < 0x00C1 {
            return Err(Error::unsupported(
                "Word 6.0/95 document",
                "only Word 97 and later binary documents can be read",
            ));
        }
        let table_stream = if flags & 0x0200 != 0 {
            "1Table"
        } else {
            "0Table"
        };
        let lid = le16(word, 0x06).unwrap_or(0);
        // FibBase is 32 bytes; then csw and fibRgW (lidFE is its 14th word).
        let csw = usize::from(le16(word, 32).ok_or_else(|| bad("no csw"))?);
        let rgw = 34;
        let lid_fe = if csw >= 14 {
            le16(word, rgw + 26).unwrap_or(0)
        } else {
            0
        };
        let at_cslw = rgw + csw * 2;
        let cslw = usize::from(le16(word, at_cslw).ok_or_else(|| bad("no cslw"))?);
        let rglw = at_cslw + 2;
        if cslw < 4 {
            return Err(bad("fibRgLw too short for ccpText"));
        }
        let ccp_text = le32(word, rglw + 12).ok_or_else(|| bad("no ccpText"))?;
        let at_cb = rglw + cslw * 4;
        let cb_fc_lcb = usize::from(le16(word, at_cb).ok_or_else(|| bad("no cbRgFcLcb"))?);
        let blob = at_cb + 2;
        let pair = |i: usize| -> Option<(u32, u32)> {
            if i >= cb_fc_lcb {
                return None;
            }
            Some((le32(word, blob + i * 8)?, le32(word, blob + i * 8 + 4)?))
        };
        let clx = pair(33).ok_or_else(|| bad("no fcClx"))?;
        let bte_papx = pair(13).unwrap_or((0, 0));
        let bte_chpx = pair(12).unwrap_or((0, 0));
        let cjk = |l: u16| match l {
            0x0804 | 0x1004 => Some(encoding_rs::GBK),
            0x0404 | 0x0C04 | 0x1404 => Some(encoding_rs::BIG5),
            _ => None,
        };
        Ok(Fib {
            table_stream,
            ccp_text,
            clx,
            bte_papx,
            bte_chpx,
            cjk: cjk(lid).or(cjk(lid_fe)),
        })
    }
}

/// One piece of the piece table: characters `cp_start..cp_end` stored at `fc`.
#[derive(Debug, Clone, Copy)]
struct Piece {
    cp_start: u32,
    cp_end: u32,
    /// Byte offset in `WordDocument` of the piece's first character.
    offset: u32,
    compressed: bool,
}

/// The pieces of the CLX's piece table, in order.
fn pieces(table: &[u8], fib: &Fib, format: Format) -> Result<Vec<Piece>, Error> {
    let bad = |what: String| Error::malformed(format, "CLX", what);
    let (fc, lcb) = (fib.clx.0 as usize, fib.clx.1 as usize);
    if lcb == 0 {
        return Err(bad("the FIB gives no piece table".into()));
    }
    let clx = fc
        .checked_add(lcb)
        .and_then(|end| table.get(fc..end))
        .ok_or_else(|| {
            Error::malformed(
                format,
                fib.table_stream,
                format!("CLX at {fc}+{lcb} is outside the stream"),
            )
        })?;
    let mut at = 0usize;
    let plc = loop {
        match clx.get(at) {
            Some(0x01) => {
                let cb = le16(clx, at + 1).ok_or_else(|| bad("truncated Prc".into()))?;
                at += 3 + usize::from(cb);
            }
            Some(0x02) => {
                let len = le32(clx, at + 1).ok_or_else(|| bad("truncated Pcdt".into()))? as usize;
                let start = at + 5;
                break start
                    .checked_add(len)
                    .and_then(|end| clx.get(start..end))
                    .ok_or_else(|| bad(format!("PlcPcd of {len} bytes runs past the CLX")))?;
            }
            Some(t) => return Err(bad(format!("unknown entry type {t:#04x} at {at}"))),
            None => return Err(bad("no Pcdt".into())),
        }
    };
    if plc.len() < 16 {
        return Err(bad("empty PlcPcd".into()));
    }
    let n = (plc.len() - 4) / 12;
    if n > MAX_PIECES {
        return Err(Error::limit("pieces in the piece table", MAX_PIECES as u64));
    }
    let cps_end = (n + 1) * 4;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (Some(cp_start), Some(cp_end), Some(fc)) = (
            le32(plc, i * 4),
            le32(plc, i * 4 + 4),
            le32(plc, cps_end + i * 8 + 2),
        ) else {
            break;
        };
        if cp_end <= cp_start {
            continue;
        }
        let compressed = fc & FC_COMPRESSED != 0;
        let offset = if compressed {
            (fc & !FC_COMPRESSED) / 2
        } else {
            fc
        };
        out.push(Piece {
            cp_start,
            cp_end,
            offset,
            compressed,
        });
    }
    Ok(out)
}

/// Walks the characters of the main document, turning them into paragraphs for
/// [`Layout`].
struct Walker<'a> {
    layout: Layout,
    papx: Papx<'a>,
    chpx: Chpx<'a>,
    /// The character run last looked up.
    run: Option<Run>,
    para: String,
    /// The open paragraph lost text to a tracked deletion.
    para_deleted: bool,
    /// Byte offset in `WordDocument` of the open paragraph's first character.
    para_fc: Option<u32>,
    /// Open fields, innermost last: `true` while in the field's code.
    fields: Vec<bool>,
    /// Field begins past [`MAX_FIELD_NESTING`] not yet ended.
    fields_overflow: usize,
    chars: usize,
    /// Characters this document may still take (what earlier documents of the file
    /// left of the limit).
    max_chars: usize,
    /// The configured limit, for the error message.
    limit: usize,
    deadline: Deadline,
}

impl Walker<'_> {
    /// Feeds the part of `piece` that lies in the main document (`0..ccp_text`).
    fn piece(
        &mut self,
        word: &[u8],
        piece: &Piece,
        ccp_text: u32,
        cjk: Option<&'static encoding_rs::Encoding>,
        format: Format,
    ) -> Result<(), Error> {
        if piece.cp_start >= ccp_text {
            return Ok(());
        }
        let count = (piece.cp_end.min(ccp_text) - piece.cp_start) as usize;
        let start = piece.offset as usize;
        let width = if piece.compressed { 1 } else { 2 };
        let bytes = count
            .checked_mul(width)
            .and_then(|n| start.checked_add(n))
            .and_then(|end| word.get(start..end))
            .ok_or_else(|| {
                Error::malformed(
                    format,
                    "WordDocument",
                    format!(
                        "text piece of {count} characters at {start} runs past the stream ({} bytes)",
                        word.len()
                    ),
                )
            })?;
        if self.chars.saturating_add(count) > self.max_chars {
            return Err(Error::limit("text characters", self.limit as u64));
        }
        if !piece.compressed {
            let units = bytes
                .chunks_exact(2)
                .map(|u| u16::from_le_bytes([u[0], u[1]]));
            let mut fc = piece.offset;
            for (i, c) in char::decode_utf16(units).enumerate() {
                let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
                self.push(c, fc)?;
                fc = fc.wrapping_add(if (c as u32) > 0xFFFF { 4 } else { 2 });
                if i % 4096 == 4095 {
                    self.deadline.check()?;
                }
            }
        } else if let Some(encoding) = cjk.filter(|_| !bytes.is_ascii()) {
            self.double_byte(bytes, piece.offset, encoding)?;
        } else {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            for (i, c) in text.chars().enumerate() {
                self.push(c, piece.offset.wrapping_add(i as u32))?;
                if i % 4096 == 4095 {
                    self.deadline.check()?;
                }
            }
        }
        Ok(())
    }

    /// An 8-bit piece of a Chinese document holding GBK or Big5 (double-byte) text; a
    /// byte that starts no valid pair is read as cp1252.
    fn double_byte(
        &mut self,
        bytes: &[u8],
        offset: u32,
        encoding: &'static encoding_rs::Encoding,
    ) -> Result<(), Error> {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let fc = offset.wrapping_add(i as u32);
            if b < 0x80 {
                self.push(char::from(b), fc)?;
                i += 1;
                continue;
            }
            let pair = bytes
                .get(i..i + 2)
                .filter(|_| (0x81..=0xFE).contains(&b))
                .and_then(|p| encoding.decode_without_bom_handling_and_without_replacement(p));
            match pair {
                Some(s) => {
                    for c in s.chars() {
                        self.push(c, fc)?;
                    }
                    i += 2;
                }
                _ => {
                    let one = [b];
                    let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&one);
                    for c in s.chars() {
                        self.push(c, fc)?;
                    }
                    i += 1;
                }
            }
            if i % 4096 < 2 {
                self.deadline.check()?;
            }
        }
        Ok(())
    }

    fn in_code(&self) -> bool {
        self.fields.iter().any(|c| *c)
    }

    /// One character of main document text, stored at byte `fc` of `WordDocument`.
    fn push(&mut self, c: char, fc: u32) -> Result<(), Error> {
        self.chars += 1;
        if !self.run.is_some_and(|r| r.start <= fc && fc < r.end) {
            self.run = self.chpx.lookup(fc);
        }
        let structural = matches!(c, '\r' | '\u{7}' | '\u{c}');
        if !structural && self.run.is_some_and(|r| r.deleted) {
            // A tracked deletion. Marks are kept whatever their properties say: writers
            // disagree on which marks a deleted row's deletion covers.
            self.para_deleted = true;
            return Ok(());
        }
        if c == '(' && !self.in_code() {
            if let Some(symbol) = self.run.and_then(|r| r.symbol) {
                // A symbol-font character; private-use ones (Wingdings boxes …) are
                // dropped, as the DOCX reader drops them.
                if let Some(s) = char::from_u32(u32::from(symbol))
                    .filter(|s| !(0xE000..=0xF8FF).contains(&(*s as u32)) && *s >= ' ')
                {
                    self.text(s, fc);
                }
                return Ok(());
            }
        }
        match c {
            '\u{13}' => {
                if self.fields.len() < MAX_FIELD_NESTING {
                    self.fields.push(true);
                } else {
                    self.fields_overflow += 1;
                }
            }
            '\u{14}' => {
                if self.fields_overflow == 0 {
                    if let Some(code) = self.fields.last_mut() {
                        *code = false;
                    }
                }
            }
            '\u{15}' => {
                if self.fields_overflow > 0 {
                    self.fields_overflow -= 1;
                } else {
                    self.fields.pop();
                }
            }
            '\r' | '\u{7}' | '\u{c}' => self.end_paragraph(c, fc)?,
            _ if self.in_code() => {}
            '\u{b}' => self.text('\n', fc),
            '\t' => self.text(' ', fc),
            '\u{1e}' => self.text('-', fc),
            c if (c as u32) < 0x20 => {}
            // A symbol-font glyph stored in the text (Word and LibreOffice store the
            // Wingdings/Symbol characters at U+F0xx): dropped, as the DOCX reader drops
            // private-use `w:sym` characters.
            '\u{f000}'..='\u{f0ff}' => {}
            c => self.text(c, fc),
        }
        Ok(())
    }

    fn text(&mut self, c: char, fc: u32) {
        if self.para_fc.is_none() {
            self.para_fc = Some(fc);
        }
        self.para.push(c);
    }

    /// A paragraph mark (`\r`), cell mark (0x07) or page/section break (0x0C) at `fc`.
    fn end_paragraph(&mut self, mark: char, fc: u32) -> Result<(), Error> {
        // A field code does not run past its paragraph: a `begin` whose `separate` never
        // comes must not hide the rest of the document.
        for code in &mut self.fields {
            *code = false;
        }
        let props = self.papx.lookup(fc);
        let text = std::mem::take(&mut self.para);
        let start = self.para_fc.take().unwrap_or(fc);
        let deleted = std::mem::take(&mut self.para_deleted);
        self.layout
            .paragraph(text, start, mark == '\u{7}', deleted, props)
    }

    fn finish(mut self) -> Result<Document, Error> {
        if !self.para.is_empty() {
            let text = std::mem::take(&mut self.para);
            let start = self.para_fc.unwrap_or(0);
            self.layout
                .paragraph(text, start, false, false, Some(papx::ParaProps::default()))?;
        }
        self.layout.finish()
    }
}

#[cfg(test)]
mod tests;
