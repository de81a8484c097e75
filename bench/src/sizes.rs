//! What a browser downloads for the dashboard besides the HTML: the wasm, its JS glue and the CSS,
//! raw and compressed as a server or CDN would send them. Lean's loader script is not ours and is
//! left out (as Plaid's is left out of the Pattern figure).

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Result};

#[derive(Default)]
pub struct Sizes {
    pub files: Vec<(String, usize, usize, usize)>,
}

impl Sizes {
    pub fn total(&self) -> (usize, usize, usize) {
        self.files.iter().fold((0, 0, 0), |a, f| (a.0 + f.1, a.1 + f.2, a.2 + f.3))
    }
}

pub fn measure(site: &Path) -> Result<Sizes> {
    let pkg = site.join("pkg");
    let mut sizes = Sizes::default();
    let mut entries: Vec<_> = std::fs::read_dir(&pkg)?.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if !matches!(ext, "wasm" | "js" | "css") {
            continue;
        }
        let raw = std::fs::read(&path)?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&raw)?;
        let gz = gz.finish()?;
        let mut br = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
            w.write_all(&raw)?;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        sizes.files.push((name, raw.len(), gz.len(), br.len()));
    }
    if sizes.files.is_empty() {
        bail!("no wasm/js/css in {} (run `cargo leptos build --release`)", pkg.display());
    }
    Ok(sizes)
}
