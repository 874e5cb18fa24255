//! Command-line arguments (clap derive).

use std::ffi::OsString;
use std::path::PathBuf;

use clap::builder::RangedU64ValueParser;
use clap::{Parser, ValueEnum};
use uuid::Uuid;

/// Default number of authorization IDs per request.
pub const DEFAULT_BATCH_SIZE: usize = 100;
/// Default number of requests in flight at once.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// Largest accepted `--concurrency`.
pub const MAX_CONCURRENCY: usize = 64;

const AFTER_HELP: &str = "\
Input:
  One authorization ID (a UUID) per line; blank lines and everything after '#' are
  ignored. Every ID is checked before anything is sent: bad lines are reported as
  FILE:LINE and nothing is sent. Duplicates are removed (first one kept).
  With --user, the IDs are those of every personal access token of the user, listed
  first (all pages); --dry-run then lists them (authorization ID, display name, valid
  until) and revokes nothing, but needs a credential to list. A user whose tokens
  cannot be listed stops the run before anything is revoked (exit status 1).

Credentials (never from a flag's value):
  --auth env (the default) reads the environment:
    AZURE_DEVOPS_PAT            personal access token (HTTP Basic, empty user name)
    AZURE_DEVOPS_BEARER_TOKEN   OAuth / Microsoft Entra ID token, used when
                                AZURE_DEVOPS_PAT is unset or empty
  --auth azure-cli asks the Azure CLI for a token of the account signed in with
    `az login` (az account get-access-token), when the first request is sent and
    again before the token expires; `az` must be on PATH.
  --auth azure-identity asks a Microsoft Entra ID identity (the azure_identity
    library) for a token, chosen with --identity and configured from the standard
    environment variables:
      developer-tools (default)  the Azure CLI, then the Azure Developer CLI
      managed         a managed identity (App Service, VM, ...); AZURE_CLIENT_ID
                      picks a user-assigned one
      workload        workload identity federation (AKS): AZURE_TENANT_ID,
                      AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE
      pipelines       an Azure Pipelines service connection (AzureCLI task):
                      AZURESUBSCRIPTION_TENANT_ID, AZURESUBSCRIPTION_CLIENT_ID,
                      AZURESUBSCRIPTION_SERVICE_CONNECTION_ID, SYSTEM_ACCESSTOKEN
      client-secret   a service principal: AZURE_TENANT_ID, AZURE_CLIENT_ID,
                      AZURE_CLIENT_SECRET
  --dry-run needs no credential and runs no `az` and no identity.

Failed file:
  The IDs of every batch that was not revoked are written, one per line, to
  --failed-file: by default FILE.failed next to a single --from-file FILE,
  otherwise ./token-revoke.failed. It is written only when something failed;
  re-run with --from-file on it to retry exactly those IDs. A rejected credential
  (401, 403) or an unreachable service stops the remaining batches; their IDs go
  there too.

Exit status:
  0    every ID revoked (also: dry run, or an input with no IDs)
  1    some IDs not revoked (see the summary and the failed file)
  2    usage or input error, missing credential: nothing was sent
  130  interrupted (Ctrl-C): unconfirmed IDs are in the failed file

Examples:
  # Read the token without echoing it, so it stays out of the shell history
  read -rs AZURE_DEVOPS_PAT && export AZURE_DEVOPS_PAT

  # Or use the account signed in to the Azure CLI
  az login && token-revoke --auth azure-cli --host-id 8d6b1d4e-5bbf-4c8b-9f0e-3a1c2b4d5e6f ID1

  # Revoke the IDs listed in a file (failures go to ids.txt.failed)
  token-revoke --host-id 8d6b1d4e-5bbf-4c8b-9f0e-3a1c2b4d5e6f --from-file ids.txt

  # Show the requests without sending anything
  token-revoke --host-id 8d6b1d4e-5bbf-4c8b-9f0e-3a1c2b4d5e6f --from-file ids.txt --dry-run

  # IDs from standard input, a machine-readable report on standard output
  list-ids | token-revoke --host-id 8d6b1d4e-5bbf-4c8b-9f0e-3a1c2b4d5e6f --from-file - --output json

  # A few IDs on the command line, SSH tokens, limited to one audience
  token-revoke --host-id 8d6b1d4e-5bbf-4c8b-9f0e-3a1c2b4d5e6f --public --audience my-org \\
      0b7c3a5e-1f2d-4e6a-8b9c-0d1e2f3a4b5c 1c8d4b6f-2a3e-4f7b-9cad-1e2f3a4b5c6d

  # Incident: every PAT of one user; look first, then revoke
  token-revoke --host-id 8d6b1d4e-5bbf-4c8b-9f0e-3a1c2b4d5e6f --user aad.OGYxNDY3MjMtNjIz... --dry-run
  token-revoke --host-id 8d6b1d4e-5bbf-4c8b-9f0e-3a1c2b4d5e6f --user aad.OGYxNDY3MjMtNjIz...

  # Retry what failed last time
  token-revoke --host-id 8d6b1d4e-5bbf-4c8b-9f0e-3a1c2b4d5e6f --from-file ids.txt.failed";

/// Revoke Azure DevOps OAuth authorizations and personal access tokens in bulk.
///
/// Sends "Token Revocations - Revoke Authorizations" (POST
/// /_apis/tokenadministration/tokenrevocations, api-version 5.0-preview.1) for the given
/// authorization IDs, or for every personal access token of a user (--user), in batches, a
/// few requests at a time, retrying throttled (429) and unavailable (503) answers, and prints
/// a summary of what was revoked and what was not.
#[derive(Debug, Parser)]
#[command(name = "token-revoke", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// Host ID shown on the users' "manage tokens" notification page (a UUID).
    #[arg(long, value_name = "UUID")]
    pub host_id: Uuid,

    /// The tokens are public (SSH) keys: sends isPublic=true (default: isPublic=false, PATs).
    #[arg(long)]
    pub public: bool,

    /// Limit the revocations to this audience (target account); repeat for several.
    #[arg(long, value_name = "ACCOUNT", value_parser = non_empty)]
    pub audience: Vec<String>,

    /// Read authorization IDs from FILE, one per line ('-' for standard input); repeatable.
    #[arg(long, value_name = "FILE")]
    pub from_file: Vec<OsString>,

    /// Authorization IDs to revoke (UUIDs), in addition to those of --from-file.
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,

    /// Revoke every personal access token of this user, given by subject descriptor (such as
    /// aad.OGYx...): lists them first, all pages; repeatable. Instead of IDs and --from-file.
    #[arg(long, value_name = "DESCRIPTOR", value_parser = non_empty,
          conflicts_with_all = ["ids", "from_file"])]
    pub user: Vec<String>,

    /// Base URL of the service; may include a path, such as an organization.
    #[arg(long, value_name = "URL", default_value = token_administration::DEFAULT_BASE_URL)]
    pub base_url: String,

    /// Authorization IDs per request.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_BATCH_SIZE,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..))]
    pub batch_size: usize,

    /// Requests in flight at once (1-64).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CONCURRENCY,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..=MAX_CONCURRENCY as u64))]
    pub concurrency: usize,

    /// Attempts per request, the first included; 429, 503 and other transient failures are
    /// retried with backoff, honouring Retry-After (1 = no retry).
    #[arg(long, value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u32).range(1..=20))]
    pub max_attempts: u32,

    /// Where to write the IDs that were not revoked [default: FILE.failed next to a single
    /// --from-file FILE, otherwise ./token-revoke.failed].
    #[arg(long, value_name = "PATH")]
    pub failed_file: Option<PathBuf>,

    /// Format of the report on standard output.
    #[arg(long, value_name = "FORMAT", value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,

    /// Where the credential comes from: the environment (AZURE_DEVOPS_PAT or
    /// AZURE_DEVOPS_BEARER_TOKEN), the account signed in to the Azure CLI (`az login`), or
    /// a Microsoft Entra ID identity (see --identity).
    #[arg(long, value_name = "SOURCE", value_enum, default_value_t = Auth::Env)]
    pub auth: Auth,

    /// With --auth azure-identity: which identity (see below); configured from the
    /// environment, never from a flag's value.
    #[arg(long, value_name = "KIND", value_enum, default_value_t = Identity::DeveloperTools)]
    pub identity: Identity,

    /// Print the requests that would be sent (URL, query, body; never the credential) and
    /// send nothing. Needs no credential.
    #[arg(long)]
    pub dry_run: bool,
}

/// Format of the report on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A human-readable summary.
    Text,
    /// One JSON object: revoked, failed, skipped (duplicates + not_sent), batches, failed_file.
    Json,
}

/// Where the credential comes from (`--auth`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Auth {
    /// AZURE_DEVOPS_PAT, else AZURE_DEVOPS_BEARER_TOKEN.
    Env,
    /// A token from `az account get-access-token`, refreshed before it expires.
    AzureCli,
    /// A token of a Microsoft Entra ID identity (`--identity`), from the azure_identity
    /// library, refreshed before it expires.
    AzureIdentity,
}

/// Which Microsoft Entra ID identity `--auth azure-identity` uses (`--identity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Identity {
    /// The Azure CLI, then the Azure Developer CLI.
    DeveloperTools,
    /// A managed identity (App Service, VM); AZURE_CLIENT_ID picks a user-assigned one.
    Managed,
    /// Workload identity federation: AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE.
    Workload,
    /// An Azure Pipelines service connection: AZURESUBSCRIPTION_TENANT_ID,
    /// AZURESUBSCRIPTION_CLIENT_ID, AZURESUBSCRIPTION_SERVICE_CONNECTION_ID, SYSTEM_ACCESSTOKEN.
    Pipelines,
    /// A service principal's secret: AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET.
    ClientSecret,
}

fn non_empty(value: &str) -> Result<String, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        Err(String::from("must not be empty"))
    } else {
        Ok(trimmed.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn ranges_are_enforced() {
        let host = "8d6b1d4e-5bbf-4c8b-9f0e-3a1c2b4d5e6f";
        for bad in [
            &["--batch-size", "0"][..],
            &["--concurrency", "0"],
            &["--concurrency", "65"],
            &["--max-attempts", "0"],
            &["--audience", " "],
        ] {
            let mut argv = vec!["token-revoke", "--host-id", host];
            argv.extend_from_slice(bad);
            assert!(Cli::try_parse_from(&argv).is_err(), "{bad:?}");
        }
        let cli = Cli::try_parse_from(["token-revoke", "--host-id", host]).unwrap();
        assert_eq!(cli.batch_size, DEFAULT_BATCH_SIZE);
        assert_eq!(cli.concurrency, DEFAULT_CONCURRENCY);
        assert_eq!(cli.output, OutputFormat::Text);
        assert_eq!(cli.auth, Auth::Env);
        let cli = Cli::try_parse_from(["token-revoke", "--host-id", host, "--auth", "azure-cli"])
            .unwrap();
        assert_eq!(cli.auth, Auth::AzureCli);
        assert!(Cli::try_parse_from(["token-revoke", "--host-id", host, "--auth", "pat"]).is_err());
        assert!(Cli::try_parse_from(["token-revoke", "--host-id", "nope"]).is_err());
    }
}
