//! Many files at once: parallel, bounded, in input order, one file's failure its own.
//!
//! [`convert_many`] is the short form; [`Bulk`] sets the options, the number of threads
//! and the window, and yields an [`Outcome`] per input (size, SHA-256, format, time taken
//! and the result).
//!
//! How it works: at most `window` files are in flight at once (being parsed by a rayon
//! pool, or parsed and waiting for an earlier file to finish); results are handed out in
//! input order. Memory is therefore bounded by the window, not by the number of inputs.
//! Each file is read under [`Limits::max_input_bytes`](crate::Limits), parsed under the
//! other limits, and inside [`catch_unwind`](std::panic::catch_unwind): an error, a limit
//! or even a panic in a reader becomes that file's `Err` and nothing else.
//!
//! Without the `parallel` feature the same API works sequentially.
//!
//! [`FigureColumns`] flattens reports into one spreadsheet row each (all templates share
//! one header), for CSV output.

#[cfg(feature = "parallel")]
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::model::{ActiveDisclosure, Applications, DocRow, ItemRow, Procurement};
use crate::model::{CheckStatus, ReviewLitigation};
use crate::read::Format;
use crate::{sha256_hex, Options, Report};

/// Converts `paths` in parallel with default [`Options`], yielding
/// `(path, result)` in input order.
///
/// At most a small window of files (a few per thread) is held at once, so any number of
/// inputs can be streamed. A file that fails (unreadable, damaged, over a limit, not a
/// report, even a reader panic) yields its own `Err` and the others go on.
///
/// ```
/// use std::path::PathBuf;
/// let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/samples"));
/// let paths = vec![dir.join("qx-jxj-2023.txt"), dir.join("no-such-file.txt"), dir.join("018-gbk.txt")];
/// let results: Vec<_> = disclosure_report::convert_many(paths.clone()).collect();
/// assert_eq!(results.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(), paths); // input order
/// assert_eq!(results[0].1.as_ref().unwrap().meta.report_year, Some(2023));
/// assert_eq!(results[1].1.as_ref().unwrap_err().code(), "io");
/// assert_eq!(results[2].1.as_ref().unwrap().source.encoding.as_deref(), Some("gb18030"));
/// ```
pub fn convert_many<I>(paths: I) -> impl Iterator<Item = (PathBuf, Result<Report, Error>)>
where
    I: IntoIterator<Item = PathBuf>,
{
    Bulk::new(Options::default())
        .run(paths)
        .map(|o| (o.path, o.result))
}

/// What converting one file gave.
#[derive(Debug)]
#[non_exhaustive]
pub struct Outcome {
    /// The input path, as given.
    pub path: PathBuf,
    /// The file's size in bytes, when it could be read.
    pub size: Option<u64>,
    /// SHA-256 of the file's bytes (lower-case hex), when it could be read.
    pub sha256: Option<String>,
    /// The format recognised, when the bytes were recognised.
    pub format: Option<Format>,
    /// Time spent reading and parsing.
    pub elapsed: Duration,
    /// The report, or why there is none.
    pub result: Result<Report, Error>,
}

impl Outcome {
    /// Number of failed checks of the report (0 for an error).
    pub fn failed_checks(&self) -> usize {
        self.result.as_ref().map_or(0, failed_checks)
    }
}

/// Number of checks of `report` whose status is [`CheckStatus::Fail`].
pub fn failed_checks(report: &Report) -> usize {
    report
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .count()
}

/// Converts one file: read under the size limit, parse, never panic.
///
/// ```
/// let p = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/samples/029-txt-seed.txt");
/// let o = disclosure_report::Bulk::convert_one(&disclosure_report::Options::new(), p.as_ref());
/// assert!(o.result.is_ok() && o.sha256.is_some());
/// ```
impl Bulk {
    /// Converts the single file at `path` under `options` (what each worker does).
    pub fn convert_one(options: &Options, path: &Path) -> Outcome {
        Self::convert_known(options, path, None)
    }

    /// [`convert_one`](Self::convert_one) of a file whose size and SHA-256 are already
    /// known (from [`fingerprint`] of the same file): the bytes are then not hashed again.
    /// A file whose size is no longer the one given is hashed anew.
    fn convert_known(options: &Options, path: &Path, known: Option<&(u64, String)>) -> Outcome {
        let start = Instant::now();
        let mut size = None;
        let mut sha256 = None;
        let mut format = None;
        let result = match crate::read_file(path, options.get_limits().max_input_bytes) {
            Err(e) => Err(e.with_path(path)),
            Ok(bytes) => {
                size = Some(bytes.len() as u64);
                let known = known
                    .filter(|(n, _)| *n == bytes.len() as u64)
                    .map(|(_, sha)| sha.as_str());
                let name = path.to_string_lossy();
                let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    options.parse_bytes_hashed(&bytes, Some(&name), known)
                }));
                let result = match parsed {
                    Ok(r) => r,
                    Err(panic) => {
                        let msg = panic
                            .downcast_ref::<&str>()
                            .map(|s| s.to_string())
                            .or_else(|| panic.downcast_ref::<String>().cloned())
                            .unwrap_or_else(|| "unknown panic".into());
                        let fmt = crate::read::sniff(&bytes, Some(&name)).unwrap_or(Format::Text);
                        Err(Error::malformed(
                            fmt,
                            "reader",
                            format!("internal error (a bug, please report it): {msg}"),
                        ))
                    }
                };
                match &result {
                    Ok(r) => {
                        sha256 = Some(r.source.sha256.clone());
                        format = Some(r.source.format);
                    }
                    Err(_) => {
                        sha256 = Some(match known {
                            Some(sha) => sha.to_string(),
                            None => sha256_hex(&bytes),
                        });
                        format = crate::read::sniff(&bytes, Some(&name)).ok().or(
                            match result.as_ref().map_err(Error::kind) {
                                Err(crate::ErrorKind::Malformed { format, .. }) => Some(*format),
                                _ => None,
                            },
                        );
                    }
                }
                result.map_err(|e| e.with_path(path))
            }
        };
        Outcome {
            path: path.to_path_buf(),
            size,
            sha256,
            format,
            elapsed: start.elapsed(),
            result,
        }
    }
}

/// Bulk conversion settings: parse options, threads, window.
///
/// ```
/// use disclosure_report::{Bulk, Options};
/// let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/samples"));
/// let mut paths: Vec<_> = std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
/// paths.sort();
/// let bulk = Bulk::new(Options::new()).threads(2).window(4);
/// for o in bulk.run(paths) {
///     let report = o.result?;
///     println!("{} {:?} {} ms", o.path.display(), report.meta.report_year, o.elapsed.as_millis());
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Bulk {
    options: Options,
    threads: usize,
    window: usize,
}

impl Bulk {
    /// Default settings: as many threads as the machine has, a window of 4 files per
    /// thread.
    pub fn new(options: Options) -> Self {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        Bulk {
            options,
            threads,
            window: threads * 4,
        }
    }

    /// Number of worker threads (at least 1). Without the `parallel` feature, ignored.
    /// Also sets the window to 4 files per thread unless [`window`](Self::window) follows.
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = n.max(1);
        self.window = self.threads * 4;
        self
    }

    /// Most files in flight or waiting to be handed out at once (at least 1).
    pub fn window(mut self, n: usize) -> Self {
        self.window = n.max(1);
        self
    }

    /// The parse options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Converts `paths`, yielding one [`Outcome`] per path in input order.
    pub fn run<I>(&self, paths: I) -> Outcomes<I::IntoIter>
    where
        I: IntoIterator<Item = PathBuf>,
    {
        Outcomes {
            inner: Ordered::new(
                self,
                paths
                    .into_iter()
                    .map(no_fingerprint as fn(PathBuf) -> Input),
                Arc::new(nothing),
            ),
        }
    }

    /// Converts `inputs` like [`run`](Self::run), and runs `then` on each outcome on the
    /// worker that converted the file, yielding `(outcome, then(&outcome))` in input
    /// order.
    ///
    /// Each input may come with the file's size and SHA-256 as [`fingerprint`] gave them
    /// (to decide about duplicates before converting): the file is then not hashed a
    /// second time (unless its size changed since). `then` is where per-file work such as
    /// serialising the report belongs, so that it runs in parallel; at most the window
    /// of its results is held at once. `then` must not panic: a panic on a worker aborts
    /// the process.
    ///
    /// ```
    /// use disclosure_report::{fingerprint, Bulk, Options};
    /// let p = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/samples/018-gbk.txt"));
    /// let known = fingerprint(&p, 64 << 20).ok();
    /// let bulk = Bulk::new(Options::new()).threads(2);
    /// let json: Vec<_> = bulk
    ///     .run_with([(p, known)], |o| o.result.as_ref().ok().and_then(|r| disclosure_report::json::to_vec(r).ok()))
    ///     .collect();
    /// assert!(json[0].1.as_ref().is_some_and(|j| !j.is_empty()));
    /// ```
    pub fn run_with<I, F, T>(&self, inputs: I, then: F) -> OutcomesWith<I::IntoIter, T>
    where
        I: IntoIterator<Item = (PathBuf, Option<(u64, String)>)>,
        F: Fn(&Outcome) -> T + Send + Sync + 'static,
        T: Send + 'static,
    {
        OutcomesWith {
            inner: Ordered::new(self, inputs.into_iter(), Arc::new(then)),
        }
    }
}

/// An input of the engine: a path, and its size and SHA-256 when already known.
type Input = (PathBuf, Option<(u64, String)>);

/// Paths as inputs with nothing known about them.
type Unfingerprinted<I> = std::iter::Map<I, fn(PathBuf) -> Input>;

fn no_fingerprint(path: PathBuf) -> Input {
    (path, None)
}

fn nothing(_: &Outcome) {}

/// What runs on a worker after each conversion.
type Then<T> = Arc<dyn Fn(&Outcome) -> T + Send + Sync>;

/// The iterator of [`Bulk::run`]: one [`Outcome`] per input, in input order.
pub struct Outcomes<I: Iterator<Item = PathBuf>> {
    inner: Ordered<Unfingerprinted<I>, ()>,
}

impl<I: Iterator<Item = PathBuf>> Iterator for Outcomes<I> {
    type Item = Outcome;

    fn next(&mut self) -> Option<Outcome> {
        self.inner.next().map(|(o, ())| o)
    }
}

/// The iterator of [`Bulk::run_with`]: `(outcome, what the worker made of it)` per
/// input, in input order.
pub struct OutcomesWith<I: Iterator<Item = Input>, T> {
    inner: Ordered<I, T>,
}

impl<I: Iterator<Item = Input>, T: Send + 'static> Iterator for OutcomesWith<I, T> {
    type Item = (Outcome, T);

    fn next(&mut self) -> Option<(Outcome, T)> {
        self.inner.next()
    }
}

/// Conversions handed out in input order: on the calling thread, or on a rayon pool.
enum Ordered<I: Iterator<Item = Input>, T> {
    Sequential {
        options: Options,
        inputs: I,
        then: Then<T>,
    },
    #[cfg(feature = "parallel")]
    Parallel(Box<Windowed<I, T>>),
}

/// One conversion and what follows it, as a worker runs them.
fn convert_then<T>(options: &Options, (path, known): Input, then: &Then<T>) -> (Outcome, T) {
    let outcome = Bulk::convert_known(options, &path, known.as_ref());
    let made = then(&outcome);
    (outcome, made)
}

impl<I: Iterator<Item = Input>, T: Send + 'static> Ordered<I, T> {
    fn new(bulk: &Bulk, inputs: I, then: Then<T>) -> Self {
        #[cfg(feature = "parallel")]
        if bulk.threads > 1 {
            if let Ok(pool) = rayon::ThreadPoolBuilder::new()
                .num_threads(bulk.threads)
                .thread_name(|i| format!("disclosure-report-{i}"))
                .build()
            {
                let (tx, rx) = std::sync::mpsc::channel();
                return Ordered::Parallel(Box::new(Windowed {
                    options: bulk.options.clone(),
                    inputs,
                    then,
                    pool,
                    tx,
                    rx,
                    window: bulk.window,
                    next_index: 0,
                    next_out: 0,
                    in_flight: 0,
                    ready: BTreeMap::new(),
                    exhausted: false,
                }));
            }
        }
        Ordered::Sequential {
            options: bulk.options.clone(),
            inputs,
            then,
        }
    }

    fn next(&mut self) -> Option<(Outcome, T)> {
        match self {
            Ordered::Sequential {
                options,
                inputs,
                then,
            } => {
                let input = inputs.next()?;
                Some(convert_then(options, input, then))
            }
            #[cfg(feature = "parallel")]
            Ordered::Parallel(w) => w.next(),
        }
    }
}

/// A window of files in flight on a rayon pool, handed out in order.
#[cfg(feature = "parallel")]
struct Windowed<I, T> {
    options: Options,
    inputs: I,
    then: Then<T>,
    pool: rayon::ThreadPool,
    tx: std::sync::mpsc::Sender<(u64, (Outcome, T))>,
    rx: std::sync::mpsc::Receiver<(u64, (Outcome, T))>,
    window: usize,
    /// Index the next dispatched input gets.
    next_index: u64,
    /// Index of the next outcome to hand out.
    next_out: u64,
    /// Dispatched and not yet received.
    in_flight: usize,
    /// Received, waiting for an earlier one.
    ready: BTreeMap<u64, (Outcome, T)>,
    exhausted: bool,
}

#[cfg(feature = "parallel")]
impl<I: Iterator<Item = Input>, T: Send + 'static> Windowed<I, T> {
    fn fill(&mut self) {
        while !self.exhausted && self.in_flight + self.ready.len() < self.window {
            match self.inputs.next() {
                None => self.exhausted = true,
                Some(input) => {
                    let index = self.next_index;
                    self.next_index += 1;
                    self.in_flight += 1;
                    let tx = self.tx.clone();
                    let options = self.options.clone();
                    let then = Arc::clone(&self.then);
                    self.pool.spawn(move || {
                        let done = convert_then(&options, input, &then);
                        // The receiver is gone only when the iterator was dropped.
                        let _ = tx.send((index, done));
                    });
                }
            }
        }
    }

    fn next(&mut self) -> Option<(Outcome, T)> {
        self.fill();
        loop {
            if let Some(o) = self.ready.remove(&self.next_out) {
                self.next_out += 1;
                self.fill();
                return Some(o);
            }
            if self.in_flight == 0 {
                return None;
            }
            // Workers always send (convert_one does not panic; a panic in `then` would
            // be caught by rayon and abort), so this only fails if every sender is gone.
            let (i, o) = self.rx.recv().ok()?;
            self.in_flight -= 1;
            self.ready.insert(i, o);
        }
    }
}

/// Reads a file and gives its size and SHA-256, refusing one over `max` bytes.
///
/// For deciding, before parsing, whether a file is a duplicate or already converted.
///
/// ```
/// let p = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/samples/018-gbk.txt");
/// let (size, sha) = disclosure_report::fingerprint(p.as_ref(), 64 << 20)?;
/// assert!(size > 0 && sha.len() == 64);
/// # Ok::<(), disclosure_report::Error>(())
/// ```
pub fn fingerprint(path: &Path, max: u64) -> Result<(u64, String), Error> {
    let bytes = crate::read_file(path, max).map_err(|e| e.with_path(path))?;
    Ok((bytes.len() as u64, sha256_hex(&bytes)))
}

/// [`fingerprint`] of many files, in parallel (with the `parallel` feature), in order.
pub fn fingerprints(
    paths: &[PathBuf],
    max: u64,
    threads: usize,
) -> Vec<Result<(u64, String), Error>> {
    #[cfg(feature = "parallel")]
    if threads > 1 {
        if let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            use rayon::prelude::*;
            return pool.install(|| paths.par_iter().map(|p| fingerprint(p, max)).collect());
        }
    }
    let _ = threads;
    paths.iter().map(|p| fingerprint(p, max)).collect()
}

/// The figure columns of a flat table: every JSON Pointer of tables 2–4 of both national
/// formats, in a fixed order, so reports of any template share one header.
///
/// ```
/// let cols = disclosure_report::FigureColumns::new();
/// assert!(cols.pointers().iter().any(|p| p == "/applications/new_received/total"));
/// assert!(cols.pointers().iter().any(|p| p == "/active_disclosure/regulations/in_force")); // 2021
/// assert!(cols.pointers().iter().any(|p| p == "/active_disclosure/regulations/published_total")); // 2019
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/samples/qx-jxj-2023.txt");
/// let report = disclosure_report::parse_path(path)?;
/// let row = cols.row(&report);
/// assert_eq!(row.len(), cols.header().len());
/// assert_eq!(row[cols.header().iter().position(|h| h == "agency").unwrap()], "渠县经济和信息化局");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct FigureColumns {
    pointers: Vec<String>,
    /// Each pointer parsed once: the index of its table in [`TABLES`] and its remaining
    /// (unescaped) tokens, so that a row is a walk down small maps, with no pointer
    /// parsing or token unescaping per report.
    paths: Vec<(usize, Vec<String>)>,
}

/// The tables whose figures are columns, by their key in the report's JSON.
const TABLES: [&str; 3] = ["active_disclosure", "applications", "review_litigation"];

/// The leading, non-figure columns of [`FigureColumns::header`].
pub const META_COLUMNS: [&str; 10] = [
    "source_path",
    "sha256",
    "format",
    "template",
    "agency",
    "report_year",
    "encoding",
    "stat_period_start",
    "stat_period_end",
    "failed_checks",
];

impl Default for FigureColumns {
    fn default() -> Self {
        Self::new()
    }
}

impl FigureColumns {
    /// The columns of tables 2–4 of both formats.
    pub fn new() -> Self {
        let all = Some(None);
        let doc = DocRow {
            issued: all,
            published_new: all,
            published_total: all,
            repealed: all,
            in_force: all,
        };
        let item = ItemRow {
            decisions: all,
            items_prev_year: all,
            items_change: all,
        };
        let mut t2 = ActiveDisclosure {
            regulations: doc,
            normative_documents: doc,
            admin_licensing: item,
            other_admin_services: Some(item),
            admin_penalty: item,
            admin_coercion: item,
            central_procurement: Some(Procurement::default()),
            ..ActiveDisclosure::default()
        };
        t2.admin_fees.amount_wan_yuan = Some(None);
        t2.admin_fees.items_prev_year = all;
        t2.admin_fees.items_change = all;
        let mut pointers = Vec::new();
        for (key, v) in [
            ("active_disclosure", serde_json::to_value(&t2)),
            (
                "applications",
                serde_json::to_value(Applications::new(true)),
            ),
            (
                "review_litigation",
                serde_json::to_value(ReviewLitigation::default()),
            ),
        ] {
            if let Ok(v) = v {
                leaves(&v, &format!("/{key}"), &mut pointers);
            }
        }
        let paths = pointers
            .iter()
            .map(|p| {
                let mut tokens = p
                    .split('/')
                    .skip(1)
                    .map(|t| t.replace("~1", "/").replace("~0", "~"));
                let table = tokens
                    .next()
                    .and_then(|t| TABLES.iter().position(|k| *k == t))
                    .unwrap_or(usize::MAX);
                (table, tokens.collect())
            })
            .collect();
        FigureColumns { pointers, paths }
    }

    /// The figure pointers, in column order.
    pub fn pointers(&self) -> &[String] {
        &self.pointers
    }

    /// The header: [`META_COLUMNS`] then the pointers.
    pub fn header(&self) -> Vec<String> {
        META_COLUMNS
            .iter()
            .map(|s| s.to_string())
            .chain(self.pointers.iter().cloned())
            .collect()
    }

    /// One row for `report`, matching [`header`](Self::header); a blank or absent
    /// figure is an empty cell.
    pub fn row(&self, report: &Report) -> Vec<String> {
        use serde_json::Value;
        // Only the three tables go through `serde_json::Value` (not the whole report,
        // whose sections, provenance and checks are most of its size).
        let tables = [
            serde_json::to_value(&report.active_disclosure).unwrap_or_default(),
            serde_json::to_value(&report.applications).unwrap_or_default(),
            serde_json::to_value(&report.review_litigation).unwrap_or_default(),
        ];
        let text = |v: Option<&Value>| match v {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
        };
        let mut row = Vec::with_capacity(META_COLUMNS.len() + self.paths.len());
        row.extend([
            report.source.path.clone().unwrap_or_default(),
            report.source.sha256.clone(),
            text(serde_json::to_value(report.source.format).ok().as_ref()),
            text(serde_json::to_value(report.template).ok().as_ref()),
            report.meta.agency.clone().unwrap_or_default(),
            report
                .meta
                .report_year
                .map(|y| y.to_string())
                .unwrap_or_default(),
            report.source.encoding.clone().unwrap_or_default(),
            report.meta.stat_period_start.clone().unwrap_or_default(),
            report.meta.stat_period_end.clone().unwrap_or_default(),
            failed_checks(report).to_string(),
        ]);
        row.extend(self.paths.iter().map(|(table, tokens)| {
            let found = tables.get(*table).and_then(|v| {
                tokens.iter().try_fold(v, |v, t| match v {
                    Value::Object(m) => m.get(t.as_str()),
                    _ => None,
                })
            });
            text(found)
        }));
        row
    }
}

fn leaves(v: &serde_json::Value, at: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                let k = k.replace('~', "~0").replace('/', "~1");
                leaves(v, &format!("{at}/{k}"), out);
            }
        }
        _ => out.push(at.to_string()),
    }
}

/// One CSV line (RFC 4180 quoting, `\r\n`-free: ends with `\n`).
///
/// ```
/// assert_eq!(disclosure_report::csv_line(["a", "b,c", "d\"e"]), "a,\"b,c\",\"d\"\"e\"\n");
/// ```
pub fn csv_line<S: AsRef<str>>(fields: impl IntoIterator<Item = S>) -> String {
    let mut line = String::new();
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let f = f.as_ref();
        if f.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&f.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(f);
        }
    }
    line.push('\n');
    line
}

/// The first field of a CSV line written by [`csv_line`].
pub fn csv_first_field(line: &str) -> String {
    if let Some(rest) = line.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = rest.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    out.push('"');
                } else {
                    break;
                }
            } else {
                out.push(c);
            }
        }
        out
    } else {
        line.split([',', '\n']).next().unwrap_or("").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/samples")
    }

    #[test]
    fn order_is_input_order_whatever_the_threads() {
        let mut paths = Vec::new();
        for _ in 0..5 {
            for n in [
                "qx-jxj-2023.txt",
                "missing.txt",
                "018-gbk.txt",
                "029-txt-seed.txt",
            ] {
                paths.push(samples().join(n));
            }
        }
        for threads in [1, 2, 3] {
            for window in [1, 2, 7] {
                let out: Vec<_> = Bulk::new(Options::new())
                    .threads(threads)
                    .window(window)
                    .run(paths.clone())
                    .collect();
                assert_eq!(out.len(), paths.len());
                for (o, p) in out.iter().zip(&paths) {
                    assert_eq!(&o.path, p);
                    assert_eq!(o.result.is_err(), p.ends_with("missing.txt"));
                }
            }
        }
    }

    #[test]
    fn limits_affect_one_file() {
        let limits = crate::Limits {
            max_input_bytes: 6000,
            ..crate::Limits::default()
        };
        let paths: Vec<_> = ["qx-jxj-2023.txt", "029-txt-seed.txt"]
            .iter()
            .map(|n| samples().join(n))
            .collect();
        let sizes: Vec<u64> = paths
            .iter()
            .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
            .collect();
        let out: Vec<_> = Bulk::new(Options::new().limits(limits))
            .threads(2)
            .run(paths)
            .collect();
        for (o, size) in out.iter().zip(sizes) {
            if size > 6000 {
                assert_eq!(o.result.as_ref().unwrap_err().code(), "limit_exceeded");
            } else {
                assert!(o.result.is_ok());
            }
        }
    }

    #[test]
    fn figure_row_matches_the_report_json() {
        let c = FigureColumns::new();
        for name in ["qx-jxj-2023.txt", "018-gbk.txt", "029-txt-seed.txt"] {
            let report = crate::parse_path(samples().join(name)).unwrap();
            let json = serde_json::to_value(&report).unwrap();
            let row = c.row(&report);
            let figures = &row[META_COLUMNS.len()..];
            assert_eq!(figures.len(), c.pointers().len());
            for (p, cell) in c.pointers().iter().zip(figures) {
                let expected = match json.pointer(p) {
                    None | Some(serde_json::Value::Null) => String::new(),
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                };
                assert_eq!(cell, &expected, "{name} {p}");
            }
            assert_eq!(row[2], "text");
            assert_eq!(row[3], json["template"].as_str().unwrap());
        }
    }

    #[test]
    fn figure_columns_cover_both_templates_without_repeats() {
        let c = FigureColumns::new();
        let mut seen = std::collections::HashSet::new();
        assert!(c.pointers().iter().all(|p| seen.insert(p.clone())));
        assert!(c
            .pointers()
            .contains(&"/applications/results/other/fee_unpaid/total".to_string()));
        assert!(c
            .pointers()
            .contains(&"/active_disclosure/central_procurement/projects".to_string()));
        assert!(c
            .pointers()
            .contains(&"/review_litigation/litigation_after_review/pending".to_string()));
        assert_eq!(csv_first_field("\"a,\"\"b\",c\n"), "a,\"b");
        assert_eq!(csv_first_field("abc,d\n"), "abc");
    }
}
