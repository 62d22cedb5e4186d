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
    let biff2_4 = bytes.starts_with(&[0x09, 0x08])
        || bytes.starts_with(&[0x09, 0x04])
        || bytes.starts_with(&[0x09, 0x02]);
    if biff2_4 && matches!(ext.as_str(), "xls" | "xlw") {
        return Err(Error::unsupported(
            "Excel 2.x-4.0 (BIFF2-4) workbook",
            "only BIFF8 (Excel 97-2003) and later are read",
        ));
    }
    sniff_markup(bytes, &ext)
}

fn sniff_zip(bytes: &[u8], ext: &str) -> Result<Format, Error> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes))
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
        // An OOXML package without a known main part: decide from the content types.
        return Ok(match ext {
            "xlsx" | "xlsm" => Format::Xlsx,
            "docm" => Format::Docm,
            "dotx" => Format::Dotx,
            _ => Format::Docx,
        });
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
    let cfb = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| {
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
        return Ok(if ext == "wps" {
            Format::Wps
        } else {
            Format::Doc
        });
    }
    if has("PowerPoint Document") {
        return Err(Error::unsupported("PowerPoint 97-2003 presentation", ""));
    }
    Err(Error::unsupported(
        "OLE compound file",
        "no WordDocument or Workbook stream inside",
    ))
}

fn sniff_markup(bytes: &[u8], ext: &str) -> Result<Format, Error> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head
        .iter()
        .filter(|b| **b != 0)
        .map(u8::to_ascii_lowercase)
        .collect();
    let contains = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
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
    if contains(b"urn:schemas-microsoft-com:office:spreadsheet") && contains(b"<workbook") {
        return Err(Error::unsupported(
            "SpreadsheetML 2003 XML",
            "save the file as .xlsx",
        ));
    }
    let trimmed: Vec<u8> = lower
        .iter()
        .copied()
        .skip_while(|b| {
            b.is_ascii_whitespace()
                || *b == 0xef
                || *b == 0xbb
                || *b == 0xbf
                || *b == 0xfe
                || *b == 0xff
        })
        .collect();
    let html_start = [
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
