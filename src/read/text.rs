//! Plain text in any Chinese encoding → [`Document`].
//!
//! Decoding (see [`decode`]): a byte-order mark; else valid UTF-8; else UTF-16 without a
//! BOM, recognised by its zero bytes; else the encoding chardetng guesses from a prefix
//! (no TLD hint: with `.cn` it mistakes Big5 for GBK). GBK and GB2312 are always decoded
//! as GB18030, their superset. Text in another script's encoding (Shift-JIS, EUC-KR …)
//! is decoded as what it is, never forced through GB18030 into mojibake.
//!
//! Lines holding a tab become table rows, one cell per tab-separated field, as Word's
//! "save as plain text" writes tables; consecutive such lines form one table, marked
//! [`from_text`](crate::document::Table::from_text). Every other non-blank line is a
//! paragraph.

use std::borrow::Cow;

use encoding_rs::{Encoding, BIG5, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};

use crate::document::{Block, Document, Origin, Paragraph, TableBuilder};
use crate::error::Error;
use crate::limits::Limits;

/// How many bytes chardetng sees: enough for a confident guess, cheap on large files.
const DETECT_PREFIX: usize = 16 * 1024;

/// Reads plain text into a [`Document`], returning the encoding used (WHATWG name,
/// lower case: `utf-8`, `gb18030`, `utf-16le`, `utf-16be`, `big5`, …).
pub fn read(bytes: &[u8], limits: &Limits) -> Result<(Document, &'static str), Error> {
    let (text, encoding) = decode(bytes, limits)?;
    Ok((from_str(&text, limits)?, encoding))
}

/// Builds a [`Document`] from decoded text (see the module docs for the layout rules).
pub fn from_str(text: &str, limits: &Limits) -> Result<Document, Error> {
    let deadline = limits.deadline();
    let mut blocks = Vec::new();
    let mut table: Option<TableBuilder> = None;
    for (i, raw) in lines(text).enumerate() {
        if i % 4096 == 0 {
            deadline.check()?;
        }
        let line = i + 1;
        let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        let pipe = pipe_row(raw);
        if pipe.as_ref().is_some_and(|cells| cells.is_empty()) {
            continue; // a Markdown rule |---|---|
        }
        if pipe.is_some() || raw.as_bytes().contains(&b'\t') {
            let b = table.get_or_insert_with(|| {
                let mut b = TableBuilder::new(limits.max_table_cells);
                b.set_from_text(true);
                b
            });
            b.start_row();
            // The fields straight from the line (no list of them built first).
            let mut push = |field: usize, cell: &str| {
                b.push(cell.trim(), 1, 1, Origin::Line { line, field })
                    .map(|_| ())
            };
            match &pipe {
                Some(cells) => {
                    for (field, cell) in cells.iter().enumerate() {
                        push(field, cell)?;
                    }
                }
                None => {
                    for (field, cell) in (TabFields { rest: Some(raw) }).enumerate() {
                        push(field, cell)?;
                    }
                }
            }
            continue;
        }
        let trimmed = raw.trim_matches(is_space);
        if trimmed.is_empty() {
            // A blank line does not end a table: Word's export puts blank lines inside.
            continue;
        }
        if let Some(b) = table.take() {
            blocks.push(Block::Table(b.build()));
        }
        blocks.push(Block::Paragraph(Paragraph {
            text: trimmed.to_string(),
            origin: Origin::Line { line, field: 0 },
        }));
    }
    if let Some(b) = table.take() {
        blocks.push(Block::Table(b.build()));
    }
    Ok(Document { blocks })
}

/// The tab-separated fields of a line, as `line.split('\t')` gives them (a byte loop:
/// fields are short, and a search per field costs more than the field).
struct TabFields<'a> {
    rest: Option<&'a str>,
}

impl<'a> Iterator for TabFields<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let s = self.rest?;
        match s.as_bytes().iter().position(|b| *b == b'\t') {
            // A tab is ASCII: both sides are on character boundaries.
            Some(i) => {
                self.rest = s.get(i + 1..);
                s.get(..i)
            }
            None => {
                self.rest = None;
                Some(s)
            }
        }
    }
}

/// A Markdown pipe-table row: its cells, or an empty list for a rule row (`|---|:--|`);
/// `None` when the line is not a pipe row.
fn pipe_row(line: &str) -> Option<Vec<&str>> {
    // Most lines are not pipe rows: look at the first non-space character before trimming
    // the whole line.
    if line.trim_start_matches(is_space).as_bytes().first() != Some(&b'|') {
        return None;
    }
    let t = line.trim_matches(is_space);
    if !t.starts_with('|') || t.matches('|').count() < 2 {
        return None;
    }
    let inner = t.strip_prefix('|')?;
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let cells: Vec<&str> = inner.split('|').map(|c| c.trim_matches(is_space)).collect();
    let rule = cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')));
    Some(if rule { Vec::new() } else { cells })
}

/// White space as reports use it: ASCII, U+3000 ideographic space, no-break spaces.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}' || c == '\u{feff}'
}

/// Splits on CRLF, CR or LF.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').flat_map(|l| {
        let l = l.strip_suffix('\r').unwrap_or(l);
        l.split('\r')
    })
}

/// Decodes bytes of unknown encoding; see the module docs for the order of attempts.
pub fn decode<'a>(bytes: &'a [u8], limits: &Limits) -> Result<(Cow<'a, str>, &'static str), Error> {
    let (text, enc) = decode_inner(bytes)?;
    if text.len() > limits.max_text_chars.saturating_mul(4)
        || text.chars().count() > limits.max_text_chars
    {
        return Err(Error::limit(
            "text length (characters)",
            limits.max_text_chars as u64,
        ));
    }
    Ok((text, enc))
}

fn decode_inner(bytes: &[u8]) -> Result<(Cow<'_, str>, &'static str), Error> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        let (text, _) = enc.decode_without_bom_handling(body);
        return Ok((text, name_of(enc)));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((Cow::Borrowed(s), "utf-8"));
    }
    if let Some(enc) = utf16_by_zero_bytes(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return Ok((text, name_of(enc)));
    }
    let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
    if let Some(text) = plainly_gb18030(bytes, prefix) {
        return Ok((text, name_of(GB18030)));
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(prefix, prefix.len() == bytes.len());
    let guess = detector.guess(None, true);
    let enc = if guess == GBK || guess == GB18030 {
        GB18030
    } else if guess == BIG5 {
        // Big5 bytes also decode as GB18030 without a single error, so "no errors"
        // proves nothing: trust the detector, but prefer GB18030 when Big5 fails.
        let (_, _, big5_errors) = BIG5.decode(prefix);
        if big5_errors {
            GB18030
        } else {
            BIG5
        }
    } else if is_single_byte_latin(guess) {
        // Chinese text misread as a Latin code page: GB18030 when it decodes cleanly.
        let (_, _, gb_errors) = GB18030.decode(prefix);
        if gb_errors {
            guess
        } else {
            GB18030
        }
    } else {
        guess
    };
    let (text, _, errors) = enc.decode(bytes);
    if errors && enc == GB18030 {
        let bad = text.chars().filter(|c| *c == '\u{fffd}').count();
        let total = text.chars().count().max(1);
        if bad * 20 > total {
            return Err(Error::encoding(format!(
                "{bad} of {total} characters undecodable as GB18030; not Chinese text in a known encoding"
            )));
        }
    }
    Ok((text, name_of(enc)))
}

/// The text, when `bytes` are plainly Chinese in GB18030 (GBK, GB2312): the prefix
/// decodes without a single error and most of its non-ASCII characters are among the
/// commonest Han characters. Chinese prose scores about 0.55–0.75 on that measure; Big5,
/// Shift-JIS and EUC-KR text read as GB18030 scores 0.15 at most (random code points).
/// This spares chardetng (about 0.3 ms per KB) on the commonest non-UTF-8 input; a prefix
/// too short or too unusual to be sure of still goes to chardetng.
pub(crate) fn plainly_gb18030<'a>(bytes: &'a [u8], prefix: &'a [u8]) -> Option<Cow<'a, str>> {
    /// Fewer non-ASCII characters than this proves nothing.
    const MIN_CHARS: usize = 24;
    let (head, _) = GB18030.decode_without_bom_handling(prefix);
    let mut chars = head.chars();
    if prefix.len() < bytes.len() {
        // The prefix may end inside a character.
        chars.next_back();
    }
    let (mut non_ascii, mut common) = (0usize, 0usize);
    for c in chars {
        if c.is_ascii() {
            continue;
        }
        if c == '\u{fffd}' {
            return None;
        }
        non_ascii += 1;
        if is_common_han(c) {
            common += 1;
        }
    }
    if non_ascii < MIN_CHARS || common * 10 < non_ascii * 3 {
        return None;
    }
    if prefix.len() == bytes.len() {
        return Some(head);
    }
    let (text, _, errors) = GB18030.decode(bytes);
    let bad = if errors {
        text.chars().filter(|c| *c == '\u{fffd}').count()
    } else {
        0
    };
    // Damage further on is tolerated as the chardetng path tolerates it.
    (bad * 20 <= text.chars().count().max(1)).then_some(text)
}

fn is_single_byte_latin(enc: &'static Encoding) -> bool {
    enc.is_single_byte() && enc != encoding_rs::IBM866
}

/// UTF-16 without a BOM: Chinese text has few zero bytes, ASCII-heavy UTF-16 many, and
/// they fall on one parity.
fn utf16_by_zero_bytes(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(8192) & !1];
    if sample.len() < 4 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        if pair[0] == 0 {
            even += 1;
        }
        if pair[1] == 0 {
            odd += 1;
        }
    }
    let pairs = sample.len() / 2;
    let candidate = if odd * 10 > pairs && even * 20 < odd {
        UTF_16LE
    } else if even * 10 > pairs && odd * 20 < even {
        UTF_16BE
    } else {
        // Pure CJK UTF-16 has few zero bytes: accept when it decodes cleanly with no
        // control characters and mostly CJK, and the bytes are not valid GB18030.
        return utf16_cjk(sample);
    };
    candidate
        .decode_without_bom_handling_and_without_replacement(sample)
        .map(|_| candidate)
}

fn utf16_cjk(sample: &[u8]) -> Option<&'static Encoding> {
    for enc in [UTF_16LE, UTF_16BE] {
        let Some(text) = enc.decode_without_bom_handling_and_without_replacement(sample) else {
            continue;
        };
        let total = text.chars().count().max(1);
        let cjk = text
            .chars()
            .filter(|c| {
                ('\u{4e00}'..='\u{9fff}').contains(c)
                    || ('\u{3000}'..='\u{303f}').contains(c)
                    || ('\u{ff00}'..='\u{ffef}').contains(c)
            })
            .count();
        let ctrl = text
            .chars()
            .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            .count();
        // ASCII letter pairs read as UTF-16 are CJK code points too ("ab" → U+6261):
        // require the commonest characters of Chinese prose as well.
        let common = text.chars().filter(|c| is_common_han(*c)).count();
        if ctrl == 0 && cjk * 10 >= total * 6 && common * 25 >= total {
            let (_, _, gb_errors) = GB18030.decode(sample);
            if gb_errors {
                return Some(enc);
            }
        }
    }
    None
}

/// Characters frequent in any Chinese report; random CJK code points rarely are.
const COMMON_HAN: &str = "的一是不了在人有我他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切河县采申";

/// [`COMMON_HAN`] as a bitmap over U+4E00..=U+9FFF (all of its characters are there),
/// built at compile time: a lookup is a shift and a mask.
static COMMON_HAN_BITS: [u64; HAN_WORDS] = common_han_bits();

/// Words of [`COMMON_HAN_BITS`]: U+4E00..=U+9FFF is 0x5200 code points.
const HAN_WORDS: usize = 0x5200 / 64;

const fn common_han_bits() -> [u64; HAN_WORDS] {
    let b = COMMON_HAN.as_bytes();
    let mut bits = [0u64; HAN_WORDS];
    let mut i = 0;
    while i < b.len() {
        // Every character of the list is a three-byte UTF-8 sequence in the range.
        assert!(b[i] & 0xF0 == 0xE0 && i + 2 < b.len());
        let c = ((b[i] as u32 & 0x0F) << 12)
            | ((b[i + 1] as u32 & 0x3F) << 6)
            | (b[i + 2] as u32 & 0x3F);
        assert!(c >= 0x4E00 && c <= 0x9FFF);
        let k = (c - 0x4E00) as usize;
        bits[k / 64] |= 1 << (k % 64);
        i += 3;
    }
    bits
}

fn is_common_han(c: char) -> bool {
    let k = (c as u32).wrapping_sub(0x4E00) as usize;
    COMMON_HAN_BITS
        .get(k / 64)
        .is_some_and(|w| (w >> (k % 64)) & 1 == 1)
}

/// The WHATWG name in lower case.
pub(crate) fn name_of(enc: &'static Encoding) -> &'static str {
    if enc == UTF_8 {
        "utf-8"
    } else if enc == GB18030 || enc == GBK {
        "gb18030"
    } else if enc == UTF_16LE {
        "utf-16le"
    } else if enc == UTF_16BE {
        "utf-16be"
    } else if enc == BIG5 {
        "big5"
    } else if enc == encoding_rs::SHIFT_JIS {
        "shift_jis"
    } else if enc == encoding_rs::EUC_KR {
        "euc-kr"
    } else if enc == encoding_rs::EUC_JP {
        "euc-jp"
    } else if enc == encoding_rs::ISO_2022_JP {
        "iso-2022-jp"
    } else if enc == encoding_rs::WINDOWS_1252 {
        "windows-1252"
    } else {
        enc.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Block;

    const SAMPLE: &str = "渠县经济和信息化局\n\n一、总体情况\n规 章\t0\t0\t0\n\n行政规范性文件\t0\t0\t0\n二、主动公开政府信息情况\n";

    fn limits() -> Limits {
        Limits::default()
    }

    #[test]
    fn decodes_every_chinese_encoding() {
        let (t, e) = decode(SAMPLE.as_bytes(), &limits()).unwrap();
        assert_eq!((t.as_ref(), e), (SAMPLE, "utf-8"));

        let (gb, _, _) = GB18030.encode(SAMPLE);
        let (t, e) = decode(&gb, &limits()).unwrap();
        assert_eq!((t.as_ref(), e), (SAMPLE, "gb18030"));

        let mut le = vec![0xFF, 0xFE];
        le.extend(SAMPLE.encode_utf16().flat_map(u16::to_le_bytes));
        let (t, e) = decode(&le, &limits()).unwrap();
        assert_eq!((t.as_ref(), e), (SAMPLE, "utf-16le"));

        let be: Vec<u8> = SAMPLE.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let (t, e) = decode(&be, &limits()).unwrap();
        assert_eq!((t.as_ref(), e), (SAMPLE, "utf-16be"));

        let le: Vec<u8> = SAMPLE.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let (t, e) = decode(&le, &limits()).unwrap();
        assert_eq!((t.as_ref(), e), (SAMPLE, "utf-16le"));

        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(SAMPLE.as_bytes());
        let (t, e) = decode(&bom, &limits()).unwrap();
        assert_eq!((t.as_ref(), e), (SAMPLE, "utf-8"));
    }

    #[test]
    fn plain_gb18030_skips_the_detector_and_others_do_not() {
        let zh = include_str!("../../testdata/samples/qx-jxj-2023.txt");
        let (gb, _, _) = GB18030.encode(zh);
        let text = plainly_gb18030(&gb, &gb).expect("the seed in GB18030 is plainly Chinese");
        assert_eq!(text, zh);
        // A prefix cut inside a two-byte character still decides.
        let cut = &gb[..gb.len().min(DETECT_PREFIX).min(1001)];
        assert!(plainly_gb18030(&gb, cut).is_some());
        let (b5, _, _) = BIG5.encode(zh);
        assert!(plainly_gb18030(&b5, &b5).is_none());
        let ja = "これは日本語の文章です。政府の情報公開について説明します。よろしくお願いします。";
        let (sj, _, _) = encoding_rs::SHIFT_JIS.encode(ja);
        assert!(plainly_gb18030(&sj, &sj).is_none());
        let ko = "정부 정보공개 연례 보고서입니다. 본 기관은 올해 정보를 공개하였으며 신청을 접수하여 처리하였습니다.";
        let (kr, _, _) = encoding_rs::EUC_KR.encode(ko);
        assert!(plainly_gb18030(&kr, &kr).is_none());
    }

    #[test]
    fn big5_is_not_forced_through_gb18030() {
        let trad = "政府資訊公開工作年度報告。本機關全年主動公開政府資訊一千二百條，受理申請三十件，均依法答覆。";
        let (b5, _, _) = BIG5.encode(trad);
        let (t, e) = decode(&b5, &limits()).unwrap();
        assert_eq!((t.as_ref(), e), (trad, "big5"));
    }

    #[test]
    fn shift_jis_is_decoded_as_itself() {
        let ja = "これは日本語の文章です。政府の情報公開について説明します。よろしくお願いします。";
        let (sj, _, _) = encoding_rs::SHIFT_JIS.encode(ja);
        let (t, e) = decode(&sj, &limits()).unwrap();
        assert_eq!(e, "shift_jis");
        assert_eq!(t, ja);
    }

    #[test]
    fn tab_lines_become_one_table_across_blank_lines() {
        let doc = from_str(SAMPLE, &limits()).unwrap();
        let kinds: Vec<&str> = doc
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(_) => "P",
                Block::Table(_) => "T",
            })
            .collect();
        assert_eq!(kinds, ["P", "P", "T", "P"]);
        let t = doc.tables().next().unwrap();
        assert!(t.from_text);
        assert_eq!((t.rows, t.cols), (2, 4));
        assert_eq!(t.cell_at(1, 0).unwrap().text, "行政规范性文件");
        assert_eq!(
            t.cell_at(1, 0).unwrap().origin,
            Origin::Line { line: 6, field: 0 }
        );
    }

    #[test]
    fn markdown_pipe_tables() {
        let doc = from_str(
            "| 信息内容 | 本年制发件数 |\n|---|:---:|\n| 规章 | 0 |\n",
            &limits(),
        )
        .unwrap();
        let t = doc.tables().next().unwrap();
        assert!(t.from_text);
        assert_eq!((t.rows, t.cols), (2, 2));
        assert_eq!(t.cell_at(1, 0).unwrap().text, "规章");
        assert_eq!(t.cell_at(1, 1).unwrap().text, "0");
    }

    #[test]
    fn latin_text_is_not_taken_for_utf16() {
        // Latin-1 prose: not UTF-8, no zero bytes; its letter pairs are CJK code points.
        let latin: Vec<u8> = b"Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve r\xe9sum\xe9 of the annual report for everyone here"
            .to_vec();
        let (_, e) = decode(&latin, &limits()).unwrap();
        assert_ne!(e, "utf-16le");
        assert_ne!(e, "utf-16be");
    }

    #[test]
    fn tab_fields_split_as_split_does() {
        for line in ["", "\t", "a", "a\tb", "\ta\t\tb\t", "中\t文\t", "\t\t"] {
            let ours: Vec<&str> = TabFields { rest: Some(line) }.collect();
            let std: Vec<&str> = line.split('\t').collect();
            assert_eq!(ours, std, "{line:?}");
        }
    }

    #[test]
    fn mixed_line_endings() {
        let doc = from_str("一\r\n二\r三\n四", &limits()).unwrap();
        let texts: Vec<&str> = doc.paragraphs().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["一", "二", "三", "四"]);
    }
}
