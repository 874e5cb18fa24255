//! How a model struct is written and read as a JSON object, for its
//! `Serialize` and `Deserialize` impls: a few lines per struct, calling one
//! generic writer and one generic reader compiled once for the crate (a
//! derived impl per struct costs every build of the crate several times as
//! much to compile).
//!
//! Writing: each field adds its property to a map ([`Writer::required`];
//! [`Writer::optional`] leaves out a field that is not set). Reading: the
//! object is read whole, then each field takes its property
//! ([`Object::required`], [`Object::optional`]; for arrays and maps, item by
//! item, [`Object::required_list`], [`Object::optional_list`],
//! [`Object::required_map`], [`Object::optional_map`]). A failure names the
//! property's path, nested objects and the items of arrays included
//! (`at .value[3].owner.id: missing property`).
//!
//! Neither side returns an error per field: the first one is kept and
//! returned at the end, so that a field is one call.

use serde::de::{DeserializeOwned, Error as _};
use serde::ser::SerializeMap;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// Writes a struct as a map: `write` adds its properties.
pub fn write<S, F>(serializer: S, write: F) -> Result<S::Ok, S::Error>
where
    S: serde::Serializer,
    F: FnOnce(&mut Writer<S::SerializeMap>),
{
    let mut writer = Writer {
        map: serializer.serialize_map(None)?,
        error: None,
    };
    write(&mut writer);
    match writer.error {
        Some(error) => Err(error),
        None => writer.map.end(),
    }
}

/// The map a struct's properties are written to; the first error is kept.
pub struct Writer<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: SerializeMap> Writer<M> {
    /// Writes property `name`, whatever its value (`null` included).
    pub fn required<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        if self.error.is_none()
            && let Err(error) = self.map.serialize_entry(name, value)
        {
            self.error = Some(error);
        }
    }

    /// Writes property `name` when the field is set.
    pub fn optional<T: serde::Serialize>(&mut self, name: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.required(name, value);
        }
    }
}

/// Whether two values have the same JSON form: the equality of model structs
/// (a derived comparison of every field costs more to compile than the rest
/// of a struct).
pub fn same<T: serde::Serialize>(a: &T, b: &T) -> bool {
    match (serde_json::to_value(a), serde_json::to_value(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Reads a JSON object with `deserializer` and makes a `T` of its properties
/// with `read`.
pub fn read<'de, D, T>(
    deserializer: D,
    read: fn(&mut Object) -> Result<T, serde_json::Error>,
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let properties = <Map<String, Value> as serde::Deserialize>::deserialize(deserializer)?;
    let mut object = Object {
        properties,
        error: None,
    };
    let value = read(&mut object);
    match (value, object.error) {
        (Ok(value), None) => Ok(value),
        (Err(error), _) | (Ok(_), Some(error)) => Err(D::Error::custom(error)),
    }
}

/// The properties of a JSON object not yet taken by a field, and the first
/// error of a property that did not read.
pub struct Object {
    properties: Map<String, Value>,
    error: Option<serde_json::Error>,
}

impl Object {
    /// The property `name`, which must be present. `null` is a value for a
    /// type that takes it (an `Option`), and an error for any other.
    pub fn required<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
    ) -> Result<T, serde_json::Error> {
        let value = self.properties.remove(name).ok_or_else(|| {
            serde_json::Error::custom(format_args!("at .{name}: missing property"))
        })?;
        decode(value).map_err(|e| at(&format!(".{name}"), &e))
    }

    /// The property `name`, if present and not `null`.
    pub fn optional<T: DeserializeOwned>(&mut self, name: &'static str) -> Option<T> {
        let value = self.take(name)?;
        let read = decode(value).map_err(|e| at(&format!(".{name}"), &e));
        self.keep(read)
    }

    /// The array `name`, which must be present; an error says at which item.
    pub fn required_list<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
    ) -> Result<Vec<T>, serde_json::Error> {
        let value = self.properties.remove(name).ok_or_else(|| {
            serde_json::Error::custom(format_args!("at .{name}: missing property"))
        })?;
        list(name, value)
    }

    /// The array `name`, if present and not `null`; an error says at which
    /// item.
    pub fn optional_list<T: DeserializeOwned>(&mut self, name: &'static str) -> Option<Vec<T>> {
        let value = self.take(name)?;
        let read = list(name, value);
        self.keep(read)
    }

    /// The map `name`, which must be present; an error says at which key.
    pub fn required_map<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
    ) -> Result<BTreeMap<String, T>, serde_json::Error> {
        let value = self.properties.remove(name).ok_or_else(|| {
            serde_json::Error::custom(format_args!("at .{name}: missing property"))
        })?;
        map(name, value)
    }

    /// The map `name`, if present and not `null`; an error says at which key.
    pub fn optional_map<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
    ) -> Option<BTreeMap<String, T>> {
        let value = self.take(name)?;
        let read = map(name, value);
        self.keep(read)
    }

    /// Takes the property `name` when it is present and not `null`.
    fn take(&mut self, name: &str) -> Option<Value> {
        self.properties.remove(name).filter(|v| !v.is_null())
    }

    /// The value read, or `None` with the error kept (the first only).
    fn keep<T>(&mut self, read: Result<T, serde_json::Error>) -> Option<T> {
        match read {
            Ok(value) => Some(value),
            Err(error) => {
                self.error.get_or_insert(error);
                None
            }
        }
    }
}

/// A property's value as a `T`. Lenient where the service is: a date-time
/// without an offset (`2018-07-19T00:00:00`, as Azure DevOps writes some, and
/// Microsoft's examples many) is read as UTC when `T` needs an offset, and so
/// is a date in the .NET JSON form some areas write (`/Date(1565715592526)/`,
/// milliseconds since 1970 in UTC, which Json.NET reads too); the first error
/// is kept when that does not help either.
fn decode<T: DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    // Worked out before the value moves into the decoder, so that the usual
    // case moves it rather than copying; only such date-times allocate here.
    let utc = as_utc(&value);
    serde_json::from_value(value).or_else(|error| match utc {
        Some(utc) => serde_json::from_value(utc).map_err(|_| error),
        None => Err(error),
    })
}

/// `value` with a `Z` appended when it is a date-time without an offset, or
/// as an RFC 3339 UTC date-time when it is a .NET JSON date.
fn as_utc(value: &Value) -> Option<Value> {
    let text = value.as_str()?;
    if let Some(utc) = dotnet_date(text) {
        return Some(Value::String(utc));
    }
    let (date, time) = text.split_once('T')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let date_ok = date.len() == 10 && date.split('-').filter(|p| digits(p)).count() == 3;
    let (clock, fraction) = time.split_once('.').unwrap_or((time, "0"));
    let time_ok = clock.len() == 8 && clock.split(':').filter(|p| digits(p)).count() == 3;
    (date_ok && time_ok && digits(fraction)).then(|| Value::String(format!("{text}Z")))
}

/// `/Date(MILLISECONDS)/` (with an optional `+HHMM` or `-HHMM`, which only
/// says where it was written: the milliseconds count in UTC) as RFC 3339.
fn dotnet_date(text: &str) -> Option<String> {
    let inner = text.strip_prefix("/Date(")?.strip_suffix(")/")?;
    let digits_end = inner
        .char_indices()
        .skip(1)
        .find(|(_, c)| !c.is_ascii_digit())
        .map_or(inner.len(), |(i, _)| i);
    let (millis, zone) = inner.split_at(digits_end);
    let zone_ok = zone.is_empty()
        || (zone.len() == 5
            && zone.starts_with(['+', '-'])
            && zone[1..].bytes().all(|b| b.is_ascii_digit()));
    if !zone_ok {
        return None;
    }
    let at = chrono::DateTime::from_timestamp_millis(millis.parse().ok()?)?;
    Some(at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

/// The map of property `name`, value by value, so that an error names its
/// key. Lenient where the service is: a `null` entry of a map whose values
/// cannot be `null` is left out (Azure DevOps blanks secrets so, e.g. a
/// service endpoint's `"password": null`).
fn map<T: DeserializeOwned>(
    name: &str,
    value: Value,
) -> Result<BTreeMap<String, T>, serde_json::Error> {
    let Value::Object(entries) = value else {
        return decode(value).map_err(|e| at(&format!(".{name}"), &e));
    };
    let mut read = BTreeMap::new();
    for (key, value) in entries {
        let null = value.is_null();
        match decode(value) {
            Ok(value) => {
                read.insert(key, value);
            }
            Err(_) if null => {}
            Err(e) => return Err(at(&format!(".{name}[{key:?}]"), &e)),
        }
    }
    Ok(read)
}

/// The array of property `name`, item by item, so that an error names its
/// index.
fn list<T: DeserializeOwned>(name: &str, value: Value) -> Result<Vec<T>, serde_json::Error> {
    let Value::Array(items) = value else {
        return decode(value).map_err(|e| at(&format!(".{name}"), &e));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| decode(item).map_err(|e| at(&format!(".{name}[{i}]"), &e)))
        .collect()
}

/// `error` (from the value at `path`, relative to the object) with `path`
/// before any path it has already.
fn at(path: &str, error: &serde_json::Error) -> serde_json::Error {
    let message = error.to_string();
    match message.strip_prefix("at ") {
        Some(rest) if rest.starts_with('.') => {
            serde_json::Error::custom(format_args!("at {path}{rest}"))
        }
        _ => serde_json::Error::custom(format_args!("at {path}: {message}")),
    }
}

/// The wire value of a string enum whose listed values are `listed`, for its
/// `Deserialize` impl. Lenient where the service is: Azure DevOps reads enum
/// values without regard to letter case, and some of its answers (and many
/// of Microsoft's examples) spell a value otherwise than the description
/// lists it (`OneLevel` for `oneLevel`), so a value that is one listed value
/// but for ASCII case reads as that value. Some areas send an enum as its
/// .NET number (`"status": 1`); the description gives no numbers, so the
/// number is kept as its text, a value the spec does not list.
pub fn enum_value<'de, D>(deserializer: D, listed: &[&str]) -> Result<String, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value = deserializer.deserialize_any(EnumText)?;
    if listed.contains(&value.as_str()) {
        return Ok(value);
    }
    let mut same_but_case = listed.iter().filter(|l| l.eq_ignore_ascii_case(&value));
    match (same_but_case.next(), same_but_case.next()) {
        (Some(one), None) => Ok((*one).to_owned()),
        _ => Ok(value),
    }
}

/// Reads an enum's value: a string, or an integer as its decimal text.
struct EnumText;

impl serde::de::Visitor<'_> for EnumText {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
}
