//! Unit tests of the HTML reader, compiled only under `#[cfg(test)]` (see `html.rs`).

use super::*;
use crate::document::Cell;

fn doc(html: &str) -> Document {
    from_str(html, &Limits::default()).unwrap()
}

fn paras(d: &Document) -> Vec<&str> {
    d.paragraphs().map(|p| p.text.as_str()).collect()
}

fn only_table(d: &Document) -> &Table {
    let tables: Vec<&Table> = d.tables().collect();
    assert_eq!(tables.len(), 1, "{}", d.dump());
    tables[0]
}

fn spans(c: &Cell) -> (usize, usize, usize, usize, &str) {
    (c.row, c.col, c.row_span, c.col_span, c.text.as_str())
}

#[test]
fn rowspan_and_colspan() {
    let d = doc("<table><tr><td rowspan=2>A</td><td colspan=2>B</td></tr>\
                 <tr><td>C</td><td>D</td></tr></table>");
    let t = only_table(&d);
    assert_eq!((t.rows, t.cols), (2, 3));
    let cells: Vec<_> = t.cells.iter().map(spans).collect();
    assert_eq!(
        cells,
        [
            (0, 0, 2, 1, "A"),
            (0, 1, 1, 2, "B"),
            (1, 1, 1, 1, "C"),
            (1, 2, 1, 1, "D")
        ]
    );
}

#[test]
fn spans_are_clamped_and_make_no_phantom_rows() {
    let d = doc(
        "<table><tr><td rowspan=65535>A</td><td colspan=99999>B</td></tr>\
                 <tr><td rowspan='3\"'>C</td></tr></table>",
    );
    let t = only_table(&d);
    assert_eq!(t.rows, 2, "{}", d.dump());
    assert_eq!(t.cols, 1 + MAX_COLSPAN);
    assert_eq!(spans(&t.cells[0]), (0, 0, 2, 1, "A"));
    assert_eq!(spans(&t.cells[2]), (1, 1, 1, 1, "C"));
    // rowspan=0 runs to the end; colspan=0 and junk are 1.
    let d = doc(
        "<table><tr><td rowspan=0>A</td><td colspan=0>B</td><td colspan=x>C</td></tr>\
                 <tr><td>D</td></tr><tr><td>E</td></tr></table>",
    );
    let t = only_table(&d);
    assert_eq!((t.rows, t.cols), (3, 3));
    assert_eq!(t.cells[0].row_span, 3);
    assert_eq!(t.cell_at(2, 1).unwrap().text, "E");
}

#[test]
fn nbsp_and_blank_cells() {
    let d = doc(
        "<table><tr><td>&nbsp;</td><td> \n </td><td>&nbsp;0&nbsp;&nbsp;</td>\
                 <td>&#12288;</td><td></td></tr></table>",
    );
    let t = only_table(&d);
    let texts: Vec<&str> = t.cells.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["", "", "0", "", ""]);
}

#[test]
fn breaks_and_paragraphs_in_cells() {
    let d = doc("<table><tr><td>结果<br/>纠正</td>\
                 <td><p>商业</p><p>企业&nbsp;&nbsp;\n&nbsp;</p></td>\
                 <td><div>社会</div><div><span>公益</span></div>组织</td></tr></table>");
    let t = only_table(&d);
    let texts: Vec<&str> = t.cells.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["结果\n纠正", "商业\n企业", "社会\n公益\n组织"]);
}

#[test]
fn nested_table_stays_in_its_cell() {
    let d = doc(
        "<p>before</p><table><tr><td>outer<table><tr><td>inner</td></tr></table>after\
                 </td><td>x</td></tr></table><p>end</p>",
    );
    assert_eq!(paras(&d), ["before", "end"]);
    let t = only_table(&d);
    assert_eq!((t.rows, t.cols), (1, 2));
    let c = &t.cells[0];
    assert_eq!(c.text, "outer\nafter");
    assert_eq!(c.nested.len(), 1);
    assert_eq!(c.nested[0].cells[0].text, "inner");
    assert_eq!(t.cells[1].text, "x");
}

#[test]
fn th_thead_tbody_tfoot_and_caption() {
    let d = doc(
        "<table><caption>表三 收到和处理</caption><thead><tr><th>项目</th><th>数量</th></tr>\
                 </thead><tbody><tr><th>总计</th><td>5</td></tr></tbody>\
                 <tfoot><tr><td colspan=2>注</td></tr></tfoot></table>",
    );
    assert_eq!(paras(&d), ["表三 收到和处理"]);
    assert!(matches!(d.blocks[0], Block::Paragraph(_)));
    let t = only_table(&d);
    assert_eq!((t.rows, t.cols), (3, 2));
    assert_eq!(t.cell_at(1, 0).unwrap().text, "总计");
    assert_eq!(t.cell_at(2, 1).unwrap().text, "注");
}

#[test]
fn split_runs_join_into_one_label() {
    let d = doc(
        "<p class=MsoNormal><span lang=EN-US>（</span><font face=宋体>一</font>\
                 <b><span style='mso-bidi-font-size:10.5pt'>）</span></b><a href=#>予以公开</a>\
                 <o:p></o:p></p><p>（二）<span>部分\n公开</span> 区分 处理</p>",
    );
    assert_eq!(paras(&d), ["（一）予以公开", "（二）部分公开 区分 处理"]);
}

#[test]
fn block_elements_end_paragraphs() {
    let d = doc(
        "<div>一<div>二</div>三</div><h1>四</h1>五<br>六<ul><li>七</li><li>八</ul>\
                 <p>九<p>十",
    );
    assert_eq!(
        paras(&d),
        ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
    );
}

#[test]
fn whitespace_collapses_and_trims() {
    let d =
        doc("<p>  a \t b&nbsp;&nbsp; c\n</p><p>\u{3000}\u{3000}本年度\r\n办理</p><p>&nbsp;</p>");
    assert_eq!(paras(&d), ["a b c", "本年度办理"]);
}

#[test]
fn script_style_head_and_friends_are_skipped() {
    let d = doc("<html><head><title>标题</title><style>p{font-family:宋体}</style>\
                 <script>var gklist={a:'行政规范性文件</td>'};</script></head><body>\
                 <noscript>请启用</noscript><template><p>模板</p></template>\
                 <select><option>菜单</option></select><p>正文<script>document.write('x')</script>继续</p>\
                 <iframe src=x>框架</iframe><textarea>输入</textarea><svg><text>图</text></svg>\
                 <!--[if gte mso 9]><xml><w:WordDocument>隐藏</w:WordDocument></xml><![endif]-->\
                 <p>完</p></body></html>");
    assert_eq!(paras(&d), ["正文继续", "完"]);
}

#[test]
fn xhtml_self_closing_script_does_not_swallow_the_page() {
    let d = doc(
        "<?xml version=\"1.0\"?><html><head><script src=\"a.js\"/></head>\
                 <body><p>正文</p></body></html>",
    );
    assert_eq!(paras(&d), ["正文"]);
}

#[test]
fn malformed_tables_are_repaired() {
    // Unclosed cells and rows, a cell before any row, stray text between rows, a
    // table opened outside a cell (which ends the first), no </table> at the end.
    let d = doc("<table><td>A<td>B<tr><td>C</td>stray<tr><td>D\
                 <table><tr><td>E</td></tr></table></td></tr><table><tr><td>F");
    let tables: Vec<&Table> = d.tables().collect();
    assert_eq!(tables.len(), 2, "{}", d.dump());
    assert_eq!(paras(&d), ["stray"]);
    let t = tables[0];
    assert_eq!((t.rows, t.cols), (3, 2));
    assert_eq!(t.cell_at(2, 0).unwrap().nested[0].cells[0].text, "E");
    assert_eq!(tables[1].cells[0].text, "F");
    // Stray end tags and cells outside tables do not panic or invent tables.
    let d = doc("</table></td></tr><td>x</td><tr>y</caption></tbody>");
    assert_eq!(d.tables().count(), 0);
    assert_eq!(paras(&d), ["x", "y"]);
}

#[test]
fn hidden_word_row_is_dropped() {
    let d = doc(
        "<table><tr><td>A</td></tr><![if !supportMisalignedColumns]>\
                 <tr height=0 style='display: none'><td width=90></td></tr><![endif]></table>",
    );
    let t = only_table(&d);
    assert_eq!((t.rows, t.cols), (1, 1));
}

#[test]
fn pre_keeps_lines() {
    let d = doc("<pre>一行\n二行</pre>");
    assert_eq!(paras(&d), ["一行", "二行"]);
}

#[test]
fn origins_are_source_lines() {
    let d = doc("<p>a</p>\n<table>\n<tr><td>b</td></tr></table>");
    assert_eq!(d.blocks.len(), 2);
    let Block::Paragraph(p) = &d.blocks[0] else {
        panic!()
    };
    assert_eq!(p.origin, Origin::Line { line: 1, field: 0 });
    let t = only_table(&d);
    assert_eq!(t.origin, Origin::Line { line: 2, field: 0 });
    assert_eq!(t.cells[0].origin, Origin::Line { line: 3, field: 0 });
}

fn read_html(bytes: &[u8]) -> (Document, &'static str) {
    read(bytes, Format::Html, &Limits::default()).unwrap()
}

const PAGE: &str = "<table><tr><td>（一）予以公开</td><td>政府信息公开</td></tr></table>";

#[test]
fn meta_charset() {
    let page = format!(
        "<html><head><meta charset=\"gb2312\" name=\"viewport\" content=\"width=device-width\"></head><body>{PAGE}"
    );
    let (gb, _, _) = GB18030.encode(&page);
    let (d, enc) = read_html(&gb);
    assert_eq!(enc, "gb18030");
    assert_eq!(d.tables().next().unwrap().cells[0].text, "（一）予以公开");
    // The same page in UTF-8 despite its meta: the bytes win.
    let (d, enc) = read_html(page.as_bytes());
    assert_eq!(enc, "utf-8");
    assert_eq!(d.tables().next().unwrap().cells[1].text, "政府信息公开");
}

#[test]
fn http_equiv_charset() {
    let page = format!(
        "<HTML><HEAD><!-- <meta charset=big5> --><META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=GBK'></HEAD>{PAGE}"
    );
    let (gb, _, _) = GB18030.encode(&page);
    let (d, enc) = read_html(&gb);
    assert_eq!(enc, "gb18030");
    assert_eq!(d.tables().next().unwrap().cells[1].text, "政府信息公开");
    assert_eq!(
        prescan(b"<meta content=\"text/html; charset=big5\" http-equiv=content-type>"),
        Some(BIG5)
    );
    assert_eq!(prescan(b"<meta content=\"text/html; charset=big5\">"), None);
    assert_eq!(
        prescan(b"<?xml version='1.0' encoding='gb2312'?><html>"),
        Some(GBK)
    );
}

#[test]
fn wrong_or_missing_declarations_fall_back_to_detection() {
    let page = format!("<html><head><meta charset=utf-8></head><body><p>本年度政府信息公开工作情况如下。</p>{PAGE}");
    let (gb, _, _) = GB18030.encode(&page);
    let (d, enc) = read_html(&gb);
    assert_eq!(enc, "gb18030");
    assert_eq!(d.tables().next().unwrap().cells[0].text, "（一）予以公开");
    let bare = page.replace("<meta charset=utf-8>", "");
    let (gb, _, _) = GB18030.encode(&bare);
    assert_eq!(read_html(&gb).1, "gb18030");
    let latin = page.replace("utf-8", "iso-8859-1");
    let (gb, _, _) = GB18030.encode(&latin);
    assert_eq!(read_html(&gb).1, "gb18030");
    // UTF-16 with a BOM.
    let mut le = vec![0xFF, 0xFE];
    le.extend(bare.encode_utf16().flat_map(u16::to_le_bytes));
    let (d, enc) = read_html(&le);
    assert_eq!(enc, "utf-16le");
    assert_eq!(d.tables().next().unwrap().cells[1].text, "政府信息公开");
    // Pure ASCII is reported under its declared name.
    assert_eq!(read_html(b"<meta charset=gb2312><p>x</p>").1, "gb18030");
}

fn mhtml(encoding: &str, body: &str) -> Vec<u8> {
    format!(
        "From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\
         \ttype=\"text/html\";\r\n\tboundary=\"----MultipartBoundary--abc----\"\r\n\r\n\
         ------MultipartBoundary--abc----\r\nContent-Type: text/css\r\n\r\np{{}}\r\n\
         ------MultipartBoundary--abc----\r\nContent-Type: text/html; charset=\"gb2312\"\r\n\
         Content-Transfer-Encoding: {encoding}\r\nContent-Location: http://x/\r\n\r\n{body}\r\n\
         ------MultipartBoundary--abc------\r\n"
    )
    .into_bytes()
}

#[test]
fn mhtml_quoted_printable() {
    let (gb, _, _) = GB18030.encode(PAGE);
    let mut qp = String::new();
    for (i, b) in gb.iter().enumerate() {
        if i > 0 && i % 60 == 0 {
            qp.push_str("=\r\n");
        }
        if b.is_ascii_alphanumeric() || *b == b'<' || *b == b'>' || *b == b'/' {
            qp.push(*b as char);
        } else {
            qp.push_str(&format!("={b:02X}"));
        }
    }
    let (d, enc) = read(
        &mhtml("quoted-printable", &qp),
        Format::Mhtml,
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(enc, "gb18030");
    assert_eq!(d, doc(PAGE));
}

#[test]
fn mhtml_base64() {
    let (gb, _, _) = GB18030.encode(PAGE);
    let b64 = base64(&gb);
    let (d, enc) = read(&mhtml("base64", &b64), Format::Mhtml, &Limits::default()).unwrap();
    assert_eq!(enc, "gb18030");
    assert_eq!(d, doc(PAGE));
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for (i, chunk) in bytes.chunks(3).enumerate() {
        if i > 0 && i % 19 == 0 {
            out.push_str("\r\n");
        }
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (j, b)| acc | u32::from(*b) << (16 - 8 * j));
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn depth_limit() {
    let limits = Limits {
        max_xml_depth: 10,
        ..Limits::default()
    };
    let deep = "<table><tr><td>".repeat(11);
    let e = from_str(&deep, &limits).unwrap_err();
    assert_eq!(e.code(), "limit_exceeded");
    assert!(e.to_string().contains("nesting"), "{e}");
    assert!(from_str(&"<table><tr><td>".repeat(10), &limits).is_ok());
    // Default limits: 600 nested tables fail cleanly, deep divs are harmless.
    let e = from_str(&"<table><tr><td>".repeat(600), &Limits::default()).unwrap_err();
    assert_eq!(e.code(), "limit_exceeded");
    let d = doc(&format!("{}x", "<div><span>".repeat(100_000)));
    assert_eq!(paras(&d), ["x"]);
}

#[test]
fn element_and_cell_limits() {
    let limits = Limits {
        max_xml_elements: 100,
        ..Limits::default()
    };
    let e = from_str(&"<p>x</p>".repeat(101), &limits).unwrap_err();
    assert_eq!(e.code(), "limit_exceeded");
    let limits = Limits {
        max_table_cells: 50,
        ..Limits::default()
    };
    let big = format!(
        "<table>{}</table>",
        "<tr><td>1</td><td>2</td></tr>".repeat(30)
    );
    assert_eq!(
        from_str(&big, &limits).unwrap_err().code(),
        "limit_exceeded"
    );
    let wide = "<table><tr><td colspan=1000>a</td></tr><tr><td colspan=1000>b</td></tr></table>";
    assert_eq!(
        from_str(wide, &limits).unwrap_err().code(),
        "limit_exceeded"
    );
    let limits = Limits {
        max_input_bytes: 10,
        ..Limits::default()
    };
    assert_eq!(
        read(b"<p>0123456789</p>", Format::Html, &limits)
            .unwrap_err()
            .code(),
        "limit_exceeded"
    );
}

#[test]
fn garbage_never_panics() {
    let samples: &[&[u8]] = &[
        b"",
        b"<",
        b"<table<>",
        b"<td rowspan=99999999999999999999 colspan=-5>x",
        b"<table><caption><table><tr><td>x</caption></td>",
        b"<script>",
        b"<plaintext><table>",
        b"<xmp><p>a</xmp>b",
        b"\xff\xfe<\x00",
        b"\xfe\xff\x00<",
        b"<meta charset=utf-16><p>x",
        b"<meta charset=x-user-defined><p>\x80",
        b"&#0;&#xD800;&nbsp",
        b"<svg/><math><mi>x</mi></math><template><template></template>y</template>z",
    ];
    for s in samples {
        let _ = read(s, Format::Html, &Limits::default());
        let _ = read(s, Format::Mhtml, &Limits::default());
    }
}

#[test]
fn big_page_is_fast_enough() {
    let row = "<tr><td><p><span>（一）</span><span>予以公开</span>&nbsp;</p></td><td>12</td></tr>";
    let page = format!(
        "<html><body><script>{}</script><table>{}</table></body></html>",
        "var a = '<td>x</td>';".repeat(1000),
        row.repeat(4000)
    );
    assert!(page.len() > 300_000);
    let start = std::time::Instant::now();
    let d = doc(&page);
    let elapsed = start.elapsed();
    println!("{} bytes in {elapsed:?}", page.len());
    let t = only_table(&d);
    assert_eq!(t.rows, 4000);
    assert_eq!(t.cells[0].text, "（一）予以公开");
    // Generous for debug builds on a shared machine; release takes a few ms.
    assert!(elapsed.as_secs() < 5, "{elapsed:?}");
    let prose = format!(
        "<html><body><script>{}</script>{}</body></html>",
        "var a = '<td>x</td>';".repeat(1000),
        "<p><span>（一）</span><span>予以公开</span>&nbsp;本年度<b>主动</b>公开。</p>\n"
            .repeat(4000)
    );
    let start = std::time::Instant::now();
    let d = doc(&prose);
    println!("{} bytes of prose in {:?}", prose.len(), start.elapsed());
    assert_eq!(d.blocks.len(), 4000);
    struct Noop;
    impl TokenSink for Noop {
        type Handle = ();
        fn process_token(&self, _: Token, _: u64) -> TokenSinkResult<()> {
            TokenSinkResult::Continue
        }
    }
    let start = std::time::Instant::now();
    let tok = Tokenizer::new(Noop, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(&prose));
    let _ = tok.feed(&input);
    tok.end();
    println!("bare tokenizer: {:?}", start.elapsed());
}

#[test]
fn word_export() {
    let page = r#"<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=Generator content="Microsoft Word 15">
<!--[if gte mso 9]><xml>
 <o:DocumentProperties><o:Author>admin</o:Author></o:DocumentProperties>
</xml><![endif]-->
<style>
<!--
p.MsoNormal {mso-style-parent:""; font-family:等线;}
-->
</style>
</head>
<body lang=ZH-CN style='tab-interval:21.0pt'>
<div class=WordSection1 style='layout-grid:15.6pt'>
<p class=MsoNormal align=center style='text-align:center'><b><span
style='font-size:22.0pt;font-family:方正小标宋简体'>某某局<span lang=EN-US>2023</span>年政府信息公开工作年度报告<span
lang=EN-US><o:p></o:p></span></span></b></p>
<p class=MsoNormal><span lang=EN-US style='font-family:黑体'>一、</span><span
style='font-family:黑体'>总体情况<span lang=EN-US><o:p>&nbsp;</o:p></span></span></p>
<p class=MsoNormal style='text-indent:32.0pt'><![if !supportLists]><span lang=EN-US>1.<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]><span>本年度主动公开
政府信息</span><span lang=EN-US>120</span><span>条。</span></p>
<table class=MsoNormalTable border=0 cellspacing=0 cellpadding=0 width=568
 style='border-collapse:collapse;mso-table-layout-alt:fixed;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>
 <tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes'>
  <td width=568 colspan=2 valign=top style='width:426.0pt;border:solid windowtext 1.0pt'>
  <p class=MsoNormal align=center style='text-align:center'><span style='font-family:宋体'>第二十条第（一）项<span
  lang=EN-US><o:p></o:p></span></span></p>
  </td>
 </tr>
 <tr style='mso-yfti-irow:1;mso-yfti-lastrow:yes'>
  <td width=284 valign=top style='width:213.0pt'>
  <p class=MsoNormal><span style='font-family:宋体'>（<span lang=EN-US>一</span>）予以<span
  lang=EN-US></span>公开<o:p></o:p></span></p>
  </td>
  <td width=284 valign=top style='width:213.0pt'>
  <p class=MsoNormal align=center><span lang=EN-US>12<o:p></o:p></span></p>
  </td>
 </tr>
 <![if !supportMisalignedColumns]>
 <tr height=0>
  <td width=284 style='border:none'></td>
  <td width=284 style='border:none'></td>
 </tr>
 <![endif]>
</table>
<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
</div>
</body>
</html>"#;
    let (gb, _, _) = GB18030.encode(page);
    let (d, enc) = read_html(&gb);
    assert_eq!(enc, "gb18030");
    assert_eq!(
        paras(&d),
        [
            "某某局2023年政府信息公开工作年度报告",
            "一、总体情况",
            "1. 本年度主动公开政府信息120条。"
        ]
    );
    let t = only_table(&d);
    assert_eq!((t.rows, t.cols), (2, 2), "{}", d.dump());
    assert_eq!(t.cells[0].col_span, 2);
    assert_eq!(t.cells[1].text, "（一）予以公开");
    assert_eq!(t.cells[2].text, "12");
}

#[test]
fn excel_export() {
    let page = r#"<html xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv=Content-Type content="text/html; charset=utf-8">
<style>.et2{text-align:center;mso-number-format:"General";}</style></head>
<body link=blue vlink=purple>
<table width=300 border=0 cellpadding=0 cellspacing=0 style='width:225pt;border-collapse:collapse;table-layout:fixed;' x:str>
 <colgroup><col width=100 span=3 style='width:75pt'></colgroup>
 <tr height=18 class="et2" style='height:13.50pt;'>
  <td class="et2" height=18 width=100 colspan=2 style='height:13.50pt;width:150pt;' x:str>行政复议</td>
  <td class="et3" width=100>行政诉讼</td>
 </tr>
 <tr height=18 style='height:13.50pt;'>
  <td class="et4" x:num>2</td><td class="et4" x:num="1">1</td><td class="et4" x:num>0</td>
 </tr>
 <![if supportMisalignedColumns]>
 <tr width=0 style='display:none'><td width=100 style='width:75pt;'></td></tr>
 <![endif]>
</table>
</body></html>"#;
    let (d, enc) = read_html(page.as_bytes());
    assert_eq!(enc, "utf-8");
    let t = only_table(&d);
    assert_eq!((t.rows, t.cols), (2, 3), "{}", d.dump());
    assert_eq!(t.cell_at(0, 1).unwrap().text, "行政复议");
    assert_eq!(t.cell_at(1, 1).unwrap().text, "1");
}
