//! Makes a folder of distinct reports from the bundled text samples, for the benchmark
//! (and for measuring the converter): each copy gets other figures in its tables.

use std::path::{Path, PathBuf};

/// Writes `n` distinct reports into `dir` (UTF-8 and GB18030, as the samples are) and
/// returns their paths, in order.
pub fn generate(dir: &Path, n: usize) -> std::io::Result<Vec<PathBuf>> {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/samples");
    let mut sources = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&samples)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    for p in names {
        let bytes = std::fs::read(&p)?;
        let gbk = std::str::from_utf8(&bytes).is_err();
        let text = if gbk {
            encoding_rs::GB18030.decode(&bytes).0.into_owned()
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        let stem = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        sources.push((stem, text, gbk));
    }
    std::fs::create_dir_all(dir)?;
    let mut out = Vec::with_capacity(n);
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..n {
        let (stem, text, gbk) = &sources[i % sources.len()];
        let mut varied = String::with_capacity(text.len() + 16);
        for line in text.lines() {
            if line.contains('\t') {
                let fields: Vec<String> = line
                    .split('\t')
                    .map(|f| {
                        if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) {
                            seed ^= seed << 13;
                            seed ^= seed >> 7;
                            seed ^= seed << 17;
                            (seed % 40).to_string()
                        } else {
                            f.to_string()
                        }
                    })
                    .collect();
                varied.push_str(&fields.join("\t"));
            } else {
                varied.push_str(line);
            }
            varied.push('\n');
        }
        // Distinct bytes even where a sample has no figure to vary.
        varied.push_str(&format!("\n（编号 {i}）\n"));
        let bytes = if *gbk {
            encoding_rs::GB18030.encode(&varied).0.into_owned()
        } else {
            varied.into_bytes()
        };
        let path = dir.join(format!("{:02}/{stem}-{i:05}.txt", i / 100));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)?;
        out.push(path);
    }
    Ok(out)
}
