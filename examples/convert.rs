//! The converter: reports in, JSON out.
//!
//! ```text
//! cargo run --release --example convert                      # the bundled samples → target/samples-json/
//! cargo run --release --example convert -- report.docx       # one file → pretty JSON on stdout
//! cargo run --release --example convert -- -o out/ reports/  # files and folders → out/<tree>/<name>.json
//! ```
//!
//! Exit status: 0 when every file converted, 1 when some did not (the rest are still
//! written), 2 when the run could not start (bad arguments, unwritable output).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use disclosure_report::model::CheckStatus;
use disclosure_report::{Options, Report};

/// Converts 政府信息公开工作年度报告 (DOCX, XLSX, XLS, ODS, HTML, text) to JSON.
#[derive(Parser, Debug)]
#[command(
    version,
    about,
    after_help = "Examples:\n  convert                         convert the bundled samples into target/samples-json/\n  convert report.docx             print one report's JSON\n  convert -o out/ 2023/ 2024/     convert folders, mirroring them under out/"
)]
struct Args {
    /// Files or folders (searched recursively). None: the bundled samples.
    inputs: Vec<PathBuf>,
    /// Write one JSON file per input under this folder, mirroring the input tree.
    #[arg(short = 'o', long = "out")]
    out: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let opts = Options::new();
    if args.inputs.is_empty() {
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/samples");
        let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/samples-json");
        return run_many(&opts, &[samples], &out, true);
    }
    match (&args.out, args.inputs.as_slice()) {
        (None, [one]) if one.is_file() => match opts.parse_path(one) {
            Ok(report) => match serde_json::to_string_pretty(&report) {
                Ok(s) => {
                    println!("{s}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("convert: {}: {e}", one.display());
                    ExitCode::from(1)
                }
            },
            Err(e) => {
                eprintln!("convert: {e}");
                ExitCode::from(1)
            }
        },
        (None, _) => {
            eprintln!("convert: several inputs need -o DIR (see --help)");
            ExitCode::from(2)
        }
        (Some(out), inputs) => run_many(&opts, inputs, out, false),
    }
}

/// Converts every file under `inputs` into `out`, mirroring the tree.
fn run_many(opts: &Options, inputs: &[PathBuf], out: &Path, summary: bool) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("convert: cannot create {}: {e}", out.display());
        return ExitCode::from(2);
    }
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            collect(input, input, &mut files);
        } else if input.exists() {
            let rel = input.file_name().map(PathBuf::from).unwrap_or_default();
            files.push((input.clone(), rel));
        } else {
            eprintln!("convert: {}: no such file or folder", input.display());
            return ExitCode::from(2);
        }
    }
    files.sort();
    let (mut ok, mut failed) = (0usize, 0usize);
    for (path, rel) in &files {
        let mut name = rel.clone().into_os_string();
        name.push(".json");
        let target = out.join(name);
        match opts.parse_path(path) {
            Ok(report) => {
                if let Err(e) = write_json(&target, &report) {
                    eprintln!("convert: cannot write {}: {e}", target.display());
                    return ExitCode::from(2);
                }
                ok += 1;
                if summary {
                    println!("{}", summary_line(rel, &report));
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("convert: {e}");
            }
        }
    }
    eprintln!(
        "convert: {} file(s), {ok} converted, {failed} failed; JSON in {}",
        files.len(),
        out.display()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn summary_line(rel: &Path, r: &Report) -> String {
    let failed = r
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .count();
    let template = serde_json::to_value(r.template)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    format!(
        "{}: {template} {} {} — {} failed check(s)",
        rel.display(),
        r.meta.agency.as_deref().unwrap_or("(agency unknown)"),
        r.meta
            .report_year
            .map_or("(year unknown)".to_string(), |y| y.to_string()),
        failed
    )
}

/// Recursively lists files under `dir`, skipping hidden and lock files.
fn collect(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.is_file() {
            let rel = path
                .strip_prefix(root)
                .map(Path::to_path_buf)
                .unwrap_or_else(|_| path.clone());
            out.push((path, rel));
        }
    }
}

/// Writes JSON atomically: a temporary file in the same folder, then a rename.
fn write_json(target: &Path, report: &Report) -> std::io::Result<()> {
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = target.with_extension("json.tmp");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        serde_json::to_writer_pretty(&mut f, report)?;
        f.write_all(b"\n")?;
        f.flush()?;
    }
    std::fs::rename(&tmp, target)
}
