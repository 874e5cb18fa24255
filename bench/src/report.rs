//! One table of medians (Markdown, for the terminal and the README) and the same figures
//! as JSON.

use std::time::Duration;

use serde_json::{Value, json};

use crate::client::{self, Figures, Pair};
use crate::generator::Timing;

/// Targets from the issue.
pub const REPO_SPEC_MS: f64 = 5.0;
pub const THOUSAND_OPS_MS: f64 = 500.0;
pub const THOUSAND_OPS_MB: f64 = 150.0;
/// Linear scaling from 100 to 1,000 operations is a ratio of 10; 10 % is allowed for noise.
pub const SCALING_MAX: f64 = 11.0;
pub const THROUGHPUT_RATIO_MIN: f64 = 0.97;
pub const ADDED_P50_US_MAX: f64 = 20.0;

pub struct GeneratorRow {
    pub label: String,
    pub synthetic_ops: Option<usize>,
    pub timing: Timing,
}

pub enum Downstream {
    Skipped,
    Measured {
        crates: Result<usize, String>,
        check: Result<Duration, String>,
    },
}

pub struct Report {
    pub date: String,
    pub machine: String,
    pub generator: Vec<GeneratorRow>,
    pub client: Result<client::Results, String>,
    pub downstream: Downstream,
}

const MB: f64 = 1024.0 * 1024.0;

fn met(ok: bool) -> &'static str {
    if ok { "yes" } else { "**no**" }
}

/// `1234567.8` -> `1,234,568`
fn thousands(v: f64) -> String {
    let s = format!("{:.0}", v.max(0.0));
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Report {
    fn scaling(&self) -> Option<f64> {
        let at = |n| {
            self.generator
                .iter()
                .find(|r| r.synthetic_ops == Some(n))
                .map(|r| r.timing.median_ms())
        };
        Some(at(1000)? / at(100)?)
    }

    /// Every target with whether it was met, for the exit summary.
    pub fn missed(&self) -> Vec<String> {
        let mut missed = Vec::new();
        for r in &self.generator {
            let ms = r.timing.median_ms();
            match r.synthetic_ops {
                None if ms >= REPO_SPEC_MS => missed.push(format!(
                    "{}: {ms:.2} ms (target < {REPO_SPEC_MS} ms)",
                    r.label
                )),
                Some(1000) => {
                    if ms >= THOUSAND_OPS_MS {
                        missed.push(format!(
                            "1,000 operations: {ms:.0} ms (target < {THOUSAND_OPS_MS} ms)"
                        ));
                    }
                    let m = &r.timing.memory;
                    if m.peak_rss as f64 / MB >= THOUSAND_OPS_MB {
                        missed.push(format!(
                            "1,000 operations: {:.0} MB peak (target < {THOUSAND_OPS_MB} MB)",
                            m.peak_rss as f64 / MB
                        ));
                    }
                }
                _ => {}
            }
        }
        if let Some(s) = self.scaling()
            && s > SCALING_MAX
        {
            missed.push(format!(
                "scaling 100 -> 1,000 operations: x{s:.1} (linear is 10)"
            ));
        }
        if let Ok(c) = &self.client {
            for (mode, pair) in [("sequential", c.sequential), ("16 tasks", c.concurrent)] {
                let ratio = pair.ratio;
                if ratio < THROUGHPUT_RATIO_MIN {
                    missed.push(format!(
                        "client, {mode}: throughput ratio {ratio:.3} (target >= {THROUGHPUT_RATIO_MIN})"
                    ));
                }
                let added = pair.generated.p50_us - pair.raw.p50_us;
                if added >= ADDED_P50_US_MAX {
                    missed.push(format!(
                        "client, {mode}: +{added:.1} us at p50 (target < {ADDED_P50_US_MAX} us)"
                    ));
                }
            }
        }
        missed
    }

    pub fn table(&self) -> String {
        let mut rows: Vec<[String; 4]> = Vec::new();
        for r in &self.generator {
            let t = &r.timing;
            let ms = t.median_ms();
            let time = if ms < 10.0 {
                format!("{ms:.2} ms")
            } else {
                format!("{ms:.0} ms")
            };
            let m = &t.memory;
            let memory = format!(
                "{:.1} MB peak RSS ({:.1} MB heap)",
                m.peak_rss as f64 / MB,
                m.peak_heap as f64 / MB
            );
            let (target, ok) = match r.synthetic_ops {
                None => (format!("< {REPO_SPEC_MS} ms"), Some(ms < REPO_SPEC_MS)),
                Some(1000) => (
                    format!("< {THOUSAND_OPS_MS} ms, < {THOUSAND_OPS_MB} MB"),
                    Some(ms < THOUSAND_OPS_MS && (m.peak_rss as f64 / MB) < THOUSAND_OPS_MB),
                ),
                Some(_) => (String::new(), None),
            };
            rows.push([
                format!(
                    "generate: {} ({} ops, {} types, {} lines out)",
                    r.label,
                    thousands(t.operations as f64),
                    thousands(t.types as f64),
                    thousands(t.output_lines as f64)
                ),
                format!("{time}; {memory}"),
                target,
                ok.map(met).unwrap_or_default().to_owned(),
            ]);
        }
        if let Some(r) = self.generator.iter().find(|r| r.synthetic_ops.is_none()) {
            let t = &r.timing;
            rows.push([
                format!(
                    "generate: {}, cold (fresh process: `Templates::load` + first generation)",
                    r.label
                ),
                format!("{:.2} ms + {:.2} ms", t.templates_load_ms, t.first_ms),
                String::new(),
                String::new(),
            ]);
        }
        if let Some(s) = self.scaling() {
            rows.push([
                "generate: time ratio 1,000 / 100 operations".to_owned(),
                format!("x{s:.1}"),
                "linear (about 10)".to_owned(),
                met(s <= SCALING_MAX).to_owned(),
            ]);
        }
        match &self.client {
            Ok(c) => {
                let p = c.plan;
                for (mode, pair) in [
                    (
                        format!("{} sequential requests", thousands(p.sequential as f64)),
                        c.sequential,
                    ),
                    (
                        format!("{} tasks x {} requests", p.tasks, p.per_task),
                        c.concurrent,
                    ),
                ] {
                    client_rows(&mut rows, &mode, &pair);
                }
                let (gc, gb) = c.allocs_generated;
                let (rc, rb) = c.allocs_raw;
                rows.push([
                    "client: allocations per request, generated / raw".to_owned(),
                    format!(
                        "{gc:.1} / {rc:.1} ({:+.1}); {:.1} / {:.1} KB",
                        gc - rc,
                        gb / 1024.0,
                        rb / 1024.0
                    ),
                    String::new(),
                    String::new(),
                ]);
                if let Err(e) = &c.same_request {
                    rows.push([
                        "client: same request from both".to_owned(),
                        e.lines().next().unwrap_or_default().to_owned(),
                        "identical".to_owned(),
                        met(false).to_owned(),
                    ]);
                }
            }
            Err(e) => rows.push([
                "client".to_owned(),
                format!("not measured: {e}"),
                String::new(),
                String::new(),
            ]),
        }
        match &self.downstream {
            Downstream::Skipped => rows.push([
                "downstream".to_owned(),
                "skipped (--skip-downstream)".to_owned(),
                String::new(),
                String::new(),
            ]),
            Downstream::Measured { crates, check } => {
                rows.push([
                    "downstream: crates pulled in (`cargo tree -e normal`)".to_owned(),
                    match crates {
                        Ok(n) => n.to_string(),
                        Err(e) => format!("not measured: {e}"),
                    },
                    String::new(),
                    String::new(),
                ]);
                rows.push([
                    "downstream: clean `cargo check -p token-administration`".to_owned(),
                    match check {
                        Ok(d) => format!("{:.1} s", d.as_secs_f64()),
                        Err(e) => format!("not measured: {e}"),
                    },
                    String::new(),
                    String::new(),
                ]);
            }
        }
        let mut out = String::from("| measure | median | target | met |\n|---|---|---|---|\n");
        for [a, b, c, d] in rows {
            out.push_str(&format!("| {a} | {b} | {c} | {d} |\n"));
        }
        out
    }

    pub fn json(&self) -> Value {
        let generator: Vec<Value> = self
            .generator
            .iter()
            .map(|r| {
                json!({
                    "spec": r.label,
                    "synthetic_operations": r.synthetic_ops,
                    "operations": r.timing.operations,
                    "types": r.timing.types,
                    "output_bytes": r.timing.output_bytes,
                    "output_lines": r.timing.output_lines,
                    "median_ms": r.timing.median_ms(),
                    "runs_ms": r.timing.runs_ms,
                    "first_generation_in_process_ms": r.timing.first_ms,
                    "templates_load_ms": r.timing.templates_load_ms,
                    "peak_rss_bytes": r.timing.memory.peak_rss,
                    "peak_heap_bytes": r.timing.memory.peak_heap,
                })
            })
            .collect();
        let client = match &self.client {
            Ok(c) => {
                let pair = |p: &Pair| {
                    json!({
                        "generated": figures(&p.generated),
                        "raw_reqwest": figures(&p.raw),
                        "throughput_ratio": p.ratio,
                        "added_p50_us": p.generated.p50_us - p.raw.p50_us,
                        "added_p99_us": p.generated.p99_us - p.raw.p99_us,
                    })
                };
                json!({
                    "plan": {
                        "warmup_requests": c.plan.warmup,
                        "runs": c.plan.runs,
                        "sequential_requests_per_run": c.plan.sequential,
                        "tasks": c.plan.tasks,
                        "requests_per_task": c.plan.per_task,
                        "allocation_requests": c.plan.alloc_requests,
                    },
                    "sequential": pair(&c.sequential),
                    "concurrent": pair(&c.concurrent),
                    "allocations_per_request": {
                        "generated": { "calls": c.allocs_generated.0, "bytes": c.allocs_generated.1 },
                        "raw_reqwest": { "calls": c.allocs_raw.0, "bytes": c.allocs_raw.1 },
                    },
                    "same_request": c.same_request.as_ref().err().map_or(Value::Bool(true), |e| json!(e)),
                })
            }
            Err(e) => json!({ "error": e }),
        };
        let downstream = match &self.downstream {
            Downstream::Skipped => Value::Null,
            Downstream::Measured { crates, check } => json!({
                "crates": crates.as_ref().ok(),
                "clean_check_seconds": check.as_ref().ok().map(Duration::as_secs_f64),
                "errors": [crates.as_ref().err(), check.as_ref().err()],
            }),
        };
        json!({
            "date": self.date,
            "machine": self.machine,
            "generator": generator,
            "scaling_100_to_1000": self.scaling(),
            "client": client,
            "downstream": downstream,
            "missed_targets": self.missed(),
        })
    }
}

fn figures(f: &Figures) -> Value {
    json!({ "requests_per_second": f.rps, "p50_us": f.p50_us, "p99_us": f.p99_us })
}

fn client_rows(rows: &mut Vec<[String; 4]>, mode: &str, pair: &Pair) {
    let (g, r) = (pair.generated, pair.raw);
    let ratio = pair.ratio;
    let added = g.p50_us - r.p50_us;
    rows.push([
        format!("client, {mode}: req/s generated / raw reqwest (ratio: median of paired runs)"),
        format!(
            "{} / {}; ratio {ratio:.3}",
            thousands(g.rps),
            thousands(r.rps)
        ),
        format!(">= {THROUGHPUT_RATIO_MIN}"),
        met(ratio >= THROUGHPUT_RATIO_MIN).to_owned(),
    ]);
    rows.push([
        format!("client, {mode}: p50 latency generated / raw"),
        format!("{:.1} / {:.1} us ({added:+.1} us)", g.p50_us, r.p50_us),
        format!("< +{ADDED_P50_US_MAX} us"),
        met(added < ADDED_P50_US_MAX).to_owned(),
    ]);
    rows.push([
        format!("client, {mode}: p99 latency generated / raw"),
        format!(
            "{:.1} / {:.1} us ({:+.1} us)",
            g.p99_us,
            r.p99_us,
            g.p99_us - r.p99_us
        ),
        String::new(),
        String::new(),
    ]);
}
