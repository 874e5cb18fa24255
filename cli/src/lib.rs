//! `token-revoke`: revoke Azure DevOps OAuth authorizations and personal access tokens in
//! bulk with the generated `token-administration` client.
//!
//! The binary is a thin wrapper around [`main`]. The modules are:
//! [`args`] (command line), [`input`] (reading and checking IDs), [`user`] (the IDs of a
//! user's personal access tokens, for `--user`), [`runner`] (batches sent with bounded
//! concurrency) and [`report`] (summary, JSON, dry run, failed file).
//!
//! Exit status: [`EXIT_OK`] when every ID was revoked (or for a dry run),
//! [`EXIT_FAILED`] when some were not, [`EXIT_USAGE`] for usage and input errors (nothing
//! sent), [`EXIT_INTERRUPTED`] after Ctrl-C.

#![forbid(unsafe_code)]

pub mod args;
mod identity;
pub mod input;
pub mod report;
pub mod runner;
pub mod user;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use token_administration::{Client, Credential, RetryPolicy};

use crate::args::{Auth, Cli, OutputFormat};
use crate::input::InputError;
use crate::report::Report;
use crate::runner::{Outcome, Target};

/// Every ID was revoked (or: dry run, nothing to do).
pub const EXIT_OK: u8 = 0;
/// Some IDs were not revoked.
pub const EXIT_FAILED: u8 = 1;
/// Usage or input error, missing credential: nothing was sent.
pub const EXIT_USAGE: u8 = 2;
/// Interrupted by Ctrl-C.
pub const EXIT_INTERRUPTED: u8 = 130;

/// Environment variables that may hold the credential (read by
/// [`Credential::from_env`]); their values are never echoed.
const SECRET_VARS: [&str; 2] = ["AZURE_DEVOPS_PAT", "AZURE_DEVOPS_BEARER_TOKEN"];

/// How many bad input lines are printed before the rest are only counted.
const SHOWN_BAD_LINES: usize = 100;

/// Parses the command line and runs; the whole program.
pub fn main() -> ExitCode {
    ExitCode::from(run(Cli::parse()))
}

/// Runs with parsed arguments and returns the exit status. Prints the report on
/// standard output, diagnostics and progress on standard error.
pub fn run(cli: Cli) -> u8 {
    match try_run(&cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("token-revoke: error: {message}");
            EXIT_USAGE
        }
    }
}

/// Usage and input errors are `Err` (exit 2); everything after the first request is sent
/// ends in `Ok` with the exit status.
fn try_run(cli: &Cli) -> Result<u8, String> {
    if cli.from_file.is_empty() && cli.ids.is_empty() && cli.user.is_empty() {
        return Err(String::from(
            "no authorization IDs given: pass them as arguments or with --from-file FILE \
             ('-' for standard input), or name a user with --user DESCRIPTOR; see --help",
        ));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the async runtime: {error}"))?;
    let target = Target {
        host_id: cli.host_id,
        is_public: cli.public,
        audience: (!cli.audience.is_empty()).then(|| cli.audience.clone()),
    };
    let Some(work) = gather(cli, &runtime)? else {
        return Ok(EXIT_FAILED);
    };
    let ids = &work.ids;
    let batches = runner::split(&ids.unique, cli.batch_size);
    let how = if work.listing.is_some() {
        "listed"
    } else {
        "read"
    };
    eprintln!(
        "{how} {}, {} removed; {} to {} in {} of at most {}",
        plural(ids.read, "ID"),
        plural(ids.duplicates, "duplicate"),
        ids.unique.len(),
        if cli.dry_run { "preview" } else { "revoke" },
        plural(batches.len(), "request"),
        cli.batch_size
    );
    let mut report = Report::new(&target, ids.read, ids.duplicates, cli.dry_run);
    if let Some(listing) = work.listing {
        report.listed = listing.tokens;
    }
    if cli.dry_run {
        report.add_dry_run(&work.client, &target, &batches);
        print_stdout(&match cli.output {
            OutputFormat::Text => report.dry_run_text(work.authorization),
            OutputFormat::Json => report.to_json(),
        });
        return Ok(EXIT_OK);
    }
    if batches.is_empty() {
        eprintln!("nothing to revoke");
        print_report(&report, cli.output);
        return Ok(EXIT_OK);
    }
    let count = ids.unique.len();
    let run = revoke(cli, &runtime, &work.client, &target, batches, count);
    report.add_run(&run);
    if let Some(stop) = run.stop {
        eprintln!(
            "stopped early: {stop}; {} IDs were not sent or not confirmed",
            report.not_sent
        );
    }
    let unrevoked = report::unrevoked_ids(&run);
    keep_unrevoked(cli, &mut report, &unrevoked);
    print_report(&report, cli.output);
    Ok(if run.stop == Some(runner::Stop::Interrupted) {
        EXIT_INTERRUPTED
    } else if unrevoked.is_empty() {
        EXIT_OK
    } else {
        EXIT_FAILED
    })
}

/// `n word`, or `n words`.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// What a run works on: the IDs (read, or listed for `--user`), the client and how it
/// authenticates.
struct Work {
    ids: input::Ids,
    listing: Option<user::Listing>,
    client: Client,
    authorization: &'static str,
}

/// The IDs and the client; `None` when listing a user's tokens failed (said on stderr).
fn gather(cli: &Cli, runtime: &tokio::runtime::Runtime) -> Result<Option<Work>, String> {
    if cli.user.is_empty() {
        // Input errors first: they need no credential.
        let ids = read_ids(cli)?;
        let (client, authorization) = client(cli, cli.dry_run)?;
        return Ok(Some(Work {
            ids,
            listing: None,
            client,
            authorization,
        }));
    }
    // Listing a user's tokens is a request, even for a dry run.
    let (client, authorization) = client(cli, false)?;
    let listing = match runtime.block_on(user::list(&client, &cli.user, cli.public)) {
        Ok(listing) => listing,
        Err(error) => {
            eprintln!("token-revoke: error: {error}; nothing was revoked");
            return Ok(None);
        }
    };
    for (user, n) in &listing.without_id {
        eprintln!(
            "note: {n} token(s) of {user} were listed without an authorization ID and cannot be revoked"
        );
    }
    let ids = input::Ids::from_listed(listing.tokens.iter().map(|t| t.authorization_id));
    Ok(Some(Work {
        ids,
        listing: Some(listing),
        client,
        authorization,
    }))
}

/// Sends the batches, with a progress bar of `count` IDs, until done or interrupted
/// (Ctrl-C).
fn revoke(
    cli: &Cli,
    runtime: &tokio::runtime::Runtime,
    client: &Client,
    target: &Target,
    batches: Vec<runner::Batch>,
    count: usize,
) -> runner::RunResult {
    let progress = progress_bar(count);
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // No signal handling on this platform: never interrupted.
            std::future::pending::<()>().await;
        }
    };
    let run = runtime.block_on(runner::run(
        client,
        target,
        batches,
        cli.concurrency,
        interrupt,
        |result| {
            progress.inc(result.batch.ids.len() as u64);
            if let Outcome::Failed(failure) = &result.outcome {
                progress.suspend(|| {
                    eprintln!(
                        "batch {} ({}) failed: {}",
                        result.batch.number,
                        plural(result.batch.ids.len(), "ID"),
                        failure.error
                    );
                });
            }
        },
    ));
    progress.finish_and_clear();
    run
}

/// Writes the IDs not revoked to the failed file (named in the report), or to stderr when
/// it cannot be written; a failed file of an earlier run is left alone when all were
/// revoked.
fn keep_unrevoked(cli: &Cli, report: &mut Report, unrevoked: &[uuid::Uuid]) {
    let failed_path = cli
        .failed_file
        .clone()
        .unwrap_or_else(|| report::default_failed_file(&cli.from_file));
    if unrevoked.is_empty() {
        if failed_path.exists() {
            eprintln!(
                "note: {} is from an earlier run and was left alone: every ID of this run was revoked",
                failed_path.display()
            );
        }
        return;
    }
    match report::write_failed_file(&failed_path, unrevoked) {
        Ok(()) => report.failed_file = Some(failed_path.display().to_string()),
        Err(error) => {
            eprintln!(
                "token-revoke: error: cannot write the failed file {}: {error}; \
                 the IDs not revoked follow",
                failed_path.display()
            );
            for id in unrevoked {
                eprintln!("{id}");
            }
        }
    }
}

/// Reads and checks the IDs of the arguments and `--from-file`.
fn read_ids(cli: &Cli) -> Result<input::Ids, String> {
    let secrets: Vec<String> = SECRET_VARS
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .map(|value| value.trim().to_owned())
        .collect();
    let stdin = io::stdin();
    if cli.from_file.iter().any(|f| f == "-") && stdin.is_terminal() {
        eprintln!("reading authorization IDs from standard input, one per line (end with Ctrl-D)");
    }
    match input::collect(&cli.from_file, &cli.ids, stdin.lock(), secrets) {
        Ok(ids) => Ok(ids),
        Err(InputError::BadLines(bad)) => {
            for line in bad.iter().take(SHOWN_BAD_LINES) {
                eprintln!("{line}");
            }
            if bad.len() > SHOWN_BAD_LINES {
                eprintln!("... and {} more", bad.len() - SHOWN_BAD_LINES);
            }
            let n = bad.len();
            Err(format!(
                "{n} line{} not an authorization ID (UUID); nothing was sent",
                if n == 1 { " is" } else { "s are" }
            ))
        }
        Err(other) => Err(other.to_string()),
    }
}

/// The client, and how the dry run shows its `Authorization` header. With `dry_run_only`,
/// a missing credential is no error: nothing will be sent.
fn client(cli: &Cli, dry_run_only: bool) -> Result<(Client, &'static str), String> {
    // The Azure CLI is asked only when the first request is sent.
    let credential = match cli.auth {
        Auth::Env => Credential::from_env().map_err(|e| e.to_string()),
        Auth::AzureCli => Ok(Credential::azure_cli()),
        Auth::AzureIdentity => identity::credential(cli.identity),
    };
    let authorization = match &credential {
        Ok(_) if cli.auth == Auth::AzureCli => {
            "Bearer <from the Azure CLI (az account get-access-token) when sending, not shown>"
        }
        Ok(_) if cli.auth == Auth::AzureIdentity => {
            "Bearer <from the Microsoft Entra ID identity (--identity) when sending, not shown>"
        }
        Ok(c) if c.is_pat() => "Basic <from AZURE_DEVOPS_PAT, not shown>",
        Ok(_) => "Bearer <from AZURE_DEVOPS_BEARER_TOKEN, not shown>",
        Err(_) if cli.auth == Auth::AzureIdentity => {
            "<the identity cannot be built from the environment: see --identity>"
        }
        Err(_) => {
            "<no credential in the environment: a real run needs AZURE_DEVOPS_PAT or AZURE_DEVOPS_BEARER_TOKEN>"
        }
    };
    let credential = match credential {
        Ok(credential) => credential,
        // Never sent: the dry run only uses the client to check the base URL.
        Err(_) if dry_run_only => Credential::bearer("dry-run"),
        Err(error) if !cli.user.is_empty() => {
            return Err(format!(
                "{error}; --user lists the user's tokens first, also for a dry run"
            ));
        }
        Err(error) => return Err(error),
    };
    let client = Client::builder(credential)
        .base_url(&cli.base_url)
        .and_then(|builder| {
            builder
                .retry(RetryPolicy {
                    max_attempts: cli.max_attempts,
                    ..RetryPolicy::default()
                })
                .build()
        })
        .map_err(|error| error.to_string())?;
    Ok((client, authorization))
}

fn print_report(report: &Report, format: OutputFormat) {
    print_stdout(&match format {
        OutputFormat::Text => report.to_text(),
        OutputFormat::Json => report.to_json(),
    });
}

/// Writes to standard output; a closed pipe is reported, not a panic.
fn print_stdout(text: &str) {
    let mut stdout = io::stdout().lock();
    if let Err(error) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        eprintln!("token-revoke: cannot write the report to standard output: {error}");
    }
}

/// A progress bar on standard error when it is a terminal; hidden otherwise.
fn progress_bar(len: usize) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} {elapsed_precise} [{wide_bar}] {pos}/{len} IDs done (eta {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
