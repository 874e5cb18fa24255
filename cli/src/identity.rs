//! `--auth azure-identity`: a Microsoft Entra ID identity from the `azure_identity` library,
//! chosen with `--identity` and configured from the standard environment variables (never
//! from a flag's value), handed to the client as `Credential::token_credential`.

use std::sync::Arc;

use azure_identity::{
    AzurePipelinesCredential, ClientSecretCredential, DeveloperToolsCredential,
    ManagedIdentityCredential, ManagedIdentityCredentialOptions, UserAssignedId,
    WorkloadIdentityCredential,
};
use token_administration::Credential;

use crate::args::Identity;

/// The identity's name on the command line, for messages.
pub(crate) fn name(identity: Identity) -> &'static str {
    match identity {
        Identity::DeveloperTools => "developer-tools",
        Identity::Managed => "managed",
        Identity::Workload => "workload",
        Identity::Pipelines => "pipelines",
        Identity::ClientSecret => "client-secret",
    }
}

/// The credential of `identity`, built from the environment; nothing is asked of it until
/// the first request is sent.
pub(crate) fn credential(identity: Identity) -> Result<Credential, String> {
    let var = |name: &str| {
        std::env::var(name)
            .ok()
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let need = |name: &str| {
        var(name).ok_or_else(|| {
            format!(
                "--identity {} needs the environment variable {name}",
                self::name(identity)
            )
        })
    };
    let built: azure_core::Result<Arc<dyn azure_core::credentials::TokenCredential>> =
        match identity {
            Identity::DeveloperTools => DeveloperToolsCredential::new(None).map(|c| c as _),
            Identity::Managed => {
                ManagedIdentityCredential::new(Some(ManagedIdentityCredentialOptions {
                    user_assigned_id: var("AZURE_CLIENT_ID").map(UserAssignedId::ClientId),
                    ..ManagedIdentityCredentialOptions::default()
                }))
                .map(|c| c as _)
            }
            Identity::Workload => WorkloadIdentityCredential::new(None).map(|c| c as _),
            Identity::Pipelines => AzurePipelinesCredential::new(
                need("AZURESUBSCRIPTION_TENANT_ID")?,
                need("AZURESUBSCRIPTION_CLIENT_ID")?,
                &need("AZURESUBSCRIPTION_SERVICE_CONNECTION_ID")?,
                need("SYSTEM_ACCESSTOKEN")?,
                None,
            )
            .map(|c| c as _),
            Identity::ClientSecret => ClientSecretCredential::new(
                &need("AZURE_TENANT_ID")?,
                need("AZURE_CLIENT_ID")?,
                need("AZURE_CLIENT_SECRET")?.into(),
                None,
            )
            .map(|c| c as _),
        };
    built
        .map(Credential::token_credential)
        .map_err(|error| format!("--identity {}: {error}", name(identity)))
}
