//! Schemas that describe a .NET type otherwise than the service writes it, as Microsoft's
//! description generator wrote them; one warning each:
//!
//! - a byte array (`byte[]`), written `type: array, items: {type: string, format: byte}`:
//!   the service (Json.NET) writes a `byte[]` as one base64 string (`"exponent": "AQAB"`),
//!   so the schema becomes `type: string, format: byte`;
//! - a `byte` (a number from 0 to 255), written `type: string, format: byte` outside an
//!   array (`probationRetries`, the outcomes of `test/7.1`): Json.NET writes it as a
//!   number (`"probationRetries": 6`), so the schema becomes `type: integer, format:
//!   int32`;
//! - a `decimal`, written `type: string, format: decimal`: Json.NET writes it as a JSON
//!   number (`"minValue": 1`), so the schema becomes `type: number, format: decimal` (an
//!   `f64`);
//! - a type with a JSON converter of its own, which the description shows as the object
//!   of its properties: `IdentityDescriptor` (`identityType` and `identifier`), written
//!   `"Microsoft.TeamFoundation.Identity;S-1-9-..."`, and `Demand` (`name` and `value`),
//!   written `"DotNetFramework"` or `"Agent.Version -gtVersion 2.0"`; every example of
//!   Microsoft's shows them so. The schema becomes `type: string`;
//! - a generic type parameter or a Json.NET value (`type: string` with `format: T`,
//!   `JToken`, `JObject` or `JContainer`): the value is whatever the type argument or the
//!   JSON is (`GitChange.item` is an object, `VssJsonCollectionWrapper.value` a list), so
//!   `type` and `format` go and the schema takes any JSON;
//! - a Json.NET value described as the component schema of its .NET class (`JToken`,
//!   `JObject`, ..., with `first`, `hasValues`, `last`, ...: `serviceEndpoint/7.1`'s request
//!   results): its value is any JSON (an array in Microsoft's own example), so the schema
//!   takes any JSON, keeping its description.

use serde_yaml::{Mapping, Value};

use super::{Diagnostic, each_mapping};

/// The .NET types whose values are any JSON: a generic type parameter and Json.NET's
/// own.
const ANY_JSON_FORMATS: &[&str] = &["T", "JToken", "JObject", "JContainer"];

/// Json.NET's classes of JSON values, which some descriptions give as component schemas of
/// their .NET properties.
const JSON_NET_CLASSES: &[&str] = &["JToken", "JObject", "JArray", "JContainer", "JValue"];

/// The component schemas of .NET types written as one string by a converter of their
/// own, with the properties the description gives them and how the string reads.
const CONVERTED: &[(&str, &[&str], &str)] = &[
    (
        "IdentityDescriptor",
        &["identifier", "identityType"],
        "`identityType;identifier`",
    ),
    (
        "Demand",
        &["name", "value"],
        "`name` or `name -equals value`",
    ),
];

/// Mends every schema of `document` that describes a .NET type otherwise than the service
/// writes it.
pub(crate) fn types(document: &mut Value) -> Vec<Diagnostic> {
    let mut findings = converted(document);
    findings.extend(json_net_classes(document));
    each_mapping(document, &mut |map, pointer| {
        if let Some(message) = byte_array(map)
            .or_else(|| byte(map))
            .or_else(|| decimal(map))
            .or_else(|| any_json(map))
        {
            findings.push(Diagnostic::warning(pointer.render(), message));
        }
    });
    findings
}

/// The component schemas of [`CONVERTED`] types -> `type: string`.
fn converted(document: &mut Value) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    let Some(schemas) = document
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
        .and_then(Value::as_mapping_mut)
    else {
        return findings;
    };
    for (name, properties, form) in CONVERTED {
        let Some(schema) = schemas.get_mut(*name).and_then(Value::as_mapping_mut) else {
            continue;
        };
        let mut described: Vec<&str> = schema
            .get("properties")
            .and_then(Value::as_mapping)
            .map(|p| p.keys().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        described.sort_unstable();
        if described != *properties {
            continue;
        }
        as_string(schema);
        findings.push(Diagnostic::warning(
            format!("/components/schemas/{name}"),
            format!(
                "`{name}` is described as an object of {}, but the service writes it as one \
                 string, {form}, as every example shows: read as `type: string`",
                properties
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        ));
        // Its subclasses (`DemandEquals`: `allOf: [Demand]`) share its converter.
        let base = Value::from(format!("#/components/schemas/{name}"));
        for (sub, schema) in schemas.iter_mut() {
            let inherits = schema
                .get("allOf")
                .and_then(Value::as_sequence)
                .is_some_and(|parts| parts.iter().any(|p| p.get("$ref") == Some(&base)));
            let (Some(sub), Some(schema)) = (sub.as_str(), schema.as_mapping_mut()) else {
                continue;
            };
            if inherits {
                as_string(schema);
                findings.push(Diagnostic::warning(
                    format!("/components/schemas/{sub}"),
                    format!(
                        "`{sub}` inherits from `{name}`, which the service writes as one \
                         string: read as `type: string` too"
                    ),
                ));
            }
        }
    }
    findings
}

/// The component schemas of [`JSON_NET_CLASSES`] described as the class's properties (it
/// has `hasValues`, as `JToken` and its subclasses do) -> any JSON.
fn json_net_classes(document: &mut Value) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    let Some(schemas) = document
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
        .and_then(Value::as_mapping_mut)
    else {
        return findings;
    };
    for name in JSON_NET_CLASSES {
        let Some(schema) = schemas.get_mut(*name).and_then(Value::as_mapping_mut) else {
            continue;
        };
        let described = schema
            .get("properties")
            .and_then(Value::as_mapping)
            .is_some_and(|p| p.contains_key("hasValues"));
        if !described {
            continue;
        }
        let mut any = Mapping::new();
        if let Some(description) = schema.get("description").filter(|d| d.as_str() != Some("")) {
            any.insert(Value::from("description"), description.clone());
        }
        *schema = any;
        findings.push(Diagnostic::warning(
            format!("/components/schemas/{name}"),
            format!(
                "`{name}` is described as the properties of Json.NET's .NET class, but its \
                 value is any JSON: read as any JSON"
            ),
        ));
    }
    findings
}

/// `schema` -> `type: string`, keeping its description.
fn as_string(schema: &mut Mapping) {
    let mut string = Mapping::new();
    string.insert(Value::from("type"), Value::from("string"));
    if let Some(description) = schema.get("description").filter(|d| d.as_str() != Some("")) {
        string.insert(Value::from("description"), description.clone());
    }
    *schema = string;
}

/// `type: array` of `string`/`byte` items -> `type: string, format: byte`.
fn byte_array(map: &mut Mapping) -> Option<String> {
    let items = map.get("items").and_then(Value::as_mapping)?;
    let byte_items = items.get("type").and_then(Value::as_str) == Some("string")
        && items.get("format").and_then(Value::as_str) == Some("byte");
    if map.get("type").and_then(Value::as_str) != Some("array") || !byte_items {
        return None;
    }
    map.remove("items");
    map.insert(Value::from("type"), Value::from("string"));
    map.insert(Value::from("format"), Value::from("byte"));
    Some(
        "an array of `format: byte` strings describes a .NET `byte[]`, which the service \
         writes as one base64 string: read as `type: string, format: byte`"
            .to_owned(),
    )
}

/// `type: string, format: byte` (not an array's items, which `byte_array` took) ->
/// `type: integer, format: int32`.
fn byte(map: &mut Mapping) -> Option<String> {
    let is_byte = map.get("type").and_then(Value::as_str) == Some("string")
        && map.get("format").and_then(Value::as_str) == Some("byte");
    if !is_byte {
        return None;
    }
    map.insert(Value::from("type"), Value::from("integer"));
    map.insert(Value::from("format"), Value::from("int32"));
    Some(
        "`type: string, format: byte` describes a .NET `byte`, which the service writes as \
         a number: read as `type: integer, format: int32`"
            .to_owned(),
    )
}

/// `type: string, format: decimal` -> `type: number, format: decimal`.
fn decimal(map: &mut Mapping) -> Option<String> {
    let is_decimal = map.get("type").and_then(Value::as_str) == Some("string")
        && map.get("format").and_then(Value::as_str) == Some("decimal");
    if !is_decimal {
        return None;
    }
    map.insert(Value::from("type"), Value::from("number"));
    Some(
        "`type: string, format: decimal` describes a .NET `decimal`, which the service \
         writes as a JSON number: read as `type: number, format: decimal`"
            .to_owned(),
    )
}

/// `type: string, format: T` (or a Json.NET type) -> any JSON.
fn any_json(map: &mut Mapping) -> Option<String> {
    let format = map.get("format").and_then(Value::as_str)?;
    if !ANY_JSON_FORMATS.contains(&format)
        || map.get("type").and_then(Value::as_str) != Some("string")
    {
        return None;
    }
    let message = format!(
        "`type: string, format: {format}` describes {}, whose value is any JSON, not a \
         string: read as any JSON",
        if format == "T" {
            "a .NET generic type parameter"
        } else {
            "a Json.NET value"
        }
    );
    map.remove("type");
    map.remove("format");
    Some(message)
}
