//! `securityDefinitions` -> `components/securitySchemes`: `basic` becomes HTTP basic,
//! `apiKey` stays, and an OAuth 2.0 scheme's one `flow` becomes the matching entry of
//! `flows` (`accessCode` -> `authorizationCode`, `application` -> `clientCredentials`).
//! Security requirements are written alike in both versions and are copied as they are.

use serde_yaml::{Mapping, Value};

use super::{Upgrade, copy, copy_extensions, put};
use crate::diagnostics::join;

impl Upgrade<'_> {
    pub(super) fn security_schemes(&mut self, value: &Value) -> Value {
        let at = "/securityDefinitions";
        let Some(map) = self.mapping(value, at, "security schemes by name") else {
            return value.clone();
        };
        let mut out = Mapping::new();
        for (name, scheme) in map {
            let Some(n) = name.as_str() else {
                out.insert(name.clone(), scheme.clone());
                continue;
            };
            let converted = self.security_scheme(
                scheme,
                &join(at, n),
                &join("/components/securitySchemes", n),
            );
            out.insert(name.clone(), converted);
        }
        Value::Mapping(out)
    }

    fn security_scheme(&mut self, value: &Value, at: &str, out: &str) -> Value {
        let Some(map) = self.mapping(value, at, "a security scheme") else {
            return value.clone();
        };
        let mut converted = Mapping::new();
        let kind = map.get("type").and_then(Value::as_str).unwrap_or_default();
        match kind {
            "basic" => {
                self.check_keys(map, at, "basic security scheme", &["type", "description"]);
                put(&mut converted, "type", Value::from("http"));
                put(&mut converted, "scheme", Value::from("basic"));
                self.record(&join(out, "scheme"), &join(at, "type"));
                copy(&mut converted, map, "description");
            }
            "apiKey" => {
                self.check_keys(
                    map,
                    at,
                    "apiKey security scheme",
                    &["type", "description", "name", "in"],
                );
                for key in ["type", "description", "name", "in"] {
                    copy(&mut converted, map, key);
                }
            }
            "oauth2" => {
                self.check_keys(
                    map,
                    at,
                    "oauth2 security scheme",
                    &[
                        "type",
                        "description",
                        "flow",
                        "authorizationUrl",
                        "tokenUrl",
                        "scopes",
                    ],
                );
                put(&mut converted, "type", Value::from("oauth2"));
                copy(&mut converted, map, "description");
                if let Some(flows) = self.oauth2_flows(map, at, out) {
                    put(&mut converted, "flows", Value::Mapping(flows));
                }
            }
            _ => {
                self.report(
                    &join(at, "type"),
                    "a Swagger 2.0 security scheme's type is basic, apiKey or oauth2",
                );
                return value.clone();
            }
        }
        copy_extensions(&mut converted, map, &[]);
        Value::Mapping(converted)
    }

    /// The one flow of an OAuth 2.0 scheme, under its OpenAPI 3.0 name.
    fn oauth2_flows(&mut self, map: &Mapping, at: &str, out: &str) -> Option<Mapping> {
        let flow_at = join(at, "flow");
        let (name, keys): (&str, &[&str]) = match map.get("flow").and_then(Value::as_str) {
            Some("implicit") => ("implicit", &["authorizationUrl"]),
            Some("password") => ("password", &["tokenUrl"]),
            Some("application") => ("clientCredentials", &["tokenUrl"]),
            Some("accessCode") => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
            _ => {
                self.report(
                    &flow_at,
                    "an oauth2 flow is one of implicit, password, application, accessCode",
                );
                return None;
            }
        };
        let flows_out = join(out, "flows");
        let flow_out = join(&flows_out, name);
        self.record(&flows_out, &flow_at);
        // The flow's fields sit on the scheme itself in Swagger 2.0.
        self.record(&flow_out, at);
        let mut flow = Mapping::new();
        for key in keys {
            copy(&mut flow, map, key);
        }
        for key in ["authorizationUrl", "tokenUrl"] {
            if !keys.contains(&key) && map.contains_key(key) {
                self.report(&join(at, key), format!("the {name} flow has no {key}"));
            }
        }
        copy(&mut flow, map, "scopes");
        let mut flows = Mapping::new();
        put(&mut flows, name, Value::Mapping(flow));
        Some(flows)
    }
}
