//! The order of keys a reader of an OpenAPI document expects: `openapi`, `info`,
//! `servers`, `tags`, `security`, `paths`, `components`; in an operation `tags`,
//! `operationId`, `summary`, `description`, `parameters`, `requestBody`, `responses`,
//! `security`; and so on for each kind of object. Keys of no known place (extensions)
//! follow, in their order. Example values, and maps whose keys are names (schemas,
//! properties, paths, statuses), keep the order they were written in.

use serde_yaml::{Mapping, Value};

/// The objects whose keys are put in order, and which keys lead to which.
#[derive(Clone, Copy)]
enum Kind {
    Root,
    Info,
    Server,
    Tag,
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    MediaType,
    Responses,
    Response,
    Header,
    Components,
    Schema,
    SecurityScheme,
    Flows,
    Flow,
    Example,
    MapOf(&'static Kind),
    ListOf(&'static Kind),
    /// Left as it is (example values, requirements, extensions).
    Free,
}

use Kind::*;

/// The keys of `kind` in order, each with the kind of its value.
fn keys(kind: Kind) -> &'static [(&'static str, Kind)] {
    match kind {
        Root => &[
            ("openapi", Free),
            ("info", Info),
            ("servers", ListOf(&Server)),
            ("tags", ListOf(&Tag)),
            ("security", Free),
            ("paths", Paths),
            ("components", Components),
            ("externalDocs", Free),
            ("x-ms-paths", Paths),
        ],
        Info => &[
            ("title", Free),
            ("description", Free),
            ("termsOfService", Free),
            ("contact", Free),
            ("license", Free),
            ("version", Free),
        ],
        Server => &[("url", Free), ("description", Free), ("variables", Free)],
        Tag => &[
            ("name", Free),
            ("description", Free),
            ("externalDocs", Free),
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
            ("externalDocs", Free),
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
            ("encoding", Free),
        ],
        Response => &[
            ("$ref", Free),
            ("description", Free),
            ("headers", MapOf(&Header)),
            ("content", MapOf(&MediaType)),
            ("links", Free),
        ],
        Components => &[
            ("schemas", MapOf(&Schema)),
            ("responses", MapOf(&Response)),
            ("parameters", MapOf(&Parameter)),
            ("examples", MapOf(&Example)),
            ("requestBodies", MapOf(&RequestBody)),
            ("headers", MapOf(&Header)),
            ("securitySchemes", MapOf(&SecurityScheme)),
            ("links", Free),
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
            ("discriminator", Free),
            ("required", Free),
            ("allOf", ListOf(&Schema)),
            ("oneOf", ListOf(&Schema)),
            ("anyOf", ListOf(&Schema)),
            ("not", Schema),
            ("items", Schema),
            ("properties", MapOf(&Schema)),
            ("additionalProperties", Schema),
            ("xml", Free),
            ("externalDocs", Free),
        ],
        SecurityScheme => &[
            ("type", Free),
            ("description", Free),
            ("name", Free),
            ("in", Free),
            ("scheme", Free),
            ("bearerFormat", Free),
            ("flows", Flows),
            ("openIdConnectUrl", Free),
        ],
        Flows => &[
            ("implicit", Flow),
            ("password", Flow),
            ("clientCredentials", Flow),
            ("authorizationCode", Flow),
        ],
        Flow => &[
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
        Paths | Responses | MapOf(_) | ListOf(_) | Free => &[],
    }
}

/// Puts the keys of every object of the document in order.
pub(crate) fn canonical(document: &mut Value) {
    walk(document, Root);
}

fn walk(value: &mut Value, kind: Kind) {
    match (kind, value) {
        (Free, _) => {}
        (ListOf(item), Value::Sequence(items)) => {
            for v in items {
                walk(v, *item);
            }
        }
        (MapOf(item), Value::Mapping(map)) => {
            for (_, v) in map.iter_mut() {
                walk(v, *item);
            }
        }
        (Paths, Value::Mapping(map)) => {
            for (k, v) in map.iter_mut() {
                if k.as_str().is_some_and(|k| !k.starts_with("x-")) {
                    walk(v, PathItem);
                }
            }
        }
        (Responses, Value::Mapping(map)) => {
            for (k, v) in map.iter_mut() {
                if !k.as_str().is_some_and(|k| k.starts_with("x-")) {
                    walk(v, Response);
                }
            }
        }
        (kind, Value::Mapping(map)) => {
            let order = keys(kind);
            let mut sorted = Mapping::new();
            for (key, child) in order {
                if let Some(mut v) = map.remove(*key) {
                    walk(&mut v, *child);
                    sorted.insert(Value::from(*key), v);
                }
            }
            // What is left (extensions, keys of no known place) follows in its order.
            for (k, v) in std::mem::take(map) {
                sorted.insert(k, v);
            }
            *map = sorted;
        }
        _ => {}
    }
}
