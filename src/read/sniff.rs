//! Format sniffing: magic bytes first, package contents second, the name only as a hint.

use std::io::Cursor;

use super::Format;
use crate::error::Error;

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Decides the format of `bytes`. `name` only breaks ties (`.docm` vs `.docx`).
///
/// Formats recognised but not read (PDF, OFD, RTF, ODT, WordPerfect, …) are
/// [`ErrorKind::UnsupportedFormat`](crate::ErrorKind::UnsupportedFormat) naming them.
pub fn sniff(bytes: &[u8], name: Option<&str>) -> Result<Format, Error> {
    let ext = name
        .and_then(|n| n.rsplit(['/', '\\']).next())
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(bytes, &ext);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return sniff_ole(bytes, &ext);
    }
    if bytes.starts_with(b"%PDF") {
        return Err(Error::unsupported(
            "PDF",
            "convert the PDF to text or DOCX first",
        ));
    }
    if bytes.starts_with(b"{\\rtf") {
        return Err(Error::unsupported("RTF", "save the file as .docx"));
    }
    if bytes.starts_with(&[0xFF, 0x57, 0x50, 0x43]) {
        return Err(Error::unsupported("WordPerfect", ""));
    }
    if bytes.starts_with(&[0x31, 0xBE, 0x00, 0x00]) || bytes.starts_with(&[0x32, 0xBE, 0x00, 0x00])
    {
        return Err(Error::unsupported("MS Write", ""));
    }
    let biff = [[0x09u8, 0x08], [0x09, 0x04], [0x09, 0x02]];
    if biff.iter().any(|m| bytes.starts_with(m)) && matches!(ext.as_str(), "xls" | "xlw") {
        return Err(Error::unsupported(
            "Excel 2.x-4.0 (BIFF2-4) workbook",
            "only BIFF8 (Excel 97-2003) and later are read",
        ));
    }
    if matches!(
        ext.as_str(),
        "doc" | "dot" | "wps" | "xls" | "xlt" | "et" | "ppt" | "docx" | "xlsx"
    ) && looks_binary(bytes)
    {
        return Err(Error::unsupported(
            format!("unknown binary format named .{ext}"),
            "neither an OLE compound file nor a zip package nor text",
        ));
    }
    sniff_markup(bytes, &ext)
}

/// Many control bytes in the first 4 KB (zero bytes aside, which UTF-16 has).
fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || bytes.starts_with(&[0xEF, 0xBB, 0xBF])
    {
        return false;
    }
    let head = &bytes[..bytes.len().min(4096)];
    let ctrl = head
        .iter()
        .filter(|b| **b != 0 && **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    !head.is_empty() && ctrl * 20 > head.len()
}

fn sniff_zip(bytes: &[u8], ext: &str) -> Result<Format, Error> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Error::malformed_by(zip_format_guess(ext), "zip directory", e))?;
    if archive.len() > 100_000 {
        return Err(Error::limit("zip entries", 100_000));
    }
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok())
        .map(|n| n.replace('\\', "/"))
        .collect();
    let has = |want: &str| names.iter().any(|n| n.eq_ignore_ascii_case(want));
    // Password-protected zip entries (traditional PKWARE or AES) and encrypted ODF.
    let mut encrypted = false;
    for i in 0..archive.len().min(10_000) {
        if archive.by_index_raw(i).is_ok_and(|f| f.encrypted()) {
            encrypted = true;
            break;
        }
    }
    if encrypted {
        return Err(Error::encrypted("ZIP (password-protected entries)"));
    }
    if has("META-INF/manifest.xml") {
        use std::io::Read;
        if let Ok(f) = archive.by_name("META-INF/manifest.xml") {
            let mut m = String::new();
            let _ = f.take(1 << 20).read_to_string(&mut m);
            if m.contains("encryption-data") {
                return Err(Error::encrypted("OpenDocument"));
            }
        }
    }
    if has("word/document.xml") || has("word/document2.xml") {
        return Ok(match ext {
            "docm" => Format::Docm,
            "dotx" | "dotm" => Format::Dotx,
            _ => Format::Docx,
        });
    }
    if has("xl/workbook.bin") {
        return Ok(Format::Xlsb);
    }
    if has("xl/workbook.xml") {
        return Ok(if ext == "xlsm" {
            Format::Xlsm
        } else {
            Format::Xlsx
        });
    }
    if has("ofd.xml") {
        return Err(Error::unsupported(
            "OFD",
            "the Chinese fixed-layout format is not read",
        ));
    }
    if has("mimetype") || has("content.xml") {
        let mime = mimetype(bytes);
        if mime.contains("spreadsheet") || (mime.is_empty() && ext == "ods") {
            return Ok(Format::Ods);
        }
        if mime.contains("opendocument.text") || ext == "odt" {
            return Err(Error::unsupported(
                "ODT (OpenDocument text)",
                "save the file as .docx",
            ));
        }
        if !mime.is_empty() {
            return Err(Error::unsupported(format!("OpenDocument ({mime})"), ""));
        }
    }
    if has("[content_types].xml") {
        // An OOXML package whose main part is elsewhere: decide from the content types.
        let types = entry_prefix(&mut archive, "[Content_Types].xml");
        if types.contains("wordprocessingml.document.main")
            || types.contains("wordprocessingml.template.main")
            || types.contains("ms-word.document.macroenabled.main")
        {
            return Ok(match ext {
                "docm" => Format::Docm,
                "dotx" => Format::Dotx,
                _ => Format::Docx,
            });
        }
        if types.contains("spreadsheetml.sheet.main")
            || types.contains("ms-excel.sheet.macroenabled.main")
        {
            return Ok(if ext == "xlsm" {
                Format::Xlsm
            } else {
                Format::Xlsx
            });
        }
        if spreadsheet_ext(ext).is_none() && !matches!(ext, "docx" | "docm" | "dotx") {
            return Err(Error::unsupported(
                "OOXML package (neither Word nor Excel)",
                "no Word or Excel main part in [Content_Types].xml",
            ));
        }
        if matches!(ext, "docx" | "docm" | "dotx") {
            return Ok(Format::Docx);
        }
    }
    if let Some(format) = spreadsheet_ext(ext) {
        // Named as a workbook, packaged as one, but its main part is missing: damaged.
        return Err(Error::malformed(
            format,
            "zip package",
            "no workbook part (xl/workbook.xml, xl/workbook.bin or content.xml) inside",
        ));
    }
    Err(Error::unsupported(
        "ZIP archive",
        "no Word, Excel or OpenDocument part inside",
    ))
}

/// The first 64 KiB of a zip entry as text (lossy), or "" when it cannot be read.
fn entry_prefix(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> String {
    use std::io::Read;
    let Some(index) = archive.index_for_name(name).or_else(|| {
        (0..archive.len()).find(|i| {
            archive
                .name_for_index(*i)
                .is_some_and(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(name)))
        })
    }) else {
        return String::new();
    };
    let Ok(f) = archive.by_index(index) else {
        return String::new();
    };
    let mut buf = Vec::new();
    let _ = f.take(64 << 10).read_to_end(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

fn spreadsheet_ext(ext: &str) -> Option<Format> {
    match ext {
        "xlsx" | "xltx" => Some(Format::Xlsx),
        "xlsm" | "xltm" => Some(Format::Xlsm),
        "xlsb" => Some(Format::Xlsb),
        "ods" | "ots" => Some(Format::Ods),
        _ => None,
    }
}

fn zip_format_guess(ext: &str) -> Format {
    match ext {
        "xlsx" => Format::Xlsx,
        "xlsm" => Format::Xlsm,
        "xlsb" => Format::Xlsb,
        "ods" => Format::Ods,
        "docm" => Format::Docm,
        "dotx" => Format::Dotx,
        _ => Format::Docx,
    }
}

fn mimetype(bytes: &[u8]) -> String {
    use std::io::Read;
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return String::new();
    };
    let Ok(file) = archive.by_name("mimetype") else {
        return String::new();
    };
    let mut s = String::new();
    let _ = file.take(256).read_to_string(&mut s);
    s.trim().to_string()
}

fn sniff_ole(bytes: &[u8], ext: &str) -> Result<Format, Error> {
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| {
        let f = if matches!(ext, "xls" | "xlt") {
            Format::Xls
        } else {
            Format::Doc
        };
        Error::malformed_by(f, "OLE compound file header", e)
    })?;
    let names: Vec<String> = cfb
        .read_root_storage()
        .map(|e| e.name().to_string())
        .collect();
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if has("EncryptedPackage") || has("EncryptionInfo") {
        return Err(Error::encrypted("OOXML (OLE EncryptedPackage)"));
    }
    if has("Workbook") || has("Book") {
        // A `Book` stream usually holds BIFF5, sometimes BIFF8: the spreadsheet reader
        // decides from the BOF record and declines anything older than BIFF8.
        return Ok(Format::Xls);
    }
    if has("WordDocument") {
        return word_binary(&mut cfb, ext);
    }
    if has("PowerPoint Document") {
        return Err(Error::unsupported("PowerPoint 97-2003 presentation", ""));
    }
    Err(Error::unsupported(
        "OLE compound file",
        "no WordDocument or Workbook stream inside",
    ))
}

/// A Word 97-2003 (or WPS) binary: encrypted or too old is said here, from the FIB.
fn word_binary(cfb: &mut cfb::CompoundFile<Cursor<&[u8]>>, ext: &str) -> Result<Format, Error> {
    use std::io::Read;
    let has_drm = cfb.exists("/\u{6}DataSpaces") || cfb.exists("/\u{9}DRMContent");
    if has_drm {
        return Err(Error::encrypted("Word 97-2003 .doc (DRM/IRM)"));
    }
    // FIB: wIdent at 0, nFib at 2, flags at 0x0A; bit 0x0100 is fEncrypted.
    let mut fib = [0u8; 12];
    if let Ok(mut s) = cfb.open_stream("/WordDocument") {
        if s.read_exact(&mut fib).is_ok() {
            let flags = u16::from_le_bytes([fib[10], fib[11]]);
            if flags & 0x0100 != 0 {
                return Err(Error::encrypted("Word 97-2003 .doc"));
            }
            let nfib = u16::from_le_bytes([fib[2], fib[3]]);
            if nfib != 0 && nfib < 0x00C1 {
                return Err(Error::unsupported(
                    "Word 6.0/95 document",
                    "only Word 97 and later binary documents can be read",
                ));
            }
        }
    }
    Ok(if ext == "wps" {
        Format::Wps
    } else {
        Format::Doc
    })
}

/// The first position of `byte` in `hay` from `from` on, eight bytes at a time.
fn find_byte(hay: &[u8], byte: u8, from: usize) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let rest = hay.get(from..)?;
    let pattern = LO.wrapping_mul(u64::from(byte));
    let mut chunks = rest.chunks_exact(8);
    let mut at = from;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ pattern;
        // A zero byte of `x` is a match (exact test: no false positive survives the
        // per-byte check below).
        if x.wrapping_sub(LO) & !x & HI != 0 {
            if let Some(i) = chunk.iter().position(|b| *b == byte) {
                return Some(at + i);
            }
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|b| *b == byte)
        .map(|i| at + i)
}

/// Whether `needle` (non-empty) occurs in `hay`: a scan for its first byte (eight bytes
/// at a time), then a comparison, so the needles of [`sniff_markup`] stay cheap on a
/// 4 KB head.
fn contains_bytes(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let mut from = 0;
    while let Some(at) = find_byte(hay, first, from) {
        if hay.get(at + 1..).is_some_and(|h| h.starts_with(rest)) {
            return true;
        }
        from = at + 1;
    }
    false
}

fn sniff_markup(bytes: &[u8], ext: &str) -> Result<Format, Error> {
    let head = &bytes[..bytes.len().min(4096)];
    // The head lower-cased, without zero bytes (so UTF-16 markup reads as ASCII).
    let lower: Vec<u8> = if head.contains(&0) {
        head.iter()
            .filter(|b| **b != 0)
            .map(u8::to_ascii_lowercase)
            .collect()
    } else {
        head.to_ascii_lowercase()
    };
    // Every needle but three starts with `<`: plain text usually has none, and then
    // those needles cannot match.
    let has_lt = lower.contains(&b'<');
    let contains =
        |needle: &[u8]| (has_lt || needle.first() != Some(&b'<')) && contains_bytes(&lower, needle);
    if contains(b"mime-version:") && contains(b"multipart/related") {
        return Ok(Format::Mhtml);
    }
    if contains(b"<w:worddocument") || contains(b"schemas.microsoft.com/office/word/2003/wordml") {
        return Err(Error::unsupported(
            "Word 2003 XML",
            "save the file as .docx",
        ));
    }
    if contains(b"<office:document")
        && (contains(b"application/vnd.oasis.opendocument.spreadsheet")
            || contains(b"<office:spreadsheet"))
    {
        // Flat (single XML) OpenDocument spreadsheet, `.fods`: read as ODS.
        return Ok(Format::Ods);
    }
    if has_lt && contains(b"urn:schemas-microsoft-com:office:spreadsheet") && contains(b"<workbook")
    {
        return Err(Error::unsupported(
            "SpreadsheetML 2003 XML",
            "save the file as .xlsx",
        ));
    }
    let skip = lower
        .iter()
        .position(|b| {
            !(b.is_ascii_whitespace()
                || *b == 0xef
                || *b == 0xbb
                || *b == 0xbf
                || *b == 0xfe
                || *b == 0xff)
        })
        .unwrap_or(lower.len());
    let trimmed = lower.get(skip..).unwrap_or_default();
    let html_start = trimmed.first() == Some(&b'<')
        && [
            &b"<!doctype html"[..],
            b"<html",
            b"<head",
            b"<body",
            b"<meta",
            b"<table",
            b"<div",
            b"<p>",
            b"<p ",
            b"<!--",
        ]
        .iter()
        .any(|p| trimmed.starts_with(p));
    if html_start
        || contains(b"<html")
        || (matches!(ext, "html" | "htm" | "shtml" | "xhtml")
            && (contains(b"<p") || contains(b"<table") || contains(b"<br")))
    {
        return Ok(Format::Html);
    }
    if matches!(ext, "mht" | "mhtml") && contains(b"mime-version") {
        return Ok(Format::Mhtml);
    }
    Ok(Format::Text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn sniffs_magic_before_name() {
        assert_eq!(
            sniff(b"<html><body>x</body></html>", Some("a.txt")).unwrap(),
            Format::Html
        );
        assert_eq!(
            sniff("一、总体情况".as_bytes(), Some("a.html")).unwrap(),
            Format::Text
        );
        let e = sniff(b"%PDF-1.7 ...", Some("report.docx")).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::UnsupportedFormat { format, .. } if format == "PDF"));
        let e = sniff(b"{\\rtf1\\ansi", None).unwrap_err();
        assert_eq!(e.code(), "unsupported_format");
    }

    #[test]
    fn broken_zip_is_malformed() {
        let e = sniff(b"PK\x03\x04garbage", Some("x.docx")).unwrap_err();
        assert_eq!(e.code(), "malformed");
    }
}
