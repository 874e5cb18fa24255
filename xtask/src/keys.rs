//! Unknown keys: `openapiv3` (like serde by default) drops keys it does not know, so a typo
//! such as `requried: true` would silently change the generated code. This walks the YAML
//! with the OpenAPI 3.0 object kinds and reports every key that is neither a field of that
//! object nor an `x-` extension.

use serde_yaml::Value;

use crate::diagnostics::{Diagnostic, Pointer};

/// The extension of a query parameter whose value is an object or a list of objects, sent
/// as ASP.NET binds it: `x-query-object: dotted`, the object's properties as
/// `name.property=value` pairs and a list's items as `name[0].property=value`. Written by
/// `cargo xtask import` (Swagger 2.0 cannot describe such a parameter), read by the upgrade
/// and by lowering.
pub(crate) const QUERY_OBJECT: &str = "x-query-object";

/// The OpenAPI 3.0 objects, by what their keys may be: what [`unknown_keys`] checks and
/// the order `cargo xtask import` writes keys in (`import/order.rs`).
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Root,
    Info,
    Contact,
    License,
    Server,
    ServerVariable,
    Components,
    Paths,
    PathItem,
    Operation,
    ExternalDocs,
    Parameter,
    RequestBody,
    MediaType,
    Encoding,
    Responses,
    Response,
    Example,
    Link,
    Header,
    Tag,
    Schema,
    Discriminator,
    Xml,
    SecurityScheme,
    OAuthFlows,
    OAuthFlow,
    /// A map whose keys are names chosen by the author, each value of the given kind.
    MapOf(&'static Kind),
    /// A list of values of the given kind.
    ListOf(&'static Kind),
    /// Anything goes (examples, security requirements, scopes, ...).
    Free,
}

use Kind::*;

/// The fields of an object kind, in the order a reader expects them (`openapi`, `info`,
/// `servers`, `tags`, `security`, `paths`, `components`; in an operation `tags`,
/// `operationId`, `summary`, ...), and the kind of each field's value. (`x-ms-paths`, an
/// extension, is not checked but put in its place.)
pub(crate) fn fields(kind: Kind) -> &'static [(&'static str, Kind)] {
    match kind {
        Root => &[
            ("openapi", Free),
            ("info", Info),
            ("servers", ListOf(&Server)),
            ("tags", ListOf(&Tag)),
            ("security", Free),
            ("paths", Paths),
            ("components", Components),
            ("externalDocs", ExternalDocs),
            ("x-ms-paths", Paths),
        ],
        Info => &[
            ("title", Free),
            ("description", Free),
            ("termsOfService", Free),
            ("contact", Contact),
            ("license", License),
            ("version", Free),
        ],
        Server => &[
            ("url", Free),
            ("description", Free),
            ("variables", MapOf(&ServerVariable)),
        ],
        Tag => &[
            ("name", Free),
            ("description", Free),
            ("externalDocs", ExternalDocs),
        ],
        PathItem => &[
            ("$ref", Free),
            ("summary", Free),
            ("description", Free),
            ("servers", ListOf(&Server)),
            ("parameters", ListOf(&Parameter)),
            ("get", Operation),
            ("put", Operation),
            ("post", Operation),
            ("delete", Operation),
            ("options", Operation),
            ("head", Operation),
            ("patch", Operation),
            ("trace", Operation),
        ],
        Operation => &[
            ("tags", Free),
            ("operationId", Free),
            ("summary", Free),
            ("description", Free),
            ("externalDocs", ExternalDocs),
            ("parameters", ListOf(&Parameter)),
            ("requestBody", RequestBody),
            ("responses", Responses),
            ("callbacks", Free),
            ("deprecated", Free),
            ("security", Free),
            ("servers", ListOf(&Server)),
        ],
        Parameter | Header => &[
            ("$ref", Free),
            ("name", Free),
            ("in", Free),
            ("description", Free),
            ("required", Free),
            ("deprecated", Free),
            ("allowEmptyValue", Free),
            ("style", Free),
            ("explode", Free),
            ("allowReserved", Free),
            ("schema", Schema),
            ("example", Free),
            ("examples", MapOf(&Example)),
            ("content", MapOf(&MediaType)),
        ],
        RequestBody => &[
            ("$ref", Free),
            ("description", Free),
            ("required", Free),
            ("content", MapOf(&MediaType)),
        ],
        MediaType => &[
            ("schema", Schema),
            ("example", Free),
            ("examples", MapOf(&Example)),
            ("encoding", MapOf(&Encoding)),
        ],
        Response => &[
            ("$ref", Free),
            ("description", Free),
            ("headers", MapOf(&Header)),
            ("content", MapOf(&MediaType)),
            ("links", MapOf(&Link)),
        ],
        Components => &[
            ("schemas", MapOf(&Schema)),
            ("responses", MapOf(&Response)),
            ("parameters", MapOf(&Parameter)),
            ("examples", MapOf(&Example)),
            ("requestBodies", MapOf(&RequestBody)),
            ("headers", MapOf(&Header)),
            ("securitySchemes", MapOf(&SecurityScheme)),
            ("links", MapOf(&Link)),
            ("callbacks", Free),
        ],
        Schema => &[
            ("$ref", Free),
            ("type", Free),
            ("format", Free),
            ("title", Free),
            ("description", Free),
            ("nullable", Free),
            ("readOnly", Free),
            ("writeOnly", Free),
            ("deprecated", Free),
            ("enum", Free),
            ("default", Free),
            ("example", Free),
            ("multipleOf", Free),
            ("maximum", Free),
            ("exclusiveMaximum", Free),
            ("minimum", Free),
            ("exclusiveMinimum", Free),
            ("maxLength", Free),
            ("minLength", Free),
            ("pattern", Free),
            ("maxItems", Free),
            ("minItems", Free),
            ("uniqueItems", Free),
            ("maxProperties", Free),
            ("minProperties", Free),
            ("discriminator", Discriminator),
            ("required", Free),
            ("allOf", ListOf(&Schema)),
            ("oneOf", ListOf(&Schema)),
            ("anyOf", ListOf(&Schema)),
            ("not", Schema),
            ("items", Schema),
            ("properties", MapOf(&Schema)),
            ("additionalProperties", Schema),
            ("xml", Xml),
            ("externalDocs", ExternalDocs),
        ],
        SecurityScheme => &[
            ("type", Free),
            ("description", Free),
            ("name", Free),
            ("in", Free),
            ("scheme", Free),
            ("bearerFormat", Free),
            ("flows", OAuthFlows),
            ("openIdConnectUrl", Free),
        ],
        OAuthFlows => &[
            ("implicit", OAuthFlow),
            ("password", OAuthFlow),
            ("clientCredentials", OAuthFlow),
            ("authorizationCode", OAuthFlow),
        ],
        OAuthFlow => &[
            ("authorizationUrl", Free),
            ("tokenUrl", Free),
            ("refreshUrl", Free),
            ("scopes", Free),
        ],
        Example => &[
            ("summary", Free),
            ("description", Free),
            ("value", Free),
            ("externalValue", Free),
        ],
        Contact => &[("name", Free), ("url", Free), ("email", Free)],
        License => &[("name", Free), ("url", Free)],
        ServerVariable => &[("enum", Free), ("default", Free), ("description", Free)],
        ExternalDocs => &[("description", Free), ("url", Free)],
        Encoding => &[
            ("contentType", Free),
            ("headers", MapOf(&Header)),
            ("style", Free),
            ("explode", Free),
            ("allowReserved", Free),
        ],
        Link => &[
            ("operationRef", Free),
            ("operationId", Free),
            ("parameters", Free),
            ("requestBody", Free),
            ("description", Free),
            ("server", Server),
        ],
        Discriminator => &[("propertyName", Free), ("mapping", Free)],
        Xml => &[
            ("name", Free),
            ("namespace", Free),
            ("prefix", Free),
            ("attribute", Free),
            ("wrapped", Free),
        ],
        Paths | Responses | MapOf(_) | ListOf(_) | Free => &[],
    }
}

/// Every unknown key in the document, an error at the key's JSON pointer.
pub fn unknown_keys(document: &Value) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    walk(document, Root, Pointer::Root, &mut found);
    found
}

/// A key that YAML reads as a number, boolean, null or collection, where JSON (and so
/// OpenAPI) has only strings: `1:` names no property `1` until it is quoted.
fn not_a_string(key: &Value, at: Pointer<'_>) -> Diagnostic {
    let (text, what) = match key {
        Value::Number(n) => (n.to_string(), "a number"),
        Value::Bool(b) => (b.to_string(), "a boolean"),
        Value::Null => ("null".to_owned(), "null"),
        _ => (String::new(), "not a plain value"),
    };
    let message = if text.is_empty() {
        "this key is not a plain string (a complex YAML key); keys must be strings".to_owned()
    } else {
        format!("the key `{text}` is {what} in YAML, not a string: quote it ('{text}')")
    };
    Diagnostic::error(at.key(&text).render(), message)
}

fn walk(value: &Value, kind: Kind, at: Pointer<'_>, found: &mut Vec<Diagnostic>) {
    match (kind, value) {
        (Free, _) => {}
        (ListOf(item), Value::Sequence(items)) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, *item, at.index(i), found);
            }
        }
        (MapOf(item), Value::Mapping(map)) => {
            for (k, v) in map {
                match k.as_str() {
                    Some(k) => walk(v, *item, at.key(k), found),
                    None => found.push(not_a_string(k, at)),
                }
            }
        }
        (Paths, Value::Mapping(map)) => {
            for (k, v) in map {
                match k.as_str() {
                    Some(k) if k.starts_with("x-") => {}
                    Some(k) if k.starts_with('/') => walk(v, PathItem, at.key(k), found),
                    // The document model would drop such an entry without a word.
                    Some(k) => found.push(Diagnostic::error(
                        at.key(k).render(),
                        "a path must start with `/` (an extension with `x-`)",
                    )),
                    None => found.push(not_a_string(k, at)),
                }
            }
        }
        (Responses, Value::Mapping(map)) => {
            for (k, v) in map {
                let key = match k {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    _ => continue,
                };
                if !key.starts_with("x-") {
                    walk(v, Response, at.key(&key), found);
                }
            }
        }
        // `additionalProperties: true/false` is a boolean, not a schema.
        (Schema, Value::Bool(_)) => {}
        (kind, Value::Mapping(map)) => {
            // A reference object: OpenAPI 3.0 ignores its other keys, so does the generator.
            if map.contains_key("$ref") {
                return;
            }
            let known = fields(kind);
            for (k, v) in map {
                let Some(key) = k.as_str() else {
                    found.push(not_a_string(k, at));
                    continue;
                };
                if key.starts_with("x-") {
                    continue;
                }
                match known.iter().find(|(name, _)| *name == key) {
                    Some((_, child)) => walk(v, *child, at.key(key), found),
                    None => {
                        let mut message = format!("unknown key `{key}`");
                        if let Some(close) = closest(key, known.iter().map(|(n, _)| *n)) {
                            message.push_str(&format!(" (did you mean `{close}`?)"));
                        }
                        message.push_str("; extensions must start with `x-`");
                        found.push(Diagnostic::error(at.key(key).render(), message));
                    }
                }
            }
        }
        // Values of the wrong type are reported by the document model with a better message.
        _ => {}
    }
}

/// The known key nearest to `key`, if it is near enough to be a typo.
pub(crate) fn closest<'a>(key: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let key_lower = key.to_ascii_lowercase();
    known
        .map(|k| (distance(&key_lower, &k.to_ascii_lowercase()), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            prev = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The (pointer, message) of each unknown key.
    fn check(yaml: &str) -> Vec<(String, String)> {
        unknown_keys(&serde_yaml::from_str(yaml).unwrap())
            .into_iter()
            .map(|d| (d.pointer, d.message))
            .collect()
    }

    #[test]
    fn paths_must_start_with_a_slash() {
        let found = check("paths:\n  /a: {}\n  b: {}\n  x-b: {}\n  1: {}\n");
        assert_eq!(
            found,
            [
                (
                    "/paths/b".to_owned(),
                    "a path must start with `/` (an extension with `x-`)".to_owned()
                ),
                (
                    "/paths/1".to_owned(),
                    "the key `1` is a number in YAML, not a string: quote it ('1')".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn typos_are_found_with_a_suggestion() {
        let found = check(
            "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      parameters:\n        - name: x\n          in: query\n          requried: true\n",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "/paths/~1a/get/parameters/0/requried");
        assert!(
            found[0].1.contains("did you mean `required`?"),
            "{:?}",
            found[0]
        );
    }

    #[test]
    fn extensions_refs_and_free_maps_are_allowed() {
        let found = check(
            "openapi: 3.0.3\nx-top: 1\ninfo:\n  title: t\n  version: v\n  x-crate-name: c\npaths:\n  /a:\n    post:\n      x-ms-preview: true\n      responses:\n        '204':\n          description: ok\n      security:\n        - oauth2: [a]\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n      description: ignored next to $ref\n    B:\n      type: object\n      additionalProperties: true\n      properties:\n        anything:\n          type: string\n",
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unknown_keys_in_schemas_are_found() {
        let found = check(
            "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        n:\n          type: string\n          maxLenght: 3\n",
        );
        assert_eq!(found[0].0, "/components/schemas/A/properties/n/maxLenght");
        assert!(
            found[0].1.contains("did you mean `maxLength`?"),
            "{:?}",
            found[0]
        );
    }
}
