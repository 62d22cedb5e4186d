//! Unit tests of the DOC reader, compiled only under `#[cfg(test)]` (see `mod.rs`).

//! Unit tests of the DOC reader on compound files built here: a minimal FIB, a piece
//! table, and no paragraph properties (so tables come from the 0x07 heuristic).

use std::io::{Cursor, Write};

use super::*;
use crate::document::{Block, Origin};
use crate::error::ErrorKind;

/// One piece: its stored bytes, whether it is 8-bit ("compressed"), its characters.
struct P(Vec<u8>, bool, u32);

fn ascii(s: &str) -> P {
    P(s.as_bytes().to_vec(), true, s.len() as u32)
}

fn utf16(s: &str) -> P {
    let b: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
    P(b, false, s.encode_utf16().count() as u32)
}

/// Text starts here in `WordDocument`, after the FIB.
const TEXT_AT: usize = 1024;

/// A Word 97 file whose main document is `ccp_text` characters of `pieces`.
fn build(pieces: &[P], ccp_text: Option<u32>, lid: u16, flags: u16) -> Vec<u8> {
    build_with_runs(pieces, ccp_text, lid, flags, &[])
}

/// The same, with character runs (byte range of `WordDocument`, `grpprl`) in one CHPX
/// FKP page.
fn build_with_runs(
    pieces: &[P],
    ccp_text: Option<u32>,
    lid: u16,
    flags: u16,
    runs: &[(u32, u32, Vec<u8>)],
) -> Vec<u8> {
    let mut word = vec![0u8; TEXT_AT];
    word[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes());
    word[2..4].copy_from_slice(&0x00C1u16.to_le_bytes());
    word[6..8].copy_from_slice(&lid.to_le_bytes());
    word[0x0A..0x0C].copy_from_slice(&flags.to_le_bytes());
    word[32..34].copy_from_slice(&14u16.to_le_bytes()); // csw
    word[62..64].copy_from_slice(&22u16.to_le_bytes()); // cslw
    word[152..154].copy_from_slice(&93u16.to_le_bytes()); // cbRgFcLcb
    let mut cps = vec![0u32];
    let mut fcs = Vec::new();
    for p in pieces {
        let at = word.len() as u32;
        fcs.push(if p.1 { (at * 2) | FC_COMPRESSED } else { at });
        word.extend_from_slice(&p.0);
        cps.push(cps.last().copied().unwrap_or(0) + p.2);
    }
    let total = cps.last().copied().unwrap_or(0);
    word[76..80].copy_from_slice(&ccp_text.unwrap_or(total).to_le_bytes());
    let mut plc = Vec::new();
    for cp in &cps {
        plc.extend_from_slice(&cp.to_le_bytes());
    }
    for fc in &fcs {
        plc.extend_from_slice(&0u16.to_le_bytes());
        plc.extend_from_slice(&fc.to_le_bytes());
        plc.extend_from_slice(&0u16.to_le_bytes());
    }
    // A Prc (skipped) before the Pcdt.
    let mut table = vec![0u8; 16];
    table.extend_from_slice(&[0x01, 0x03, 0x00, 0x08, 0x24, 0x01]);
    table.push(0x02);
    table.extend_from_slice(&(plc.len() as u32).to_le_bytes());
    table.extend_from_slice(&plc);
    let clx_at = 154 + 33 * 8;
    word[clx_at..clx_at + 4].copy_from_slice(&16u32.to_le_bytes());
    word[clx_at + 4..clx_at + 8].copy_from_slice(&((table.len() - 16) as u32).to_le_bytes());
    if !runs.is_empty() {
        word.resize(word.len().div_ceil(512) * 512, 0);
        let pn = (word.len() / 512) as u32;
        let mut page = vec![0u8; 512];
        let crun = runs.len();
        let mut free = 500;
        for (j, (start, end, grpprl)) in runs.iter().enumerate() {
            page[j * 4..j * 4 + 4].copy_from_slice(&start.to_le_bytes());
            page[j * 4 + 4..j * 4 + 8].copy_from_slice(&end.to_le_bytes());
            free -= (grpprl.len() + 1).div_ceil(2) * 2;
            page[free] = grpprl.len() as u8;
            page[free + 1..free + 1 + grpprl.len()].copy_from_slice(grpprl);
            page[(crun + 1) * 4 + j] = (free / 2) as u8;
        }
        page[511] = crun as u8;
        word.extend_from_slice(&page);
        let bte_at = table.len() as u32;
        let first = runs.first().map_or(0, |r| r.0);
        let last = runs.last().map_or(0, |r| r.1);
        for v in [first, last, pn] {
            table.extend_from_slice(&v.to_le_bytes());
        }
        let at = 154 + 12 * 8;
        word[at..at + 4].copy_from_slice(&bte_at.to_le_bytes());
        word[at + 4..at + 8].copy_from_slice(&12u32.to_le_bytes());
    }
    ole(&[("WordDocument", &word), ("0Table", &table)])
}

fn ole(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut cfb = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create");
    for (name, data) in streams {
        let mut s = cfb.create_stream(format!("/{name}")).expect("stream");
        s.write_all(data).expect("write");
    }
    cfb.flush().expect("flush");
    cfb.into_inner().into_inner()
}

fn read_doc(bytes: &[u8]) -> Result<Document, Error> {
    read(bytes, Format::Doc, &Limits::default())
}

fn paragraphs(d: &Document) -> Vec<String> {
    d.paragraphs().map(|p| p.text.clone()).collect()
}

#[test]
fn compressed_text_fields_and_special_characters() {
    let text = "Title\rsoft\x0bbreak\r\x13 HYPERLINK \"x\" \x14link\x15 and \x13 A \x13 B \x14b\x15 \x14a\x15\rnon\x1ebreaking op\x1ftional\x01\x08\x02\rcaf\u{e9} \u{80}\x0cnext page\r";
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| match c {
            '\u{80}' => 0x80,
            c => c as u8,
        })
        .collect();
    let n = bytes.len() as u32;
    let d = read_doc(&build(&[P(bytes, true, n)], None, 0x0409, 0)).expect("read");
    assert_eq!(
        paragraphs(&d),
        [
            "Title",
            "soft\nbreak",
            "link and a",
            "non-breaking optional",
            "café €",
            "next page"
        ]
    );
    assert!(matches!(
        &d.blocks[0],
        Block::Paragraph(p) if p.origin == Origin::Part { part: "WordDocument".into(), offset: Some(TEXT_AT as u64) }
    ));
}

#[test]
fn utf16_and_compressed_pieces_join() {
    let d = read_doc(&build(
        &[utf16("政府信息公开"), ascii("2023"), utf16("年度报告\r")],
        None,
        0x0804,
        0,
    ))
    .expect("read");
    assert_eq!(paragraphs(&d), ["政府信息公开2023年度报告"]);
}

#[test]
fn gbk_in_compressed_piece_of_a_chinese_document() {
    let (gbk, _, _) = encoding_rs::GBK.encode("年度报告 2023\r");
    let piece = || P(gbk.to_vec(), true, gbk.len() as u32);
    let d = read_doc(&build(&[piece()], None, 0x0804, 0)).expect("read");
    assert_eq!(paragraphs(&d), ["年度报告 2023"]);
    // Not Chinese: cp1252 as the specification says.
    let d = read_doc(&build(&[piece()], None, 0x0409, 0)).expect("read");
    assert!(!paragraphs(&d)[0].contains('年'));
}

#[test]
fn big5_in_compressed_piece_of_a_traditional_chinese_document() {
    let (big5, _, _) = encoding_rs::BIG5.encode("政府資訊公開\r");
    let d = read_doc(&build(
        &[P(big5.to_vec(), true, big5.len() as u32)],
        None,
        0x0404,
        0,
    ))
    .expect("read");
    assert_eq!(paragraphs(&d), ["政府資訊公開"]);
}

#[test]
fn only_the_main_document_is_read() {
    let d = read_doc(&build(
        &[ascii("Body\r"), ascii("Footnote text\r")],
        Some(5),
        0,
        0,
    ))
    .expect("read");
    assert_eq!(paragraphs(&d), ["Body"]);
}

#[test]
fn cell_marks_make_rows_without_paragraph_properties() {
    let d = read_doc(&build(
        &[utf16("表\rA\x07B\x07\x07C\rC2\x07D\x07\x07after\r")],
        None,
        0x0804,
        0,
    ))
    .expect("read");
    assert_eq!(
        d.dump(),
        "P 表\nT 2x2\n  0,0[1x1]: A\n  0,1[1x1]: B\n  1,0[1x1]: C⏎C2\n  1,1[1x1]: D\nP after\n"
    );
}

#[test]
fn deleted_runs_are_dropped_and_symbols_read() {
    // "keep(gone)x(\r": `gone` deleted; the second `(` a special character showing Σ
    // (U+03A3), the first a plain parenthesis.
    let text = "keep(gone)x(\r";
    let at = |i: usize| (TEXT_AT + i * 2) as u32;
    let runs = [
        (at(0), at(5), vec![]),
        (at(5), at(9), vec![0x00, 0x08, 0x01]),
        (at(9), at(11), vec![]),
        (
            at(11),
            at(12),
            vec![0x55, 0x08, 0x01, 0x09, 0x6A, 0x00, 0x00, 0xA3, 0x03],
        ),
        (at(12), at(13), vec![]),
    ];
    let d = read_doc(&build_with_runs(&[utf16(text)], None, 0, 0, &runs)).expect("read");
    assert_eq!(paragraphs(&d), ["keep()xΣ"]);
    // A Wingdings box (private use) is dropped.
    let runs = [
        (at(0), at(11), vec![]),
        (
            at(11),
            at(12),
            vec![0x55, 0x08, 0x01, 0x09, 0x6A, 0x00, 0x00, 0xFE, 0xF0],
        ),
        (at(12), at(13), vec![]),
    ];
    let d = read_doc(&build_with_runs(&[utf16(text)], None, 0, 0, &runs)).expect("read");
    assert_eq!(paragraphs(&d), ["keep(gone)x"]);
}

#[test]
fn encrypted_flag_is_encrypted() {
    let e = read_doc(&build(&[ascii("x\r")], None, 0, 0x0100)).unwrap_err();
    assert_eq!(e.code(), "encrypted");
}

#[test]
fn damage_is_malformed_naming_the_part() {
    let part = |e: Error| match e.into_kind() {
        ErrorKind::Malformed { part, .. } => part,
        k => panic!("{k:?}"),
    };
    // Table stream missing.
    let mut word = vec![0u8; 1024];
    word[32..34].copy_from_slice(&14u16.to_le_bytes());
    word[62..64].copy_from_slice(&22u16.to_le_bytes());
    word[152..154].copy_from_slice(&93u16.to_le_bytes());
    let bytes = ole(&[("WordDocument", &word)]);
    assert_eq!(part(read_doc(&bytes).unwrap_err()), "0Table");
    // The CLX outside the table stream.
    let clx_at = 154 + 33 * 8;
    word[clx_at..clx_at + 4].copy_from_slice(&100u32.to_le_bytes());
    word[clx_at + 4..clx_at + 8].copy_from_slice(&100u32.to_le_bytes());
    let bytes = ole(&[("WordDocument", &word), ("0Table", &[0u8; 50])]);
    assert_eq!(part(read_doc(&bytes).unwrap_err()), "0Table");
    // A CLX of unknown entries.
    let bytes = ole(&[("WordDocument", &word), ("0Table", &[0x07u8; 300])]);
    assert_eq!(part(read_doc(&bytes).unwrap_err()), "CLX");
    // A FIB cut short.
    let bytes = ole(&[("WordDocument", &word[..40]), ("0Table", &[0u8; 10])]);
    assert_eq!(part(read_doc(&bytes).unwrap_err()), "WordDocument");
    // A piece pointing past the stream.
    let mut bytes = build(&[ascii("hello\r")], Some(6), 0, 0);
    let good = read_doc(&bytes).expect("read");
    assert_eq!(paragraphs(&good), ["hello"]);
    bytes = build(&[ascii("hello\r")], Some(6), 0, 0);
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes)).expect("open");
    {
        let mut s = cfb.open_stream("/WordDocument").expect("stream");
        s.set_len(TEXT_AT as u64 + 2).expect("truncate");
    }
    cfb.flush().expect("flush");
    let bytes = cfb.into_inner().into_inner();
    assert_eq!(part(read_doc(&bytes).unwrap_err()), "WordDocument");
}

#[test]
fn text_limit_applies() {
    let limits = Limits {
        max_text_chars: 4,
        ..Limits::default()
    };
    let e = read(
        &build(&[ascii("longer than four\r")], None, 0, 0),
        Format::Doc,
        &limits,
    )
    .unwrap_err();
    assert_eq!(e.code(), "limit_exceeded");
}

#[test]
fn sniffed_and_read_through_read_bytes() {
    let bytes = build(&[utf16("标题\r")], None, 0x0804, 0);
    let loaded = crate::read::load(&bytes, Some("a.wps"), &Limits::default()).expect("load");
    assert_eq!(loaded.format, Format::Wps);
    assert_eq!(paragraphs(&loaded.document), ["标题"]);
}
