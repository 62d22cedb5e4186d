//! Bulk conversion throughput: files/s of `Bulk::run` over a folder of 1,000+ distinct
//! reports made from the bundled samples (`gen`), on all the machine's cores.
//!
//! ```text
//! cargo bench --bench bulk                       # prints the time per run and files/s ("thrpt")
//! BULK_BENCH_DIR=/tmp/bulk-in cargo bench --bench bulk   # keeps the generated folder there
//! BULK_BENCH_FILES=4000 cargo bench --bench bulk         # more files
//! ```

mod gen;

use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use disclosure_report::{Bulk, Options};

fn bulk(c: &mut Criterion) {
    let n: usize = std::env::var("BULK_BENCH_FILES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1200);
    let keep = std::env::var_os("BULK_BENCH_DIR").map(PathBuf::from);
    let dir = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("disclosure-report-bench-{}", std::process::id()))
    });
    let paths = match gen::generate(&dir, n) {
        Ok(p) => p,
        Err(e) => {
            eprintln!(
                "bench bulk: cannot generate the inputs in {}: {e}",
                dir.display()
            );
            return;
        }
    };
    // Sanity: every generated file is a report.
    let bulk = Bulk::new(Options::new());
    let failed = bulk
        .run(paths.clone())
        .filter(|o| o.result.is_err())
        .count();
    eprintln!(
        "bench bulk: {} files in {} ({failed} not converted), {} thread(s)",
        paths.len(),
        dir.display(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let mut group = c.benchmark_group("bulk");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(paths.len() as u64));
    group.bench_function(format!("convert_{}_files", paths.len()), |b| {
        b.iter(|| {
            let ok = bulk.run(paths.clone()).filter(|o| o.result.is_ok()).count();
            std::hint::black_box(ok)
        })
    });
    group.finish();
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

criterion_group!(benches, bulk);
criterion_main!(benches);
