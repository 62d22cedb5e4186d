//! Spreadsheets (XLSX, XLSM, XLSB, XLS, ODS) → [`Document`].
//!
//! Every sheet, in workbook order, is read into a sparse list of cells and merged regions,
//! then laid out as blocks:
//!
//! - a *region* is a maximal run of rows holding content (a merged region whose rows hold
//!   content joins them); fully empty rows separate regions;
//! - a region one column wide (a sheet of running text, the narrative) becomes one
//!   [`Paragraph`] per non-empty cell (a cell's text lines become paragraphs of their own);
//! - in a wider region, leading and trailing rows holding one lone, unmerged text cell and
//!   nothing else (no other value, no other cell written, such as a bordered blank) become
//!   paragraphs — a title above a table, a signature below it — and the rows between
//!   become a [`Table`](crate::document::Table) covering the region's columns, blanks included, each merged region
//!   one cell with its spans and the value of its top-left cell.
//!
//! Cell origins are absolute sheet coordinates ([`Origin::Sheet`]), so provenance reads
//! `表三!D7`.
//!
//! XLSX, XLSM, XLSB and XLS values come from calamine. XLSX and XLSB sheets are streamed
//! cell by cell, never as calamine's dense `Range`, so a sheet claiming millions of rows
//! allocates nothing for them. An XLSX sheet's merged regions are read by one scan of its
//! part for the `mergeCells` element, which follows the cells (calamine would parse the
//! whole sheet a second time for them); a part that cannot be found, read or scanned that
//! way is left to calamine. XLS workbooks are pre-scanned (BIFF record headers) to bound
//! what calamine will allocate and to recognise encryption and pre-BIFF8 files. ODS is read
//! here from `content.xml`, or from the whole document for a flat `.fods` (calamine
//! reports no ODS merges and expands repeated rows eagerly). XLSB merged regions are not read: calamine does not expose them, so a merged
//! XLSB region shows as its top-left cell followed by blank cells.
//!
//! Numbers print as written: integers without `.0`, decimals in their shortest form after
//! rounding to Excel's 15 significant digits (`7730.28`, never `7730.280000000001`).
//! Numbers stored as text pass through unchanged.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{Data, DataRef, Reader, SheetType, Xls, XlsError, Xlsb, XlsbError, Xlsx, XlsxError};
use quick_xml::events::{BytesStart, Event};
use quick_xml::XmlVersion;

use crate::document::{Block, Document, Origin, Paragraph, TableBuilder};
use crate::error::Error;
use crate::limits::{Deadline, Limits};
use crate::model::SmallString;
use crate::read::package::{
    attr as part_attr, for_each_element, office_document, relationships, xml_text, Package,
};
use crate::read::Format;
use compact_str::ToCompactString as _;

/// How many cells are read between two deadline checks.
const DEADLINE_EVERY: usize = 4096;

/// Reads a workbook into a [`Document`].
///
/// `format` is what [`sniff`](crate::read::sniff) decided; it must be a spreadsheet format.
///
/// # Errors
///
/// [`ErrorKind::Encrypted`](crate::ErrorKind::Encrypted) for a password-protected
/// workbook, [`ErrorKind::UnsupportedFormat`](crate::ErrorKind::UnsupportedFormat) for
/// Excel 5.0/95 and older, [`ErrorKind::LimitExceeded`](crate::ErrorKind::LimitExceeded)
/// when a sheet, a zip entry or the time taken exceeds `limits`, and
/// [`ErrorKind::Malformed`](crate::ErrorKind::Malformed) for a damaged file (including
/// one on which the spreadsheet library panics: the panic is caught).
pub fn read(bytes: &[u8], format: Format, limits: &Limits) -> Result<Document, Error> {
    let deadline = limits.deadline();
    let sheets = match catch_unwind(AssertUnwindSafe(|| {
        read_sheets(bytes, format, limits, &deadline)
    })) {
        Ok(r) => r?,
        Err(_) => {
            return Err(Error::malformed(
                format,
                "workbook",
                "the spreadsheet reader failed on this file (internal panic caught)",
            ))
        }
    };
    let mut doc = Document::default();
    for sheet in sheets {
        deadline.check()?;
        layout_sheet(sheet, limits, &deadline, &mut doc.blocks)?;
    }
    Ok(doc)
}

fn read_sheets(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    deadline: &Deadline,
) -> Result<Vec<RawSheet>, Error> {
    // calamine's own OLE reader follows sector chains without loop detection (a cycle
    // makes it grow a buffer without bound): OLE input is checked with the `cfb` crate
    // first, and never handed to the zip-based readers at all.
    if bytes.starts_with(OLE_MAGIC) {
        if format != Format::Xls {
            return Err(Error::malformed(
                format,
                "package",
                "an OLE compound file, not a zip package (an encrypted or legacy workbook?)",
            ));
        }
        check_ole(bytes)?;
    }
    match format {
        Format::Xlsx | Format::Xlsm => {
            check_zip(bytes, format, limits)?;
            read_xlsx(bytes, format, limits, deadline)
        }
        Format::Xlsb => {
            check_zip(bytes, format, limits)?;
            read_xlsb(bytes, limits, deadline)
        }
        Format::Xls => read_xls(bytes, limits, deadline),
        Format::Ods if !bytes.starts_with(b"PK") => read_flat_ods(bytes, limits, deadline),
        Format::Ods => {
            check_zip(bytes, format, limits)?;
            read_ods(bytes, limits, deadline)
        }
        other => Err(Error::unsupported(
            other.name(),
            "not a spreadsheet format; the spreadsheet reader was called by mistake",
        )),
    }
}

// ---------------------------------------------------------------------------------------
// The sparse sheet model shared by all formats.

/// One sheet as read: cells written in the file (values, and blanks that were written,
/// e.g. bordered) and merged regions, in absolute coordinates.
#[derive(Debug, Default)]
struct RawSheet {
    name: String,
    cells: Vec<RawCell>,
    merges: Vec<Merge>,
}

#[derive(Debug)]
struct RawCell {
    row: u32,
    col: u32,
    text: SmallString,
}

impl RawCell {
    fn has_content(&self) -> bool {
        !self.text.trim().is_empty()
    }
}

/// A merged region, inclusive bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Merge {
    r0: u32,
    c0: u32,
    r1: u32,
    c1: u32,
}

impl From<calamine::Dimensions> for Merge {
    fn from(d: calamine::Dimensions) -> Merge {
        Merge {
            r0: d.start.0,
            c0: d.start.1,
            r1: d.end.0,
            c1: d.end.1,
        }
    }
}

/// Counts cells and text as a sheet is read, against the limits.
struct Budget<'a> {
    limits: &'a Limits,
    deadline: &'a Deadline,
    cells: usize,
    chars: usize,
}

impl<'a> Budget<'a> {
    fn new(limits: &'a Limits, deadline: &'a Deadline) -> Self {
        Budget {
            limits,
            deadline,
            cells: 0,
            chars: 0,
        }
    }

    /// Accounts for one more cell holding `text`.
    fn add(&mut self, text: &str) -> Result<(), Error> {
        self.cells += 1;
        self.chars = self.chars.saturating_add(text.len());
        if self.cells > self.limits.max_table_cells {
            return Err(Error::limit(
                "cells in one workbook",
                self.limits.max_table_cells as u64,
            ));
        }
        if self.chars > self.limits.max_text_chars {
            return Err(Error::limit(
                "text characters",
                self.limits.max_text_chars as u64,
            ));
        }
        if self.cells % DEADLINE_EVERY == 0 {
            self.deadline.check()?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Cell values → text.

/// Formats a number as written: integers without `.0`, others in the shortest form that
/// round-trips after rounding to 15 significant digits (what Excel displays).
fn format_number(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f == f.trunc() && f.abs() < 1e15 {
        // Exact integer within i64 range.
        return format!("{}", f as i64);
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    let s = format!("{rounded}");
    match s.strip_suffix(".0") {
        Some(t) => t.to_string(),
        None => s,
    }
}

fn bool_text(b: bool) -> String {
    if b { "TRUE" } else { "FALSE" }.to_string()
}

fn datetime_text(dt: &calamine::ExcelDateTime) -> String {
    if dt.is_duration() {
        let total_secs = (dt.as_f64() * 86_400.0).round();
        if !total_secs.is_finite() || total_secs.abs() > 1e12 {
            return format_number(dt.as_f64());
        }
        let neg = total_secs < 0.0;
        let s = total_secs.abs() as u64;
        return format!(
            "{}{}:{:02}:{:02}",
            if neg { "-" } else { "" },
            s / 3600,
            (s / 60) % 60,
            s % 60
        );
    }
    let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
    let v = dt.as_f64();
    if v.is_finite() && v.fract() == 0.0 {
        format!("{y:04}-{mo:02}-{d:02}")
    } else if v.is_finite() && v.abs() < 1.0 {
        format!("{h:02}:{mi:02}:{s:02}")
    } else if ms == 0 {
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}.{ms:03}")
    }
}

fn data_ref_text(d: DataRef<'_>) -> SmallString {
    match d {
        DataRef::Int(i) => itoa::Buffer::new().format(i).into(),
        DataRef::Float(f) => format_number(f).into(),
        DataRef::String(s) => normalize_newlines(&s),
        DataRef::SharedString(s) => normalize_newlines(s),
        DataRef::Bool(b) => bool_text(b).into(),
        DataRef::DateTime(dt) => datetime_text(&dt).into(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.into(),
        DataRef::Error(e) => e.to_compact_string(),
        DataRef::Empty => SmallString::default(),
    }
}

fn data_text(d: &Data) -> SmallString {
    match d {
        Data::Int(i) => itoa::Buffer::new().format(*i).into(),
        Data::Float(f) => format_number(*f).into(),
        Data::String(s) => normalize_newlines(s),
        Data::Bool(b) => bool_text(*b).into(),
        Data::DateTime(dt) => datetime_text(dt).into(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.as_str().into(),
        Data::Error(e) => e.to_compact_string(),
        Data::Empty => SmallString::default(),
    }
}

/// The text with `\r\n` and lone `\r` as `\n` (a short text kept inline).
fn normalize_newlines(s: &str) -> SmallString {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        s.into()
    }
}

// ---------------------------------------------------------------------------------------
// Zip checks (XLSX, XLSM, XLSB, ODS).

/// Checks a zip package's entry count, declared sizes and ratios before any entry is
/// inflated. The zip reader bounds each entry's output by its declared size, so checking
/// declared sizes bounds what calamine (or the ODS reader) can inflate.
fn check_zip(bytes: &[u8], format: Format, limits: &Limits) -> Result<(), Error> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Error::malformed_by(format, "zip directory", e))?;
    if archive.len() > limits.max_zip_entries {
        return Err(Error::limit("zip entries", limits.max_zip_entries as u64));
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| Error::malformed_by(format, "zip directory", e))?;
        if entry.encrypted() {
            return Err(Error::encrypted(format!(
                "{} (encrypted zip entry)",
                format.name()
            )));
        }
        let size = entry.size();
        if size > limits.max_entry_bytes {
            return Err(Error::limit(
                "decompressed zip entry (bytes)",
                limits.max_entry_bytes,
            ));
        }
        if size > 1 << 20 && size / entry.compressed_size().max(1) > limits.max_compression_ratio {
            return Err(Error::limit(
                "zip compression ratio",
                limits.max_compression_ratio,
            ));
        }
        total = total.saturating_add(size);
        if total > limits.max_decompressed_bytes {
            return Err(Error::limit(
                "decompressed size (bytes)",
                limits.max_decompressed_bytes,
            ));
        }
    }
    if matches!(format, Format::Xlsx | Format::Xlsm) {
        check_shared_strings(&mut archive, format)?;
    }
    Ok(())
}

/// calamine reserves room for the `uniqueCount` the shared-string table claims before
/// reading it; a claim the part cannot hold (every `<si/>` takes at least 5 bytes) would
/// make it ask for gigabytes, so it is refused here.
fn check_shared_strings(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    format: Format,
) -> Result<(), Error> {
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"))
        .map(Cow::into_owned)
        .collect();
    for name in names {
        let Ok(entry) = archive.by_name(&name) else {
            continue;
        };
        let size = entry.size();
        let mut head = Vec::new();
        // The count is an attribute of the root element, near the start.
        let _ = entry.take(4096).read_to_end(&mut head);
        let Some(at) = find(&head, b"uniqueCount=") else {
            continue;
        };
        let digits: Vec<u8> = head
            .get(at + b"uniqueCount=".len() + 1..)
            .unwrap_or(&[])
            .iter()
            .copied()
            .take_while(u8::is_ascii_digit)
            .take(20)
            .collect();
        let count = std::str::from_utf8(&digits)
            .ok()
            .and_then(|d| d.parse::<u64>().ok())
            .unwrap_or(u64::MAX);
        if count.saturating_mul(5) > size.max(4096) {
            return Err(Error::malformed(
                format,
                name,
                format!("the shared-string table claims {count} strings in {size} bytes"),
            ));
        }
    }
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------------------
// XLSX / XLSM.

fn xlsx_error(format: Format, part: &str, e: XlsxError) -> Error {
    match e {
        XlsxError::Password => Error::encrypted(format.name()),
        e => Error::malformed_by(format, part, e),
    }
}

fn worksheet_names(metadata: &[calamine::Sheet]) -> Vec<String> {
    metadata
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect()
}

fn read_xlsx(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    deadline: &Deadline,
) -> Result<Vec<RawSheet>, Error> {
    let mut wb: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| xlsx_error(format, "workbook", e))?;
    deadline.check()?;
    let names = worksheet_names(wb.sheets_metadata());
    let mut pkg = Package::open(bytes, format, limits, *deadline).ok();
    let parts = pkg
        .as_mut()
        .and_then(|pkg| sheet_parts(pkg, format, limits, *deadline))
        .unwrap_or_default();
    let mut budget = Budget::new(limits, deadline);
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let part = format!("sheet {name}");
        let mut sheet = RawSheet {
            name: name.clone(),
            ..RawSheet::default()
        };
        {
            let mut reader = match wb.worksheet_cells_reader(&name) {
                Ok(r) => r,
                Err(XlsxError::NotAWorksheet(_)) => continue,
                Err(e) => return Err(xlsx_error(format, &part, e)),
            };
            while let Some(cell) = reader
                .next_cell()
                .map_err(|e| xlsx_error(format, &part, e))?
            {
                let (row, col) = cell.get_position();
                let text = data_ref_text(cell.get_value().clone());
                budget.add(&text)?;
                sheet.cells.push(RawCell { row, col, text });
            }
        }
        // The merged regions from one scan of the part when it can be found and read;
        // else (a damaged entry, say) calamine's read, which parses the whole sheet again
        // and judges the damage as before.
        let scanned = match (&mut pkg, parts.get(&name)) {
            (Some(pkg), Some(part)) => pkg
                .read_scratch(part, |xml| scan_merges(&xml_text(xml)))
                .ok()
                .flatten()
                .flatten(),
            _ => None,
        };
        sheet.merges = match scanned {
            Some(merges) => merges,
            None => wb
                .merge_cells_by_sheet_name(&name)
                .map_err(|e| xlsx_error(format, &part, e))?
                .into_iter()
                .map(Merge::from)
                .collect(),
        };
        if sheet.merges.len() > limits.max_table_cells {
            return Err(Error::limit(
                "merged regions in one sheet",
                limits.max_table_cells as u64,
            ));
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

/// Worksheet name → part name, found as calamine finds them: the `officeDocument`
/// relationship of the package, then the workbook's `sheet` elements through its
/// relationships. `None` when a part is missing or unreadable.
fn sheet_parts(
    pkg: &mut Package<'_>,
    format: Format,
    limits: &Limits,
    deadline: Deadline,
) -> Option<HashMap<String, String>> {
    let workbook = office_document(pkg, format, limits, deadline)
        .ok()?
        .unwrap_or_else(|| String::from("xl/workbook.xml"));
    let targets = relationships(pkg, format, &workbook, limits, deadline).ok()?;
    let xml = pkg.read(&workbook).ok()??;
    let mut parts = HashMap::new();
    for_each_element(
        &xml_text(&xml),
        format,
        &workbook,
        limits,
        deadline,
        |name, e| {
            if name != "sheet" {
                return;
            }
            let target = part_attr(e, "id")
                .and_then(|id| targets.iter().find(|r| r.id == id).map(|r| &r.target));
            if let (Some(sheet), Some(target)) = (part_attr(e, "name"), target) {
                parts
                    .entry(sheet.into_owned())
                    .or_insert_with(|| target.clone());
            }
        },
    )
    .ok()?;
    Some(parts)
}

/// The merged regions of a worksheet part, from its `mergeCells` element, found by
/// searching the bytes for its name (it follows the cells): no parse of the cells.
/// `Some(empty)` when the part has none; `None` when a region cannot be read as
/// calamine reads it, for the caller to ask calamine.
fn scan_merges(xml: &[u8]) -> Option<Vec<Merge>> {
    const NAME: &[u8] = b"mergeCells";
    for at in memchr::memmem::find_iter(xml, NAME) {
        // The name must open an element: `<mergeCells` or `<prefix:mergeCells`. The `<`
        // is looked for among the few bytes before the name only: text repeating the
        // name must not make each look-back run to the start of the text.
        const MAX_PREFIX: usize = 32;
        let from = at.saturating_sub(MAX_PREFIX + 1);
        let Some(lt) = xml
            .get(from..at)
            .and_then(|b| b.iter().rposition(|&c| c == b'<'))
            .map(|i| from + i)
        else {
            continue;
        };
        let prefix = xml.get(lt + 1..at).unwrap_or_default();
        let prefixed = prefix.is_empty()
            || (prefix.ends_with(b":")
                && prefix
                    .iter()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b':' | b'_' | b'-' | b'.')));
        let ends = matches!(
            xml.get(at + NAME.len()),
            Some(b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n')
        );
        if !(prefixed && ends) {
            continue;
        }
        let mut reader = quick_xml::Reader::from_reader(xml.get(lt..)?);
        let mut merges = Vec::new();
        loop {
            match reader.read_event().ok()? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "mergeCell" => {
                    let range = part_attr(&e, "ref")?;
                    let (start, end) = range.split_once(':').unwrap_or((&range, &range));
                    let ((r0, c0), (r1, c1)) = (cell_ref(start)?, cell_ref(end)?);
                    merges.push(Merge { r0, c0, r1, c1 });
                }
                Event::Empty(e) if e.local_name().as_ref() == "mergeCells" => return Some(merges),
                Event::End(e) if e.local_name().as_ref() == "mergeCells" => return Some(merges),
                Event::Eof => return None,
                _ => {}
            }
        }
    }
    Some(Vec::new())
}

/// A cell reference (`B12`, `aa3`) as 0-based (row, column); `None` for anything else
/// (`$B$12`, a column or row alone, a number past `u32`).
fn cell_ref(s: &str) -> Option<(u32, u32)> {
    let b = s.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let (col, row) = b.split_at(letters);
    if col.is_empty() || row.is_empty() || !row.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let col = col.iter().try_fold(0u32, |n, c| {
        n.checked_mul(26)?
            .checked_add(u32::from(c.to_ascii_uppercase() - b'A') + 1)
    })?;
    let row = std::str::from_utf8(row).ok()?.parse::<u32>().ok()?;
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

// ---------------------------------------------------------------------------------------
// XLSB.

fn xlsb_error(part: &str, e: XlsbError) -> Error {
    match e {
        XlsbError::Password => Error::encrypted(Format::Xlsb.name()),
        e => Error::malformed_by(Format::Xlsb, part, e),
    }
}

fn read_xlsb(bytes: &[u8], limits: &Limits, deadline: &Deadline) -> Result<Vec<RawSheet>, Error> {
    let mut wb: Xlsb<_> = Xlsb::new(Cursor::new(bytes)).map_err(|e| xlsb_error("workbook", e))?;
    deadline.check()?;
    let names = worksheet_names(wb.sheets_metadata());
    let mut budget = Budget::new(limits, deadline);
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let part = format!("sheet {name}");
        let mut sheet = RawSheet {
            name: name.clone(),
            ..RawSheet::default()
        };
        let mut reader = wb
            .worksheet_cells_reader(&name)
            .map_err(|e| xlsb_error(&part, e))?;
        while let Some(cell) = reader.next_cell().map_err(|e| xlsb_error(&part, e))? {
            let (row, col) = cell.get_position();
            let text = data_ref_text(cell.get_value().clone());
            budget.add(&text)?;
            sheet.cells.push(RawCell { row, col, text });
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

// ---------------------------------------------------------------------------------------
// XLS (BIFF8).

fn xls_error(part: &str, e: XlsError) -> Error {
    match e {
        XlsError::Password => Error::encrypted(Format::Xls.name()),
        e => Error::malformed_by(Format::Xls, part, e),
    }
}

fn read_xls(bytes: &[u8], limits: &Limits, deadline: &Deadline) -> Result<Vec<RawSheet>, Error> {
    prescan_xls(bytes, limits)?;
    deadline.check()?;
    let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| xls_error("workbook", e))?;
    deadline.check()?;
    let names = worksheet_names(wb.sheets_metadata());
    let mut budget = Budget::new(limits, deadline);
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let part = format!("sheet {name}");
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(XlsError::WorksheetNotFound(_)) => continue,
            Err(e) => return Err(xls_error(&part, e)),
        };
        let mut sheet = RawSheet {
            name: name.clone(),
            ..RawSheet::default()
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, v) in range.used_cells() {
            let text = data_text(v);
            budget.add(&text)?;
            // Positions fit: they came from u32 coordinates of the same range.
            let row = r0.saturating_add(u32::try_from(r).unwrap_or(u32::MAX));
            let col = c0.saturating_add(u32::try_from(c).unwrap_or(u32::MAX));
            sheet.cells.push(RawCell { row, col, text });
        }
        let merges = wb
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| xls_error(&part, e))?;
        sheet.merges = merges.into_iter().map(Merge::from).collect();
        sheets.push(sheet);
    }
    Ok(sheets)
}

/// Walks the BIFF records of the `Workbook` stream before calamine does: recognises
/// Excel 5.0/95 and older, encryption (FILEPASS), and bounds each sheet's cell bounding
/// box (calamine allocates it densely) and declared dimensions.
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Opens the OLE container with the `cfb` crate (which rejects chain cycles), reads every
/// stream's chain once, and refuses declared lengths larger than the file, so that
/// calamine's reader, which trusts both, stays bounded.
fn check_ole(bytes: &[u8]) -> Result<(), Error> {
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| Error::malformed_by(Format::Xls, "OLE compound file", e))?;
    let size = bytes.len() as u64;
    let mut streams = Vec::new();
    for e in cfb.walk() {
        if e.len() > size {
            return Err(Error::malformed(
                Format::Xls,
                "OLE directory",
                format!(
                    "stream {} claims {} bytes in a {size}-byte file",
                    e.path().display(),
                    e.len()
                ),
            ));
        }
        if e.is_stream() {
            streams.push(e.path().to_path_buf());
        }
        if streams.len() > 10_000 {
            return Err(Error::limit("OLE directory entries", 10_000));
        }
    }
    for path in streams {
        let stream = cfb
            .open_stream(&path)
            .map_err(|e| Error::malformed_by(Format::Xls, "OLE stream", e))?;
        std::io::copy(
            &mut stream.take(size.saturating_add(1)),
            &mut std::io::sink(),
        )
        .map_err(|e| Error::malformed_by(Format::Xls, "OLE stream", e))?;
    }
    Ok(())
}

fn prescan_xls(bytes: &[u8], limits: &Limits) -> Result<(), Error> {
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| Error::malformed_by(Format::Xls, "OLE compound file", e))?;
    let stream_name = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
        .into_iter()
        .find(|n| cfb.is_stream(n))
        .ok_or_else(|| Error::malformed(Format::Xls, "OLE compound file", "no Workbook stream"))?;
    let stream = cfb
        .open_stream(stream_name)
        .map_err(|e| Error::malformed_by(Format::Xls, "Workbook stream", e))?;
    let mut data = Vec::new();
    stream
        .take(limits.max_entry_bytes.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(|e| Error::malformed_by(Format::Xls, "Workbook stream", e))?;
    if data.len() as u64 > limits.max_entry_bytes {
        return Err(Error::limit(
            "XLS Workbook stream (bytes)",
            limits.max_entry_bytes,
        ));
    }
    let max = limits.max_table_cells as u64;
    let mut pos = 0usize;
    let mut first = true;
    // Bounding box of the current substream's cells: (min_row, max_row, min_col, max_col).
    let mut bbox: Option<(u32, u32, u32, u32)> = None;
    let check_bbox = |b: Option<(u32, u32, u32, u32)>| -> Result<(), Error> {
        if let Some((r0, r1, c0, c1)) = b {
            let area = (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1);
            if area > max {
                return Err(Error::limit("cells in one sheet (rows × columns)", max));
            }
        }
        Ok(())
    };
    while let Some(header) = data.get(pos..pos + 4) {
        let typ = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let body = data.get(pos + 4..pos + 4 + len).unwrap_or(&[]);
        pos += 4 + len;
        let u16_at = |o: usize| {
            body.get(o..o + 2)
                .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
        };
        match typ {
            // BOF
            0x0809 => {
                if first {
                    let version = u16_at(0).unwrap_or(0);
                    if version != 0x0600 {
                        return Err(Error::unsupported(
                            "Excel 5.0/95 or older (BIFF5) workbook",
                            "only BIFF8 (Excel 97-2003) and later are read",
                        ));
                    }
                    first = false;
                }
                check_bbox(bbox.take())?;
            }
            // FILEPASS
            0x002F => return Err(Error::encrypted("XLS")),
            // DIMENSIONS: rwMic u32, rwMac u32 (exclusive), colMic u16, colMac u16.
            0x0200 => {
                if let (Some(r0), Some(r1), Some(c0), Some(c1)) =
                    (body.get(0..4), body.get(4..8), u16_at(8), u16_at(10))
                {
                    let r0 = u32::from_le_bytes([r0[0], r0[1], r0[2], r0[3]]);
                    let r1 = u32::from_le_bytes([r1[0], r1[1], r1[2], r1[3]]);
                    let area = u64::from(r1.saturating_sub(r0)) * u64::from(c1.saturating_sub(c0));
                    if area > max {
                        return Err(Error::limit("cells in one sheet (rows × columns)", max));
                    }
                }
            }
            // Cell records: row u16, col u16 first. MULRK: col last is the last u16.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 | 0x00BD => {
                if let (Some(row), Some(col)) = (u16_at(0), u16_at(2)) {
                    let last_col = if typ == 0x00BD {
                        body.len()
                            .checked_sub(2)
                            .and_then(u16_at)
                            .unwrap_or(col)
                            .max(col)
                    } else {
                        col
                    };
                    bbox = Some(match bbox {
                        None => (row, row, col, last_col),
                        Some((a, b, c, d)) => (a.min(row), b.max(row), c.min(col), d.max(last_col)),
                    });
                }
            }
            _ => {}
        }
    }
    check_bbox(bbox)
}

// ---------------------------------------------------------------------------------------
// ODS.

/// Cells repeated by `table:number-columns-repeated` beyond this many are not expanded
/// when blank (they only move the column on).
const ODS_MAX_BLANK_REPEAT: u32 = 64;
/// Rows and columns beyond these are outside any spreadsheet (Excel's and Calc's limits).
const ODS_MAX_ROWS: u64 = 1 << 20;
const ODS_MAX_COLS: u64 = 1 << 14;

fn read_ods(bytes: &[u8], limits: &Limits, deadline: &Deadline) -> Result<Vec<RawSheet>, Error> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Error::malformed_by(Format::Ods, "zip directory", e))?;
    if let Ok(manifest) = archive.by_name("META-INF/manifest.xml") {
        let mut head = Vec::new();
        // The manifest lists every part; 1 MiB is far more than any real one.
        let _ = manifest.take(1 << 20).read_to_end(&mut head);
        if head
            .windows(b"encryption-data".len())
            .any(|w| w == b"encryption-data")
        {
            return Err(Error::encrypted("ODS"));
        }
    }
    let entry = archive
        .by_name("content.xml")
        .map_err(|e| Error::malformed_by(Format::Ods, "content.xml", e))?;
    let mut xml = Vec::new();
    entry
        .take(limits.max_entry_bytes.saturating_add(1))
        .read_to_end(&mut xml)
        .map_err(|e| Error::malformed_by(Format::Ods, "content.xml", e))?;
    if xml.len() as u64 > limits.max_entry_bytes {
        return Err(Error::limit(
            "decompressed zip entry (bytes)",
            limits.max_entry_bytes,
        ));
    }
    let mut parser = OdsParser::new(limits, deadline);
    parser.parse(&xml)?;
    Ok(parser.sheets)
}

/// Reads a flat OpenDocument spreadsheet (`.fods`, one XML document).
fn read_flat_ods(
    bytes: &[u8],
    limits: &Limits,
    deadline: &Deadline,
) -> Result<Vec<RawSheet>, Error> {
    let mut parser = OdsParser::new(limits, deadline);
    parser.parse(bytes)?;
    Ok(parser.sheets)
}

/// A cell of the row being read: its column, repeat count, spans and value.
struct OdsCell {
    col: u64,
    repeat: u32,
    row_span: u32,
    col_span: u32,
    text: String,
    content: bool,
}

struct OdsParser<'a> {
    limits: &'a Limits,
    budget: Budget<'a>,
    sheets: Vec<RawSheet>,
    /// Current sheet, if inside `table:table` (nesting depth of tables).
    table_depth: usize,
    row: u64,
    col: u64,
    row_repeat: u32,
    row_cells: Vec<OdsCell>,
    /// The cell being read.
    cell: Option<OdsCell>,
    /// Value given by attributes (overrides the text) for the cell being read.
    value: Option<String>,
    /// Depth inside a skipped subtree of a cell (annotations, frames).
    skip: usize,
    /// Depth inside `text:p` / `text:h` of the current cell.
    in_par: usize,
    pars: usize,
}

impl<'a> OdsParser<'a> {
    fn new(limits: &'a Limits, deadline: &'a Deadline) -> Self {
        OdsParser {
            limits,
            budget: Budget::new(limits, deadline),
            sheets: Vec::new(),
            table_depth: 0,
            row: 0,
            col: 0,
            row_repeat: 1,
            row_cells: Vec::new(),
            cell: None,
            value: None,
            skip: 0,
            in_par: 0,
            pars: 0,
        }
    }

    fn parse(&mut self, xml: &[u8]) -> Result<(), Error> {
        let mut reader = quick_xml::Reader::from_reader(xml);
        reader.config_mut().check_end_names = false;
        let mut buf = Vec::new();
        let mut depth = 0usize;
        let mut elements = 0u64;
        loop {
            buf.clear();
            let event = reader.read_event_into(&mut buf).map_err(|e| {
                Error::malformed(
                    Format::Ods,
                    format!("content.xml @{}", reader.error_position()),
                    e.to_string(),
                )
            })?;
            match event {
                Event::Start(e) => {
                    depth += 1;
                    elements += 1;
                    if depth > self.limits.max_xml_depth {
                        return Err(Error::limit("XML depth", self.limits.max_xml_depth as u64));
                    }
                    if elements > self.limits.max_xml_elements {
                        return Err(Error::limit("XML elements", self.limits.max_xml_elements));
                    }
                    self.start(&e, false)?;
                }
                Event::Empty(e) => {
                    elements += 1;
                    if elements > self.limits.max_xml_elements {
                        return Err(Error::limit("XML elements", self.limits.max_xml_elements));
                    }
                    self.start(&e, true)?;
                }
                Event::End(e) => {
                    depth = depth.saturating_sub(1);
                    let local = e.local_name();
                    self.end(local.as_ref())?;
                }
                Event::Text(t) => {
                    let text = t.xml10_content();
                    self.text(&text);
                }
                Event::CData(t) => {
                    let text = t.xml10_content();
                    self.text(&text);
                }
                Event::GeneralRef(r) => {
                    let resolved: Option<Cow<'_, str>> = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(Cow::Owned(c.to_string())),
                        Ok(None) => {
                            let name = r.xml10_content();
                            quick_xml::escape::resolve_predefined_entity(&name).map(Cow::Borrowed)
                        }
                        Err(_) => None,
                    };
                    if let Some(s) = resolved {
                        self.text(&s);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(())
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), Error> {
        let local = e.local_name();
        let name = local.as_ref();
        if self.cell.is_some() {
            if self.skip > 0 {
                if !empty {
                    self.skip += 1;
                }
                return Ok(());
            }
            match name {
                "annotation" | "frame" | "custom-shape" | "note" | "g" | "rect" | "line"
                    if !empty =>
                {
                    self.skip = 1;
                }
                "p" | "h" => {
                    if self.in_par == 0 {
                        if self.pars > 0 {
                            self.push_text("\n");
                        }
                        self.pars += 1;
                    }
                    if !empty {
                        self.in_par += 1;
                    }
                }
                "s" if self.in_par > 0 => {
                    let n = attr(e, "c")
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .min(1024);
                    self.push_text(&" ".repeat(n));
                }
                "tab" if self.in_par > 0 => self.push_text("\t"),
                "line-break" if self.in_par > 0 => self.push_text("\n"),
                _ => {}
            }
            return Ok(());
        }
        match name {
            "table" => {
                if self.table_depth == 0 {
                    let name = attr(e, "name").unwrap_or_default();
                    self.sheets.push(RawSheet {
                        name,
                        ..RawSheet::default()
                    });
                    self.row = 0;
                }
                if !empty {
                    self.table_depth += 1;
                }
            }
            "table-row" if self.table_depth == 1 => {
                self.col = 0;
                self.row_cells.clear();
                self.row_repeat = attr(e, "number-rows-repeated")
                    .and_then(|v| v.trim().parse::<u32>().ok())
                    .unwrap_or(1)
                    .max(1);
                if empty {
                    self.end_row()?;
                }
            }
            "table-cell" | "covered-table-cell" if self.table_depth == 1 => {
                let repeat = attr(e, "number-columns-repeated")
                    .and_then(|v| v.trim().parse::<u32>().ok())
                    .unwrap_or(1)
                    .max(1);
                let span = |a: &str| {
                    attr(e, a)
                        .and_then(|v| v.trim().parse::<u32>().ok())
                        .unwrap_or(1)
                        .max(1)
                };
                let styled = attr(e, "style-name").is_some() || name == "covered-table-cell";
                let value = cell_value(e);
                let cell = OdsCell {
                    col: self.col,
                    repeat,
                    row_span: span("number-rows-spanned"),
                    col_span: span("number-columns-spanned"),
                    text: String::new(),
                    content: styled,
                };
                self.col = self.col.saturating_add(u64::from(repeat));
                self.value = value;
                self.cell = Some(cell);
                self.pars = 0;
                self.in_par = 0;
                self.skip = 0;
                if empty {
                    self.end_cell()?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &str) -> Result<(), Error> {
        if self.cell.is_some() {
            if self.skip > 0 {
                self.skip -= 1;
                return Ok(());
            }
            match name {
                "p" | "h" => self.in_par = self.in_par.saturating_sub(1),
                "table-cell" | "covered-table-cell" => self.end_cell()?,
                _ => {}
            }
            return Ok(());
        }
        match name {
            "table" => self.table_depth = self.table_depth.saturating_sub(1),
            "table-row" if self.table_depth == 1 => self.end_row()?,
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, s: &str) {
        if self.cell.is_some() && self.skip == 0 && self.in_par > 0 {
            self.push_text(s);
        }
    }

    fn push_text(&mut self, s: &str) {
        if let Some(cell) = &mut self.cell {
            if cell.text.len() < self.limits.max_text_chars {
                cell.text.push_str(s);
            }
        }
    }

    fn end_cell(&mut self) -> Result<(), Error> {
        if let Some(mut cell) = self.cell.take() {
            if let Some(v) = self.value.take() {
                cell.text = v;
            }
            let has_text = !cell.text.trim().is_empty();
            // `content` was "written (styled) cell"; keep blanks only when few repeat.
            let keep = has_text
                || cell.row_span > 1
                || cell.col_span > 1
                || (cell.content && cell.repeat <= ODS_MAX_BLANK_REPEAT);
            cell.content = has_text;
            if keep {
                self.row_cells.push(cell);
            }
        }
        self.skip = 0;
        self.in_par = 0;
        Ok(())
    }

    fn end_row(&mut self) -> Result<(), Error> {
        let repeat = u64::from(self.row_repeat);
        let has_content = self
            .row_cells
            .iter()
            .any(|c| c.content || c.row_span > 1 || c.col_span > 1);
        if has_content {
            if self.row.saturating_add(repeat) > ODS_MAX_ROWS {
                return Err(Error::limit("rows in one sheet", ODS_MAX_ROWS));
            }
            let Some(sheet) = self.sheets.last_mut() else {
                self.row_cells.clear();
                return Ok(());
            };
            let cells = std::mem::take(&mut self.row_cells);
            for r in 0..repeat {
                let row = self.row + r;
                for cell in &cells {
                    for k in 0..u64::from(cell.repeat) {
                        let col = cell.col + k;
                        if col >= ODS_MAX_COLS {
                            return Err(Error::limit("columns in one sheet", ODS_MAX_COLS));
                        }
                        // Both fit in u32: bounded above.
                        let (row, col) = (row as u32, col as u32);
                        self.budget.add(&cell.text)?;
                        sheet.cells.push(RawCell {
                            row,
                            col,
                            text: cell.text.as_str().into(),
                        });
                        if cell.row_span > 1 || cell.col_span > 1 {
                            if sheet.merges.len() >= self.limits.max_table_cells {
                                return Err(Error::limit(
                                    "merged regions in one sheet",
                                    self.limits.max_table_cells as u64,
                                ));
                            }
                            sheet.merges.push(Merge {
                                r0: row,
                                c0: col,
                                r1: row.saturating_add(cell.row_span - 1),
                                c1: col.saturating_add(cell.col_span - 1),
                            });
                        }
                    }
                }
            }
            self.row_cells = cells;
            self.row_cells.clear();
        } else {
            self.row_cells.clear();
        }
        self.row = self.row.saturating_add(repeat);
        self.row_repeat = 1;
        Ok(())
    }
}

/// The value an ODS cell's attributes give, when it should override the displayed text.
fn cell_value(e: &BytesStart<'_>) -> Option<String> {
    let typ = attr(e, "value-type")?;
    match typ.as_str() {
        "float" | "percentage" | "currency" => {
            let v = attr(e, "value")?;
            Some(match v.trim().parse::<f64>() {
                Ok(f) => format_number(f),
                Err(_) => v,
            })
        }
        "boolean" => {
            let v = attr(e, "boolean-value")?;
            Some(bool_text(v.trim() == "true"))
        }
        "date" => {
            let v = attr(e, "date-value")?;
            Some(match v.strip_suffix("T00:00:00") {
                Some(d) => d.to_string(),
                None => v.replace('T', " "),
            })
        }
        _ => None,
    }
}

/// The value of the attribute whose local name is `local`, unescaped.
fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        if a.key.local_name().as_ref() == local {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(Cow::into_owned)
        } else {
            None
        }
    })
}

// ---------------------------------------------------------------------------------------
// Layout: sparse sheet → paragraphs and tables.

fn layout_sheet(
    mut sheet: RawSheet,
    limits: &Limits,
    deadline: &Deadline,
    out: &mut Vec<Block>,
) -> Result<(), Error> {
    let cells = &mut sheet.cells;
    cells.sort_by_key(|c| (c.row, c.col));
    // Keep one cell per position, preferring one with content.
    cells.dedup_by(|later, earlier| {
        if later.row == earlier.row && later.col == earlier.col {
            if !earlier.has_content() && later.has_content() {
                std::mem::swap(&mut earlier.text, &mut later.text);
            }
            true
        } else {
            false
        }
    });
    let mut merges: Vec<Merge> = sheet
        .merges
        .iter()
        .copied()
        .filter(|m| m.r0 <= m.r1 && m.c0 <= m.c1 && (m.r0 != m.r1 || m.c0 != m.c1))
        .collect();
    merges.sort();
    merges.dedup();

    // Rows holding content, sorted and unique.
    let mut content_rows: Vec<u32> = cells
        .iter()
        .filter(|c| c.has_content())
        .map(|c| c.row)
        .collect();
    content_rows.dedup();
    if content_rows.is_empty() {
        return Ok(());
    }
    // Merges kept: those spanning at least one content row.
    let has_content_row_in = |r0: u32, r1: u32| {
        let i = content_rows.partition_point(|&r| r < r0);
        content_rows.get(i).is_some_and(|&r| r <= r1)
    };
    merges.retain(|m| has_content_row_in(m.r0, m.r1));

    // Regions: union of content rows and kept merges' row ranges.
    let mut spans: Vec<(u32, u32)> = content_rows.iter().map(|&r| (r, r)).collect();
    spans.extend(merges.iter().map(|m| (m.r0, m.r1)));
    spans.sort_unstable();
    let mut regions: Vec<(u32, u32)> = Vec::new();
    for (a, b) in spans {
        match regions.last_mut() {
            Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
            _ => regions.push((a, b)),
        }
    }

    for (ra, rb) in regions {
        deadline.check()?;
        let lo = cells.partition_point(|c| c.row < ra);
        let hi = cells.partition_point(|c| c.row <= rb);
        let region_cells = cells.get(lo..hi).unwrap_or(&[]);
        // Merges are sorted by first row.
        let mlo = merges.partition_point(|m| m.r0 < ra);
        let mhi = merges.partition_point(|m| m.r0 <= rb);
        let region_merges = merges.get(mlo..mhi).unwrap_or(&[]);
        layout_region(
            &sheet.name,
            ra,
            rb,
            region_cells,
            region_merges,
            limits,
            out,
        )?;
    }
    Ok(())
}

/// What one row of a region holds, for deciding paragraphs against table rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowKind {
    /// Nothing with content.
    Empty,
    /// One unmerged text cell and nothing else written in the region's columns.
    Lone,
    /// One text cell merged across columns of its row only, and nothing else.
    LoneMerged,
    /// Anything else: a table row.
    Table,
}

fn layout_region(
    sheet: &str,
    ra: u32,
    rb: u32,
    cells: &[RawCell],
    merges: &[Merge],
    limits: &Limits,
    out: &mut Vec<Block>,
) -> Result<(), Error> {
    // Column extent of content and merges.
    let content = cells.iter().filter(|c| c.has_content());
    let mut ca = u32::MAX;
    let mut cb = 0u32;
    for c in content {
        ca = ca.min(c.col);
        cb = cb.max(c.col);
    }
    for m in merges {
        ca = ca.min(m.c0);
        cb = cb.max(m.c1);
    }
    if ca > cb {
        return Ok(());
    }
    let height = u64::from(rb - ra) + 1;
    let width = u64::from(cb - ca) + 1;
    if height.saturating_mul(width) > limits.max_table_cells as u64 {
        return Err(Error::limit(
            "table cells (rows × columns)",
            limits.max_table_cells as u64,
        ));
    }
    let row_slice = |r: u32| {
        let lo = cells.partition_point(|c| c.row < r);
        let hi = cells.partition_point(|c| c.row <= r);
        cells.get(lo..hi).unwrap_or(&[])
    };

    if width == 1 {
        // One column of text: the narrative.
        for c in cells.iter().filter(|c| c.col == ca && c.has_content()) {
            push_paragraphs(sheet, c, out);
        }
        return Ok(());
    }

    // Classify rows.
    // How many merges cover each row of the region (difference array, then sums).
    let mut cover = vec![0i64; (rb - ra) as usize + 2];
    for m in merges {
        if let Some(x) = cover.get_mut((m.r0 - ra) as usize) {
            *x += 1;
        }
        if let Some(x) = cover.get_mut((m.r1.min(rb) - ra) as usize + 1) {
            *x -= 1;
        }
    }
    let mut running = 0i64;
    for x in &mut cover {
        running += *x;
        *x = running;
    }
    let kinds: Vec<RowKind> = (ra..=rb)
        .map(|r| {
            let n_merges = cover.get((r - ra) as usize).copied().unwrap_or(0);
            // With one merge covering the row, it matters only if it is this row's alone.
            let first_merge = if n_merges == 1 {
                let i = merges.partition_point(|m| m.r0 < r);
                merges
                    .get(i..)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|m| m.r0 == r)
                    .find(|m| m.r1 == r)
            } else {
                None
            };
            if n_merges > 0 && first_merge.is_none() {
                return RowKind::Table;
            }
            let more_merges = n_merges > 1;
            let row = row_slice(r);
            let mut n_content = 0;
            let mut outside_merge = 0;
            let mut lone_col = None;
            for c in row.iter().filter(|c| c.col >= ca && c.col <= cb) {
                if c.has_content() {
                    n_content += 1;
                    lone_col = Some(c.col);
                }
                if !first_merge.is_some_and(|m| m.c0 <= c.col && c.col <= m.c1) {
                    outside_merge += 1;
                }
            }
            match (first_merge, more_merges) {
                (None, _) if n_content == 0 => RowKind::Empty,
                (None, _) if n_content == 1 && outside_merge == 1 => RowKind::Lone,
                (Some(m), false)
                    if n_content == 1
                        && outside_merge == 0
                        && m.r0 == r
                        && m.r1 == r
                        && lone_col == Some(m.c0) =>
                {
                    RowKind::LoneMerged
                }
                _ => RowKind::Table,
            }
        })
        .collect();
    let first_table = kinds
        .iter()
        .position(|k| matches!(k, RowKind::Table | RowKind::LoneMerged));
    let last_table = kinds
        .iter()
        .rposition(|k| matches!(k, RowKind::Table | RowKind::LoneMerged));
    let only_lone = !kinds.contains(&RowKind::Table);
    let (Some(ft), Some(lt), false) = (first_table, last_table, only_lone) else {
        // Only lone cells: each a paragraph, in reading order.
        for c in cells.iter().filter(|c| c.has_content()) {
            push_paragraphs(sheet, c, out);
        }
        return Ok(());
    };
    // Indices fit in u32: the region's height came from u32 rows.
    let (ta, tb) = (ra + ft as u32, ra + lt as u32);
    for r in ra..ta {
        for c in row_slice(r).iter().filter(|c| c.has_content()) {
            push_paragraphs(sheet, c, out);
        }
    }

    let origin = |row: u32, col: u32| Origin::Sheet {
        sheet: sheet.to_string(),
        row,
        col,
    };
    let mut builder = TableBuilder::new(limits.max_table_cells);
    builder.set_origin(origin(ta, ca));
    let text_at = |r: u32, c: u32| -> SmallString {
        let row = row_slice(r);
        match row.binary_search_by_key(&c, |x| x.col) {
            Ok(i) => row.get(i).map(|x| x.text.clone()).unwrap_or_default(),
            Err(_) => SmallString::default(),
        }
    };
    for m in merges.iter().filter(|m| m.r0 >= ta && m.r0 <= tb) {
        // Clip to the table's rows; columns are inside the region by construction.
        let r1 = m.r1.min(tb);
        builder.place(
            (m.r0 - ta) as usize,
            (m.c0 - ca) as usize,
            (r1 - m.r0) as usize + 1,
            (m.c1 - m.c0) as usize + 1,
            text_at(m.r0, m.c0),
            origin(m.r0, m.c0),
        )?;
    }
    for r in ta..=tb {
        let row = row_slice(r);
        let mut it = row.iter().filter(|c| c.col >= ca && c.col <= cb).peekable();
        for c in ca..=cb {
            let text = match it.peek() {
                Some(x) if x.col == c => it.next().map(|x| x.text.clone()).unwrap_or_default(),
                _ => SmallString::default(),
            };
            builder.place(
                (r - ta) as usize,
                (c - ca) as usize,
                1,
                1,
                text,
                origin(r, c),
            )?;
        }
    }
    out.push(Block::Table(builder.build()));

    for r in tb.saturating_add(1)..=rb {
        for c in row_slice(r).iter().filter(|c| c.has_content()) {
            push_paragraphs(sheet, c, out);
        }
    }
    Ok(())
}

/// Pushes a cell's text as paragraphs, one per non-blank line.
fn push_paragraphs(sheet: &str, cell: &RawCell, out: &mut Vec<Block>) {
    for line in cell.text.split('\n') {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        out.push(Block::Paragraph(Paragraph {
            text: line.to_string(),
            origin: Origin::Sheet {
                sheet: sheet.to_string(),
                row: cell.row,
                col: cell.col,
            },
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_written() {
        assert_eq!(format_number(19.0), "19");
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(-3.0), "-3");
        assert_eq!(format_number(7730.28), "7730.28");
        assert_eq!(format_number(7730.280000000001), "7730.28");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(12.5), "12.5");
        assert_eq!(format_number(1e20), "100000000000000000000");
        assert_eq!(format_number(0.000123), "0.000123");
    }

    #[test]
    fn merged_regions_are_found_by_one_scan() {
        let m = |r0, c0, r1, c1| Merge { r0, c0, r1, c1 };
        let sheet = br#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>mergeCells</t></is></c></row></sheetData>
            <mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="aa3"/></mergeCells></worksheet>"#;
        assert_eq!(
            scan_merges(sheet),
            Some(vec![m(0, 0, 0, 2), m(2, 26, 2, 26)])
        );
        let prefixed = br#"<x:worksheet><x:mergeCells count="1"><x:mergeCell ref="B2:B4"></x:mergeCell></x:mergeCells></x:worksheet>"#;
        assert_eq!(scan_merges(prefixed), Some(vec![m(1, 1, 3, 1)]));
        assert_eq!(
            scan_merges(b"<worksheet><mergeCells/></worksheet>"),
            Some(vec![])
        );
        assert_eq!(
            scan_merges(b"<worksheet><sheetData/></worksheet>"),
            Some(vec![])
        );
        // Text repeating the name is passed over in linear time.
        let repeated = format!("<t>{}</t>", "mergeCells".repeat(200_000));
        assert_eq!(scan_merges(repeated.as_bytes()), Some(vec![]));
        // What calamine reads differently (or not at all) is left to calamine.
        assert_eq!(
            scan_merges(br#"<mergeCells><mergeCell ref="$A$1:B2"/></mergeCells>"#),
            None
        );
        assert_eq!(
            scan_merges(br#"<mergeCells><mergeCell/></mergeCells>"#),
            None
        );
        assert_eq!(
            scan_merges(br#"<mergeCells><mergeCell ref="A1:B2"/>"#),
            None
        );
    }

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref("A1"), Some((0, 0)));
        assert_eq!(cell_ref("XFD1048576"), Some((1_048_575, 16_383)));
        for bad in ["", "A", "1", "A0", "A-1", "Ä1", "ZZZZZZZZ1", "A99999999999"] {
            assert_eq!(cell_ref(bad), None, "{bad}");
        }
    }

    fn raw(row: u32, col: u32, text: &str) -> RawCell {
        RawCell {
            row,
            col,
            text: text.into(),
        }
    }

    fn lay(cells: Vec<RawCell>, merges: Vec<Merge>) -> Document {
        let sheet = RawSheet {
            name: "S".into(),
            cells,
            merges,
        };
        let mut doc = Document::default();
        layout_sheet(
            sheet,
            &Limits::default(),
            &Deadline::none(),
            &mut doc.blocks,
        )
        .unwrap();
        doc
    }

    #[test]
    fn narrative_then_table_then_signature() {
        let doc = lay(
            vec![
                raw(0, 0, "标题"),
                raw(1, 0, "一、总体情况"),
                raw(2, 0, "a"),
                raw(2, 1, "b"),
                raw(3, 0, "1"),
                raw(3, 1, "2"),
                raw(4, 0, "机关"),
            ],
            vec![],
        );
        assert_eq!(
            doc.dump(),
            "P 标题\nP 一、总体情况\nT 2x2\n  0,0[1x1]: a\n  0,1[1x1]: b\n  1,0[1x1]: 1\n  1,1[1x1]: 2\nP 机关\n"
        );
    }

    #[test]
    fn merged_heading_stays_in_table_and_blank_rows_split() {
        let doc = lay(
            vec![
                raw(0, 0, "表头"),
                raw(1, 0, "x"),
                raw(1, 2, "y"),
                raw(3, 1, "独立"),
            ],
            vec![Merge {
                r0: 0,
                c0: 0,
                r1: 0,
                c1: 2,
            }],
        );
        assert_eq!(
            doc.dump(),
            "T 2x3\n  0,0[1x3]: 表头\n  1,0[1x1]: x\n  1,1[1x1]: \n  1,2[1x1]: y\nP 独立\n"
        );
    }

    #[test]
    fn written_blank_keeps_a_label_row_in_the_table() {
        let doc = lay(
            vec![
                raw(0, 0, "a"),
                raw(0, 1, "1"),
                raw(1, 0, "b"),
                raw(1, 1, ""),
            ],
            vec![],
        );
        assert_eq!(doc.tables().count(), 1);
        assert_eq!(doc.paragraphs().count(), 0);
    }
}
