//! Bulk conversion: the library's `convert_many`/`Bulk` and the converter's folder mode
//! with JSON Lines, CSV, manifest, duplicates, cross-year checks and `--resume`.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{converter, root, shared, tempdir};
use serde_json::Value;

fn sample(name: &str) -> PathBuf {
    root().join("testdata/samples").join(name)
}

/// A folder with every kind of input; returns whether a DOCX was included.
fn mixed_folder(input: &Path) -> bool {
    std::fs::create_dir_all(input.join("sub")).unwrap();
    for n in ["006-txt-seed.txt", "018-gbk.txt", "029-txt-seed.txt"] {
        std::fs::copy(sample(n), input.join(n)).unwrap();
    }
    std::fs::copy(sample("qx-jxj-2023.txt"), input.join("qx-2023.txt")).unwrap();
    // The year before, for the cross-year checks.
    let text = std::fs::read_to_string(sample("qx-jxj-2023.txt")).unwrap();
    std::fs::write(input.join("qx-2022.txt"), text.replace("2023", "2022")).unwrap();
    // A duplicate, in a subfolder.
    std::fs::copy(sample("qx-jxj-2023.txt"), input.join("sub/qx-copy.txt")).unwrap();
    // A damaged DOCX and a non-report.
    std::fs::write(input.join("damaged.docx"), b"PK\x03\x04 truncated zip").unwrap();
    std::fs::write(
        input.join("novel.txt"),
        "从前有座山，山里有座庙。".repeat(20),
    )
    .unwrap();
    // Skipped.
    std::fs::write(input.join(".hidden.txt"), "x").unwrap();
    std::fs::write(input.join("~$lock.docx"), "x").unwrap();
    match shared("corpus/docx-template/006.docx") {
        Some(docx) => {
            std::fs::copy(docx, input.join("sub/006.docx")).unwrap();
            true
        }
        None => false,
    }
}

fn jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn by_path(records: &[Value], key: &str) -> HashMap<String, Value> {
    records
        .iter()
        .map(|r| {
            let p = r.pointer(key).and_then(Value::as_str).unwrap().to_string();
            let name = Path::new(&p)
                .strip_prefix(std::env::temp_dir())
                .map(|p| p.components().skip(1).collect::<PathBuf>())
                .unwrap_or_else(|_| PathBuf::from(&p));
            (name.to_string_lossy().replace('\\', "/"), r.clone())
        })
        .collect()
}

#[test]
fn mixed_folder_manifest_jsonl_csv_duplicates_cross_year_and_resume() {
    let Some(bin) = converter() else { return };
    let base = tempdir("mixed");
    let input = base.join("in");
    let has_docx = mixed_folder(&input);
    let (out, jl, csv, man) = (
        base.join("out"),
        base.join("all.jsonl"),
        base.join("all.csv"),
        base.join("manifest.jsonl"),
    );
    let run = |resume: bool| {
        let mut c = Command::new(&bin);
        c.arg("-o")
            .arg(&out)
            .arg("--jsonl")
            .arg(&jl)
            .arg("--csv")
            .arg(&csv)
            .arg("--manifest")
            .arg(&man)
            .arg("--jobs")
            .arg("2")
            .arg(&input);
        if resume {
            c.arg("--resume");
        }
        c.output().unwrap()
    };
    let st = run(false);
    let stderr = String::from_utf8_lossy(&st.stderr);
    assert_eq!(st.status.code(), Some(1), "{stderr}");
    let n_inputs = 8 + usize::from(has_docx);
    let n_ok = 6 + usize::from(has_docx);
    assert!(
        stderr.contains(&format!(
            "convert: {n_inputs} file(s): ok {n_ok} (1 duplicate(s))"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("not_a_report 1") && stderr.contains("malformed 1"),
        "{stderr}"
    );

    // The manifest: one line per input, in input order.
    let m = jsonl(&man);
    assert_eq!(m.len(), n_inputs);
    let mm = by_path(&m, "/path");
    let status = |k: &str| mm[k]["status"].as_str().unwrap().to_string();
    assert_eq!(status("in/qx-2023.txt"), "ok");
    assert_eq!(status("in/018-gbk.txt"), "ok");
    assert_eq!(mm["in/018-gbk.txt"]["encoding"], "gb18030");
    assert_eq!(mm["in/006-txt-seed.txt"]["encoding"], "utf-8");
    assert_eq!(mm["in/qx-2023.txt"]["template"], "gov2021");
    assert_eq!(mm["in/029-txt-seed.txt"]["template"], "gov2019");
    assert_eq!(status("in/novel.txt"), "not_a_report");
    assert_eq!(status("in/damaged.docx"), "malformed");
    assert_eq!(mm["in/damaged.docx"]["format"], "docx");
    assert!(mm["in/novel.txt"]["error"]
        .as_str()
        .unwrap()
        .contains("not a disclosure report"));
    if has_docx {
        let d = &mm["in/sub/006.docx"];
        assert_eq!(d["status"], "ok");
        assert_eq!(d["format"], "docx");
        assert_eq!(d["template"], "gov2021");
        assert!(out.join("sub/006.docx.json").exists());
    }
    let dup = &mm["in/sub/qx-copy.txt"];
    assert_eq!(dup["status"], "ok");
    assert!(dup["duplicate_of"]
        .as_str()
        .unwrap()
        .ends_with("qx-2023.txt"));
    assert_eq!(dup["sha256"], mm["in/qx-2023.txt"]["sha256"]);
    for r in &m {
        for k in [
            "path",
            "sha256",
            "size",
            "format",
            "encoding",
            "template",
            "status",
            "error",
            "failed_checks",
            "ms",
        ] {
            assert!(r.get(k).is_some(), "{k} missing in {r}");
        }
        assert_eq!(r["sha256"].as_str().unwrap().len(), 64);
    }

    // JSON per file, mirrored; none for failures; the duplicate has its own.
    assert!(out.join("qx-2023.txt.json").exists());
    assert!(out.join("sub/qx-copy.txt.json").exists());
    assert!(!out.join("novel.txt.json").exists() && !out.join("damaged.docx.json").exists());
    assert!(!out.join(".hidden.txt.json").exists() && !out.join("~$lock.docx.json").exists());
    let leftovers: Vec<_> = walk(&out)
        .into_iter()
        .filter(|p| !p.to_string_lossy().ends_with(".json"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    // Cross-year: the 2023 report got T3-XYEAR against 2022, in its JSON and its line.
    let qx: Value =
        serde_json::from_slice(&std::fs::read(out.join("qx-2023.txt.json")).unwrap()).unwrap();
    let xyear: Vec<&Value> = qx["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == "T3-XYEAR")
        .collect();
    assert_eq!(xyear.len(), 7, "one per applicant column");
    assert!(xyear[0]["previous"]
        .as_str()
        .unwrap()
        .ends_with("qx-2022.txt"));
    let q22: Value =
        serde_json::from_slice(&std::fs::read(out.join("qx-2022.txt.json")).unwrap()).unwrap();
    assert!(!q22["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == "T3-XYEAR"));

    // JSON Lines: one record per input; failures are {"source", "error"}.
    let lines = jsonl(&jl);
    assert_eq!(lines.len(), n_inputs);
    let ll = by_path(&lines, "/source/path");
    assert_eq!(ll["in/novel.txt"]["error"]["kind"], "not_a_report");
    assert_eq!(ll["in/qx-2023.txt"]["meta"]["agency"], "渠县经济和信息化局");
    assert!(ll["in/qx-2023.txt"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == "T3-XYEAR"));
    // Lines are in input order.
    let order: Vec<_> = m.iter().map(|r| r["path"].clone()).collect();
    let jorder: Vec<_> = lines.iter().map(|r| r["source"]["path"].clone()).collect();
    assert_eq!(order, jorder);

    // CSV: BOM, one header, one row per report, same width everywhere.
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with('\u{feff}'));
    let rows: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    let header: Vec<&str> = rows[0].split(',').collect();
    assert_eq!(
        &header[..6],
        [
            "source_path",
            "sha256",
            "format",
            "template",
            "agency",
            "report_year"
        ]
    );
    for p in [
        "/active_disclosure/regulations/in_force",
        "/active_disclosure/regulations/published_total",
        "/applications/new_received/total",
        "/applications/results/other/fee_unpaid/total",
        "/review_litigation/admin_review/total",
    ] {
        assert!(header.contains(&p), "{p} not in the header");
    }
    assert_eq!(
        rows.len(),
        1 + n_ok,
        "one row per report (duplicate included)"
    );
    for r in &rows[1..] {
        assert_eq!(r.split(',').count(), header.len(), "{r}");
    }
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let qx_row: Vec<&str> = rows
        .iter()
        .find(|r| r.contains("qx-2023.txt"))
        .unwrap()
        .split(',')
        .collect();
    assert_eq!(qx_row[col("agency")], "渠县经济和信息化局");
    assert_eq!(qx_row[col("report_year")], "2023");
    assert_eq!(qx_row[col("/applications/new_received/total")], "0");
    let r29: Vec<&str> = rows
        .iter()
        .find(|r| r.contains("029-txt-seed.txt"))
        .unwrap()
        .split(',')
        .collect();
    assert_eq!(r29[col("template")], "gov2019");
    assert_eq!(
        r29[col("/active_disclosure/regulations/in_force")],
        "",
        "2021-only column"
    );

    // --resume: nothing to do the second time.
    let before = std::fs::read(&jl).unwrap();
    let st = run(true);
    let stderr = String::from_utf8_lossy(&st.stderr);
    assert_eq!(
        st.status.code(),
        Some(1),
        "earlier failures still count: {stderr}"
    );
    assert!(
        stderr.contains(&format!("ok 0, failed 0, skipped {n_inputs} (already done")),
        "{stderr}"
    );
    assert_eq!(jsonl(&man).len(), n_inputs, "no new manifest lines");
    assert_eq!(std::fs::read(&jl).unwrap(), before, "JSON Lines untouched");

    // A changed file is redone, and its later year is re-checked.
    let text = std::fs::read_to_string(input.join("qx-2022.txt")).unwrap();
    std::fs::write(input.join("qx-2022.txt"), text + "\n").unwrap();
    let st = run(true);
    let stderr = String::from_utf8_lossy(&st.stderr);
    assert!(stderr.contains("ok 1, failed 0"), "{stderr}");
    let lines = jsonl(&jl);
    assert_eq!(lines.len(), n_inputs + 1);
    let xy = lines
        .iter()
        .filter(|l| {
            l["source"]["path"]
                .as_str()
                .unwrap()
                .ends_with("qx-2023.txt")
        })
        .flat_map(|l| l["checks"].as_array().unwrap().iter())
        .filter(|c| c["id"] == "T3-XYEAR")
        .count();
    assert_eq!(xy, 7, "cross-year checks replaced, not repeated");
}

#[test]
fn files_from_stdin_and_bad_arguments() {
    let Some(bin) = converter() else { return };
    let base = tempdir("list");
    let list = format!(
        "{}\n\n{}\n{}\n",
        sample("018-gbk.txt").display(),
        sample("029-txt-seed.txt").display(),
        base.join("missing.txt").display()
    );
    let mut child = Command::new(&bin)
        .arg("--files-from")
        .arg("-")
        .arg("--jsonl")
        .arg(base.join("x.jsonl"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(list.as_bytes())
            .unwrap();
    }
    let st = child.wait_with_output().unwrap();
    assert_eq!(st.status.code(), Some(1), "the missing file fails alone");
    let lines = jsonl(&base.join("x.jsonl"));
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["meta"]["report_year"], 2022);
    assert_eq!(lines[2]["error"]["kind"], "io");

    // Several inputs and no output; --resume without a manifest; help with examples.
    let st = Command::new(&bin)
        .arg(sample("018-gbk.txt"))
        .arg(sample("029-txt-seed.txt"))
        .output()
        .unwrap();
    assert_eq!(st.status.code(), Some(2));
    let st = Command::new(&bin)
        .args(["--resume", "-o"])
        .arg(&base)
        .arg(sample("018-gbk.txt"))
        .output()
        .unwrap();
    assert_eq!(st.status.code(), Some(2));
    let st = Command::new(&bin).arg("--help").output().unwrap();
    assert_eq!(st.status.code(), Some(0));
    let help = String::from_utf8_lossy(&st.stdout);
    assert!(
        help.contains("Examples:") && help.contains("--files-from"),
        "{help}"
    );
}

#[test]
fn library_streams_in_order_and_isolates_failures() {
    let dir = root().join("testdata/samples");
    let mut paths = Vec::new();
    for i in 0..30 {
        paths.push(dir.join(match i % 3 {
            0 => "qx-jxj-2023.txt",
            1 => "nope.txt",
            _ => "018-gbk.txt",
        }));
    }
    let got: Vec<_> = disclosure_report::convert_many(paths.clone()).collect();
    assert_eq!(got.len(), 30);
    for (i, (p, r)) in got.iter().enumerate() {
        assert_eq!(p, &paths[i]);
        assert_eq!(r.is_err(), i % 3 == 1);
    }
    let mut limits = disclosure_report::Limits::default();
    limits.max_input_bytes = 5000;
    let outs: Vec<_> =
        disclosure_report::Bulk::new(disclosure_report::Options::new().limits(limits))
            .threads(2)
            .window(3)
            .run(paths.iter().take(3).cloned().collect::<Vec<_>>())
            .collect();
    assert_eq!(
        outs[0].result.as_ref().unwrap_err().code(),
        "limit_exceeded"
    );
    assert_eq!(outs[1].result.as_ref().unwrap_err().code(), "io");
    assert!(outs[2].result.is_ok(), "018-gbk.txt is under 5000 bytes");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
