//! `bench stages (--ops N | --spec FILE) [--runs R]`: where the generator's time goes, stage by
//! stage (median of R runs each), to find what to optimize. Not part of `run`.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use crate::stats::{median, ms};

pub fn stages(root: &Path, args: &[String]) -> ExitCode {
    let mut text = None;
    let mut label = String::new();
    let mut runs = 3usize;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match (a.as_str(), it.next()) {
            ("--ops", Some(n)) => {
                let n: usize = n.parse().unwrap_or(0);
                label = format!("synthetic-{n}.yaml");
                text = Some(xtask::synth::synthetic_spec(n));
            }
            ("--spec", Some(f)) => {
                label = f.clone();
                text = std::fs::read_to_string(root.join(f)).ok();
            }
            ("--runs", Some(r)) => runs = r.parse().unwrap_or(3).max(1),
            _ => {
                eprintln!("usage: bench stages (--ops N | --spec FILE) [--runs R]");
                return ExitCode::from(2);
            }
        }
    }
    let Some(text) = text else {
        eprintln!("usage: bench stages (--ops N | --spec FILE) [--runs R]");
        return ExitCode::from(2);
    };
    let runtime = crate::generator::runtime(root);
    let mut times: Vec<(&str, Vec<f64>)> = Vec::new();
    let mut record =
        |name: &'static str, value: f64| match times.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => v.push(value),
            None => times.push((name, vec![value])),
        };
    let one = xtask::synth::synthetic_spec(1);
    crate::alloc::track_heap();
    for _ in 0..runs {
        let total = Instant::now();
        let t = Instant::now();
        let spec = match xtask::load::load(&label, &text) {
            Ok(s) => s,
            Err(d) => {
                eprintln!("{d}");
                return ExitCode::FAILURE;
            }
        };
        record("load (YAML -> openapiv3)", ms(t.elapsed()));
        let t = Instant::now();
        let _map = xtask::source_map::SourceMap::build(&text);
        record(
            "source map (built only to report an error)",
            ms(t.elapsed()),
        );
        let t = Instant::now();
        let api = match xtask::lower::lower(&spec) {
            Ok(a) => a,
            Err(d) => {
                eprintln!("{d}");
                return ExitCode::FAILURE;
            }
        };
        record("lower", ms(t.elapsed()));
        record(
            "  MB live after lower (document + model + text)",
            crate::alloc::heap_live() as f64 / 1048576.0,
        );
        let before = crate::alloc::heap_live();
        let t = Instant::now();
        let cx = xtask::emit::Context::new(&api);
        let models = xtask::emit::models::items(&api, &cx, &api.types);
        record("emit models (syntax trees)", ms(t.elapsed()));
        let t = Instant::now();
        let mut operations = vec![xtask::emit::operations::methods(&api, &cx, &api.operations)];
        operations.extend(xtask::emit::operations::items(&api, &cx, &api.operations));
        record("emit operations (syntax trees)", ms(t.elapsed()));
        record(
            "  MB: models + operations syntax trees",
            (crate::alloc::heap_live() - before) as f64 / 1048576.0,
        );
        for (name, items) in [("models", models), ("operations", operations)] {
            let t = Instant::now();
            let out = xtask::render::items(items, name);
            record(
                if name == "models" {
                    "print with prettyplease, free the trees (models)"
                } else {
                    "print with prettyplease, free the trees (operations)"
                },
                ms(t.elapsed()),
            );
            drop(out);
        }
        let t = Instant::now();
        drop(api);
        drop(spec);
        record("drop model and document", ms(t.elapsed()));
        record("sum of the above", ms(total.elapsed()));
        let t = Instant::now();
        let g = xtask::generate(&label, &text, &runtime);
        record("xtask::generate (for comparison)", ms(t.elapsed()));
        drop(g);
        let t = Instant::now();
        let g = xtask::generate("one.yaml", &one, &runtime);
        record("xtask::generate, 1 operation", ms(t.elapsed()));
        drop(g);
    }
    println!("{label}: median of {runs} runs");
    for (name, v) in &times {
        let unit = if name.contains("MB") { "MB" } else { "ms" };
        println!("{:>10.2} {unit}  {name}", median(v));
    }
    ExitCode::SUCCESS
}
