//! Every way a report arrives as plain text (issue: one cell per line, space-aligned
//! columns, Markdown pipe tables, flattened tables), each made by a small generator from
//! the bundled tab-separated samples and read in two encodings.

mod common;

use common::{mismatches, root};
use disclosure_report::model::Report;
use disclosure_report::parse_bytes;
use serde_json::Value;

fn sample(id: &str) -> String {
    std::fs::read_to_string(root().join(format!("testdata/samples/{id}-txt-seed.txt")))
        .unwrap()
        .replace("\r\n", "\n")
}

fn expected(id: &str) -> Value {
    let b = std::fs::read(root().join(format!("testdata/expected/{id}-txt-seed.expected.json")))
        .unwrap();
    serde_json::from_slice(&b).unwrap()
}

fn fields(line: &str) -> Vec<&str> {
    line.split('\t')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .collect()
}

/// A browser's copy of an HTML table: every non-empty cell on its own line.
fn one_cell_per_line(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.contains('\t') {
            for f in fields(line) {
                out.push_str(f);
                out.push('\n');
            }
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// `pdftotext -layout`: cells padded with spaces, labels padded with U+3000, a long label
/// wrapped onto the next line, a page footer and a running header inside table 3.
fn space_aligned(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if !line.contains('\t') {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let f = fields(line);
        let mut label = String::new();
        let mut nums = Vec::new();
        for x in &f {
            let bare = x.trim_end_matches("万元").trim_end_matches('元');
            if !bare.is_empty() && bare.chars().all(|c| c.is_ascii_digit() || c == '.') {
                nums.push(*x);
            } else {
                if !label.is_empty() {
                    label.push_str("  ");
                }
                label.push_str(x);
            }
        }
        if let Some(rest) = label.strip_suffix("不计其他情形）") {
            out.push_str(&format!(
                "{rest}\u{3000}\u{3000}    {}\n不计其他情形）\n",
                nums.join("     ")
            ));
            continue;
        }
        out.push_str(&format!(
            "{label}\u{3000}\u{3000}      {}\n",
            nums.join("     ")
        ));
        if label.contains("4.保护第三方合法权益") {
            out.push_str(
                "\n                                    — 3 —\n\u{c}\n政府信息公开工作年度报告\n\n",
            );
        }
    }
    out
}

/// Markdown: every tab row a pipe row, a rule after each table's first row.
fn markdown(text: &str) -> String {
    let mut out = String::new();
    let mut in_table = false;
    for line in text.lines() {
        if line.contains('\t') {
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
            if !in_table {
                out.push_str(&format!("|{}\n", "---|".repeat(cells.len())));
            }
            in_table = true;
        } else {
            if !line.trim().is_empty() {
                in_table = false;
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Table 3's labels one per line, then all its numbers on one line.
fn flattened_t3(text: &str) -> String {
    let mut out = String::new();
    let mut nums: Vec<String> = Vec::new();
    let mut in_t3 = false;
    for line in text.lines() {
        if line.starts_with("一、本年新收") {
            in_t3 = true;
        }
        if in_t3 && line.contains('\t') {
            let f = fields(line);
            for x in &f {
                if x.chars().all(|c| c.is_ascii_digit()) {
                    nums.push(x.to_string());
                } else {
                    out.push_str(x);
                    out.push('\n');
                }
            }
            if line.starts_with("四、结转下年度") {
                out.push_str(&nums.join(" "));
                out.push('\n');
                in_t3 = false;
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn check(label: &str, text: &str, id: &str) -> Report {
    let (gb, _, _) = encoding_rs::GB18030.encode(text);
    let mut first = None;
    for (enc, bytes) in [
        ("utf-8", text.as_bytes().to_vec()),
        ("gb18030", gb.into_owned()),
    ] {
        let r =
            parse_bytes(&bytes, Some("shape.txt")).unwrap_or_else(|e| panic!("{label} {enc}: {e}"));
        let got = serde_json::to_value(&r).unwrap();
        let bad = mismatches(&got, &expected(id));
        assert!(bad.is_empty(), "{label} ({enc}) {id}:\n{}", bad.join("\n"));
        first.get_or_insert(r);
    }
    first.unwrap()
}

#[test]
fn one_cell_per_line_reads_every_figure() {
    for id in ["021", "006", "029"] {
        check("one cell per line", &one_cell_per_line(&sample(id)), id);
    }
}

#[test]
fn space_aligned_columns_read_every_figure() {
    for id in ["021", "006", "029"] {
        check("space aligned", &space_aligned(&sample(id)), id);
    }
}

#[test]
fn markdown_pipe_tables_read_every_figure() {
    for id in ["021", "006", "029"] {
        check("markdown", &markdown(&sample(id)), id);
    }
}

#[test]
fn flattened_table_three_reads_every_figure() {
    for id in ["021", "006"] {
        let r = check("flattened", &flattened_t3(&sample(id)), id);
        assert!(r.warnings.iter().any(|w| w.code == "flattened_table"));
    }
}

#[test]
fn utf16_without_bom_and_crlf() {
    let text = one_cell_per_line(&sample("021")).replace('\n', "\r\n");
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let r = parse_bytes(&bytes, Some("x.txt")).unwrap();
    assert_eq!(r.source.encoding.as_deref(), Some("utf-16le"));
    let bad = mismatches(&serde_json::to_value(&r).unwrap(), &expected("021"));
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

// Damaged inputs: no figure may land under the wrong label.

#[test]
fn a_missing_line_leaves_only_that_row_null() {
    let text = one_cell_per_line(&sample("021"));
    // Drop the figures of 2.重复申请 (seven lines after its label).
    let mut lines: Vec<&str> = text.lines().collect();
    let i = lines.iter().position(|l| *l == "2.重复申请").unwrap();
    lines.drain(i + 1..i + 2); // one figure gone: six for seven columns
    let r = parse_bytes(lines.join("\n").as_bytes(), Some("x.txt")).unwrap();
    let np = &r.applications.as_ref().unwrap().results.not_processed;
    assert_eq!(
        np.repeated.values().iter().filter(|v| v.is_some()).count(),
        7,
        "placed by the sums: {:?}",
        np.repeated
    );
    assert_eq!(np.publication.values(), [Some(0); 7]);
    assert_eq!(np.petition.values(), [Some(0); 7]);
    assert!(r.warnings.iter().any(|w| w.code == "short_row"));
}

#[test]
fn a_row_whose_count_is_off_is_refused_not_shifted() {
    let text = one_cell_per_line(&sample("021"));
    let mut lines: Vec<&str> = text.lines().collect();
    // （一）予以公开 6 0 0 0 0 0 6: drop the first 6 and an inner 0 → "0 0 0 0 6".
    let i = lines.iter().position(|l| l.contains("予以公开")).unwrap();
    lines.drain(i + 1..i + 3);
    let r = parse_bytes(lines.join("\n").as_bytes(), Some("x.txt")).unwrap();
    let a = r.applications.as_ref().unwrap();
    let g = a.results.granted.values();
    // Whatever is placed must be consistent with the printed figures: never 0 → 自然人.
    assert!(g[0] != Some(0), "{g:?}");
    assert_eq!(
        a.results.partially_granted.values(),
        [8, 1, 0, 0, 0, 0, 8].map(Some)
    );
    assert!(r.warnings.iter().any(|w| w.code == "short_row"));
}

#[test]
fn a_merged_number_is_split_only_when_certain() {
    let text = one_cell_per_line(&sample("021"));
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let i = lines
        .iter()
        .position(|l| l.starts_with("1.本机关不掌握"))
        .unwrap();
    // 4 0 0 0 0 0 4 → "40" 0 0 0 0 4: 4|0 is the only split with the row's total.
    let merged = format!("{}{}", lines[i + 1], lines[i + 2]);
    lines[i + 1] = merged;
    lines.remove(i + 2);
    let r = parse_bytes(lines.join("\n").as_bytes(), Some("x.txt")).unwrap();
    let u = r.applications.as_ref().unwrap().results.unable.not_held;
    assert_eq!(u.values(), [4, 0, 0, 0, 0, 0, 4].map(Some));
}

#[test]
fn a_label_split_over_two_lines() {
    let text = one_cell_per_line(&sample("021")).replace(
        "1.本机关不掌握相关政府信息\n",
        "1.本机关不掌握相关\n政府信息\n",
    );
    let r = parse_bytes(text.as_bytes(), Some("x.txt")).unwrap();
    let bad = mismatches(&serde_json::to_value(&r).unwrap(), &expected("021"));
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
