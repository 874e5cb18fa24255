//! `bench stages (--ops N | --spec FILE) [--runs R]`: where the generator's time goes, stage by
//! stage (median of R runs each), to find what to optimize. Not part of `run`.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use crate::stats::{median, ms};

const USAGE: &str = "usage: bench stages (--ops N | --spec FILE) [--runs R]";

pub fn stages(root: &Path, args: &[String]) -> ExitCode {
    let Some((label, text, runs)) = arguments(root, args) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let runtime = crate::generator::runtime(root);
    let mut times = Times::default();
    let one = xtask::synth::synthetic_spec(1);
    crate::alloc::track_heap();
    for _ in 0..runs {
        if let Err(d) = one_run(&label, &text, &mut times) {
            eprintln!("{d}");
            return ExitCode::FAILURE;
        }
        let t = Instant::now();
        let g = xtask::generate(&label, &text, &runtime);
        times.record("xtask::generate (for comparison)", ms(t.elapsed()));
        drop(g);
        let t = Instant::now();
        let g = xtask::generate("one.yaml", &one, &runtime);
        times.record("xtask::generate, 1 operation", ms(t.elapsed()));
        drop(g);
    }
    println!("{label}: median of {runs} runs");
    for (name, v) in &times.0 {
        let unit = if name.contains("MB") { "MB" } else { "ms" };
        println!("{:>10.2} {unit}  {name}", median(v));
    }
    ExitCode::SUCCESS
}

/// The spec's label and text and the number of runs; `None` for a usage error.
fn arguments(root: &Path, args: &[String]) -> Option<(String, String, usize)> {
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
            _ => return None,
        }
    }
    Some((label, text?, runs))
}

/// The figures of every run, by stage, in the order first recorded.
#[derive(Default)]
struct Times(Vec<(&'static str, Vec<f64>)>);

impl Times {
    fn record(&mut self, name: &'static str, value: f64) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => v.push(value),
            None => self.0.push((name, vec![value])),
        }
    }
}

/// One run of the stages, one after another, each timed (and the memory they hold).
fn one_run(
    label: &str,
    text: &str,
    times: &mut Times,
) -> Result<(), xtask::diagnostics::Diagnostics> {
    let total = Instant::now();
    let t = Instant::now();
    let spec = xtask::load::load(label, text)?;
    times.record("load (YAML -> openapiv3)", ms(t.elapsed()));
    let t = Instant::now();
    let _map = xtask::source_map::SourceMap::build(text);
    times.record(
        "source map (built only to report an error)",
        ms(t.elapsed()),
    );
    let t = Instant::now();
    let api = xtask::lower::lower(&spec)?;
    times.record("lower", ms(t.elapsed()));
    times.record(
        "  MB live after lower (document + model + text)",
        crate::alloc::heap_live() as f64 / 1048576.0,
    );
    let before = crate::alloc::heap_live();
    let t = Instant::now();
    let cx = xtask::emit::Context::new(&api);
    let models = xtask::emit::models::items(&api, &cx, &api.types);
    times.record("emit models (syntax trees)", ms(t.elapsed()));
    let t = Instant::now();
    let mut operations = vec![xtask::emit::operations::methods(&api, &cx, &api.operations)];
    operations.extend(xtask::emit::operations::items(&api, &cx, &api.operations));
    times.record("emit operations (syntax trees)", ms(t.elapsed()));
    times.record(
        "  MB: models + operations syntax trees",
        (crate::alloc::heap_live() - before) as f64 / 1048576.0,
    );
    let t = Instant::now();
    drop(xtask::render::items(models, "models"));
    times.record(
        "print with prettyplease, free the trees (models)",
        ms(t.elapsed()),
    );
    let t = Instant::now();
    drop(xtask::render::items(operations, "operations"));
    times.record(
        "print with prettyplease, free the trees (operations)",
        ms(t.elapsed()),
    );
    let t = Instant::now();
    drop(api);
    drop(spec);
    times.record("drop model and document", ms(t.elapsed()));
    times.record("sum of the above", ms(total.elapsed()));
    Ok(())
}
