//! The generator: time of `xtask::generate` (in memory: load, validate, emit, format) for
//! the repository's spec and synthetic specs, and the peak memory of one generation in a
//! child process (`bench gen-one`).

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

use serde_json::{Value, json};
use xtask::emit::manifest::RuntimeDependency;

use crate::stats::{median, ms};

/// One spec to generate from.
pub struct Case {
    /// `spec/token-administration.yaml` or `synthetic`.
    pub label: String,
    /// `None` for the repository's spec.
    pub synthetic_ops: Option<usize>,
    pub spec_file: String,
    pub text: String,
}

impl Case {
    pub fn repository(root: &Path) -> Result<Case, String> {
        let spec_file = repository_spec(root)?;
        let text = std::fs::read_to_string(root.join(&spec_file))
            .map_err(|e| format!("cannot read {spec_file}: {e}"))?;
        Ok(Case {
            label: spec_file.clone(),
            synthetic_ops: None,
            spec_file,
            text,
        })
    }

    pub fn synthetic(ops: usize) -> Case {
        Case {
            label: format!("synthetic, {ops} operations"),
            synthetic_ops: Some(ops),
            spec_file: format!("synthetic-{ops}.yaml"),
            text: xtask::synth::synthetic_spec(ops),
        }
    }
}

/// The only `*.yaml` file in `spec/`, relative to the root.
fn repository_spec(root: &Path) -> Result<String, String> {
    let dir = root.join("spec");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
        .collect();
    names.sort();
    match names.as_slice() {
        [one] => Ok(format!("spec/{one}")),
        _ => Err(format!("expected one spec in {}", dir.display())),
    }
}

/// The runtime dependency of crates generated in memory (the bench writes none of them but
/// `compile`'s, which get their own).
pub fn runtime(root: &Path) -> RuntimeDependency {
    xtask::jobs::runtime_for(root, &root.join("generated"))
}

/// What was measured for one spec.
pub struct Timing {
    pub runs_ms: Vec<f64>,
    /// The first generation in a fresh process.
    pub first_ms: f64,
    pub operations: usize,
    pub types: usize,
    pub output_bytes: usize,
    pub output_lines: usize,
    pub memory: Memory,
}

impl Timing {
    pub fn median_ms(&self) -> f64 {
        median(&self.runs_ms)
    }
}

/// Peak memory of one generation (the first one of a fresh process).
#[derive(Debug, Clone, Copy, Default)]
pub struct Memory {
    /// Peak resident set size (VmHWM) of the process, bytes.
    pub peak_rss: u64,
    /// Most heap bytes live at once while building the spec text and generating.
    pub peak_heap: u64,
}

/// Times every case in fresh child processes (`bench gen-one`), so that no case runs in a
/// heap left fragmented by another (after a 1,000-operation generation, later small ones
/// in the same process were 1.7 times slower) and each figure is what one
/// `cargo xtask codegen` process sees. Two passes, smallest spec first then largest first,
/// each with half the runs: a drift in machine load is spread over every size and does
/// not skew the scaling ratio. Peak memory is that of the first pass's first generation.
pub fn time(cases: &[(&Case, usize, usize)]) -> Result<Vec<Timing>, String> {
    let mut timings: Vec<Option<Timing>> = cases.iter().map(|_| None).collect();
    let forward: Vec<usize> = (0..cases.len()).collect();
    let backward: Vec<usize> = (0..cases.len()).rev().collect();
    for (pass, order) in [forward, backward].into_iter().enumerate() {
        for i in order {
            let (case, warmup, runs) = cases[i];
            let n = if pass == 0 { runs / 2 } else { runs - runs / 2 };
            let child = run_child(case, warmup, n)?;
            match &mut timings[i] {
                Some(t) => t.runs_ms.extend(child.runs_ms),
                None => timings[i] = Some(child),
            }
        }
    }
    Ok(timings.into_iter().flatten().collect())
}

fn run_child(case: &Case, warmup: usize, runs: usize) -> Result<Timing, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the bench binary: {e}"))?;
    let mut cmd = Command::new(exe);
    cmd.arg("gen-one");
    match case.synthetic_ops {
        Some(n) => cmd.args(["--ops", &n.to_string()]),
        None => cmd.args(["--spec", &case.spec_file]),
    };
    cmd.args(["--warmup", &warmup.to_string(), "--runs", &runs.to_string()]);
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run bench gen-one: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "bench gen-one for {} failed: {}",
            case.label,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let v: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("bench gen-one printed no JSON: {e}"))?;
    let num = |k: &str| v[k].as_f64().unwrap_or(0.0);
    Ok(Timing {
        runs_ms: v["runs_ms"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default(),
        first_ms: num("first_ms"),
        operations: num("operations") as usize,
        types: num("types") as usize,
        output_bytes: num("output_bytes") as usize,
        output_lines: num("output_lines") as usize,
        memory: Memory {
            peak_rss: num("peak_rss_bytes") as u64,
            peak_heap: num("peak_heap_bytes") as u64,
        },
    })
}

/// `bench gen-one (--ops N | --spec FILE) [--warmup W] [--runs R]`: builds the spec text,
/// loads the templates, generates once (peak memory is read right after), then `W - 1`
/// more untimed and `R` timed generations; prints the figures as JSON.
pub fn gen_one(root: &Path, args: &[String]) -> ExitCode {
    crate::alloc::track_heap();
    let mut it = args.iter();
    let mut case = None;
    let (mut warmup, mut runs) = (1usize, 0usize);
    while let Some(a) = it.next() {
        match (a.as_str(), it.next()) {
            ("--ops", Some(n)) => match n.parse() {
                Ok(n) => case = Some(Ok(Case::synthetic(n))),
                Err(_) => return usage(&format!("--ops needs a number, not {n:?}")),
            },
            ("--spec", Some(f)) => {
                case = Some(
                    std::fs::read_to_string(root.join(f))
                        .map(|text| Case {
                            label: f.clone(),
                            synthetic_ops: None,
                            spec_file: f.clone(),
                            text,
                        })
                        .map_err(|e| format!("cannot read {f}: {e}")),
                )
            }
            ("--warmup", Some(n)) => match n.parse() {
                Ok(n) => warmup = n,
                Err(_) => return usage(&format!("--warmup needs a number, not {n:?}")),
            },
            ("--runs", Some(n)) => match n.parse() {
                Ok(n) => runs = n,
                Err(_) => return usage(&format!("--runs needs a number, not {n:?}")),
            },
            _ => return usage(&format!("unexpected argument {a:?}")),
        }
    }
    let case = match case {
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
        None => return usage("gen-one needs --ops N or --spec FILE"),
    };
    let runtime = runtime(root);
    let once = || {
        let start = Instant::now();
        let result = xtask::generate(&case.spec_file, &case.text, &runtime);
        (result, start.elapsed())
    };
    let (first, first_elapsed) = match once() {
        (Ok(g), t) => (g, t),
        (Err(d), _) => {
            eprintln!("{d}");
            return ExitCode::FAILURE;
        }
    };
    let (peak_rss, peak_heap) = (peak_rss_bytes(), crate::alloc::heap_peak());
    // The timed runs go without heap tracking, as `cargo xtask codegen` runs.
    crate::alloc::stop_tracking_heap();
    let output_bytes: usize = first.files.iter().map(|f| f.contents.len()).sum();
    let output_lines: usize = first.files.iter().map(|f| f.contents.lines().count()).sum();
    let (operations, types) = (first.operations, first.types);
    drop(first);
    for _ in 1..warmup {
        let _ = once();
    }
    let runs_ms: Vec<f64> = (0..runs).map(|_| ms(once().1)).collect();
    let out = json!({
        "spec": case.label,
        "operations": operations,
        "types": types,
        "output_bytes": output_bytes,
        "output_lines": output_lines,
        "first_ms": ms(first_elapsed),
        "runs_ms": runs_ms,
        "peak_rss_bytes": peak_rss,
        "peak_heap_bytes": peak_heap,
    });
    println!("{out}");
    ExitCode::SUCCESS
}

fn usage(message: &str) -> ExitCode {
    eprintln!(
        "error: {message}\nusage: bench gen-one (--ops N | --spec FILE) [--warmup W] [--runs R]"
    );
    ExitCode::from(2)
}

/// VmHWM of this process (Linux), in bytes; 0 where unavailable.
fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("VmHWM:")?
                    .trim()
                    .strip_suffix("kB")?
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
        })
        .map_or(0, |kb| kb * 1024)
}
