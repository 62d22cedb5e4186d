//! The converter: reports in, JSON out.
//!
//! ```text
//! cargo run --release --example convert                      # the bundled samples → target/samples-json/
//! cargo run --release --example convert -- report.docx       # one file → pretty JSON on stdout
//! cargo run --release --example convert -- -o out/ reports/  # files and folders → out/<tree>/<name>.json
//! cargo run --release --example convert -- --jsonl all.jsonl --csv all.csv --manifest m.jsonl --resume reports/
//! ```
//!
//! Exit status: 0 when every file converted, 1 when some did not (the rest are still
//! written), 2 when the run could not start (bad arguments, unwritable output).
//!
//! The work is the library's ([`disclosure_report::Bulk`]: parallel, bounded, in input
//! order); this file parses arguments, plans the run (expand folders, resume, duplicates),
//! writes the outputs and tells people how it went on stderr.

use std::collections::{BTreeMap, HashMap};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufWriter, IsTerminal, Read, Seek, Write};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use disclosure_report::{json, Bulk, FigureColumns, Limits, Options, Report};
use serde_json::{json, Value};

const EXAMPLES: &str = "\
Examples:
  convert                                    convert the bundled samples into target/samples-json/
  convert report.docx                        print one report's JSON on stdout
  convert -o out/ 2023/ 2024/                convert folders (recursively), mirroring them under out/
  convert --jsonl all.jsonl --csv all.csv reports/
                                             one JSON Lines file and one spreadsheet (UTF-8 with BOM)
  find . -name '*.docx' | convert --files-from - -o out/
                                             take the list of files from stdin
  convert -o out/ --manifest m.jsonl --resume reports/
                                             run again after an interruption: files already done
                                             (same SHA-256) are skipped

Hidden files and Office lock files (~$*.docx) in folders are skipped. Identical files are
parsed once. When the inputs hold consecutive years of one agency, the later report gets
the cross-year checks (T3-XYEAR …). Exit status: 0 all converted, 1 some failed (the others
are written), 2 bad arguments or unwritable output.";

/// Converts 政府信息公开工作年度报告 (DOCX, XLSX, XLS, ODS, HTML, text) to JSON.
#[derive(Parser, Debug)]
#[command(version, about, after_help = EXAMPLES)]
struct Args {
    /// Files or folders (searched recursively). None (and no --files-from): the bundled samples.
    inputs: Vec<PathBuf>,
    /// Read more input paths, one per line, from LIST (`-` for stdin).
    #[arg(long = "files-from", value_name = "LIST")]
    files_from: Option<PathBuf>,
    /// Write one JSON file per input under DIR, mirroring the input tree (`<name>.json`).
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    out: Option<PathBuf>,
    /// Write every report (and every failure, as {"source", "error"}) as one line of FILE.
    #[arg(long, value_name = "FILE")]
    jsonl: Option<PathBuf>,
    /// Write a flat table: one row per report, one column per figure (JSON Pointer).
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Record every input (path, sha256, size, format, status, time …) as JSON Lines in FILE.
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// Skip inputs the manifest records as done with the same SHA-256; append to the outputs.
    #[arg(long, requires = "manifest")]
    resume: bool,
    /// Number of parallel jobs (default: the number of CPUs).
    #[arg(short = 'j', long, value_name = "N")]
    jobs: Option<usize>,
    /// Largest input file, in MiB (default 64).
    #[arg(long, value_name = "MIB")]
    max_input_mb: Option<u64>,
    /// Largest total of decompressed zip parts per file, in MiB (default 256).
    #[arg(long, value_name = "MIB")]
    max_decompressed_mb: Option<u64>,
    /// Most grid positions in one table or sheet (default 1000000).
    #[arg(long, value_name = "N")]
    max_table_cells: Option<usize>,
    /// Longest time one file may take, in seconds; 0 for no limit (default 30).
    #[arg(long, value_name = "SECS")]
    timeout: Option<u64>,
}

/// The library options the flags ask for.
fn options(args: &Args) -> Options {
    let mut limits = Limits::default();
    if let Some(mb) = args.max_input_mb {
        limits.max_input_bytes = mb.saturating_mul(1 << 20);
    }
    if let Some(mb) = args.max_decompressed_mb {
        limits.max_decompressed_bytes = mb.saturating_mul(1 << 20);
        limits.max_entry_bytes = limits.max_entry_bytes.min(limits.max_decompressed_bytes);
    }
    if let Some(n) = args.max_table_cells {
        limits.max_table_cells = n;
    }
    if let Some(t) = args.timeout {
        limits.max_time = (t > 0).then(|| std::time::Duration::from_secs(t));
    }
    Options::new().limits(limits)
}

/// One input file, and where its JSON goes relative to `-o`.
struct Input {
    path: PathBuf,
    rel: PathBuf,
}

/// The run, planned from the arguments (step two of argument handling).
struct Plan {
    inputs: Vec<Input>,
    options: Options,
    out: Option<PathBuf>,
    jsonl: Option<PathBuf>,
    csv: Option<PathBuf>,
    manifest: Option<PathBuf>,
    resume: bool,
    jobs: usize,
    /// Print `<name>: <template> <agency> <year> — N failed check(s)` per file on stdout.
    summary_lines: bool,
}

enum Mode {
    /// One file, its JSON on stdout.
    Single(PathBuf, Options),
    Many(Plan),
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
    let mode = match plan(args) {
        Ok(m) => m,
        Err(msg) => {
            eprintln!("convert: {msg}");
            return ExitCode::from(2);
        }
    };
    match mode {
        Mode::Single(path, opts) => single(&path, &opts),
        Mode::Many(plan) => match run(&plan) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(msg) => {
                eprintln!("convert: {msg}");
                ExitCode::from(2)
            }
        },
    }
}

fn plan(args: Args) -> Result<Mode, String> {
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    if args.inputs.is_empty() && args.files_from.is_none() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let samples = root.join("testdata/samples");
        let mut inputs = Vec::new();
        walk(&samples, &samples, &mut inputs);
        let options = options(&args);
        return Ok(Mode::Many(Plan {
            inputs,
            options,
            out: Some(args.out.unwrap_or_else(|| root.join("target/samples-json"))),
            jsonl: args.jsonl,
            csv: args.csv,
            manifest: args.manifest,
            resume: args.resume,
            jobs,
            summary_lines: true,
        }));
    }
    let no_output = args.out.is_none() && args.jsonl.is_none() && args.csv.is_none();
    if no_output && args.files_from.is_none() && args.manifest.is_none() {
        if let [one] = args.inputs.as_slice() {
            if one.is_file() {
                return Ok(Mode::Single(one.clone(), options(&args)));
            }
        }
    }
    if no_output && args.manifest.is_none() {
        return Err(
            "several inputs need -o DIR, --jsonl FILE, --csv FILE or --manifest FILE (see --help)"
                .into(),
        );
    }
    let mut inputs = Vec::new();
    for input in &args.inputs {
        if input.is_dir() {
            walk(input, input, &mut inputs);
        } else if input.exists() {
            let rel = input.file_name().map(PathBuf::from).unwrap_or_default();
            inputs.push(Input {
                path: input.clone(),
                rel,
            });
        } else {
            return Err(format!("{}: no such file or folder", input.display()));
        }
    }
    if let Some(list) = &args.files_from {
        let text = if list.as_os_str() == "-" {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| format!("cannot read the list from stdin: {e}"))?;
            s
        } else {
            std::fs::read_to_string(list)
                .map_err(|e| format!("cannot read the list {}: {e}", list.display()))?
        };
        for line in text.lines() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() {
                continue;
            }
            let path = PathBuf::from(line);
            if path.is_dir() {
                walk(&path, &path, &mut inputs);
            } else if !skipped_name(&path) {
                // A listed file that does not exist is that file's error, not the run's.
                let rel = path
                    .components()
                    .filter(|c| matches!(c, Component::Normal(_)))
                    .collect();
                inputs.push(Input { path, rel });
            }
        }
    }
    let options = options(&args);
    Ok(Mode::Many(Plan {
        inputs,
        options,
        out: args.out,
        jsonl: args.jsonl,
        csv: args.csv,
        manifest: args.manifest,
        resume: args.resume,
        jobs,
        summary_lines: false,
    }))
}

fn skipped_name(path: &Path) -> bool {
    path.file_name()
        .map(|n| n.to_string_lossy())
        .is_some_and(|n| n.starts_with('.') || n.starts_with("~$"))
}

/// Lists the files under `dir` recursively, sorted, skipping hidden and lock files.
fn walk(root: &Path, dir: &Path, out: &mut Vec<Input>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if skipped_name(&path) {
            continue;
        }
        if path.is_dir() {
            walk(root, &path, out);
        } else if path.is_file() {
            let rel = path
                .strip_prefix(root)
                .map(Path::to_path_buf)
                .unwrap_or_else(|_| path.clone());
            out.push(Input { path, rel });
        }
    }
}

fn single(path: &Path, opts: &Options) -> ExitCode {
    match opts.parse_path(path) {
        Ok(report) => match json::to_vec_pretty(&report) {
            Ok(s) => {
                let mut out = std::io::stdout().lock();
                // A closed pipe (`| head`) is not an error.
                let _ = out.write_all(&s).and_then(|_| writeln!(out));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("convert: {}: {e}", path.display());
                ExitCode::from(1)
            }
        },
        Err(e) => {
            eprintln!("convert: {e}");
            ExitCode::from(1)
        }
    }
}

/// What the manifest of an earlier run says about one path.
struct Earlier {
    sha256: String,
    status: String,
    agency: Option<String>,
    year: Option<i64>,
    output: Option<PathBuf>,
}

/// A converted file, or why not, as the writers need it.
struct Done {
    size: Option<u64>,
    sha256: Option<String>,
    format: Option<String>,
    elapsed: Duration,
    result: Result<Report, (String, String)>,
    duplicate_of: Option<usize>,
    /// The report's outputs, serialised by the worker (none for a duplicate).
    rendered: Rendered,
}

/// A report's outputs as bytes, made on the worker that converted it so that the main
/// thread only writes. `None` where the output is not asked for (or, should serialising
/// fail, so that the writer does it again and reports the error).
#[derive(Default)]
struct Rendered {
    /// The pretty JSON of `-o`, final newline included.
    pretty: Option<Vec<u8>>,
    /// The line of `--jsonl`, newline included.
    line: Option<Vec<u8>>,
    /// The row of `--csv`.
    csv: Option<String>,
}

/// What the outputs asked for need of each report.
#[derive(Clone)]
struct Wanted {
    pretty: bool,
    line: bool,
    csv: Option<std::sync::Arc<FigureColumns>>,
}

impl Wanted {
    fn of(plan: &Plan) -> Self {
        Wanted {
            pretty: plan.out.is_some(),
            line: plan.jsonl.is_some(),
            csv: plan
                .csv
                .is_some()
                .then(|| std::sync::Arc::new(FigureColumns::new())),
        }
    }

    fn render(&self, report: &Report) -> Rendered {
        Rendered {
            pretty: self.pretty.then(|| pretty_json(report).ok()).flatten(),
            line: self
                .line
                .then(|| {
                    json::to_vec(report).ok().map(|mut v| {
                        v.push(b'\n');
                        v
                    })
                })
                .flatten(),
            csv: self
                .csv
                .as_ref()
                .map(|c| disclosure_report::csv_line(c.row(report))),
        }
    }
}

/// An ok report of the run, for the cross-year pass.
struct YearEntry {
    path: PathBuf,
    json_out: Option<PathBuf>,
    fresh: bool,
}

#[derive(Default)]
struct Tally {
    ok: usize,
    duplicates: usize,
    skipped: usize,
    skipped_failed: usize,
    errors: BTreeMap<String, usize>,
    failed_checks: usize,
}

impl Tally {
    fn failed(&self) -> usize {
        self.errors.values().sum()
    }
}

/// Progress and messages on stderr: a bar on a terminal, plain periodic lines otherwise.
struct Console {
    bar: Option<indicatif::ProgressBar>,
    total: usize,
    last: Instant,
}

impl Console {
    fn new(total: usize) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} {msg} [{elapsed_precise}, {per_sec}, eta {eta}]",
            ) {
                b.set_style(style);
            }
            b
        });
        Console {
            bar,
            total,
            last: Instant::now(),
        }
    }

    fn err(&self, line: &str) {
        match &self.bar {
            Some(b) => b.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    fn out(&self, line: &str) {
        let print = || {
            let _ = writeln!(std::io::stdout().lock(), "{line}");
        };
        match &self.bar {
            Some(b) => b.suspend(print),
            None => print(),
        }
    }

    fn tick(&mut self, done: usize, t: &Tally) {
        let ok = t.ok;
        let failed = t.failed() + t.skipped_failed;
        match &self.bar {
            Some(b) => {
                b.set_position(done as u64);
                b.set_message(format!("ok {ok} failed {failed}"));
            }
            None => {
                if self.last.elapsed() >= Duration::from_secs(2) && done < self.total {
                    self.last = Instant::now();
                    eprintln!("[{done}/{}] ok {ok} failed {failed}", self.total);
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// Append-or-create for a line-oriented output; on resume, cut a partial last line left
/// by an interrupted run. Returns the writer and whether the file is empty.
fn open_lines(path: &Path, append: bool) -> Result<(BufWriter<File>, bool), String> {
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    if !append {
        let f = File::create(path).map_err(fail)?;
        return Ok((BufWriter::new(f), true));
    }
    let mut f = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(fail)?;
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes).map_err(fail)?;
    let keep = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    if keep < bytes.len() {
        f.set_len(keep as u64).map_err(fail)?;
    }
    f.seek(std::io::SeekFrom::Start(keep as u64))
        .map_err(fail)?;
    Ok((BufWriter::new(f), keep == 0))
}

fn read_manifest(path: &Path) -> HashMap<String, Earlier> {
    let mut map = HashMap::new();
    let Ok(f) = File::open(path) else {
        return map;
    };
    for line in std::io::BufReader::new(f).lines().map_while(Result::ok) {
        let Ok(v) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        let (Some(p), Some(sha), Some(status)) = (
            v["path"].as_str(),
            v["sha256"].as_str(),
            v["status"].as_str(),
        ) else {
            continue;
        };
        map.insert(
            p.to_string(),
            Earlier {
                sha256: sha.to_string(),
                status: status.to_string(),
                agency: v["agency"].as_str().map(str::to_string),
                year: v["report_year"].as_i64(),
                output: v["output"].as_str().map(PathBuf::from),
            },
        );
    }
    map
}

/// Writes `bytes` to `target` atomically: a temporary file beside it, then a rename.
fn write_atomic(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut tmp_name = target.as_os_str().to_owned();
    tmp_name.push(format!(".tmp{}", std::process::id()));
    let tmp = PathBuf::from(tmp_name);
    let result = (|| {
        let mut f = BufWriter::new(File::create(&tmp)?);
        write(&mut f)?;
        f.flush()
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, target)
}

fn write_json(target: &Path, report: &Report) -> std::io::Result<()> {
    let bytes = pretty_json(report)?;
    write_bytes(target, &bytes)
}

/// The pretty JSON of a report as the `-o` files hold it, final newline included.
fn pretty_json(report: &Report) -> std::io::Result<Vec<u8>> {
    let mut v = json::to_vec_pretty(report)?;
    v.push(b'\n');
    Ok(v)
}

fn write_bytes(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic(target, |w| w.write_all(bytes))
}

fn template_name(r: &Report) -> String {
    serde_json::to_value(r.template)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn summary_line(rel: &Path, r: &Report) -> String {
    format!(
        "{}: {} {} {} — {} failed check(s)",
        rel.display(),
        template_name(r),
        r.meta.agency.as_deref().unwrap_or("(agency unknown)"),
        r.meta
            .report_year
            .map_or("(year unknown)".to_string(), |y| y.to_string()),
        disclosure_report::failed_checks(r)
    )
}

/// The writers of one run.
struct Sinks {
    out: Option<PathBuf>,
    jsonl: Option<BufWriter<File>>,
    csv: Option<BufWriter<File>>,
    manifest: Option<BufWriter<File>>,
    columns: FigureColumns,
}

impl Sinks {
    fn open(plan: &Plan) -> Result<Sinks, String> {
        if let Some(out) = &plan.out {
            std::fs::create_dir_all(out)
                .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
        }
        let columns = FigureColumns::new();
        let jsonl = match &plan.jsonl {
            Some(p) => Some(open_lines(p, plan.resume)?.0),
            None => None,
        };
        let csv = match &plan.csv {
            Some(p) => {
                let (mut w, empty) = open_lines(p, plan.resume)?;
                if empty {
                    // The BOM tells Excel the file is UTF-8.
                    w.write_all("\u{feff}".as_bytes())
                        .and_then(|_| {
                            w.write_all(disclosure_report::csv_line(columns.header()).as_bytes())
                        })
                        .map_err(|e| format!("cannot write {}: {e}", p.display()))?;
                }
                Some(w)
            }
            None => None,
        };
        let manifest = match &plan.manifest {
            Some(p) => Some(open_lines(p, plan.resume)?.0),
            None => None,
        };
        Ok(Sinks {
            out: plan.out.clone(),
            jsonl,
            csv,
            manifest,
            columns,
        })
    }

    fn json_target(&self, rel: &Path) -> Option<PathBuf> {
        let mut name = rel.as_os_str().to_owned();
        name.push(".json");
        self.out.as_ref().map(|o| o.join(name))
    }

    /// Writes everything about one input; an error here stops the run (exit 2).
    fn write(&mut self, input: &Input, done: &Done, dup_path: Option<&Path>) -> Result<(), String> {
        let target = self.json_target(&input.rel);
        let path_str = input.path.to_string_lossy().to_string();
        match &done.result {
            Ok(report) => {
                let r = &done.rendered;
                if let Some(t) = &target {
                    match &r.pretty {
                        Some(bytes) => write_bytes(t, bytes),
                        None => write_json(t, report),
                    }
                    .map_err(|e| format!("cannot write {}: {e}", t.display()))?;
                }
                if let Some(w) = &mut self.jsonl {
                    match &r.line {
                        Some(line) => w.write_all(line),
                        None => json::to_vec(report)
                            .map_err(std::io::Error::from)
                            .and_then(|v| w.write_all(&v))
                            .and_then(|_| w.write_all(b"\n")),
                    }
                    .and_then(|_| w.flush())
                    .map_err(|e| format!("cannot write the JSON Lines: {e}"))?;
                }
                if let Some(w) = &mut self.csv {
                    let made;
                    let line = match &r.csv {
                        Some(line) => line,
                        None => {
                            made = disclosure_report::csv_line(self.columns.row(report));
                            &made
                        }
                    };
                    w.write_all(line.as_bytes())
                        .and_then(|_| w.flush())
                        .map_err(|e| format!("cannot write the CSV: {e}"))?;
                }
            }
            Err((code, message)) => {
                if let Some(w) = &mut self.jsonl {
                    let rec = json!({
                        "source": {"path": path_str, "format": done.format, "sha256": done.sha256},
                        "error": {"kind": code, "message": message},
                    });
                    writeln!(w, "{rec}")
                        .and_then(|_| w.flush())
                        .map_err(|e| format!("cannot write the JSON Lines: {e}"))?;
                }
            }
        }
        if let Some(w) = &mut self.manifest {
            let (template, agency, year, encoding, failed) = match &done.result {
                Ok(r) => (
                    Some(template_name(r)),
                    r.meta.agency.clone(),
                    r.meta.report_year,
                    r.source.encoding.clone(),
                    disclosure_report::failed_checks(r),
                ),
                Err(_) => (None, None, None, None, 0),
            };
            let (status, error) = match &done.result {
                Ok(_) => ("ok".to_string(), None),
                Err((code, msg)) => (code.clone(), Some(msg.clone())),
            };
            let rec = json!({
                "path": path_str,
                "sha256": done.sha256,
                "size": done.size,
                "format": done.format,
                "encoding": encoding,
                "template": template,
                "agency": agency,
                "report_year": year,
                "status": status,
                "error": error,
                "duplicate_of": dup_path.map(|p| p.to_string_lossy().to_string()),
                "failed_checks": failed,
                "ms": (done.elapsed.as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0,
                "output": if done.result.is_ok() { target.map(|t| t.to_string_lossy().to_string()) } else { None },
            });
            writeln!(w, "{rec}")
                .and_then(|_| w.flush())
                .map_err(|e| format!("cannot write the manifest: {e}"))?;
        }
        Ok(())
    }
}

/// Converts every input; `Ok(true)` when every one converted.
fn run(plan: &Plan) -> Result<bool, String> {
    let start = Instant::now();
    let opts = plan.options.clone();
    let max = opts.get_limits().max_input_bytes;
    let mut sinks = Sinks::open(plan)?;
    let earlier = match (&plan.manifest, plan.resume) {
        (Some(m), true) => read_manifest(m),
        _ => HashMap::new(),
    };

    // Fingerprints decide what is skipped (resume) and what is a duplicate, before parsing.
    let paths: Vec<PathBuf> = plan.inputs.iter().map(|i| i.path.clone()).collect();
    let prints = disclosure_report::fingerprints(&paths, max, plan.jobs);
    let mut skip: Vec<Option<&Earlier>> = vec![None; paths.len()];
    let mut dup_of: Vec<Option<usize>> = vec![None; paths.len()];
    let mut dups_left: HashMap<usize, usize> = HashMap::new();
    let mut first_by_sha: HashMap<&str, usize> = HashMap::new();
    let mut to_parse = Vec::new();
    for (i, fp) in prints.iter().enumerate() {
        if let Ok((_, sha)) = fp {
            let key = paths[i].to_string_lossy();
            if let Some(e) = earlier.get(key.as_ref()) {
                if &e.sha256 == sha && e.status != "io" {
                    skip[i] = Some(e);
                    continue;
                }
            }
            if let Some(&first) = first_by_sha.get(sha.as_str()) {
                dup_of[i] = Some(first);
                *dups_left.entry(first).or_default() += 1;
                continue;
            }
            first_by_sha.insert(sha, i);
        }
        // The fingerprint goes along, so that the worker does not hash the file again.
        to_parse.push((paths[i].clone(), fp.as_ref().ok().cloned()));
    }

    let bulk = Bulk::new(opts.clone()).threads(plan.jobs);
    // Workers serialise each report as well: the main thread only writes.
    let wanted = Wanted::of(plan);
    let mut parsed = bulk.run_with(to_parse, move |o| match &o.result {
        Ok(report) => wanted.render(report),
        Err(_) => Rendered::default(),
    });
    let mut kept: HashMap<usize, Done> = HashMap::new();
    let mut years: BTreeMap<String, BTreeMap<i32, Vec<YearEntry>>> = BTreeMap::new();
    let mut tally = Tally::default();
    let mut console = Console::new(plan.inputs.len());

    for (i, input) in plan.inputs.iter().enumerate() {
        if let Some(e) = skip[i] {
            tally.skipped += 1;
            if e.status != "ok" {
                tally.skipped_failed += 1;
            } else if let (Some(agency), Some(year)) = (&e.agency, e.year) {
                years
                    .entry(agency.clone())
                    .or_default()
                    .entry(year as i32)
                    .or_default()
                    .push(YearEntry {
                        path: input.path.clone(),
                        json_out: e.output.clone(),
                        fresh: false,
                    });
            }
            console.tick(i + 1, &tally);
            continue;
        }
        let done = match dup_of[i] {
            Some(first) => {
                let Some(orig) = kept.get(&first) else {
                    return Err(format!(
                        "internal: lost the result of {}",
                        paths[first].display()
                    ));
                };
                let result = match &orig.result {
                    Ok(r) => {
                        let mut r = r.clone();
                        r.source.path = Some(input.path.to_string_lossy().to_string());
                        Ok(r)
                    }
                    Err(e) => Err(e.clone()),
                };
                let done = Done {
                    size: orig.size,
                    sha256: orig.sha256.clone(),
                    format: orig.format.clone(),
                    elapsed: Duration::ZERO,
                    result,
                    duplicate_of: Some(first),
                    rendered: Rendered::default(),
                };
                if let Some(n) = dups_left.get_mut(&first) {
                    *n -= 1;
                    if *n == 0 {
                        kept.remove(&first);
                        dups_left.remove(&first);
                    }
                }
                done
            }
            None => {
                let Some((o, rendered)) = parsed.next() else {
                    return Err(format!("internal: no result for {}", input.path.display()));
                };
                let format = o
                    .format
                    .and_then(|f| serde_json::to_value(f).ok())
                    .and_then(|v| v.as_str().map(str::to_string));
                Done {
                    size: o.size,
                    sha256: o.sha256,
                    format,
                    elapsed: o.elapsed,
                    result: o.result.map_err(|e| (e.code().to_string(), e.to_string())),
                    duplicate_of: None,
                    rendered,
                }
            }
        };
        let dup_path = done.duplicate_of.map(|f| paths[f].as_path());
        sinks.write(input, &done, dup_path)?;
        match &done.result {
            Ok(r) => {
                tally.ok += 1;
                tally.failed_checks += disclosure_report::failed_checks(r);
                if done.duplicate_of.is_some() {
                    tally.duplicates += 1;
                }
                if plan.summary_lines {
                    console.out(&summary_line(&input.rel, r));
                }
                if let (Some(agency), Some(year)) = (&r.meta.agency, r.meta.report_year) {
                    years
                        .entry(agency.clone())
                        .or_default()
                        .entry(year)
                        .or_default()
                        .push(YearEntry {
                            path: input.path.clone(),
                            json_out: sinks.json_target(&input.rel),
                            fresh: true,
                        });
                }
            }
            Err((code, message)) => {
                *tally.errors.entry(code.clone()).or_default() += 1;
                if done.duplicate_of.is_some() {
                    tally.duplicates += 1;
                }
                console.err(&format!("convert: {message}"));
            }
        }
        if dups_left.contains_key(&i) {
            // The duplicates change `source.path`: they are serialised anew.
            let mut done = done;
            done.rendered = Rendered::default();
            kept.insert(i, done);
        }
        console.tick(i + 1, &tally);
    }
    drop(parsed);
    console.finish();
    drop(sinks);

    let xyear_failed = cross_years(plan, &bulk, &years, &console)?;
    tally.failed_checks += xyear_failed;

    let secs = start.elapsed().as_secs_f64();
    let converted = plan.inputs.len() - tally.skipped;
    let kinds = if tally.errors.is_empty() {
        String::new()
    } else {
        let k: Vec<String> = tally
            .errors
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        format!(" ({})", k.join(", "))
    };
    eprintln!(
        "convert: {} file(s): ok {}{}, failed {}{kinds}{}; {} failed check(s); {:.1} s, {:.1} files/s{}",
        plan.inputs.len(),
        tally.ok,
        if tally.duplicates > 0 {
            format!(" ({} duplicate(s))", tally.duplicates)
        } else {
            String::new()
        },
        tally.failed(),
        match (tally.skipped, tally.skipped_failed) {
            (0, _) => String::new(),
            (n, 0) => format!(", skipped {n} (already done)"),
            (n, f) => format!(", skipped {n} (already done, {f} of them failed)"),
        },
        tally.failed_checks,
        secs,
        if secs > 0.0 { converted as f64 / secs } else { 0.0 },
        plan.out
            .as_ref()
            .map(|o| format!("; JSON in {}", o.display()))
            .unwrap_or_default(),
    );
    Ok(tally.failed() == 0 && tally.skipped_failed == 0)
}

/// Adds `across_years` checks to the later year of every agency with consecutive years,
/// where either year was converted in this run; rewrites its JSON, and its lines in the
/// JSON Lines and CSV outputs. Returns the number of cross-year checks that failed.
fn cross_years(
    plan: &Plan,
    bulk: &Bulk,
    years: &BTreeMap<String, BTreeMap<i32, Vec<YearEntry>>>,
    console: &Console,
) -> Result<usize, String> {
    // (prev, cur) pairs, the previous year's first report against each of the later's.
    let mut order: Vec<(bool, &YearEntry)> = Vec::new();
    for by_year in years.values() {
        for (year, curs) in by_year {
            let Some(prevs) = by_year.get(&(year - 1)) else {
                continue;
            };
            let Some(prev) = prevs.first() else { continue };
            let curs: Vec<&YearEntry> = curs.iter().filter(|c| c.fresh || prev.fresh).collect();
            if curs.is_empty() {
                continue;
            }
            order.push((true, prev));
            order.extend(curs.into_iter().map(|c| (false, c)));
        }
    }
    if order.is_empty() {
        return Ok(0);
    }
    let mut failed = 0;
    let mut patches: HashMap<String, Report> = HashMap::new();
    let mut prev: Option<Report> = None;
    let outcomes = bulk.run(
        order
            .iter()
            .map(|(_, e)| e.path.clone())
            .collect::<Vec<_>>(),
    );
    for ((is_prev, entry), o) in order.iter().zip(outcomes) {
        let report = match o.result {
            Ok(r) => r,
            Err(e) => {
                console.err(&format!("convert: cross-year checks: {e}"));
                if *is_prev {
                    prev = None;
                }
                continue;
            }
        };
        if *is_prev {
            prev = Some(report);
            continue;
        }
        let Some(p) = &prev else { continue };
        let mut cur = report;
        cur.checks.retain(|c| c.previous.is_none());
        let added = disclosure_report::check::across_years(p, &cur);
        failed += added
            .iter()
            .filter(|c| c.status == disclosure_report::model::CheckStatus::Fail)
            .count();
        cur.checks.extend(added);
        if let Some(t) = &entry.json_out {
            if plan.out.is_some() {
                write_json(t, &cur).map_err(|e| format!("cannot write {}: {e}", t.display()))?;
            }
        }
        patches.insert(entry.path.to_string_lossy().to_string(), cur);
    }
    if let Some(p) = &plan.jsonl {
        patch_lines(p, |line| {
            #[derive(serde::Deserialize)]
            struct Key {
                source: KeySource,
            }
            #[derive(serde::Deserialize)]
            struct KeySource {
                path: Option<String>,
            }
            let key: Key = serde_json::from_str(line).ok()?;
            let r = patches.get(key.source.path.as_deref()?)?;
            serde_json::to_string(r).ok().map(|s| s + "\n")
        })?;
    }
    if let Some(p) = &plan.csv {
        let columns = FigureColumns::new();
        patch_lines(p, |line| {
            let key = disclosure_report::csv_first_field(line.trim_start_matches('\u{feff}'));
            let r = patches.get(&key)?;
            Some(disclosure_report::csv_line(columns.row(r)))
        })?;
    }
    Ok(failed)
}

/// Rewrites a line-oriented file atomically, replacing the lines `patch` answers for.
fn patch_lines(path: &Path, patch: impl Fn(&str) -> Option<String>) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("cannot rewrite {}: {e}", path.display());
    let f = File::open(path).map_err(fail)?;
    let mut reader = std::io::BufReader::new(f);
    write_atomic(path, |w| {
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            match patch(&line) {
                Some(new) => w.write_all(new.as_bytes())?,
                None => w.write_all(line.as_bytes())?,
            }
        }
    })
    .map_err(fail)
}
