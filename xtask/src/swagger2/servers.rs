//! `servers`: a server per scheme, its URL the `host` and `basePath` (`https` when the
//! description names no scheme); AutoRest's `x-ms-parameterized-host` makes the host a
//! template whose variables are the parameters it lists.

use serde_yaml::{Mapping, Value};

use super::{Upgrade, copy, put, short, template_names};
use crate::diagnostics::join;

/// The host servers are made of: `host`, or the template of `x-ms-parameterized-host`
/// with its variables.
struct HostTemplate {
    host: String,
    variables: Mapping,
    /// Each variable's name and the pointer of the parameter it came from.
    origins: Vec<(String, String)>,
    /// Whether the scheme goes in front (`useSchemePrefix`).
    with_scheme: bool,
    /// Where the host is written.
    at: &'static str,
}

impl<'a> Upgrade<'a> {
    /// `servers` from `host`, `basePath` and `schemes` (or `x-ms-parameterized-host`): one
    /// server per scheme.
    pub(super) fn servers(&mut self) -> Vec<Value> {
        let root = self.root;
        let schemes = self
            .schemes(root.get("schemes"), "/schemes")
            .unwrap_or_else(|| vec!["https".to_owned()]);
        let urls = self.server_urls(&schemes, "/servers");
        server_list(urls)
    }

    /// The `schemes` list at `at`, if there is one.
    pub(super) fn schemes(&mut self, value: Option<&Value>, at: &str) -> Option<Vec<String>> {
        let value = value?;
        let mut schemes = Vec::new();
        match value.as_sequence() {
            Some(list) => {
                for (i, s) in list.iter().enumerate() {
                    match s.as_str() {
                        Some(s @ ("http" | "https" | "ws" | "wss")) => schemes.push(s.to_owned()),
                        _ => self.report(
                            &join(at, &i.to_string()),
                            "a scheme must be one of http, https, ws, wss",
                        ),
                    }
                }
            }
            None => self.report(at, "must be a list of schemes"),
        }
        Some(schemes)
    }

    /// The servers of an operation that names `schemes` of its own, at `servers_at`.
    pub(super) fn operation_servers(&mut self, schemes: &[String], servers_at: &str) -> Vec<Value> {
        let urls = self.server_urls(schemes, servers_at);
        server_list(urls)
    }

    /// The URL (and variables) of a server per scheme, from the document's `host` and
    /// `basePath`; `servers_at` is where the servers go (for the pointer map). None without
    /// a `host` nor a `basePath`.
    fn server_urls(&mut self, schemes: &[String], servers_at: &str) -> Vec<(String, Mapping)> {
        let root = self.root;
        let host = match root.get("host") {
            None => None,
            Some(Value::String(h)) => Some(h.clone()),
            Some(_) => {
                self.report("/host", "must be a string (a host name and optional port)");
                None
            }
        };
        let base = match root.get("basePath") {
            None => String::new(),
            Some(Value::String(b)) => b.trim_end_matches('/').to_owned(),
            Some(_) => {
                self.report("/basePath", "must be a string");
                String::new()
            }
        };
        let Some(host) = host else {
            if root.get("basePath").is_none() {
                return Vec::new();
            }
            let url = if base.is_empty() { "/".into() } else { base };
            self.record_server(servers_at, 0, "/basePath", &[]);
            return vec![(url, Mapping::new())];
        };
        let template = match root.get("x-ms-parameterized-host") {
            Some(t) => match self.parameterized_host(t) {
                Some(template) => template,
                None => return Vec::new(),
            },
            None => {
                if host.contains('{') {
                    self.report(
                        "/host",
                        "a host with `{variables}` needs x-ms-parameterized-host to declare them",
                    );
                }
                HostTemplate {
                    host,
                    variables: Mapping::new(),
                    origins: Vec::new(),
                    with_scheme: true,
                    at: "/host",
                }
            }
        };
        let schemes: Vec<Option<&String>> = if template.with_scheme {
            schemes.iter().map(Some).collect()
        } else {
            vec![None]
        };
        let mut servers = Vec::new();
        for (i, scheme) in schemes.into_iter().enumerate() {
            let url = match scheme {
                Some(s) => format!("{s}://{}{base}", template.host),
                None => format!("{}{base}", template.host),
            };
            self.record_server(servers_at, i, template.at, &template.origins);
            servers.push((url, template.variables.clone()));
        }
        self.record(servers_at, template.at);
        servers
    }

    /// Records that server `i` at `servers_at` came from the host at `host_at`, and its
    /// variables from the parameters at `origins`.
    fn record_server(
        &mut self,
        servers_at: &str,
        i: usize,
        host_at: &str,
        origins: &[(String, String)],
    ) {
        let server = join(servers_at, &i.to_string());
        self.record(&server, host_at);
        self.record(&join(&server, "url"), host_at);
        let variables = join(&server, "variables");
        for (name, origin) in origins {
            self.record(&join(&variables, name), origin);
        }
    }

    /// AutoRest's `x-ms-parameterized-host`: the host template, its variables (from the
    /// parameters it lists), and whether the scheme goes in front of it.
    fn parameterized_host(&mut self, value: &'a Value) -> Option<HostTemplate> {
        let at = "/x-ms-parameterized-host";
        let map = self.mapping(value, at, "x-ms-parameterized-host")?;
        let Some(template) = map.get("hostTemplate").and_then(Value::as_str) else {
            self.report(at, "needs `hostTemplate`, a string");
            return None;
        };
        let with_scheme = map
            .get("useSchemePrefix")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let mut variables = Mapping::new();
        let mut origins = Vec::new();
        let params_at = join(at, "parameters");
        let params = map.get("parameters").and_then(Value::as_sequence);
        for (i, p) in params.into_iter().flatten().enumerate() {
            let p_at = join(&params_at, &i.to_string());
            let Some((param, origin)) = self.resolve_parameter(p, &p_at) else {
                continue;
            };
            let Some(name) = param.get("name").and_then(Value::as_str) else {
                self.report(&p_at, "a host parameter needs a `name`");
                continue;
            };
            let mut variable = Mapping::new();
            // A server variable always has a default; the parameter's, or none (empty).
            let default = match param.get("default") {
                Some(Value::String(s)) => s.clone(),
                Some(v @ (Value::Number(_) | Value::Bool(_))) => short(v),
                _ => String::new(),
            };
            put(&mut variable, "default", Value::from(default));
            copy(&mut variable, param, "enum");
            copy(&mut variable, param, "description");
            origins.push((name.to_owned(), origin));
            variables.insert(Value::from(name), Value::Mapping(variable));
        }
        for name in template_names(template) {
            if !variables.contains_key(name) {
                self.report(
                    &join(at, "hostTemplate"),
                    format!("`{{{name}}}` has no parameter in x-ms-parameterized-host"),
                );
            }
        }
        Some(HostTemplate {
            host: template.to_owned(),
            variables,
            origins,
            with_scheme,
            at: "/x-ms-parameterized-host/hostTemplate",
        })
    }
}

/// Server objects of (URL, variables) pairs.
fn server_list(urls: Vec<(String, Mapping)>) -> Vec<Value> {
    urls.into_iter()
        .map(|(url, variables)| {
            let mut server = Mapping::new();
            put(&mut server, "url", Value::from(url));
            if !variables.is_empty() {
                put(&mut server, "variables", Value::Mapping(variables));
            }
            Value::Mapping(server)
        })
        .collect()
}
