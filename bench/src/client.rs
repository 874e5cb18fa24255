//! The generated client against the same request written by hand on raw reqwest, both on
//! the same `reqwest::Client`, against the loopback server of `server.rs`.
//!
//! The client side runs on a current-thread runtime on the calling thread (the server has
//! its own thread), so the two share nothing but the machine, and every allocation of the
//! client side happens on one thread, where `alloc::count` sees it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue, USER_AGENT};
use token_administration::models::TokenAdministrationRevocation;
use token_administration::{Client, Credential, RetryPolicy};
use uuid::Uuid;

use crate::server::Server;
use crate::stats::{median, percentile_us};

const PAT: &str = "bench-personal-access-token";

/// Which client sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Generated,
    Raw,
}

/// Everything both clients need; shared by the concurrent tasks.
struct Setup {
    http: reqwest::Client,
    generated: Client,
    /// `http://127.0.0.1:PORT`
    base: String,
    host_id: Uuid,
    body: TokenAdministrationRevocation,
    authorization: HeaderValue,
    /// Calls of the raw client, for the id of each.
    calls: AtomicU64,
}

/// The `X-TFS-Session` both clients send.
const SESSION: &str = "6d1f1a2e-0b5c-4c9e-8a7d-3e2f1b0c9d8e";

impl Setup {
    fn new(server: &Server) -> Result<Setup, String> {
        // The settings the generated client's own default has (no redirects, 10 s connect
        // timeout), given to both.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("cannot build the reqwest client: {e}"))?;
        let base = format!("http://{}", server.addr);
        let generated = Client::builder(Credential::pat(PAT))
            .base_url(&base)
            .and_then(|b| {
                b.retry(RetryPolicy::none())
                    .http_client(http.clone())
                    .session_id(SESSION)
                    .build()
            })
            .map_err(|e| format!("cannot build the generated client: {e}"))?;
        // What `Credential::pat` sends: Basic base64(":" + pat).
        let mut authorization =
            HeaderValue::from_static("Basic OmJlbmNoLXBlcnNvbmFsLWFjY2Vzcy10b2tlbg==");
        authorization.set_sensitive(true);
        Ok(Setup {
            http,
            generated,
            base,
            host_id: Uuid::from_u128(0x6f9619ff_8b86_d011_b42d_00c04fc964ff),
            body: TokenAdministrationRevocation {
                audience: None,
                authorization_ids: vec![
                    Uuid::from_u128(0x0c8f_5c4b_7b6a_4b2e_9c7e_1d2f_3a4b_5c6d),
                    Uuid::from_u128(0x1d9e_6d5c_8c7b_4c3f_8d8f_2e3a_4b5c_6d7e),
                ],
            },
            authorization,
            calls: AtomicU64::new(0),
        })
    }

    async fn call(&self, which: Which) {
        match which {
            Which::Generated => self.generated_call().await,
            Which::Raw => self.raw_call().await,
        }
    }

    async fn generated_call(&self) {
        if let Err(e) = self
            .generated
            .revoke_authorizations(self.host_id, &self.body)
            .send()
            .await
        {
            panic!("generated client: {e}");
        }
    }

    /// The same request by hand: same URL and query order, headers (the session, and an id
    /// of its own per request), body and status check.
    async fn raw_call(&self) {
        let id = Uuid::from_u128(u128::from(self.calls.fetch_add(1, Ordering::Relaxed)));
        let url = format!(
            "{}/_apis/tokenadministration/tokenrevocations?hostId={}&api-version=5.0-preview.1",
            self.base, self.host_id
        );
        let body = serde_json::to_vec(&self.body).expect("the body serializes");
        let response = self
            .http
            .post(url)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(
                USER_AGENT,
                HeaderValue::from_static(token_administration::USER_AGENT),
            )
            .header(
                HeaderName::from_static("x-tfs-fedauthredirect"),
                HeaderValue::from_static("Suppress"),
            )
            .header(
                HeaderName::from_static("x-tfs-session"),
                HeaderValue::from_static(SESSION),
            )
            .header(
                HeaderName::from_static("x-vss-e2eid"),
                HeaderValue::from_str(&id.to_string()).expect("a uuid is a header value"),
            )
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .header(AUTHORIZATION, self.authorization.clone())
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("raw reqwest: {e}"));
        assert_eq!(response.status(), 204, "raw reqwest: unexpected status");
    }
}

/// One timed run: wall time and every request's latency.
struct Run {
    wall: Duration,
    latencies: Vec<Duration>,
}

impl Run {
    fn rps(&self) -> f64 {
        self.latencies.len() as f64 / self.wall.as_secs_f64()
    }
}

async fn sequential(setup: &Setup, which: Which, requests: usize) -> Run {
    let mut latencies = Vec::with_capacity(requests);
    let start = Instant::now();
    for _ in 0..requests {
        let t = Instant::now();
        setup.call(which).await;
        latencies.push(t.elapsed());
    }
    Run {
        wall: start.elapsed(),
        latencies,
    }
}

/// `requests` calls of each client, alternating request by request (in ABBA order), each
/// client's run timed as the sum of its own latencies: both see the same machine load.
async fn sequential_interleaved(setup: &Setup, requests: usize) -> (Run, Run) {
    let mut generated = Vec::with_capacity(requests);
    let mut raw = Vec::with_capacity(requests);
    for i in 0..requests {
        for which in abba(i) {
            let t = Instant::now();
            setup.call(which).await;
            match which {
                Which::Generated => generated.push(t.elapsed()),
                Which::Raw => raw.push(t.elapsed()),
            }
        }
    }
    let run = |latencies: Vec<Duration>| Run {
        wall: latencies.iter().sum(),
        latencies,
    };
    (run(generated), run(raw))
}

async fn concurrent(setup: &Arc<Setup>, which: Which, tasks: usize, per_task: usize) -> Run {
    let start = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let setup = Arc::clone(setup);
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(per_task);
                for _ in 0..per_task {
                    let t = Instant::now();
                    setup.call(which).await;
                    latencies.push(t.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(tasks * per_task);
    for h in handles {
        latencies.extend(
            h.await
                .unwrap_or_else(|e| panic!("a client task failed: {e}")),
        );
    }
    Run {
        wall: start.elapsed(),
        latencies,
    }
}

/// Medians over the runs of one client in one mode.
#[derive(Debug, Clone, Copy, Default)]
pub struct Figures {
    pub rps: f64,
    pub p50_us: f64,
    pub p99_us: f64,
}

fn summarize(runs: &mut [Run]) -> Figures {
    let rps: Vec<f64> = runs.iter().map(Run::rps).collect();
    let p50: Vec<f64> = runs
        .iter_mut()
        .map(|r| percentile_us(&mut r.latencies, 50.0))
        .collect();
    let p99: Vec<f64> = runs
        .iter_mut()
        .map(|r| percentile_us(&mut r.latencies, 99.0))
        .collect();
    Figures {
        rps: median(&rps),
        p50_us: median(&p50),
        p99_us: median(&p99),
    }
}

/// How much is measured.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub warmup: usize,
    pub runs: usize,
    pub sequential: usize,
    pub tasks: usize,
    pub per_task: usize,
    pub alloc_requests: usize,
}

impl Plan {
    /// Enough for figures to publish.
    pub fn full() -> Plan {
        Plan {
            warmup: 500,
            runs: 9,
            sequential: 2000,
            tasks: 16,
            per_task: 400,
            alloc_requests: 1000,
        }
    }

    /// A smoke test of the benchmark.
    pub fn quick() -> Plan {
        Plan {
            warmup: 50,
            runs: 2,
            sequential: 200,
            tasks: 16,
            per_task: 20,
            alloc_requests: 100,
        }
    }
}

/// Generated and raw figures for one mode.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pair {
    pub generated: Figures,
    pub raw: Figures,
    /// Throughput generated / raw: the median over runs of the ratio within one run
    /// (sequential) or within one pair of back-to-back runs (concurrent), so that a change
    /// in machine load between runs cancels out instead of landing on one client.
    pub ratio: f64,
}

fn paired_ratio(generated: &[Run], raw: &[Run]) -> f64 {
    let ratios: Vec<f64> = generated
        .iter()
        .zip(raw)
        .map(|(g, r)| g.rps() / r.rps())
        .collect();
    median(&ratios)
}

pub struct Results {
    pub plan: Plan,
    pub sequential: Pair,
    pub concurrent: Pair,
    /// The concurrent runs with the tasks on a runtime of two worker threads.
    pub workers: Pair,
    /// Allocation calls and bytes per request.
    pub allocs_generated: (f64, f64),
    pub allocs_raw: (f64, f64),
    /// Whether the server saw the same request from both clients.
    pub same_request: Result<(), String>,
}

/// Every figure of the comparison: the request both clients send compared, then sequential,
/// concurrent and allocation figures on a current-thread runtime, then the concurrent
/// runs again on two worker threads.
pub fn run(plan: Plan) -> Result<Results, String> {
    let server = Server::start().map_err(|e| format!("cannot start the server: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot build the runtime: {e}"))?;
    let setup = Arc::new(Setup::new(&server)?);
    let results = runtime.block_on(async {
        let same_request = same_request(&server, &setup).await;
        warm_up(&setup, plan).await;
        let sequential = sequential_pair(&setup, plan).await;
        let concurrent = concurrent_pair(&setup, plan).await;
        let [allocs_generated, allocs_raw] = allocations(&setup, plan).await;
        Results {
            plan,
            sequential,
            concurrent,
            workers: Pair::default(),
            allocs_generated,
            allocs_raw,
            same_request,
        }
    });
    let mut results = results;
    results.workers = concurrent_on_workers(&server, plan)?;
    Ok(results)
}

/// Whether both clients send the same request, as the server captures it: if not, the
/// comparison means nothing.
async fn same_request(server: &Server, setup: &Setup) -> Result<(), String> {
    server.start_capture();
    setup.call(Which::Generated).await;
    setup.call(Which::Raw).await;
    compare_requests(&server.take_captured())
}

/// Warm-up of both clients: connections, pools, caches. With `tasks` connections opened, as
/// the concurrent runs need them.
async fn warm_up(setup: &Arc<Setup>, plan: Plan) {
    for which in [Which::Generated, Which::Raw] {
        sequential(setup, which, plan.warmup).await;
        concurrent_warm_up(setup, which, plan).await;
    }
}

/// The concurrent part of a warm-up of one client: about `warmup` requests over `tasks`
/// tasks.
async fn concurrent_warm_up(setup: &Arc<Setup>, which: Which, plan: Plan) {
    concurrent(
        setup,
        which,
        plan.tasks,
        plan.warmup / plan.tasks.max(1) + 1,
    )
    .await;
}

/// The order of the two clients in run `r`: ABBA, so that drift in machine load hits both
/// alike.
fn abba(r: usize) -> [Which; 2] {
    if r.is_multiple_of(2) {
        [Which::Generated, Which::Raw]
    } else {
        [Which::Raw, Which::Generated]
    }
}

/// The sequential figures: `runs` runs, each interleaving the two clients request by
/// request.
async fn sequential_pair(setup: &Setup, plan: Plan) -> Pair {
    let (mut generated, mut raw) = (vec![], vec![]);
    for _ in 0..plan.runs {
        let (g, r) = sequential_interleaved(setup, plan.sequential).await;
        generated.push(g);
        raw.push(r);
    }
    pair(generated, raw)
}

/// The concurrent figures: `runs` runs of each client, alternating ABBA.
async fn concurrent_pair(setup: &Arc<Setup>, plan: Plan) -> Pair {
    let (mut generated, mut raw) = (vec![], vec![]);
    for r in 0..plan.runs {
        for which in abba(r) {
            let run = concurrent(setup, which, plan.tasks, plan.per_task).await;
            match which {
                Which::Generated => generated.push(run),
                Which::Raw => raw.push(run),
            }
        }
    }
    pair(generated, raw)
}

/// The figures of the runs of both clients in one mode, and their paired ratio.
fn pair(mut generated: Vec<Run>, mut raw: Vec<Run>) -> Pair {
    Pair {
        ratio: paired_ratio(&generated, &raw),
        generated: summarize(&mut generated),
        raw: summarize(&mut raw),
    }
}

/// Allocation calls and bytes per request of the generated client, then the raw one:
/// sequential requests, counted on this thread (all client work runs here; the server's
/// thread is not counted).
async fn allocations(setup: &Setup, plan: Plan) -> [(f64, f64); 2] {
    let mut allocs = [(0.0, 0.0); 2];
    for (slot, which) in [Which::Generated, Which::Raw].into_iter().enumerate() {
        let n = plan.alloc_requests.max(1);
        let counting = crate::alloc::Counting::start();
        for _ in 0..n {
            setup.call(which).await;
        }
        let counts = counting.stop();
        allocs[slot] = (
            counts.calls as f64 / n as f64,
            counts.bytes as f64 / n as f64,
        );
    }
    allocs
}

/// The concurrent runs again, with the client's tasks on a multi-threaded runtime of two
/// workers (the machine's cores), as a service's own runtime would run them: the tasks move
/// between threads, wake each other across them, and compete for the cores with the server's
/// thread, so that every instruction and every cross-thread hand-off of a client counts.
fn concurrent_on_workers(server: &Server, plan: Plan) -> Result<Pair, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot build the runtime: {e}"))?;
    // Connections belong to the runtime that opened them: a setup of its own.
    let setup = Arc::new(Setup::new(server)?);
    Ok(runtime.block_on(async {
        for which in [Which::Generated, Which::Raw] {
            concurrent_warm_up(&setup, which, plan).await;
        }
        concurrent_pair(&setup, plan).await
    }))
}

/// `bench client-loop (generated | raw) N [--workers]`: `N` sequential calls (or 16 tasks of
/// `N / 16` on two worker threads) of one client against the
/// local server, untimed, for instruction counts that do not move with the machine's load:
/// `valgrind --tool=callgrind target/release/bench client-loop generated 1200`, minus the
/// same with 200 calls, over 1,000, is the cost of one call (client and server threads).
pub fn client_loop(args: &[String]) -> Result<(), String> {
    let usage = "usage: bench client-loop (generated | raw) N [--workers]";
    let which = match args.first().map(String::as_str) {
        Some("generated") => Which::Generated,
        Some("raw") => Which::Raw,
        _ => return Err(usage.into()),
    };
    let n: usize = args
        .get(1)
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| usage.to_owned())?;
    let workers = args.get(2).map(String::as_str) == Some("--workers");
    let server = Server::start().map_err(|e| format!("cannot start the server: {e}"))?;
    let runtime = if workers {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    }
    .map_err(|e| format!("cannot build the runtime: {e}"))?;
    let setup = Arc::new(Setup::new(&server)?);
    runtime.block_on(async {
        if workers {
            concurrent(&setup, which, 16, n / 16).await;
        } else {
            for _ in 0..n {
                setup.call(which).await;
            }
        }
    });
    Ok(())
}

/// The server's record of one request from each client: request line, headers (as a set:
/// names are case-insensitive and their order carries no meaning) and body.
fn compare_requests(captured: &[Vec<u8>]) -> Result<(), String> {
    let [generated, raw] = captured else {
        return Err(format!(
            "expected 2 captured requests, got {}",
            captured.len()
        ));
    };
    let normalize = |r: &[u8]| -> (Vec<String>, Vec<u8>) {
        let text = String::from_utf8_lossy(r);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines: Vec<String> = head
            .split("\r\n")
            .map(|l| match l.split_once(':') {
                // Each request has an id of its own: present in both, compared as present.
                Some((name, _)) if name.eq_ignore_ascii_case("x-vss-e2eid") => {
                    String::from("x-vss-e2eid: <an id>")
                }
                Some((name, value)) => format!("{}: {}", name.to_ascii_lowercase(), value.trim()),
                None => l.to_owned(),
            })
            .collect();
        lines[1..].sort();
        (lines, body.as_bytes().to_vec())
    };
    let (g, r) = (normalize(generated), normalize(raw));
    if g == r {
        Ok(())
    } else {
        Err(format!(
            "the clients sent different requests:\n  generated: {:?}\n  raw:       {:?}",
            g, r
        ))
    }
}

/// `bench client [--quick]`: only the client's rows: throughput generated / raw, sequential,
/// at 16 tasks on one thread and on two workers.
pub fn command(args: &[String]) -> std::process::ExitCode {
    let plan = if args.iter().any(|a| a == "--quick") {
        Plan::quick()
    } else {
        Plan::full()
    };
    match run(plan) {
        Ok(results) => {
            for (mode, pair) in [
                ("sequential", results.sequential),
                ("16 tasks, one thread", results.concurrent),
                ("16 tasks, 2 workers", results.workers),
            ] {
                println!(
                    "{mode}: {:.0} / {:.0} requests/s generated / raw, ratio {:.3}",
                    pair.generated.rps, pair.raw.rps, pair.ratio
                );
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
