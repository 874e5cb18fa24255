//! Repairs of a Swagger 2.0 description made before it is upgraded, where the upgrade
//! (strict, as `codegen` is) would refuse it; one warning each, at the pointer of the file
//! as written:
//!
//! - a `type` that is a format (`type: int32` in `notification/7.1`): the type it is a
//!   format of, with that format (`type: integer, format: int32`);
//! - a query, path or header parameter described by a `schema` (`tfvc/7.1`), which only
//!   body parameters have: the schema's keywords (`type`, `format`, `items`, ...) moved onto
//!   the parameter, as Swagger 2.0 writes them. A schema that refers elsewhere (an object,
//!   or an array of objects) stays: in a query it is marked `x-query-object: dotted`, which
//!   the upgrade keeps and the client sends as Azure DevOps's ASP.NET binds it
//!   (`name.property=value`); elsewhere it is refused.

use serde_yaml::{Mapping, Value};

use super::each_mapping;
use crate::diagnostics::{Diagnostic, Pointer};
use crate::keys::QUERY_OBJECT;

/// Runs every repair on `document`; what was repaired, a warning each.
pub(crate) fn mend(document: &mut Value) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    each_mapping(document, &mut |map, pointer| {
        type_as_format(map, pointer, &mut found);
        parameter_schema(map, pointer, &mut found);
    });
    found
}

/// `type: int32` -> `type: integer, format: int32` (and int64, float, double).
fn type_as_format(map: &mut Mapping, pointer: &Pointer<'_>, found: &mut Vec<Diagnostic>) {
    let Some(format) = map.get("type").and_then(Value::as_str).map(str::to_owned) else {
        return;
    };
    let ty = match format.as_str() {
        "int32" | "int64" => "integer",
        "float" | "double" => "number",
        _ => return,
    };
    if map.contains_key("format") {
        return;
    }
    map.insert(Value::from("type"), Value::from(ty));
    map.insert(Value::from("format"), Value::from(format.as_str()));
    found.push(Diagnostic::warning(
        pointer.key("type").render(),
        format!("`type: {format}` is a format: read as `type: {ty}, format: {format}`"),
    ));
}

/// A non-body parameter with an inline `schema`: its keywords on the parameter.
fn parameter_schema(map: &mut Mapping, pointer: &Pointer<'_>, found: &mut Vec<Diagnostic>) {
    let is_parameter = map.contains_key("name")
        && matches!(
            map.get("in").and_then(Value::as_str),
            Some("query" | "path" | "header")
        );
    let Some(Value::Mapping(schema)) = map.get("schema").filter(|_| is_parameter) else {
        return;
    };
    // A schema that refers elsewhere (directly or for its items) has no Swagger 2.0
    // parameter form. In a query, it is an object or a list of objects that Azure DevOps
    // (ASP.NET) binds from `name.property=value` pairs (`name[0].property=value` for a
    // list's items): marked so, the upgrade keeps the schema and the client sends it that
    // way. Elsewhere it is left for the upgrade to refuse.
    let refers = |s: &Mapping| s.contains_key("$ref");
    let items_refer = schema
        .get("items")
        .and_then(Value::as_mapping)
        .is_some_and(refers);
    if refers(schema) || items_refer {
        let in_query = map.get("in").and_then(Value::as_str) == Some("query");
        if in_query && !map.contains_key(QUERY_OBJECT) {
            map.insert(Value::from(QUERY_OBJECT), Value::from("dotted"));
            found.push(Diagnostic::warning(
                pointer.key("schema").render(),
                format!(
                    "a query parameter whose value is an object or a list of objects has no \
                     Swagger 2.0 form: its `schema` kept, marked `{QUERY_OBJECT}: dotted` (sent \
                     as ASP.NET binds it: `name.property=value`, `name[0].property=value` for \
                     a list's items)"
                ),
            ));
        }
        return;
    }
    if schema.keys().any(|k| map.contains_key(k)) {
        return;
    }
    let schema = schema.clone();
    map.remove("schema");
    for (key, value) in schema {
        map.insert(key, value);
    }
    found.push(Diagnostic::warning(
        pointer.key("schema").render(),
        "a query, path or header parameter takes no `schema` in Swagger 2.0: its keywords \
         moved onto the parameter"
            .to_owned(),
    ));
}
