//! What the generated code costs a downstream build: `cargo check` of the crate generated
//! for synthetic specs of several sizes, with its dependencies already built and
//! `CARGO_INCREMENTAL=0` (as a dependency is always built), and the same for the crate of
//! another generator (progenitor) where one is at hand.
//!
//! Only the generated crate's own `rustc` is timed: cargo runs it through this binary as
//! `RUSTC_WRAPPER` (see [`wrap`]), which records its wall time, CPU time and peak memory.
//! The best of the runs is kept: the machine is shared, and noise only adds time.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// Environment of the wrapper: where to append the figures, and of which crate.
const WRAP_OUT: &str = "BENCH_WRAP_OUT";
const WRAP_CRATE: &str = "BENCH_WRAP_CRATE";

/// The library name of our crates for synthetic specs.
const OURS: &str = "synthetic_api";

/// The other generator measured, at the version the figures were taken with.
const PROGENITOR: &str = "cargo-progenitor";
const PROGENITOR_VERSION: &str = "0.15.1";

/// One `rustc` run of a generated crate.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub wall_s: f64,
    pub cpu_s: f64,
    pub peak_rss: u64,
}

/// The best of several runs of one crate.
#[derive(Debug, Clone)]
pub struct Row {
    pub ops: usize,
    pub best: Run,
    pub runs: Vec<f64>,
}

impl Row {
    pub fn ms_per_op(&self) -> f64 {
        self.best.wall_s * 1000.0 / self.ops as f64
    }
}

/// Ours against the other generator, on the same spec.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub ops: usize,
    pub ours: Run,
    pub theirs: Run,
}

#[derive(Debug)]
pub struct Figures {
    pub rows: Vec<Row>,
    pub other: Result<Comparison, String>,
}

/// What to measure.
pub struct Plan {
    pub sizes: Vec<(usize, usize)>,
    /// The size compared with the other generator, if any.
    pub other_ops: Option<usize>,
    /// Install the other generator when it is not at hand (needs the network).
    pub install_other: bool,
}

impl Plan {
    pub fn full() -> Plan {
        Plan {
            sizes: vec![(250, 3), (1000, 2), (2000, 1)],
            other_ops: Some(1000),
            install_other: false,
        }
    }
}

/// `bench compile [--ops N[,N..]] [--runs R] [--other]`.
pub fn command(root: &Path, args: &[String]) -> ExitCode {
    let mut plan = Plan::full();
    let mut it = args.iter();
    let mut runs = None;
    while let Some(a) = it.next() {
        match a.as_str() {
            "--ops" => {
                let list = it.next().map(String::as_str).unwrap_or_default();
                plan.sizes = list
                    .split(',')
                    .filter_map(|n| n.trim().parse().ok())
                    .map(|n| (n, 1))
                    .collect();
            }
            "--runs" => runs = it.next().and_then(|r| r.parse().ok()),
            "--other" => plan.install_other = true,
            "--no-other" => plan.other_ops = None,
            other => {
                eprintln!("error: unknown argument {other:?}");
                return ExitCode::from(2);
            }
        }
    }
    if let Some(r) = runs {
        for size in &mut plan.sizes {
            size.1 = r;
        }
    }
    match measure(root, &plan) {
        Ok(figures) => {
            println!("{}", table(&figures));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Generates, builds the dependencies once, then times the checks.
pub fn measure(root: &Path, plan: &Plan) -> Result<Figures, String> {
    let scratch = root.join("target").join("bench-compile");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let mut rows = Vec::new();
    for &(ops, runs) in &plan.sizes {
        eprintln!("compile: {ops} operations, {runs} run(s)");
        let dir = scratch.join(format!("ours-{ops}"));
        generate_ours(root, &xtask::synth::synthetic_spec(ops), &dir)?;
        let times = time_check(&dir, OURS, &scratch.join("target"), runs)?;
        let best = best(&times);
        rows.push(Row {
            ops,
            best,
            runs: times.iter().map(|r| r.wall_s).collect(),
        });
    }
    let other = match plan.other_ops {
        Some(ops) => compare(root, &scratch, ops, plan.install_other),
        None => Err("not asked for".to_owned()),
    };
    Ok(Figures { rows, other })
}

/// Our crate and progenitor's, for the synthetic spec without its 204 responses:
/// progenitor refuses an operation whose success responses differ (it asserts that there
/// is one response type).
fn compare(root: &Path, scratch: &Path, ops: usize, install: bool) -> Result<Comparison, String> {
    let progenitor = find_progenitor(scratch, install)?;
    let spec = one_success_body(&xtask::synth::synthetic_spec(ops), ops)?;
    let spec_file = scratch.join(format!("one-body-{ops}.yaml"));
    std::fs::write(&spec_file, &spec).map_err(|e| format!("{}: {e}", spec_file.display()))?;
    eprintln!("compile: {ops} operations, ours and progenitor's, one run each");
    let ours_dir = scratch.join(format!("ours-one-body-{ops}"));
    generate_ours(root, &spec, &ours_dir)?;
    let ours = best(&time_check(&ours_dir, OURS, &scratch.join("target"), 1)?);
    let theirs_dir = scratch.join(format!("progenitor-{ops}"));
    let _ = std::fs::remove_dir_all(&theirs_dir);
    let status = Command::new(&progenitor)
        .args([
            "progenitor",
            "--interface",
            "builder",
            "-n",
            "synthetic-progenitor",
        ])
        .args(["-v", "0.1.0", "-i"])
        .arg(&spec_file)
        .arg("-o")
        .arg(&theirs_dir)
        .stdout(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", progenitor.display()))?;
    if !status.success() {
        return Err(format!("{PROGENITOR} failed ({status})"));
    }
    standalone(&theirs_dir, None)?;
    // Its own target directory: its dependencies differ from ours.
    let theirs = best(&time_check(
        &theirs_dir,
        "synthetic_progenitor",
        &scratch.join("target-progenitor"),
        1,
    )?);
    Ok(Comparison { ops, ours, theirs })
}

/// `text` without the 204 response of each operation (see [`compare`]).
fn one_success_body(text: &str, ops: usize) -> Result<String, String> {
    const NO_CONTENT: &str = "        '204':\n          description: Nothing changed.\n";
    if text.matches(NO_CONTENT).count() != ops {
        return Err("the synthetic spec no longer has one 204 response per operation".into());
    }
    Ok(text.replace(NO_CONTENT, ""))
}

/// The other generator: on `PATH`, in `target/bench-compile/tools`, or installed there.
fn find_progenitor(scratch: &Path, install: bool) -> Result<PathBuf, String> {
    let tools = scratch.join("tools");
    let local = tools.join("bin").join(PROGENITOR);
    if local.exists() {
        return Ok(local);
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(PROGENITOR))
            .find(|p| p.exists())
    });
    if let Some(found) = on_path {
        return Ok(found);
    }
    if !install {
        return Err(format!(
            "{PROGENITOR} is not at hand (`cargo xtask bench compile --other` installs it)"
        ));
    }
    eprintln!("compile: installing {PROGENITOR} {PROGENITOR_VERSION} (a few minutes)");
    let status = cargo()
        .args([
            "install",
            "--quiet",
            PROGENITOR,
            "--version",
            PROGENITOR_VERSION,
        ])
        .arg("--root")
        .arg(&tools)
        .env("CARGO_TARGET_DIR", scratch.join("target-tools"))
        .status()
        .map_err(|e| format!("cannot run cargo install: {e}"))?;
    if status.success() && local.exists() {
        Ok(local)
    } else {
        Err(format!("cargo install {PROGENITOR} failed ({status})"))
    }
}

/// Writes our crate for `spec` into `dir`, as a workspace of its own.
fn generate_ours(root: &Path, spec: &str, dir: &Path) -> Result<(), String> {
    let runtime = xtask::jobs::runtime_for(root, dir);
    let generated = xtask::generate("synthetic.yaml", spec, &runtime)
        .map_err(|d| format!("generation failed: {d}"))?;
    xtask::write::write(dir, &generated.files).map_err(|e| format!("{}: {e}", dir.display()))?;
    standalone(dir, Some(&root.join("Cargo.lock")))
}

/// Makes `dir` a workspace of its own; with `lock`, pinned to the same dependency versions
/// as this repository (no network needed).
pub fn standalone(dir: &Path, lock: Option<&Path>) -> Result<(), String> {
    let manifest = dir.join("Cargo.toml");
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    if !text.contains("\n[workspace]") {
        std::fs::write(&manifest, format!("{text}\n[workspace]\n"))
            .map_err(|e| format!("{}: {e}", manifest.display()))?;
    }
    if let Some(lock) = lock {
        std::fs::copy(lock, dir.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    }
    Ok(())
}

/// `cargo check` of the crate in `dir` `runs` times (after one that builds its
/// dependencies), each after touching its root, its `rustc` measured by [`wrap`].
fn time_check(
    dir: &Path,
    crate_name: &str,
    target: &Path,
    runs: usize,
) -> Result<Vec<Run>, String> {
    let check = Check {
        dir,
        crate_name,
        target,
        // Our crates are pinned to this repository's lock file; progenitor's resolves its
        // own dependencies the first time.
        offline: crate_name == OURS,
        features: None,
    };
    check.once(false)?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        times.push(check.once(true)?);
    }
    Ok(times)
}

/// One crate's `cargo check --lib`, as [`time_check`] and the crate of areas run it.
pub struct Check<'a> {
    /// The crate, a workspace of its own (see [`standalone`]).
    pub dir: &'a Path,
    /// Its library name, as `rustc --crate-name` has it.
    pub crate_name: &'a str,
    pub target: &'a Path,
    /// `--offline`: the crate is pinned to a lock file whose dependencies are at hand.
    pub offline: bool,
    /// `None`: the crate's default features; else `--no-default-features` and these.
    pub features: Option<&'a [String]>,
}

impl Check<'_> {
    /// Touches the crate's root and checks it; with `record`, returns the figures of its
    /// `rustc` (else the run only brings the build up to date, dependencies included).
    pub fn once(&self, record: bool) -> Result<Run, String> {
        let out = self.target.join(format!("rustc-{}.txt", self.crate_name));
        let _ = std::fs::remove_file(&out);
        let lib = self.dir.join("src").join("lib.rs");
        let text = std::fs::read(&lib).map_err(|e| format!("{}: {e}", lib.display()))?;
        std::fs::write(&lib, text).map_err(|e| format!("{}: {e}", lib.display()))?;
        let mut command = cargo();
        command
            .current_dir(self.dir)
            .args(["check", "--quiet", "--lib"])
            .env("CARGO_TARGET_DIR", self.target)
            .env("CARGO_INCREMENTAL", "0")
            .env(
                "RUSTC_WRAPPER",
                std::env::current_exe().map_err(|e| e.to_string())?,
            )
            .env(WRAP_OUT, &out)
            .env(WRAP_CRATE, if record { self.crate_name } else { "" });
        if self.offline {
            command.arg("--offline");
        }
        if let Some(features) = self.features {
            command.arg("--no-default-features");
            if !features.is_empty() {
                command.arg("--features").arg(features.join(","));
            }
        }
        let status = command
            .status()
            .map_err(|e| format!("cannot run cargo check: {e}"))?;
        if !status.success() {
            return Err(format!(
                "cargo check of {} failed ({status})",
                self.dir.display()
            ));
        }
        if !record {
            return Ok(NO_RUN);
        }
        let text = std::fs::read_to_string(&out)
            .map_err(|e| format!("no figures from the rustc wrapper ({}): {e}", out.display()))?;
        parse_run(&text).ok_or_else(|| "unreadable figures from the rustc wrapper".to_owned())
    }
}

/// No figures: what [`best`] of no runs is.
const NO_RUN: Run = Run {
    wall_s: f64::NAN,
    cpu_s: f64::NAN,
    peak_rss: 0,
};

/// The run of least wall time.
pub fn best(runs: &[Run]) -> Run {
    runs.iter()
        .copied()
        .min_by(|a, b| a.wall_s.total_cmp(&b.wall_s))
        .unwrap_or(NO_RUN)
}

fn parse_run(text: &str) -> Option<Run> {
    let mut parts = text.split_whitespace();
    Some(Run {
        wall_s: parts.next()?.parse().ok()?,
        cpu_s: parts.next()?.parse().ok()?,
        peak_rss: parts.next()?.parse().ok()?,
    })
}

/// The cargo that runs us (`CARGO`, set by `cargo run`), else `cargo` from `PATH`.
fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Whether this process was started by cargo as `RUSTC_WRAPPER` (`bench rustc ARGS..`).
pub fn is_wrapper() -> bool {
    std::env::var_os(WRAP_OUT).is_some()
}

/// As `RUSTC_WRAPPER`: runs `rustc` with its arguments; for the crate named in
/// `BENCH_WRAP_CRATE`, appends its wall time, CPU time (seconds) and peak resident memory
/// (bytes) to the file in `BENCH_WRAP_OUT`.
pub fn wrap(args: &[String]) -> ExitCode {
    let Some((rustc, rest)) = args.split_first() else {
        return ExitCode::from(2);
    };
    let wanted = std::env::var(WRAP_CRATE).unwrap_or_default();
    let measured = !wanted.is_empty()
        && rest
            .windows(2)
            .any(|w| w[0] == "--crate-name" && w[1] == wanted);
    let start = Instant::now();
    let status = match Command::new(rustc).args(rest).status() {
        Ok(status) => status,
        Err(e) => {
            eprintln!("bench: cannot run {rustc}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let wall = start.elapsed().as_secs_f64();
    if measured && status.success() {
        // SAFETY: `getrusage` only writes the struct it is given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: a valid pointer to a `rusage`.
        if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } == 0
            && let Some(out) = std::env::var_os(WRAP_OUT)
        {
            let cpu = usage.ru_utime.tv_sec as f64
                + usage.ru_utime.tv_usec as f64 / 1e6
                + usage.ru_stime.tv_sec as f64
                + usage.ru_stime.tv_usec as f64 / 1e6;
            // Linux reports kilobytes.
            let peak = usage.ru_maxrss as u64 * 1024;
            let _ = std::fs::write(out, format!("{wall} {cpu} {peak}\n"));
        }
    }
    match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    }
}

/// The figures as a Markdown table.
pub fn table(f: &Figures) -> String {
    let mut out = String::from(
        "| crate | `cargo check` (best run) | per operation | peak memory |\n|---|---|---|---|\n",
    );
    for r in &f.rows {
        out.push_str(&format!(
            "| ours, {} operations | {:.1} s | {:.1} ms | {:.2} GB |\n",
            r.ops,
            r.best.wall_s,
            r.ms_per_op(),
            r.best.peak_rss as f64 / 1e9
        ));
    }
    match &f.other {
        Ok(c) => out.push_str(&format!(
            "| ours / progenitor {PROGENITOR_VERSION}, {} operations (no 204 responses) | {:.1} s / {:.1} s (ratio {:.2}) | {:.1} / {:.1} ms | {:.2} / {:.2} GB |\n",
            c.ops,
            c.ours.wall_s,
            c.theirs.wall_s,
            c.ours.wall_s / c.theirs.wall_s,
            c.ours.wall_s * 1000.0 / c.ops as f64,
            c.theirs.wall_s * 1000.0 / c.ops as f64,
            c.ours.peak_rss as f64 / 1e9,
            c.theirs.peak_rss as f64 / 1e9,
        )),
        Err(e) => out.push_str(&format!("| progenitor | not measured: {e} | | |\n")),
    }
    out
}
