//! The crate as a whole: its package name and version (`info.title`, `x-crate-name`,
//! `x-crate-version`) and the base URL of its client (the first server).

use openapiv3::OpenAPI;

use super::Role;
use super::errors::Errors;

/// What the spec says of the crate itself.
pub(super) struct CrateInfo {
    pub package_name: String,
    pub crate_version: String,
    pub base_url: String,
    pub module_name: String,
}

/// Reads the crate's name, version and base URL; a problem is reported and leaves the
/// value empty.
/// What a spec says only of its crate or only as an area: reported for that role alone (a
/// spec's crate name means nothing in a crate of several, its module nothing alone).
pub(super) fn crate_info(doc: &OpenAPI, role: Role, errs: &mut Errors<'_>) -> CrateInfo {
    let mut report = |for_role: Role, problems: Problems| {
        if role == for_role {
            for (pointer, message) in problems {
                errs.report(pointer, message);
            }
        }
    };
    let mut problems = Vec::new();
    let package_name = package_name(doc, &mut problems);
    let crate_version = crate_version(doc, &mut problems);
    report(Role::Crate, problems);
    let mut problems = Vec::new();
    let module_name = module_name(doc, &mut problems);
    report(Role::Area, problems);
    CrateInfo {
        package_name,
        crate_version,
        base_url: base_url(doc, errs),
        module_name,
    }
}

/// Problems found in `info`: (pointer, message).
type Problems = Vec<(&'static str, String)>;

/// The module of the spec's items when it is one area of a crate of several
/// (`x-module-name`, else from the title).
fn module_name(doc: &OpenAPI, problems: &mut Problems) -> String {
    match doc.info.extensions.get("x-module-name") {
        Some(serde_json::Value::String(name)) if crate::names::is_module_name(name) => name.clone(),
        Some(serde_json::Value::String(name)) => {
            let message = match crate::names::snake(name) {
                Some(snake) if snake == *name => format!(
                    "{name:?} is reserved (a Rust keyword or crate, a method of `Client`, or a \
                     crate the generated code uses): choose another module name"
                ),
                Some(snake) => format!(
                    "{name:?} is not a usable module name: it must be snake case, as `{snake}`"
                ),
                None => format!("{name:?} is not a usable module name: it has no letters"),
            };
            problems.push(("/info/x-module-name", message));
            String::new()
        }
        Some(_) => {
            problems.push(("/info/x-module-name", "must be a string".to_owned()));
            String::new()
        }
        None => crate::names::module_name(&doc.info.title).unwrap_or_else(|| {
            problems.push((
                "/info/title",
                format!(
                    "no module name can be made of the title {:?}: set one with x-module-name",
                    doc.info.title
                ),
            ));
            String::new()
        }),
    }
}

fn package_name(doc: &OpenAPI, problems: &mut Problems) -> String {
    let info = &doc.info;
    let name = match info.extensions.get("x-crate-name") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(_) => {
            problems.push(("/info/x-crate-name", "must be a string".to_owned()));
            String::new()
        }
        None => heck::ToKebabCase::to_kebab_case(info.title.as_str()),
    };
    if !is_package_name(&name) {
        problems.push((
            "/info",
            format!(
                "crate name {name:?} (from x-crate-name or title) is not a valid Cargo package name"
            ),
        ));
    } else if crate::names::RUST_CRATES.contains(&name.replace('-', "_").as_str()) {
        problems.push((
            "/info",
            format!(
                "crate name {name:?} (from x-crate-name or title) is the name of Rust's own \
                 crate, which the library would shadow (tests and derives would not compile): \
                 set another with x-crate-name"
            ),
        ));
    }
    name
}

fn crate_version(doc: &OpenAPI, problems: &mut Problems) -> String {
    let version = match doc.info.extensions.get("x-crate-version") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(_) => {
            problems.push(("/info/x-crate-version", "must be a string".to_owned()));
            String::new()
        }
        None => "0.1.0".to_owned(),
    };
    if !is_semver(&version) {
        problems.push((
            "/info/x-crate-version",
            format!("{version:?} is not a semantic version (x.y.z)"),
        ));
    }
    version
}

fn base_url(doc: &OpenAPI, errs: &mut Errors<'_>) -> String {
    match doc.servers.first() {
        Some(server) if server.url.contains('{') => match with_defaults(server) {
            Ok(url) if url.starts_with("http://") || url.starts_with("https://") => {
                url.trim_end_matches('/').to_owned()
            }
            Ok(url) => {
                errs.report(
                    "/servers/0/url",
                    format!(
                        "{url:?} (with the variables' defaults) is not an absolute http(s) URL"
                    ),
                );
                String::new()
            }
            Err(message) => {
                errs.report("/servers/0/url", message);
                String::new()
            }
        },
        Some(server) if server.url.starts_with("http://") || server.url.starts_with("https://") => {
            server.url.trim_end_matches('/').to_owned()
        }
        Some(server) => {
            errs.report(
                "/servers/0/url",
                format!("{:?} is not an absolute http(s) URL", server.url),
            );
            String::new()
        }
        None => {
            errs.report(
                "/servers",
                "at least one server with an absolute URL is required",
            );
            String::new()
        }
    }
}

/// The server's URL with each `{variable}` replaced by its default (the base URL a client
/// starts with; a caller picks another with `ClientBuilder::base_url`).
fn with_defaults(server: &openapiv3::Server) -> Result<String, String> {
    let mut url = String::with_capacity(server.url.len());
    let mut rest = server.url.as_str();
    while let Some((before, after)) = rest.split_once('{') {
        url.push_str(before);
        let Some((name, after)) = after.split_once('}') else {
            return Err("an unclosed `{` in the server URL".to_owned());
        };
        let Some(variable) = server.variables.as_ref().and_then(|v| v.get(name)) else {
            return Err(format!(
                "server variable `{name}` is not declared under `variables`"
            ));
        };
        url.push_str(&variable.default);
        rest = after;
    }
    url.push_str(rest);
    Ok(url)
}

fn is_package_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn is_semver(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_and_versions() {
        assert!(is_package_name("token-administration"));
        assert!(is_package_name("a_b1"));
        assert!(!is_package_name(""));
        assert!(!is_package_name("1abc"));
        assert!(!is_package_name("a b"));
        assert!(is_semver("0.1.0"));
        assert!(is_semver("1.2.3-beta.1+build"));
        assert!(!is_semver("1.2"));
        assert!(!is_semver("1..3"));
        assert!(!is_semver("v1.2.3"));
    }
}
