//! `Cargo.toml` of a generated crate: the package, its features (`tracing`, and one per
//! area in a crate of several), the runtime it depends on, and the crates its code names.
//!
//! ```text
//! [package]
//! name = "token-administration"
//! ...
//! [features]
//! default = []
//! tracing = ["azure-devops-runtime/tracing"]
//!
//! [dependencies]
//! azure-devops-runtime = { version = "0.1.0", path = "../runtime" }
//! serde = "1"
//! uuid = { version = "1", features = ["serde"] }
//! ```

use std::fmt::Write as _;

/// The runtime's package name.
pub const RUNTIME_PACKAGE: &str = "azure-devops-runtime";

/// The runtime's version, read from its manifest when the generator is built: generated
/// crates name it in their dependency, and `__private` changes with it.
pub fn runtime_version() -> &'static str {
    const MANIFEST: &str = include_str!("../../../runtime/Cargo.toml");
    MANIFEST
        .lines()
        .find_map(|line| line.strip_prefix("version = \"")?.strip_suffix('"'))
        .unwrap_or("0.0.0")
}

/// Where a generated crate gets the runtime from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeSource {
    /// A path, relative to the crate's folder (or absolute): this repository's `runtime/`.
    Path(String),
    /// crates.io (or the registry cargo is configured with), once the runtime is published.
    Registry,
    /// A git repository, at a revision (a commit, tag or branch) when given.
    Git { url: String, rev: Option<String> },
}

/// The dependency on the runtime a generated crate is written with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeDependency {
    /// The version required (`0.1.0`: any 0.1.x).
    pub version: String,
    pub source: RuntimeSource,
}

impl RuntimeDependency {
    /// The runtime at `path`, of the version this generator writes code for.
    pub fn path(path: impl Into<String>) -> RuntimeDependency {
        RuntimeDependency {
            version: runtime_version().to_owned(),
            source: RuntimeSource::Path(path.into()),
        }
    }

    /// The line `azure-devops-runtime = { .. }`, with `features`.
    fn line(&self, features: &[&str]) -> String {
        let mut fields = vec![format!("version = \"{}\"", toml_escape(&self.version))];
        match &self.source {
            RuntimeSource::Path(path) => fields.push(format!("path = \"{}\"", toml_escape(path))),
            RuntimeSource::Registry => {}
            RuntimeSource::Git { url, rev } => {
                fields.push(format!("git = \"{}\"", toml_escape(url)));
                if let Some(rev) = rev {
                    fields.push(format!("rev = \"{}\"", toml_escape(rev)));
                }
            }
        }
        if !features.is_empty() {
            let list: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
            fields.push(format!("features = [{}]", list.join(", ")));
        }
        format!("{RUNTIME_PACKAGE} = {{ {} }}", fields.join(", "))
    }
}

/// A cargo feature of an area: its name (the area's module), what it turns on in the
/// runtime, and the comment above it.
#[derive(Debug, Clone)]
pub struct AreaFeature {
    pub name: String,
    pub comment: String,
    /// Whether the area's models check `pattern`s (the runtime's `regex`).
    pub uses_patterns: bool,
}

/// Everything the manifest says.
#[derive(Debug, Clone)]
pub struct Manifest<'a> {
    pub package_name: &'a str,
    pub lib_name: &'a str,
    pub version: &'a str,
    /// One line.
    pub description: &'a str,
    /// The areas of a crate of several; empty for a crate of one spec.
    pub areas: Vec<AreaFeature>,
    /// Whether the crate's own models check `pattern`s (a crate of one spec).
    pub uses_patterns: bool,
    /// Whether the crate has example tests (`tests/examples*.rs`).
    pub has_examples: bool,
    pub runtime: &'a RuntimeDependency,
    /// The generated sources, to find which crates their code and docs name.
    pub sources: Vec<&'a str>,
}

/// The crates generated code may name besides the runtime, with how it depends on them
/// (the versions and features the runtime is built with).
const NAMED_CRATES: &[(&str, &str)] = &[
    ("bytes", "\"1\""),
    (
        "chrono",
        "{ version = \"0.4\", default-features = false, features = [\"serde\"] }",
    ),
    ("serde", "\"1\""),
    ("serde_json", "\"1\""),
    ("uuid", "{ version = \"1\", features = [\"serde\"] }"),
];

/// The text of `Cargo.toml`, after its preamble.
pub fn manifest(m: &Manifest<'_>) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "[package]\n\
         name = \"{name}\"\n\
         version = \"{version}\"\n\
         edition = \"2024\"\n\
         rust-version = \"1.89\"\n\
         description = \"{description}\"\n\
         license = \"MIT OR Apache-2.0\"\n\
         publish = false\n\
         \n\
         [lib]\n\
         name = \"{lib}\"\n\
         path = \"src/lib.rs\"\n\
         \n\
         [features]\n\
         default = []\n\
         # Emit a `tracing` span per request (operation id, method, status, attempt); never secrets.\n\
         tracing = [\"{RUNTIME_PACKAGE}/tracing\"]\n\
         # A mock of the service for tests (`mock::MockServer`): for `[dev-dependencies]`.\n\
         mock = [\"{RUNTIME_PACKAGE}/mock\"]\n\
         # `Credential::token_credential`: tokens from any `azure_core` `TokenCredential`\n\
         # (the `azure_identity` crate's managed identity, workload identity, ...).\n\
         azure-identity = [\"{RUNTIME_PACKAGE}/azure-identity\"]\n",
        name = toml_escape(m.package_name),
        version = toml_escape(m.version),
        description = toml_escape(m.description),
        lib = toml_escape(m.lib_name),
    );
    for area in &m.areas {
        let enables = if area.uses_patterns {
            format!("\"{RUNTIME_PACKAGE}/regex\"")
        } else {
            String::new()
        };
        let _ = write!(
            out,
            "# {}\n{} = [{enables}]\n",
            area.comment.replace('\n', " "),
            area.name
        );
    }
    let runtime_features: &[&str] = if m.uses_patterns { &["regex"] } else { &[] };
    let _ = write!(
        out,
        "\n[dependencies]\n{}\n",
        m.runtime.line(runtime_features)
    );
    for (name, requirement) in NAMED_CRATES {
        let path = format!("{name}::");
        if m.sources.iter().any(|s| names_crate(s, &path)) {
            let _ = writeln!(out, "{name} = {requirement}");
        }
    }
    if m.has_examples {
        let _ = write!(
            out,
            "\n# The example tests (tests/examples*.rs) and the runtime's server they run against.\n\
             [dev-dependencies]\n\
             {}\n\
             tokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n",
            m.runtime.line(&["example-server"])
        );
    }
    out
}

/// Whether `source` names a path that starts with `path` (`uuid::`) rather than only
/// containing it (`azure_devops_runtime::uuid::` or `my_uuid::`).
fn names_crate(source: &str, path: &str) -> bool {
    source.match_indices(path).any(|(at, _)| {
        !source[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
    })
}

/// Escapes a value for a TOML basic string.
pub(crate) fn toml_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crates_are_found_at_the_start_of_a_path_only() {
        assert!(names_crate("x: uuid::Uuid", "uuid::"));
        assert!(names_crate("Vec<uuid::Uuid>", "uuid::"));
        assert!(!names_crate("my_uuid::Uuid", "uuid::"));
        assert!(!names_crate("a::uuid::Uuid", "uuid::"));
        assert!(!names_crate("serde_json::Value", "serde::"));
    }

    #[test]
    fn the_runtime_version_is_read_from_its_manifest() {
        let v = runtime_version();
        assert!(v.split('.').count() == 3 && v != "0.0.0", "{v}");
    }

    #[test]
    fn runtime_dependencies() {
        let path = RuntimeDependency::path("../runtime");
        assert_eq!(
            path.line(&["regex"]),
            format!(
                "azure-devops-runtime = {{ version = \"{}\", path = \"../runtime\", features = [\"regex\"] }}",
                runtime_version()
            )
        );
        let git = RuntimeDependency {
            version: "0.1.0".into(),
            source: RuntimeSource::Git {
                url: "https://example.com/r.git".into(),
                rev: Some("v0.1.0".into()),
            },
        };
        assert_eq!(
            git.line(&[]),
            "azure-devops-runtime = { version = \"0.1.0\", git = \"https://example.com/r.git\", rev = \"v0.1.0\" }"
        );
        let registry = RuntimeDependency {
            version: "0.1.0".into(),
            source: RuntimeSource::Registry,
        };
        assert_eq!(
            registry.line(&[]),
            "azure-devops-runtime = { version = \"0.1.0\" }"
        );
    }
}
