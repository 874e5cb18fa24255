//! The whole published 7.1 set: every `specification/*/7.1/*.json` of
//! `../shared/azure-devops-specs/` imported (`xtask::import::import`, examples read from
//! disk, then the check of what codegen makes of the result, as `cargo xtask import` does)
//! and generated (`xtask::generate`), in memory, one description after another as a user
//! would run the two commands. The shared folder is not
//! part of the repository: without it the row says so and nothing fails.

use std::path::{Path, PathBuf};
use std::time::Instant;

use xtask::emit::manifest::RuntimeDependency;

use crate::stats::{median, ms};

/// Where the published descriptions are, next to the workspace.
const SHARED: &str = "../shared/azure-devops-specs/specification";
/// The version whose whole set is timed.
const VERSION: &str = "7.1";

/// What one pass over the set gave, and the time of every pass.
pub struct Figures {
    /// The folder read, as shown in the report.
    pub dir: String,
    pub descriptions: usize,
    /// Operations of the crates generated.
    pub operations: usize,
    /// Descriptions that did not import or generate, with the first line of why.
    pub failed: Vec<(String, String)>,
    pub runs_ms: Vec<f64>,
    /// Of each timed pass, the time spent importing (the rest is generating).
    pub import_ms: Vec<f64>,
}

impl Figures {
    pub fn median_ms(&self) -> f64 {
        median(&self.runs_ms)
    }

    /// The median time per generated operation, in milliseconds.
    pub fn per_operation_ms(&self) -> f64 {
        self.median_ms() / self.operations.max(1) as f64
    }
}

/// `Ok(None)` when the shared folder is absent (the row is skipped), otherwise the
/// figures of `warmup` untimed and `runs` timed passes.
pub fn measure(
    root: &Path,
    runtime: &RuntimeDependency,
    warmup: usize,
    runs: usize,
) -> Result<Option<Figures>, String> {
    let dir = root.join(SHARED);
    if !dir.is_dir() {
        return Ok(None);
    }
    let files = descriptions(&dir)?;
    if files.is_empty() {
        return Err(format!("no */{VERSION}/*.json under {}", dir.display()));
    }
    // The texts are read once: the figure is import and generation, not the disk.
    let texts = files
        .iter()
        .map(|f| {
            std::fs::read_to_string(f)
                .map(|t| (f.clone(), t))
                .map_err(|e| format!("cannot read {}: {e}", f.display()))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let mut first = None;
    let (mut runs_ms, mut import_ms) = (Vec::new(), Vec::new());
    for i in 0..warmup.max(1) + runs {
        let start = Instant::now();
        let pass = one_pass(&dir, &texts, runtime);
        let elapsed = start.elapsed();
        if i >= warmup.max(1) {
            runs_ms.push(ms(elapsed));
            import_ms.push(pass.import_ms);
        }
        first.get_or_insert(pass);
    }
    let Pass {
        operations, failed, ..
    } = first.unwrap_or_default();
    Ok(Some(Figures {
        dir: format!("{SHARED}/*/{VERSION}/*.json"),
        descriptions: texts.len(),
        operations,
        failed,
        runs_ms,
        import_ms,
    }))
}

/// What one pass over the set gave.
#[derive(Default)]
struct Pass {
    operations: usize,
    failed: Vec<(String, String)>,
    import_ms: f64,
}

/// Imports and generates every description once.
fn one_pass(dir: &Path, texts: &[(PathBuf, String)], runtime: &RuntimeDependency) -> Pass {
    let mut pass = Pass::default();
    for (path, text) in texts {
        let name = path.strip_prefix(dir).unwrap_or(path).display().to_string();
        let first_line = |d: xtask::diagnostics::Diagnostics| {
            d.to_string().lines().next().unwrap_or_default().to_owned()
        };
        let spec_file = format!("{name}.yaml");
        let start = Instant::now();
        let imported = xtask::import::import(&xtask::import::Options {
            file: &name,
            text,
            base_dir: path.parent().unwrap_or(Path::new(".")),
            operations: &[],
            tags: &[],
            crate_name: None,
        })
        .map(|imported| {
            // `cargo xtask import` tells what codegen will make of its output.
            let check = imported.codegen_check(&spec_file);
            (imported, check)
        });
        pass.import_ms += ms(start.elapsed());
        let imported = match imported {
            Ok((i, _check)) => i,
            Err(d) => {
                pass.failed
                    .push((name, format!("import: {}", first_line(d))));
                continue;
            }
        };
        match xtask::generate(&spec_file, &imported.yaml, runtime) {
            Ok(generated) => pass.operations += generated.operations,
            Err(d) => pass
                .failed
                .push((name, format!("codegen: {}", first_line(d)))),
        }
    }
    pass
}

/// `DIR/*/7.1/*.json`, sorted.
fn descriptions(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let read = |d: &Path| {
        std::fs::read_dir(d)
            .map_err(|e| format!("cannot read {}: {e}", d.display()))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .collect::<Vec<_>>()
            })
    };
    let mut files = Vec::new();
    for area in read(dir)? {
        let version = area.join(VERSION);
        if !version.is_dir() {
            continue;
        }
        files.extend(
            read(&version)?
                .into_iter()
                .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("json")),
        );
    }
    files.sort();
    Ok(files)
}
