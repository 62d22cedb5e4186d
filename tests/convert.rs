//! The example converter, run as a user runs it.

mod common;

use std::process::Command;

use common::{converter, root, tempdir};

#[test]
fn folder_in_mirrored_json_out_and_exit_status() {
    let Some(bin) = converter() else { return };
    let input = tempdir("in");
    let out = tempdir("out");
    std::fs::create_dir_all(input.join("2023")).unwrap();
    std::fs::copy(
        root().join("testdata/samples/qx-jxj-2023.txt"),
        input.join("2023/qx.txt"),
    )
    .unwrap();
    std::fs::copy(
        root().join("testdata/samples/029-txt-seed.txt"),
        input.join("029.txt"),
    )
    .unwrap();
    std::fs::write(
        input.join("novel.txt"),
        "从前有座山，山里有座庙。".repeat(20),
    )
    .unwrap();
    std::fs::write(input.join(".hidden.txt"), "x").unwrap();
    std::fs::write(input.join("~$lock.docx"), "x").unwrap();
    let st = Command::new(&bin)
        .arg("-o")
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(st.status.code(), Some(1), "one input is not a report");
    let stderr = String::from_utf8_lossy(&st.stderr);
    assert!(
        stderr.contains("novel.txt") && stderr.contains("not a disclosure report"),
        "{stderr}"
    );
    let qx: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("2023/qx.txt.json")).unwrap()).unwrap();
    assert_eq!(qx["meta"]["agency"], "渠县经济和信息化局");
    assert!(out.join("029.txt.json").exists());
    assert!(!out.join("novel.txt.json").exists());
    assert!(!out.join(".hidden.txt.json").exists() && !out.join("~$lock.docx.json").exists());

    // All good → 0.
    std::fs::remove_file(input.join("novel.txt")).unwrap();
    let st = Command::new(&bin)
        .arg("-o")
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(st.status.code(), Some(0));
}

#[test]
fn one_file_to_stdout_and_bad_arguments() {
    let Some(bin) = converter() else { return };
    let st = Command::new(&bin)
        .arg(root().join("testdata/samples/018-gbk.txt"))
        .output()
        .unwrap();
    assert_eq!(st.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&st.stdout).unwrap();
    assert_eq!(v["source"]["encoding"], "gb18030");
    assert_eq!(v["meta"]["report_year"], 2022);
    let st = Command::new(&bin).arg("--no-such-flag").output().unwrap();
    assert_eq!(st.status.code(), Some(2));
    let st = Command::new(&bin)
        .arg("/no/such/file.docx")
        .arg("-o")
        .arg(tempdir("x"))
        .output()
        .unwrap();
    assert_eq!(st.status.code(), Some(2));
}

#[test]
fn no_arguments_converts_the_bundled_samples() {
    let Some(bin) = converter() else { return };
    let st = Command::new(&bin).output().unwrap();
    assert_eq!(
        st.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let stdout = String::from_utf8_lossy(&st.stdout);
    assert!(
        stdout.contains("qx-jxj-2023.txt: gov2021 渠县经济和信息化局 2023 — 0 failed check(s)"),
        "{stdout}"
    );
    assert!(stdout.contains("029-txt-seed.txt: gov2019"), "{stdout}");
    assert!(root()
        .join("target/samples-json/qx-jxj-2023.txt.json")
        .exists());
}

#[test]
fn limits_are_set_from_the_command_line() {
    let Some(bin) = converter() else { return };
    let out = tempdir("limits");
    let st = Command::new(&bin)
        .arg("--max-input-mb")
        .arg("0")
        .arg("--timeout")
        .arg("0")
        .arg("-o")
        .arg(&out)
        .arg(root().join("testdata/samples/qx-jxj-2023.txt"))
        .output()
        .unwrap();
    assert_eq!(st.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&st.stderr);
    assert!(stderr.contains("limit exceeded: input size"), "{stderr}");
    let st = Command::new(&bin)
        .arg("--max-table-cells")
        .arg("50")
        .arg(root().join("testdata/samples/qx-jxj-2023.txt"))
        .output()
        .unwrap();
    assert_eq!(st.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&st.stderr).contains("table cells"));
}
