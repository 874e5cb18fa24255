//! `bench instructions`: the generator's and the client's cost in instructions, counted by
//! valgrind's callgrind. Unlike times, the counts do not move with the load of the machine,
//! so two versions of the code compare even on a busy shared machine. Slow (a minute or
//! two) and needs valgrind; not part of `run`.

use std::path::Path;
use std::process::{Command, ExitCode};

/// Operations in the synthetic spec whose generation is counted.
const OPS: usize = 300;
/// The client is counted at two call counts; their difference over the difference in
/// calls is the cost of one call, without the start-up of process, runtime and server.
const CALLS: (usize, usize) = (200, 1200);

pub fn instructions(root: &Path) -> ExitCode {
    match measure(root) {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn measure(root: &Path) -> Result<Vec<String>, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the bench binary: {e}"))?;
    let count = |args: &[String]| count(root, &exe, args);
    let generation = count(&[
        "gen-one".into(),
        "--ops".into(),
        OPS.to_string(),
        "--warmup".into(),
        "1".into(),
        "--runs".into(),
        "0".into(),
    ])?;
    let templates_only = count(&[
        "gen-one".into(),
        "--spec".into(),
        "spec/token-administration.yaml".into(),
        "--warmup".into(),
        "1".into(),
        "--runs".into(),
        "0".into(),
    ])?;
    let mut per_call = Vec::new();
    for which in ["generated", "raw"] {
        let few = count(&["client-loop".into(), which.into(), CALLS.0.to_string()])?;
        let many = count(&["client-loop".into(), which.into(), CALLS.1.to_string()])?;
        per_call.push(many.saturating_sub(few) as f64 / (CALLS.1 - CALLS.0) as f64);
    }
    let (generated, raw) = (per_call[0], per_call[1]);
    Ok(vec![
        "| measure | instructions |".into(),
        "|---|---|".into(),
        format!(
            "| generate: synthetic, {OPS} operations (a fresh process: templates, spec, one generation) | {} |",
            giga(generation)
        ),
        format!(
            "| generate: spec/token-administration.yaml (the same) | {} |",
            giga(templates_only)
        ),
        format!(
            "| client: one call, generated / raw reqwest (client and server threads) | {:.1}k / {:.1}k ({:+.1}%) |",
            generated / 1000.0,
            raw / 1000.0,
            (generated / raw - 1.0) * 100.0
        ),
    ])
}

fn giga(n: u64) -> String {
    format!("{:.3} G", n as f64 / 1e9)
}

/// Instructions of one run of this binary with `args`, under callgrind.
fn count(root: &Path, exe: &Path, args: &[String]) -> Result<u64, String> {
    let out_file = std::env::temp_dir().join(format!("bench-callgrind-{}.out", std::process::id()));
    let out = Command::new("valgrind")
        .current_dir(root)
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg(exe)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run valgrind (is it installed?): {e}"))?;
    let _ = std::fs::remove_file(&out_file);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("valgrind {}: {stderr}", args.join(" ")));
    }
    // `==PID== I   refs:      4,427,081,753`
    stderr
        .lines()
        .find_map(|l| {
            l.split_once("I   refs:")
                .map(|(_, n)| n.trim().replace(',', ""))
        })
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("no instruction count in valgrind's output:\n{stderr}"))
}
