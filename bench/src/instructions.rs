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
    let client = |args: &[String]| count(root, &exe, args);
    let count = |args: &[String]| client(args).map(|(all, _)| all);
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
    // Per call: of the whole process (the client's thread and the local server's), and of
    // the client's thread alone (the main thread: the server runs on one of its own).
    let mut per_call = Vec::new();
    for which in ["generated", "raw"] {
        let few = client(&["client-loop".into(), which.into(), CALLS.0.to_string()])?;
        let many = client(&["client-loop".into(), which.into(), CALLS.1.to_string()])?;
        let calls = (CALLS.1 - CALLS.0) as f64;
        per_call.push((
            many.0.saturating_sub(few.0) as f64 / calls,
            many.1.saturating_sub(few.1) as f64 / calls,
        ));
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
            generated.0 / 1000.0,
            raw.0 / 1000.0,
            (generated.0 / raw.0 - 1.0) * 100.0
        ),
        format!(
            "| client: one call, generated / raw reqwest (the client's thread alone) | {:.1}k / {:.1}k ({:+.1}%) |",
            generated.1 / 1000.0,
            raw.1 / 1000.0,
            (generated.1 / raw.1 - 1.0) * 100.0
        ),
    ])
}

fn giga(n: u64) -> String {
    format!("{:.3} G", n as f64 / 1e9)
}

/// Instructions of one run of this binary with `args`, under callgrind: of the whole
/// process, and of its main thread alone (callgrind writes one file per thread; the first
/// is the main thread's).
fn count(root: &Path, exe: &Path, args: &[String]) -> Result<(u64, u64), String> {
    let dir = std::env::temp_dir().join(format!("bench-callgrind-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let out = Command::new("valgrind")
        .current_dir(root)
        .arg("--tool=callgrind")
        .arg("--separate-threads=yes")
        .arg(format!(
            "--callgrind-out-file={}",
            dir.join("out").display()
        ))
        .arg(exe)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run valgrind (is it installed?): {e}"))?;
    let main_thread = std::fs::read_to_string(dir.join("out-01"));
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("valgrind {}: {stderr}", args.join(" ")));
    }
    // `==PID== I   refs:      4,427,081,753`
    let all = stderr
        .lines()
        .find_map(|l| {
            l.split_once("I   refs:")
                .map(|(_, n)| n.trim().replace(',', ""))
        })
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("no instruction count in valgrind's output:\n{stderr}"))?;
    // `summary: 36535258` in the main thread's file.
    let main = main_thread
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("summary:").map(|n| n.trim().to_owned()))
        })
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| "no count of the main thread in callgrind's output".to_owned())?;
    Ok((all, main))
}
