//! The order of keys a reader of an OpenAPI document expects: `openapi`, `info`,
//! `servers`, `tags`, `security`, `paths`, `components`; in an operation `tags`,
//! `operationId`, `summary`, `description`, `parameters`, `requestBody`, `responses`,
//! `security`; and so on for each kind of object. Keys of no known place (extensions)
//! follow, in their order. Example values, and maps whose keys are names (schemas,
//! properties, paths, statuses), keep the order they were written in. The table of keys
//! is `crate::keys`'s, the one that also finds unknown keys.

use serde_yaml::{Mapping, Value};

use crate::keys::Kind::{self, *};
use crate::keys::fields;

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
            let order = fields(kind);
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
