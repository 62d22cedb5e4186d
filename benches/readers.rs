//! Per-reader and end-to-end (bytes → JSON) timings, the floors they are measured
//! against, and a scaling check on synthetic 10× inputs.
//!
//! ```text
//! cargo bench --bench readers             # criterion groups, then a ratio summary
//! cargo bench --bench readers -- e2e      # only the end-to-end group (criterion filter)
//! ```
//!
//! Groups:
//! - `floor`: what no reader can beat — inflate `word/document.xml` of the seed DOCX and
//!   walk every XML event (`zip` + `quick-xml`); calamine's own read of the seed XLSX
//!   (all sheets, with merged regions).
//! - `read`: bytes → [`Document`](disclosure_report::Document) per reader.
//! - `e2e`: bytes → report → JSON (`disclosure_report::json::to_vec`, byte for byte `serde_json::to_vec`).
//! - `scale`: end to end on 1× and 10× inputs (the seed text repeated, a text table with
//!   10× rows, the DOCX body repeated, the HTML body repeated).
//!
//! After the criterion groups, a summary measures each pair (parse, floor) interleaved in
//! the same process and prints the medians and their ratio, so the ratio holds for the
//! machine and load of that run.
//!
//! The DOCX, XLSX and HTML inputs live in `../shared` (not committed); without it those
//! benchmarks are skipped with a message and the text ones still run.

mod floor;

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use disclosure_report::{read, Limits, Options};
use floor::{docx_floor, xlsx_floor};

/// One input: a label, its bytes and the file name passed as the hint.
struct Input {
    label: &'static str,
    name: String,
    bytes: Vec<u8>,
}

fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("DISCLOSURE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    dir.is_dir().then_some(dir)
}

fn seed_text() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/samples/qx-jxj-2023.txt");
    std::fs::read_to_string(&p).expect("testdata/samples/qx-jxj-2023.txt (UTF-8)")
}

fn gb18030(s: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(s).0.into_owned()
}

fn shared_file(rel: &str) -> Option<Vec<u8>> {
    let dir = shared_dir()?;
    match std::fs::read(dir.join(rel)) {
        Ok(b) => Some(b),
        Err(e) => {
            eprintln!("bench readers: skipping ../shared/{rel}: {e}");
            None
        }
    }
}

/// The inputs of the `read` and `e2e` groups: text always, the rest when `../shared` is there.
fn inputs() -> Vec<Input> {
    let text = seed_text();
    let mut v = vec![
        Input {
            label: "text_utf8",
            name: "qx-jxj-2023.txt".into(),
            bytes: text.clone().into_bytes(),
        },
        Input {
            label: "text_gb18030",
            name: "qx-jxj-2023.txt".into(),
            bytes: gb18030(&text),
        },
    ];
    if shared_dir().is_none() {
        eprintln!(
            "bench readers: ../shared is absent (set DISCLOSURE_SHARED to point elsewhere): \
             skipping the DOCX, XLSX and HTML benchmarks and the floors"
        );
        return v;
    }
    for (label, rel) in [
        ("docx", "bench/seed-report.docx"),
        ("xlsx", "bench/seed-report.xlsx"),
        ("html_template", "corpus/html-template/021.html"),
        ("html_real", "corpus/real-html/006.html"),
    ] {
        if let Some(bytes) = shared_file(rel) {
            v.push(Input {
                label,
                name: rel.rsplit('/').next().unwrap_or(rel).to_string(),
                bytes,
            });
        }
    }
    v
}

// ---------------------------------------------------------------------------------------
// The measured operations.

fn read_doc(input: &Input) -> usize {
    let loaded = read::load(&input.bytes, Some(&input.name), &Limits::default()).expect("read");
    loaded.document.blocks.len()
}

fn end_to_end(options: &Options, bytes: &[u8], name: &str) -> usize {
    let report = options.parse_bytes(bytes, Some(name)).expect("parse");
    disclosure_report::json::to_vec(&report)
        .expect("json")
        .len()
}

// ---------------------------------------------------------------------------------------
// Synthetic 10× inputs.

/// The seed text repeated `n` times (a document `n`× as long).
fn text_repeated(n: usize) -> Vec<u8> {
    let text = seed_text();
    let mut s = String::with_capacity(text.len() * n + n);
    for _ in 0..n {
        s.push_str(&text);
        s.push('\n');
    }
    gb18030(&s)
}

/// The seed text with every table row (a line holding a tab) written `n` times.
fn text_table_rows(n: usize) -> Vec<u8> {
    let mut s = String::new();
    for line in seed_text().lines() {
        let times = if line.contains('\t') { n } else { 1 };
        for _ in 0..times {
            s.push_str(line);
            s.push('\n');
        }
    }
    gb18030(&s)
}

/// The seed DOCX with its body (everything before `w:sectPr`) repeated `n` times.
fn docx_repeated(bytes: &[u8], n: usize) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let name = f.name().expect("entry name").into_owned();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("inflate");
        if name == "word/document.xml" {
            let xml = String::from_utf8(data).expect("UTF-8 XML");
            let start = xml.find("<w:body>").expect("<w:body>") + "<w:body>".len();
            let end = xml.rfind("<w:sectPr").expect("<w:sectPr");
            let body = &xml[start..end];
            let mut s = String::with_capacity(xml.len() + body.len() * (n - 1));
            s.push_str(&xml[..start]);
            for _ in 0..n {
                s.push_str(body);
            }
            s.push_str(&xml[end..]);
            data = s.into_bytes();
        }
        out.start_file(name, opts).expect("zip entry");
        out.write_all(&data).expect("zip write");
    }
    out.finish().expect("zip").into_inner()
}

/// An HTML page with its body content repeated `n` times.
fn html_repeated(bytes: &[u8], n: usize) -> Vec<u8> {
    let html = String::from_utf8_lossy(bytes).into_owned();
    let lower = html.to_ascii_lowercase();
    let start = lower
        .find("<body")
        .and_then(|i| lower[i..].find('>').map(|j| i + j + 1))
        .unwrap_or(0);
    let end = lower.rfind("</body>").unwrap_or(html.len());
    let body = &html[start..end];
    let mut s = String::with_capacity(html.len() * n);
    s.push_str(&html[..start]);
    for _ in 0..n {
        s.push_str(body);
    }
    s.push_str(&html[end..]);
    s.into_bytes()
}

/// (label, name hint, 1× bytes, 10× bytes) of the scaling benchmark.
fn scale_inputs() -> Vec<(&'static str, &'static str, Vec<u8>, Vec<u8>)> {
    let mut v = vec![
        (
            "text_repeated",
            "seed.txt",
            text_repeated(1),
            text_repeated(10),
        ),
        (
            "text_table_rows",
            "seed.txt",
            text_table_rows(1),
            text_table_rows(10),
        ),
    ];
    if let Some(docx) = shared_file("bench/seed-report.docx") {
        v.push((
            "docx_repeated",
            "seed.docx",
            docx_repeated(&docx, 1),
            docx_repeated(&docx, 10),
        ));
    }
    if let Some(html) = shared_file("corpus/html-template/021.html") {
        v.push((
            "html_repeated",
            "021.html",
            html_repeated(&html, 1),
            html_repeated(&html, 10),
        ));
    }
    v
}

// ---------------------------------------------------------------------------------------
// Criterion groups.

fn configure<'a>(
    c: &'a mut Criterion,
    name: &str,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(20);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
    g
}

fn floors(c: &mut Criterion) {
    let (Some(docx), Some(xlsx)) = (
        shared_file("bench/seed-report.docx"),
        shared_file("bench/seed-report.xlsx"),
    ) else {
        eprintln!("bench readers: no ../shared/bench: floor benchmarks skipped");
        return;
    };
    let mut g = configure(c, "floor");
    g.bench_function("docx_zip_quick_xml", |b| {
        b.iter(|| docx_floor(std::hint::black_box(&docx)))
    });
    g.bench_function("xlsx_calamine", |b| {
        b.iter(|| xlsx_floor(std::hint::black_box(&xlsx)))
    });
    g.finish();
}

fn readers(c: &mut Criterion) {
    let inputs = inputs();
    let mut g = configure(c, "read");
    for input in &inputs {
        g.throughput(Throughput::Bytes(input.bytes.len() as u64));
        g.bench_function(input.label, |b| {
            b.iter(|| read_doc(std::hint::black_box(input)))
        });
    }
    g.finish();
    let options = Options::new();
    let mut g = configure(c, "e2e");
    for input in &inputs {
        g.throughput(Throughput::Bytes(input.bytes.len() as u64));
        g.bench_function(input.label, |b| {
            b.iter(|| end_to_end(&options, std::hint::black_box(&input.bytes), &input.name))
        });
    }
    g.finish();
}

fn scale(c: &mut Criterion) {
    let options = Options::new();
    let mut g = configure(c, "scale");
    g.sample_size(10);
    for (label, name, one, ten) in scale_inputs() {
        for (k, bytes) in [(1, &one), (10, &ten)] {
            g.bench_with_input(
                BenchmarkId::new(label, format!("{k}x")),
                bytes,
                |b, bytes| b.iter(|| end_to_end(&options, std::hint::black_box(bytes), name)),
            );
        }
    }
    g.finish();
}

// ---------------------------------------------------------------------------------------
// The ratio summary: pairs measured interleaved, medians, ratio.

/// Median time per call of `a` and of `b`, measured in alternating batches of about
/// 20 ms each for `rounds` rounds, so both see the same load.
fn paired(mut a: impl FnMut(), mut b: impl FnMut(), rounds: usize) -> (Duration, Duration) {
    let per_batch = |f: &mut dyn FnMut()| {
        let t = Instant::now();
        let mut n = 0u32;
        while t.elapsed() < Duration::from_millis(20) {
            f();
            n += 1;
        }
        n.max(1)
    };
    let na = per_batch(&mut a);
    let nb = per_batch(&mut b);
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        for _ in 0..na {
            a();
        }
        ta.push(t.elapsed() / na);
        let t = Instant::now();
        for _ in 0..nb {
            b();
        }
        tb.push(t.elapsed() / nb);
    }
    ta.sort();
    tb.sort();
    (ta[ta.len() / 2], tb[tb.len() / 2])
}

fn fmt(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 1000.0 {
        format!("{:.3} ms", us / 1000.0)
    } else {
        format!("{us:.1} µs")
    }
}

fn summary(_c: &mut Criterion) {
    const ROUNDS: usize = 25;
    let options = Options::new();
    let opts = &options;
    let mut lines = Vec::new();
    let row = |lines: &mut Vec<String>,
               what: &str,
               a: Duration,
               base: &str,
               b: Duration,
               target: &str| {
        lines.push(format!(
            "  {what:<34} {:>10}   {base:<26} {:>10}   ratio {:>6.2}   {target}",
            fmt(a),
            fmt(b),
            a.as_secs_f64() / b.as_secs_f64()
        ));
    };
    let no_checks = Options::new().checks(false);
    let no_checks = &no_checks;
    let limits = Limits::default();
    let gb = gb18030(&seed_text());
    let (a, b) = paired(
        || {
            end_to_end(opts, &gb, "qx-jxj-2023.txt");
        },
        || {
            read::load(&gb, Some("qx-jxj-2023.txt"), &limits).expect("read");
        },
        ROUNDS,
    );
    row(
        &mut lines,
        "text GB18030 e2e",
        a,
        "text GB18030 read",
        b,
        "(target: e2e ≤ 0.5 ms)",
    );
    let (a, b) = paired(
        || {
            end_to_end(no_checks, &gb, "qx-jxj-2023.txt");
        },
        || {
            read::load(&gb, Some("qx-jxj-2023.txt"), &limits).expect("read");
        },
        ROUNDS,
    );
    row(
        &mut lines,
        "text GB18030 e2e, checks off",
        a,
        "text GB18030 read",
        b,
        "",
    );
    if let (Some(docx), Some(xlsx)) = (
        shared_file("bench/seed-report.docx"),
        shared_file("bench/seed-report.xlsx"),
    ) {
        let (a, b) = paired(
            || {
                end_to_end(opts, &docx, "seed-report.docx");
            },
            || {
                docx_floor(&docx);
            },
            ROUNDS,
        );
        row(
            &mut lines,
            "DOCX e2e",
            a,
            "floor zip+quick-xml",
            b,
            "(target ≤ 2)",
        );
        let (a, b) = paired(
            || {
                end_to_end(no_checks, &docx, "seed-report.docx");
            },
            || {
                docx_floor(&docx);
            },
            ROUNDS,
        );
        row(
            &mut lines,
            "DOCX e2e, checks off",
            a,
            "floor zip+quick-xml",
            b,
            "",
        );
        let (a, b) = paired(
            || {
                read::load(&docx, Some("seed-report.docx"), &limits).expect("read");
            },
            || {
                docx_floor(&docx);
            },
            ROUNDS,
        );
        row(&mut lines, "DOCX read", a, "floor zip+quick-xml", b, "");
        let (a, b) = paired(
            || {
                end_to_end(opts, &xlsx, "seed-report.xlsx");
            },
            || {
                xlsx_floor(&xlsx);
            },
            ROUNDS,
        );
        row(
            &mut lines,
            "XLSX e2e",
            a,
            "floor calamine",
            b,
            "(target ≤ 2)",
        );
        let (a, b) = paired(
            || {
                end_to_end(no_checks, &xlsx, "seed-report.xlsx");
            },
            || {
                xlsx_floor(&xlsx);
            },
            ROUNDS,
        );
        row(
            &mut lines,
            "XLSX e2e, checks off",
            a,
            "floor calamine",
            b,
            "",
        );
        let (a, b) = paired(
            || {
                read::load(&xlsx, Some("seed-report.xlsx"), &limits).expect("read");
            },
            || {
                xlsx_floor(&xlsx);
            },
            ROUNDS,
        );
        row(&mut lines, "XLSX read", a, "floor calamine", b, "");
    } else {
        lines.push("  (no ../shared/bench: DOCX and XLSX ratios skipped)".into());
    }
    for (label, name, one, ten) in scale_inputs() {
        let (a, b) = paired(
            || {
                end_to_end(opts, &ten, name);
            },
            || {
                end_to_end(opts, &one, name);
            },
            ROUNDS / 2,
        );
        row(
            &mut lines,
            &format!("scale {label} 10x"),
            a,
            "1x",
            b,
            "(target ≤ 12)",
        );
    }
    eprintln!("\nsummary (medians of interleaved batches in this process):");
    for l in lines {
        eprintln!("{l}");
    }
}

criterion_group!(benches, floors, readers, scale, summary);
criterion_main!(benches);
