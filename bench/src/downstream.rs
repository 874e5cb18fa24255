//! What depending on the generated crate costs a downstream crate: the crates it pulls in
//! and a clean `cargo check` of it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const PACKAGE: &str = "token-administration";

/// The cargo that runs us (`CARGO`, set by `cargo run`), else `cargo` from `PATH`.
fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Distinct crates in `cargo tree -e normal` of the generated crate, itself excluded.
pub fn crate_count(root: &Path) -> Result<usize, String> {
    let out = cargo()
        .current_dir(root)
        .args([
            "tree", "--locked", "-p", PACKAGE, "-e", "normal", "--prefix", "none",
        ])
        .output()
        .map_err(|e| format!("cannot run cargo tree: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo tree failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut crates: Vec<&str> = text
        .lines()
        .map(|l| l.trim_end_matches(" (*)").trim())
        .filter(|l| !l.is_empty())
        .collect();
    crates.sort_unstable();
    crates.dedup();
    Ok(crates.len().saturating_sub(1))
}

/// Wall time of `cargo check -p token-administration` in an empty target directory
/// (dependencies already downloaded; the machine's cores, whatever else runs on them).
pub fn clean_check(root: &Path) -> Result<Duration, String> {
    let dir = scratch_dir();
    let _ = std::fs::remove_dir_all(&dir);
    let start = Instant::now();
    let status = cargo()
        .current_dir(root)
        .env("CARGO_TARGET_DIR", &dir)
        .args(["check", "--locked", "--quiet", "-p", PACKAGE])
        .status()
        .map_err(|e| format!("cannot run cargo check: {e}"));
    let elapsed = start.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    match status? {
        s if s.success() => Ok(elapsed),
        s => Err(format!("cargo check -p {PACKAGE} failed ({s})")),
    }
}

fn scratch_dir() -> PathBuf {
    std::env::temp_dir().join(format!("bench-clean-check-{}", std::process::id()))
}
