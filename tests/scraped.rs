//! Real published pages as a scraper saved them (`../shared/corpus/real-scraped/`): the
//! whole body on one line, table cells run together. Read in place, never copied.

mod common;

use common::{corpus_folder, shared};
use disclosure_report::parse_bytes;

#[test]
fn real_scraped_pages_match_expected() {
    let Some((n, bad)) = corpus_folder("real-scraped") else {
        return;
    };
    assert_eq!(n, 4);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn ambiguous_runs_are_null_with_a_warning_never_a_guess() {
    let Some(dir) = shared("corpus/real-scraped") else {
        return;
    };
    let r = parse_bytes(
        &std::fs::read(dir.join("021.txt")).unwrap(),
        Some("021.txt"),
    )
    .unwrap();
    let t2 = r.active_disclosure.as_ref().unwrap();
    // 行政规范性文件 2135: 2/1/35, 2/13/5 or 21/3/5.
    assert_eq!(t2.normative_documents.issued, Some(None));
    assert_eq!(t2.normative_documents.in_force, Some(None));
    assert!(r
        .warnings
        .iter()
        .any(|w| w.code == "cells_run_together" && w.message.contains("2135")));
    // （七）总计 191000019: no split adds up; the zeros every split shares are kept.
    let total = r.applications.as_ref().unwrap().results.total;
    assert_eq!(total.social_welfare_org, Some(0));
    assert_eq!(total.natural_person, None);
    // （二）部分公开 8100008: one split only, kept as printed though its sum fails.
    let p = r.applications.as_ref().unwrap().results.partially_granted;
    assert_eq!(p.values(), [8, 1, 0, 0, 0, 0, 8].map(Some));
    // 表四 "00 0 0 01 0 0 0 1 …": spaces are boundaries, leading zeros split.
    let t4 = r.review_litigation.as_ref().unwrap();
    assert_eq!(t4.litigation_direct.total, Some(1));
    assert_eq!(t4.litigation_direct.upheld, Some(1));
    // Sections are found inline.
    assert!(r.sections.review_litigation.is_some());
    assert_eq!(r.meta.stat_period_end.as_deref(), Some("2023-12-31"));
}
