//! Limit-checked access to the parts of a zip package (OOXML).
//!
//! Zip headers state sizes that hostile files lie about, so every part is inflated in
//! chunks and checked as it grows: per-entry size, total size across the package, and the
//! compression ratio once a part passes 1 MiB. Entry names are matched the way Office
//! matches part names: case-insensitively, with `\` taken as `/` and no leading `/`.

use std::io::{Cursor, Read};

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

    /// Reads the part `name`, or `Ok(None)` when the package has no such part.
    pub(crate) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        let Some(index) = self.find(name) else {
            return Ok(None);
        };
        let limits = self.limits;
        let format = self.format;
        let mut file = match self.archive.by_index(index) {
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
        let declared = file.size();
        if declared > limits.max_entry_bytes {
            return Err(Error::limit(
                "decompressed zip entry (bytes)",
                limits.max_entry_bytes,
            ));
        }
        if self.total.saturating_add(declared) > limits.max_decompressed_bytes {
            return Err(Error::limit(
                "total decompressed size (bytes)",
                limits.max_decompressed_bytes,
            ));
        }
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
            let len = out.len() as u64;
            if len > limits.max_entry_bytes {
                return Err(Error::limit(
                    "decompressed zip entry (bytes)",
                    limits.max_entry_bytes,
                ));
            }
            if self.total.saturating_add(len) > limits.max_decompressed_bytes {
                return Err(Error::limit(
                    "total decompressed size (bytes)",
                    limits.max_decompressed_bytes,
                ));
            }
            if len > RATIO_FLOOR && len / compressed > limits.max_compression_ratio {
                return Err(Error::limit(
                    "zip compression ratio",
                    limits.max_compression_ratio,
                ));
            }
            self.deadline.check()?;
        }
        self.total = self.total.saturating_add(out.len() as u64);
        Ok(Some(out))
    }
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
