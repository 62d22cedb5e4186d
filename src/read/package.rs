//! Limit-checked access to the parts of a zip package (OOXML).
//!
//! Zip headers state sizes that hostile files lie about, so every part is inflated in
//! chunks and checked as it grows: per-entry size, total size across the package, and the
//! compression ratio once a part passes 1 MiB. Entry names are matched the way Office
//! matches part names: case-insensitively, with `\` taken as `/` and no leading `/`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use zip::result::ZipError;
use zip::ZipArchive;

use crate::error::Error;
use crate::limits::{Deadline, Limits};
use crate::read::Format;

/// Size past which the compression ratio of a part is checked.
const RATIO_FLOOR: u64 = 1 << 20;
/// Inflation chunk: limits and the deadline are checked after each one.
const CHUNK: usize = 64 << 10;

/// An opened zip package with a name index and running decompression totals.
pub(crate) struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    /// Normalised (lower-case, `/`-separated, no leading `/`) name → entry index, sorted.
    index: Vec<(String, usize)>,
    format: Format,
    limits: &'a Limits,
    deadline: Deadline,
    total: u64,
}

impl<'a> Package<'a> {
    /// Opens `bytes` as a zip package, checking the entry count and overlapping entries.
    pub(crate) fn open(
        bytes: &'a [u8],
        format: Format,
        limits: &'a Limits,
        deadline: Deadline,
    ) -> Result<Self, Error> {
        let mut archive = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| Error::malformed_by(format, "zip directory", e))?;
        if archive.len() > limits.max_zip_entries {
            return Err(Error::limit("zip entries", limits.max_zip_entries as u64));
        }
        match archive.has_overlapping_entries() {
            Ok(false) => {}
            Ok(true) => {
                return Err(Error::malformed(
                    format,
                    "zip directory",
                    "zip entries overlap (a zip bomb technique)",
                ))
            }
            Err(e) => return Err(Error::malformed_by(format, "zip directory", e)),
        }
        let mut index = Vec::with_capacity(archive.len());
        for i in 0..archive.len() {
            if let Some(Ok(name)) = archive.name_for_index(i) {
                index.push((normalize_name(&name), i));
            }
        }
        // Stable sort: with duplicate names, the first entry wins, as in most readers.
        index.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Package {
            archive,
            index,
            format,
            limits,
            deadline,
            total: 0,
        })
    }

    /// Whether the package has a part named `name` (matched as Office matches names).
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    fn find(&self, name: &str) -> Option<usize> {
        let key = normalize_name(name);
        let pos = self
            .index
            .partition_point(|(n, _)| n.as_str() < key.as_str());
        match self.index.get(pos) {
            Some((n, i)) if *n == key => Some(*i),
            _ => None,
        }
    }

    /// Reads the part `name` into a buffer the thread keeps for the next file and calls
    /// `f` with its bytes; `Ok(None)` when the package has no such part. For the one big
    /// part of a package: its buffer is neither allocated nor zeroed again for each file.
    pub(crate) fn read_scratch<R>(
        &mut self,
        name: &str,
        f: impl FnOnce(&[u8]) -> R,
    ) -> Result<Option<R>, Error> {
        /// Largest buffer kept between files.
        const KEEP: usize = 8 << 20;
        thread_local! {
            static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
        }
        SCRATCH.with(|cell| {
            // A nested package (a DOCX chunk inside a DOCX) gets a buffer of its own.
            let mut own = Vec::new();
            let mut kept = cell.try_borrow_mut().ok();
            let buf = kept.as_deref_mut().unwrap_or(&mut own);
            let result = match self.inflate(name, buf) {
                Ok(Some(len)) => Ok(Some(f(buf.get(..len).unwrap_or_default()))),
                Ok(None) => Ok(None),
                Err(e) => Err(e),
            };
            if buf.len() > KEEP {
                *buf = Vec::new();
            }
            result
        })
    }

    /// Inflates the part `name` into `buf` from its start, growing it as needed (grown
    /// bytes are zeroed once; bytes already there are overwritten), and returns the
    /// part's length; `Ok(None)` when the package has no such part. The limits are
    /// checked every [`CHUNK`] bytes, as [`read`](Self::read) checks them.
    fn inflate(&mut self, name: &str, buf: &mut Vec<u8>) -> Result<Option<usize>, Error> {
        let Some(index) = self.find(name) else {
            return Ok(None);
        };
        let (limits, format, total, deadline) =
            (self.limits, self.format, self.total, self.deadline);
        let mut file = open_entry(&mut self.archive, index, name, format, limits, total)?;
        let declared = file.size();
        let compressed = file.compressed_size().max(1);
        let mut filled = 0usize;
        loop {
            let boundary = filled.saturating_add(CHUNK);
            let before = filled;
            while filled < boundary {
                if filled >= buf.len() {
                    // Room up to the declared size (a lie costs a few more rounds).
                    let want = usize::try_from(declared)
                        .unwrap_or(usize::MAX)
                        .saturating_sub(filled)
                        .max(8 << 10)
                        .min(boundary - filled);
                    buf.resize(filled + want, 0);
                }
                let end = buf.len().min(boundary);
                let Some(room) = buf.get_mut(filled..end) else {
                    break;
                };
                match file.read(room) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(Error::malformed_by(format, name, e)),
                }
            }
            if filled == before {
                break;
            }
            check_growth(filled as u64, compressed, total, limits, deadline)?;
        }
        drop(file);
        self.total = total.saturating_add(filled as u64);
        Ok(Some(filled))
    }

    /// Reads the part `name`, or `Ok(None)` when the package has no such part.
    pub(crate) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        let Some(index) = self.find(name) else {
            return Ok(None);
        };
        let (limits, format, total, deadline) =
            (self.limits, self.format, self.total, self.deadline);
        let mut file = open_entry(&mut self.archive, index, name, format, limits, total)?;
        let declared = file.size();
        let compressed = file.compressed_size().max(1);
        // Declared sizes lie: never reserve more than a modest amount up front.
        let mut out = Vec::with_capacity(declared.min(8 << 20) as usize);
        loop {
            // Inflate straight into `out` (no zeroed chunk, no copy), a chunk at a time so
            // that the limits are checked as the part grows.
            match (&mut file).take(CHUNK as u64).read_to_end(&mut out) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::malformed_by(format, name, e)),
            }
            check_growth(out.len() as u64, compressed, total, limits, deadline)?;
        }
        drop(file);
        self.total = total.saturating_add(out.len() as u64);
        Ok(Some(out))
    }
}

/// Opens entry `index` (named `name`) for reading, refusing encrypted entries and
/// declared sizes over the limits (`total` inflated so far).
fn open_entry<'z, 'a>(
    archive: &'z mut ZipArchive<Cursor<&'a [u8]>>,
    index: usize,
    name: &str,
    format: Format,
    limits: &Limits,
    total: u64,
) -> Result<zip::read::ZipFile<'z, Cursor<&'a [u8]>>, Error> {
    let file = match archive.by_index(index) {
        Ok(f) => f,
        Err(ZipError::UnsupportedArchive(msg)) if msg == ZipError::PASSWORD_REQUIRED => {
            return Err(Error::encrypted(format!(
                "{} (zip-encrypted part)",
                format.name()
            )))
        }
        Err(e) => return Err(Error::malformed_by(format, name, e)),
    };
    if file.encrypted() {
        return Err(Error::encrypted(format!(
            "{} (zip-encrypted part)",
            format.name()
        )));
    }
    check_size(file.size(), total, limits)?;
    Ok(file)
}

/// The size limits on a part of `len` bytes after `total` bytes of other parts.
fn check_size(len: u64, total: u64, limits: &Limits) -> Result<(), Error> {
    if len > limits.max_entry_bytes {
        return Err(Error::limit(
            "decompressed zip entry (bytes)",
            limits.max_entry_bytes,
        ));
    }
    if total.saturating_add(len) > limits.max_decompressed_bytes {
        return Err(Error::limit(
            "total decompressed size (bytes)",
            limits.max_decompressed_bytes,
        ));
    }
    Ok(())
}

/// The limits on a part inflated to `len` bytes so far (after `total` bytes of other
/// parts), and the deadline.
fn check_growth(
    len: u64,
    compressed: u64,
    total: u64,
    limits: &Limits,
    deadline: Deadline,
) -> Result<(), Error> {
    check_size(len, total, limits)?;
    if len > RATIO_FLOOR && len / compressed > limits.max_compression_ratio {
        return Err(Error::limit(
            "zip compression ratio",
            limits.max_compression_ratio,
        ));
    }
    deadline.check()
}

/// The form part names are compared in: `/`-separated, no leading `/`, lower case.
pub(crate) fn normalize_name(name: &str) -> String {
    let mut s = name.replace('\\', "/");
    while s.starts_with('/') {
        s.remove(0);
    }
    s.make_ascii_lowercase();
    s
}

/// Resolves a relationship `target` against the folder of the part `source` (`""` for
/// the package root), giving a part name without a leading `/`.
pub(crate) fn resolve_target(source: &str, target: &str) -> String {
    let target = target.replace('\\', "/");
    // Drop any fragment or query.
    let target = target.split(['#', '?']).next().unwrap_or_default();
    let source = source.replace('\\', "/");
    let mut parts: Vec<&str> = Vec::new();
    if !target.starts_with('/') {
        if let Some((dir, _)) = source.rsplit_once('/') {
            parts.extend(dir.split('/').filter(|s| !s.is_empty()));
        }
    }
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Decodes an XML part to UTF-8: strips a UTF-8 BOM, transcodes UTF-16 (by BOM, or by a
/// leading `<` followed by a zero byte) and any other encoding the XML declaration names
/// (e.g. `GBK`).
pub(crate) fn xml_text(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    use std::borrow::Cow;
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Cow::Borrowed(rest);
    }
    let utf16 = if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"<\0") {
        Some(encoding_rs::UTF_16LE)
    } else if bytes.starts_with(b"\xFE\xFF") || bytes.starts_with(b"\0<") {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    };
    let declared = || {
        let head = bytes.get(..bytes.len().min(200))?;
        let end = head.windows(2).position(|w| w == b"?>")?;
        let decl = std::str::from_utf8(head.get(..end)?).ok()?;
        let rest = decl.split("encoding").nth(1)?;
        let quote_start = rest.find(['"', '\''])?;
        let value = rest.get(quote_start + 1..)?;
        let label = value.get(..value.find(['"', '\''])?)?;
        let enc = encoding_rs::Encoding::for_label(label.trim().as_bytes())?;
        // A declaration that lies about UTF-8 content is ignored.
        (enc != encoding_rs::UTF_8
            && enc != encoding_rs::UTF_16LE
            && enc != encoding_rs::UTF_16BE
            && std::str::from_utf8(bytes).is_err())
        .then_some(enc)
    };
    match utf16.or_else(declared) {
        Some(enc) => {
            let (text, _, _) = enc.decode(bytes);
            Cow::Owned(text.into_owned().into_bytes())
        }
        None => Cow::Borrowed(bytes),
    }
}

// ---------------------------------------------------------------------------------------
// Small XML parts: a walker under the limits, and attribute values.

/// One internal relationship of a part (OPC): its id, its type, and the part it targets
/// (resolved against the source part).
#[derive(Debug, Clone)]
pub(crate) struct Relationship {
    pub(crate) id: String,
    pub(crate) kind: String,
    pub(crate) target: String,
}

/// The internal relationships of `part` (`""` for the package's own, `_rels/.rels`), in
/// document order: empty when the part has no relationships part. Relationships to
/// external targets are left out.
pub(crate) fn relationships(
    pkg: &mut Package<'_>,
    format: Format,
    part: &str,
    limits: &Limits,
    deadline: Deadline,
) -> Result<Vec<Relationship>, Error> {
    let rels_name = match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    };
    let Some(rels) = pkg.read(&rels_name)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for_each_element(
        &xml_text(&rels),
        format,
        &rels_name,
        limits,
        deadline,
        |name, e| {
            let external =
                attr(e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External"));
            if name != "Relationship" || external {
                return;
            }
            if let (Some(id), Some(target)) = (attr(e, "Id"), attr(e, "Target")) {
                out.push(Relationship {
                    id: id.into_owned(),
                    kind: attr(e, "Type").unwrap_or_default().trim().to_string(),
                    target: resolve_target(part, target.trim()),
                });
            }
        },
    )?;
    Ok(out)
}

/// The part the package's first internal `officeDocument` relationship targets (the
/// main document or workbook), if any.
pub(crate) fn office_document(
    pkg: &mut Package<'_>,
    format: Format,
    limits: &Limits,
    deadline: Deadline,
) -> Result<Option<String>, Error> {
    Ok(relationships(pkg, format, "", limits, deadline)?
        .into_iter()
        .find(|r| r.kind.ends_with("/officeDocument"))
        .map(|r| r.target))
}

/// Calls `f(local_name, start)` for each element of a small XML part, under the depth,
/// element and time limits.
pub(crate) fn for_each_element(
    xml: &[u8],
    format: Format,
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
            .map_err(|e| Error::malformed_by(format, format!("{part} @{pos}"), e))?;
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
#[inline(always)]
pub(crate) fn count(
    elements: &mut u64,
    depth: usize,
    limits: &Limits,
    deadline: Deadline,
) -> Result<(), Error> {
    *elements += 1;
    if depth > limits.max_xml_depth || *elements > limits.max_xml_elements {
        return Err(over_limit(depth, limits));
    }
    if *elements % 1024 == 0 {
        deadline.check()?;
    }
    Ok(())
}

/// The error of [`count`]: the depth limit first, as it is checked first.
#[cold]
pub(crate) fn over_limit(depth: usize, limits: &Limits) -> Error {
    if depth > limits.max_xml_depth {
        Error::limit("XML depth", limits.max_xml_depth as u64)
    } else {
        Error::limit("XML elements", limits.max_xml_elements)
    }
}

/// The value of the attribute with local name `local`, with predefined entities decoded
/// (borrowed from the element when there is nothing to decode).
pub(crate) fn attr<'e>(e: &'e BytesStart<'_>, local: &str) -> Option<Cow<'e, str>> {
    let a = e
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)?;
    Some(match a.value {
        Cow::Borrowed(v) if !v.contains('&') => Cow::Borrowed(v),
        v => Cow::Owned(decode_entities(&v)),
    })
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
pub(crate) fn entity_char(name: &str) -> Option<char> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_source_folder() {
        assert_eq!(resolve_target("", "word/document.xml"), "word/document.xml");
        assert_eq!(
            resolve_target("", "/word/document.xml"),
            "word/document.xml"
        );
        assert_eq!(
            resolve_target("", "./word\\document.xml"),
            "word/document.xml"
        );
        assert_eq!(
            resolve_target("word/document.xml", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(
            resolve_target("word/document.xml", "media/a.png"),
            "word/media/a.png"
        );
    }

    #[test]
    fn names_normalise() {
        assert_eq!(normalize_name("\\Word\\Document.xml"), "word/document.xml");
        assert_eq!(
            normalize_name("/[Content_Types].xml"),
            "[content_types].xml"
        );
    }

    #[test]
    fn utf16_parts_are_transcoded() {
        let xml: Vec<u8> = "\u{feff}<a/>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(&*xml_text(&xml), "<a/>".as_bytes());
        assert_eq!(&*xml_text(b"\xEF\xBB\xBF<a/>"), b"<a/>");
        let gbk = b"<?xml version=\"1.0\" encoding=\"GBK\"?><a>\xd6\xd0</a>";
        assert_eq!(
            &*xml_text(gbk),
            "<?xml version=\"1.0\" encoding=\"GBK\"?><a>中</a>".as_bytes()
        );
        let utf8 = "<?xml version=\"1.0\" encoding=\"GBK\"?><a>中</a>";
        assert_eq!(&*xml_text(utf8.as_bytes()), utf8.as_bytes());
    }
}
