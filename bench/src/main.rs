//! `cargo xtask bench` runs this binary in release mode: measured speed and memory of the
//! generator and of the generated client, against the targets of the project.
//!
//! ```text
//! bench [run] [--skip-downstream] [--quick] [--json FILE]
//! bench gen-one (--ops N | --spec FILE) [--warmup W] [--runs R]
//! bench stages (--ops N | --spec FILE) [--runs R]
//! bench whole-set [--runs R]
//! bench areas [--runs R]
//! bench lines [--before REV]
//! bench models [--rounds R]
//! ```
//!
//! `run` (the default) prints one Markdown table of medians and writes the same figures as
//! JSON to `target/bench.json` under the workspace root (whatever `CARGO_TARGET_DIR` says),
//! or to `--json FILE`. `gen-one` times generations of one spec in a fresh process and
//! prints them and the peak memory as JSON; `run` starts it twice per spec size.

mod alloc;
mod areas;
mod client;
mod compile;
mod corpus;
mod downstream;
mod generator;
mod instructions;
mod lines;
mod models;
mod report;
mod server;
mod stages;
mod stats;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

use report::{Downstream, GeneratorRow, Report};

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

const USAGE: &str = "\
usage: bench [run] [--skip-downstream] [--quick] [--json FILE]
       bench gen-one (--ops N | --spec FILE) [--warmup W] [--runs R]
       bench stages (--ops N | --spec FILE) [--runs R]
       bench whole-set [--runs R]
       bench client [--quick]
       bench client-loop (generated | raw) N [--workers]
       bench instructions
       bench compile [--ops N[,N..]] [--runs R] [--other] [--no-other]
       bench areas [--runs R]
       bench lines [--before REV]
       bench models [--rounds R]

  --skip-downstream  do not measure the dependency count and clean `cargo check` time
  --quick            few runs: a smoke test of the benchmark, not figures to publish
  --json FILE        where to write the JSON (default: target/bench.json in the workspace)
  compile            `cargo check` of the crates generated for synthetic specs (250, 1,000,
                     2,000 operations by default) and of progenitor's for 1,000 operations;
                     --other installs progenitor when it is not at hand
  whole-set          only the row of the published 7.1 set (../shared): every description
                     imported and generated in memory, R timed passes (default 5)
  areas              `cargo check` of the fixture crate of areas with no feature, each area's
                     feature alone and all of them: best of R runs (default 3)
  lines              lines of the generated files checked in, now and at REV (default
                     a0c694d, before the runtime was a crate): runtime copies and the rest
  client             only the client's throughput rows (sequential, 16 tasks on one thread and
                     on 2 workers)
  models             decode and encode of an 8 MB page of a Core list example: the generated
                     models against serde-derived twins, R rounds (default 15)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Started by cargo as `RUSTC_WRAPPER` while measuring a crate's `cargo check`.
    if compile::is_wrapper() {
        return compile::wrap(&args);
    }
    let root = workspace_root();
    match args.first().map(String::as_str) {
        Some("gen-one") => generator::gen_one(&root, &args[1..]),
        Some("run") => run(&root, &args[1..]),
        Some("stages") => stages::stages(&root, &args[1..]),
        Some("instructions") => instructions::instructions(&root),
        Some("compile") => compile::command(&root, &args[1..]),
        Some("whole-set") => whole_set(&root, &args[1..]),
        Some("areas") => areas::command(&root, &args[1..]),
        Some("lines") => lines::command(&root, &args[1..]),
        Some("models") => models::command(&root, &args[1..]),
        Some("models-loop") => match models::models_loop(&root, &args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Some("client") => client::command(&args[1..]),
        Some("client-loop") => match client::client_loop(&args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => run(&root, &args),
    }
}

/// The workspace root: the parent of this package's manifest directory.
pub(crate) fn workspace_root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

struct Options {
    skip_downstream: bool,
    quick: bool,
    json: Option<PathBuf>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        skip_downstream: false,
        quick: false,
        json: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--skip-downstream" => o.skip_downstream = true,
            "--quick" => o.quick = true,
            "--json" => o.json = Some(it.next().ok_or("--json needs a file")?.into()),
            other => match other.strip_prefix("--json=") {
                Some(v) => o.json = Some(v.into()),
                None => return Err(format!("unknown argument {other:?}")),
            },
        }
    }
    Ok(o)
}

/// (synthetic operations or `None` for the repository's spec, warm-up runs, timed runs)
const GENERATOR_PLAN: [(Option<usize>, usize, usize); 4] = [
    (None, 5, 50),
    (Some(10), 3, 30),
    (Some(100), 2, 10),
    (Some(1000), 1, 6),
];

fn run(root: &Path, args: &[String]) -> ExitCode {
    let options = match parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match measure(root, &options) {
        Ok(report) => {
            println!("\n{}", report.table());
            println!("{}; {}", report.date, report.machine);
            let path = options
                .json
                .clone()
                .unwrap_or_else(|| root.join("target").join("bench.json"));
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let text = serde_json::to_string_pretty(&report.json()).unwrap_or_default() + "\n";
            match std::fs::write(&path, text) {
                Ok(()) => println!("figures as JSON: {}", path.display()),
                Err(e) => {
                    eprintln!("error: cannot write {}: {e}", path.display());
                    return ExitCode::FAILURE;
                }
            }
            let missed = report.missed();
            if missed.is_empty() {
                println!("all targets met");
            } else {
                println!("targets missed:");
                for m in missed {
                    println!("  - {m}");
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn measure(root: &Path, options: &Options) -> Result<Report, String> {
    let mut rows = Vec::new();
    let mut cases = Vec::new();
    for (ops, warmup, runs) in GENERATOR_PLAN {
        let case = match ops {
            Some(n) => generator::Case::synthetic(n),
            None => generator::Case::repository(root)?,
        };
        let (warmup, runs) = if options.quick {
            (1, runs.min(3))
        } else {
            (warmup, runs)
        };
        cases.push((case, warmup, runs));
    }
    eprintln!(
        "generator: {}",
        cases
            .iter()
            .map(|(c, _, runs)| format!("{} ({runs} runs)", c.label))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let plan: Vec<(&generator::Case, usize, usize)> =
        cases.iter().map(|(c, w, r)| (c, *w, *r)).collect();
    let timings = generator::time(&plan)?;
    for ((case, _, _), timing) in cases.into_iter().zip(timings) {
        rows.push(GeneratorRow {
            label: case.label,
            synthetic_ops: case.synthetic_ops,
            timing,
        });
    }

    let (warmup, runs) = if options.quick { (1, 1) } else { (1, 5) };
    eprintln!("generator: the whole published 7.1 set, imported and generated ({runs} runs)");
    let whole_set = corpus::measure(root, &generator::runtime(root), warmup, runs);

    let plan = if options.quick {
        client::Plan::quick()
    } else {
        client::Plan::full()
    };
    eprintln!(
        "client: {} runs of {} sequential requests and of {} tasks x {}, each client",
        plan.runs, plan.sequential, plan.tasks, plan.per_task
    );
    let client = client::run(plan);

    let rounds = if options.quick { 2 } else { 15 };
    eprintln!(
        "models: {rounds} rounds of decoding and encoding {} MB pages, generated and derived",
        models::PAGE_BYTES / (1024 * 1024)
    );
    let models = models::measure(root, rounds);

    let downstream = if options.skip_downstream {
        Downstream::Skipped
    } else {
        eprintln!(
            "downstream: cargo tree, clean cargo check, cargo check of generated crates and of the crate of areas (several minutes)"
        );
        Downstream::Measured {
            crates: downstream::crate_count(root),
            check: downstream::clean_check(root),
            compile: compile::measure(root, &compile::Plan::full()),
            areas: areas::measure(root, if options.quick { 1 } else { 3 }),
        }
    };
    Ok(Report {
        date: today(),
        machine: machine(),
        generator: rows,
        whole_set,
        client,
        models,
        downstream,
    })
}

/// `bench whole-set [--runs R]`: the row of the published 7.1 set alone.
fn whole_set(root: &Path, args: &[String]) -> ExitCode {
    let runs = match args {
        [] => 5,
        [flag, n] if flag == "--runs" => match n.parse() {
            Ok(n) => n,
            Err(_) => {
                eprintln!("error: --runs needs a number, not {n:?}\n\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("error: unexpected arguments {args:?}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let figures = corpus::measure(root, &generator::runtime(root), 1, runs);
    let row = report::whole_set_row(&figures);
    println!(
        "| measure | median | target | met |\n|---|---|---|---|\n| {} |",
        row.join(" | ")
    );
    if let Ok(Some(w)) = &figures {
        let runs: Vec<String> = w.runs_ms.iter().map(|ms| format!("{ms:.0}")).collect();
        println!("runs (ms): {}", runs.join(", "));
    }
    match figures {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Today's date (UTC), `YYYY-MM-DD`.
fn today() -> String {
    chrono::DateTime::<chrono::Utc>::from(SystemTime::now())
        .format("%Y-%m-%d")
        .to_string()
}

/// Cores and CPU model, for the record.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("model name")?
                    .split_once(':')
                    .map(|(_, m)| m.trim().to_owned())
            })
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    format!(
        "{cores} cores, {model}, {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}
