//! The HTML part of an MHTML web archive (`.mht`, `.mhtml`): a MIME `multipart/related`
//! message as saved by browsers and by Word ("Single File Web Page").
//!
//! Only what is needed to find the page is read: the top-level headers, the multipart
//! boundaries, and the first `text/html` part's headers, whose body is decoded from
//! quoted-printable or base64. Nested multiparts are followed a few levels deep.

use crate::error::Error;
use crate::read::Format;

/// Longest header block read (top-level or part), in bytes.
const MAX_HEADER_BYTES: usize = 64 * 1024;
/// Deepest nesting of multiparts followed.
const MAX_MULTIPART_DEPTH: usize = 4;

/// The page found in an archive: its bytes, decoded from the transfer encoding, and the
/// charset its part declares.
#[derive(Debug)]
pub(super) struct HtmlPart {
    /// The HTML bytes, in the part's charset.
    pub body: Vec<u8>,
    /// The `charset` parameter of the part's `Content-Type`, if any.
    pub charset: Option<String>,
}

/// Finds and decodes the first `text/html` part of an MHTML archive.
pub(super) fn html_part(bytes: &[u8]) -> Result<HtmlPart, Error> {
    find_html(bytes, 0)?.ok_or_else(|| {
        Error::malformed(
            Format::Mhtml,
            "MIME structure",
            "no text/html part in the archive",
        )
    })
}

fn find_html(entity: &[u8], depth: usize) -> Result<Option<HtmlPart>, Error> {
    if depth > MAX_MULTIPART_DEPTH {
        return Err(Error::limit(
            "MHTML multipart nesting",
            MAX_MULTIPART_DEPTH as u64,
        ));
    }
    let (headers, body) = split_headers(entity)?;
    let content_type = header(&headers, "content-type").unwrap_or_default();
    let (mime, params) = parse_content_type(&content_type);
    if mime.starts_with("multipart/") {
        let Some(boundary) = param(&params, "boundary") else {
            return Err(Error::malformed(
                Format::Mhtml,
                "MIME headers",
                "multipart content type without a boundary",
            ));
        };
        if boundary.is_empty() {
            return Err(Error::malformed(
                Format::Mhtml,
                "MIME headers",
                "empty multipart boundary",
            ));
        }
        for part in parts(body, boundary.as_bytes()) {
            if let Some(found) = find_html(part, depth + 1)? {
                return Ok(Some(found));
            }
        }
        return Ok(None);
    }
    // A part without a content type defaults to text/plain; at the top level, accept
    // it as the page only when it looks like markup.
    let is_html = mime == "text/html"
        || mime == "application/xhtml+xml"
        || (mime.is_empty() && depth == 0 && looks_like_html(body));
    if !is_html {
        return Ok(None);
    }
    let encoding = header(&headers, "content-transfer-encoding")
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let body = match encoding.as_str() {
        "quoted-printable" => decode_quoted_printable(body),
        "base64" => decode_base64(body),
        _ => body.to_vec(),
    };
    Ok(Some(HtmlPart {
        body,
        charset: param(&params, "charset"),
    }))
}

fn looks_like_html(body: &[u8]) -> bool {
    let head = &body[..body.len().min(1024)];
    let lower = head.to_ascii_lowercase();
    lower
        .windows(5)
        .any(|w| w == b"<html" || w == b"<body" || w == b"<tabl")
}

/// Splits an entity into its unfolded header lines and its body.
fn split_headers(entity: &[u8]) -> Result<(Vec<String>, &[u8]), Error> {
    let mut lines: Vec<String> = Vec::new();
    let mut pos = 0;
    loop {
        if pos >= entity.len() {
            return Ok((lines, &[]));
        }
        if pos > MAX_HEADER_BYTES {
            return Err(Error::limit(
                "MHTML header size (bytes)",
                MAX_HEADER_BYTES as u64,
            ));
        }
        let rest = entity.get(pos..).unwrap_or_default();
        let (line, next) = match rest.iter().position(|b| *b == b'\n') {
            Some(i) => (rest.get(..i).unwrap_or_default(), pos + i + 1),
            None => (rest, entity.len()),
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        pos = next;
        if line.is_empty() {
            return Ok((lines, entity.get(pos..).unwrap_or_default()));
        }
        let text = String::from_utf8_lossy(line);
        if line.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
            if let Some(last) = lines.last_mut() {
                last.push(' ');
                last.push_str(text.trim());
                continue;
            }
        }
        lines.push(text.into_owned());
    }
}

/// The value of the first header named `name` (case-insensitive).
fn header(lines: &[String], name: &str) -> Option<String> {
    lines.iter().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().to_string())
    })
}

/// A content type's lower-case MIME type and its `name=value` parameters.
fn parse_content_type(value: &str) -> (String, Vec<(String, String)>) {
    let mut segments = split_params(value).into_iter();
    let mime = segments
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let params = segments
        .filter_map(|s| {
            let (k, v) = s.split_once('=')?;
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v);
            Some((k.trim().to_ascii_lowercase(), v.to_string()))
        })
        .collect();
    (mime, params)
}

/// Splits on `;` outside double quotes.
fn split_params(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in value.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            ';' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn param(params: &[(String, String)], name: &str) -> Option<String> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

/// The body parts of a multipart body: the text between `--boundary` delimiter lines,
/// up to the closing `--boundary--` (or the end).
fn parts<'a>(body: &'a [u8], boundary: &[u8]) -> Vec<&'a [u8]> {
    let mut delimiter = b"--".to_vec();
    delimiter.extend_from_slice(boundary);
    // Start offsets of lines that begin with the delimiter, and whether each closes.
    let mut marks: Vec<(usize, usize, bool)> = Vec::new();
    let mut line_start = 0;
    while line_start < body.len() {
        let rest = body.get(line_start..).unwrap_or_default();
        let line_end = rest
            .iter()
            .position(|b| *b == b'\n')
            .map_or(body.len(), |i| line_start + i + 1);
        if rest.starts_with(&delimiter) {
            let after = rest.get(delimiter.len()..).unwrap_or_default();
            marks.push((line_start, line_end, after.starts_with(b"--")));
        }
        line_start = line_end;
    }
    let mut out = Vec::new();
    for pair in marks.windows(2) {
        let (_, content_start, closing) = pair[0];
        let (next_start, _, _) = pair[1];
        if closing {
            break;
        }
        let mut end = next_start;
        // The line break before a delimiter belongs to the delimiter.
        if end > content_start && body.get(end - 1) == Some(&b'\n') {
            end -= 1;
            if end > content_start && body.get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
        }
        if let Some(part) = body.get(content_start..end) {
            out.push(part);
        }
    }
    // An unterminated last part runs to the end.
    if let Some(&(_, content_start, closing)) = marks.last() {
        if !closing {
            if let Some(part) = body.get(content_start..) {
                out.push(part);
            }
        }
    }
    out
}

/// Decodes quoted-printable: `=XX` escapes and `=` soft line breaks.
pub(super) fn decode_quoted_printable(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        if b != b'=' {
            out.push(b);
            i += 1;
            continue;
        }
        let hi = input.get(i + 1).and_then(|c| hex(*c));
        let lo = input.get(i + 2).and_then(|c| hex(*c));
        if let (Some(hi), Some(lo)) = (hi, lo) {
            out.push(hi << 4 | lo);
            i += 3;
            continue;
        }
        // A soft line break: `=`, optional trailing blanks, then CRLF or LF.
        let mut j = i + 1;
        while matches!(input.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        match (input.get(j), input.get(j + 1)) {
            (Some(b'\r'), Some(b'\n')) => i = j + 2,
            (Some(b'\n'), _) => i = j + 1,
            (None, _) => i = j,
            _ => {
                out.push(b'=');
                i += 1;
            }
        }
    }
    out
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Decodes base64, skipping line breaks and any other character outside the alphabet.
pub(super) fn decode_base64(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &c in input {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable() {
        assert_eq!(
            decode_quoted_printable(b"a=3Db=\r\nc=\nd =E4=B8=AD= \r\n!=ZZ="),
            "a=bcd 中!=ZZ".as_bytes()
        );
    }

    #[test]
    fn base64() {
        assert_eq!(decode_base64(b"5Lit5paH\r\nYWJj"), "中文abc".as_bytes());
        assert_eq!(decode_base64(b"YQ=="), b"a");
        assert_eq!(decode_base64(b"YWI="), b"ab");
    }

    #[test]
    fn finds_html_part_in_nested_multipart() {
        let mht = b"MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\tboundary=\"outer\"\r\n\r\npreamble\r\n--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\nContent-Type: text/plain\r\n\r\nplain\r\n--inner\r\nContent-Type: text/html; charset=\"gb2312\"\r\nContent-Transfer-Encoding: base64\r\n\r\nPHA+eDwvcD4=\r\n--inner--\r\n--outer--\r\n";
        let part = html_part(mht).unwrap();
        assert_eq!(part.body, b"<p>x</p>");
        assert_eq!(part.charset.as_deref(), Some("gb2312"));
    }

    #[test]
    fn no_html_part_is_malformed() {
        let mht = b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=b\n\n--b\nContent-Type: image/png\n\nxx\n--b--\n";
        assert_eq!(html_part(mht).unwrap_err().code(), "malformed");
        let mht = b"MIME-Version: 1.0\nContent-Type: multipart/related\n\n--b\n";
        assert_eq!(html_part(mht).unwrap_err().code(), "malformed");
    }
}
