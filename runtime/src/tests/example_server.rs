//! `runtime/src/example_server.rs`: `round_trip`, the check of an example whose request
//! cannot be replayed (its response decoded, encoded again and compared). The models here
//! are written as a generated crate's are (`json::writer`, `json::read`, `json::FromObject`,
//! `enum_value`); a few are written wrong on purpose, to show each failure.

use std::collections::BTreeMap;

use serde::de::MapAccess;
use serde::ser::SerializeMap;
use serde_json::Value;

use crate::example_server::{round_trip, round_trip_error};
use crate::json;

/// A model as generated.
#[derive(Debug)]
struct Thing {
    id: uuid::Uuid,
    name: String,
    count: Option<i32>,
    weight: Option<f32>,
    score: Option<f64>,
    created: Option<chrono::DateTime<chrono::Utc>>,
    state: Option<State>,
    labels: Option<BTreeMap<String, String>>,
    owner: Option<Owner>,
    tags: Option<Vec<String>>,
    extra: Option<Value>,
    note: Option<String>,
}

impl serde::Serialize for Thing {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = json::writer(serializer)?;
        map.required("id", &self.id)?;
        map.required("name", &self.name)?;
        map.optional("count", &self.count)?;
        map.optional("weight", &self.weight)?;
        map.optional("score", &self.score)?;
        map.optional("created", &self.created)?;
        map.optional("state", &self.state)?;
        map.optional("labels", &self.labels)?;
        map.optional("owner", &self.owner)?;
        map.optional("tags", &self.tags)?;
        map.optional("extra", &self.extra)?;
        map.optional("note", &self.note)?;
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for Thing {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        json::read(deserializer)
    }
}

impl<'de> json::FromObject<'de> for Thing {
    fn from_object<A: MapAccess<'de>>(mut object: json::Object<'de, A>) -> Result<Self, A::Error> {
        let (mut id, mut name, mut count, mut weight, mut score, mut created) =
            (None, None, None, None, None, None);
        let (mut state, mut labels, mut owner, mut tags, mut extra, mut note) =
            (None, None, None, None, None, None);
        while let Some(key) = object.next_key()? {
            match key {
                "id" => object.required(&mut id)?,
                "name" => object.required(&mut name)?,
                "count" => object.optional(&mut count)?,
                "weight" => object.optional(&mut weight)?,
                "score" => object.optional(&mut score)?,
                "created" => object.optional_date_time(&mut created)?,
                "state" => object.optional(&mut state)?,
                "labels" => object.optional_map(&mut labels)?,
                "owner" => object.optional(&mut owner)?,
                "tags" => object.optional_list(&mut tags)?,
                "extra" => object.optional(&mut extra)?,
                "note" => object.optional(&mut note)?,
                _ => object.skip()?,
            }
        }
        Ok(Self {
            id: object.present(id, "id")?,
            name: object.present(name, "name")?,
            count,
            weight,
            score,
            created,
            state,
            labels,
            owner,
            tags,
            extra,
            note,
        })
    }
}

#[derive(Debug)]
struct Owner {
    display_name: Option<String>,
}

impl serde::Serialize for Owner {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = json::writer(serializer)?;
        map.optional("displayName", &self.display_name)?;
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for Owner {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        json::read(deserializer)
    }
}

impl<'de> json::FromObject<'de> for Owner {
    fn from_object<A: MapAccess<'de>>(mut object: json::Object<'de, A>) -> Result<Self, A::Error> {
        let mut display_name = None;
        while let Some(key) = object.next_key()? {
            match key {
                "displayName" => object.optional(&mut display_name)?,
                _ => object.skip()?,
            }
        }
        Ok(Self { display_name })
    }
}

/// A string enum as generated: values it does not list kept as their text.
#[derive(Debug)]
enum State {
    Active,
    Closed,
    Other(String),
}

impl serde::Serialize for State {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(match self {
            State::Active => "active",
            State::Closed => "closed",
            State::Other(value) => value,
        })
    }
}

impl<'de> serde::Deserialize<'de> for State {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = json::enum_value(deserializer, &["active", "closed"])?;
        Ok(match &*value {
            "active" => State::Active,
            "closed" => State::Closed,
            _ => State::Other(value.into_owned()),
        })
    }
}

const THING: &str = r#"{
    "id": "6f9619ff-8b86-d011-b42d-00cf4fc964ff",
    "name": "first",
    "count": 2,
    "weight": 0.1,
    "score": 2.5,
    "created": "2024-03-01T09:00:00Z",
    "state": "active",
    "labels": {"team": "a"},
    "owner": {"displayName": "Ada"},
    "tags": ["x", "y"],
    "extra": {"any": [1, "json", null]},
    "note": "kept"
}"#;

/// `THING` with the property `name` set to `value` (JSON text).
fn thing_with(name: &str, value: &str) -> String {
    let mut thing: serde_json::Map<String, Value> = serde_json::from_str(THING).unwrap();
    thing.insert(name.to_owned(), serde_json::from_str(value).unwrap());
    Value::Object(thing).to_string()
}

fn error<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) -> String {
    round_trip_error::<T>(200, json).expect_err("a difference")
}

#[test]
fn a_body_that_reads_and_writes_as_it_is_passes() {
    round_trip::<Thing>(200, THING);
    round_trip::<Vec<Thing>>(201, &format!("[{THING}, {THING}]"));
    round_trip::<BTreeMap<String, Thing>>(200, &format!("{{\"a\": {THING}}}"));
    round_trip::<Value>(200, r#"{"anything": [1, 2.5, null, {"x": "y"}]}"#);
}

#[test]
fn date_times_compare_as_instants() {
    for (created, why) in [
        (r#""2024-03-01T09:00:00""#, "without an offset: UTC"),
        (r#""2024-03-01T10:00:00+01:00""#, "another offset"),
        (r#""2024-03-01T09:00:00.0000000Z""#, ".NET's seven digits"),
        (r#""/Date(1709283600000)/""#, "a .NET JSON date"),
        (
            r#""/Date(1709283600000+0100)/""#,
            "a .NET JSON date with its zone",
        ),
    ] {
        let json = thing_with("created", created);
        assert_eq!(round_trip_error::<Thing>(200, &json), Ok(()), "{why}");
    }
}

#[test]
fn enum_values_and_uuids_in_another_letter_case_pass() {
    round_trip::<Thing>(200, &thing_with("state", r#""Active""#));
    round_trip::<Thing>(
        200,
        &thing_with("id", r#""6F9619FF-8B86-D011-B42D-00CF4FC964FF""#),
    );
}

#[test]
fn an_enum_sent_as_its_number_passes() {
    round_trip::<Thing>(200, &thing_with("state", "2"));
}

#[test]
fn numbers_compare_as_numbers() {
    // An integer for an `f64`, written again as `3.0`.
    round_trip::<Thing>(200, &thing_with("score", "3"));
    // An `f32` written again with its `f64` digits (0.10000000149011612).
    round_trip::<Thing>(200, &thing_with("weight", "0.1"));
}

#[test]
fn nulls_may_be_left_out() {
    round_trip::<Thing>(200, &thing_with("note", "null"));
    round_trip::<Thing>(
        200,
        &thing_with("labels", r#"{"team": "a", "secret": null}"#),
    );
}

#[test]
fn a_collection_wrapper_is_read_as_its_value() {
    round_trip::<Vec<Thing>>(200, &format!(r#"{{"count": 1, "value": [{THING}]}}"#));
    let message = error::<Vec<Thing>>(&format!(
        r#"{{"count": 2, "value": [{THING}, {{"id": "6f9619ff-8b86-d011-b42d-00cf4fc964ff"}}]}}"#
    ));
    assert!(
        message.ends_with("at .value[1].name: missing property"),
        "{message}"
    );
}

#[test]
fn properties_the_type_does_not_have_are_ignored() {
    round_trip::<Thing>(200, &thing_with("url", r#""https://example.com/things/1""#));
    round_trip::<Thing>(200, &thing_with("_links", r#"{"self": {"href": "x"}}"#));
    round_trip::<Thing>(
        200,
        &thing_with("owner", r#"{"displayName": "Ada", "id": 7}"#),
    );
    round_trip::<Thing>(200, &thing_with("flag", "true"));
}

#[test]
fn a_body_that_does_not_decode_names_the_property_and_the_type() {
    let message = error::<Thing>(&thing_with("count", r#""two""#));
    assert!(
        message.starts_with("the example's 200 response does not decode into "),
        "{message}"
    );
    assert!(
        message.contains("Thing: at .count: invalid type"),
        "{message}"
    );
    let message = error::<Thing>(&thing_with("owner", r#"{"displayName": 7}"#));
    assert!(
        message.contains("at .owner.displayName: invalid type"),
        "{message}"
    );
}

#[test]
fn a_body_that_is_not_json_fails() {
    let message = error::<Thing>("<html>");
    assert!(
        message.starts_with("the example's 200 response is not JSON"),
        "{message}"
    );
}

#[test]
fn a_panic_says_what_differs() {
    let panic = std::panic::catch_unwind(|| round_trip::<Thing>(200, r#"{"name": "x"}"#))
        .expect_err("a panic");
    let message = panic.downcast_ref::<String>().expect("a message");
    // The property's path, then where in the body the reading stopped.
    assert!(
        message.ends_with("at .id: missing property at line 1 column 13"),
        "{message}"
    );
}

/// Wrong on purpose: reads `name` and `count`, writes `count` and no `name`.
#[derive(Debug)]
struct Lossy {
    #[allow(dead_code, reason = "read, never written: the point")]
    name: String,
    count: i32,
}

impl serde::Serialize for Lossy {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = json::writer(serializer)?;
        map.required("count", &self.count)?;
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for Lossy {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        json::read(deserializer)
    }
}

impl<'de> json::FromObject<'de> for Lossy {
    fn from_object<A: MapAccess<'de>>(mut object: json::Object<'de, A>) -> Result<Self, A::Error> {
        let (mut name, mut count) = (None, None);
        while let Some(key) = object.next_key()? {
            match key {
                "name" => object.required(&mut name)?,
                "count" => object.required(&mut count)?,
                _ => object.skip()?,
            }
        }
        Ok(Self {
            name: object.present(name, "name")?,
            count: object.present(count, "count")?,
        })
    }
}

/// Wrong on purpose: writes `count` one more than it read.
#[derive(Debug)]
struct Bumps {
    count: i32,
}

impl serde::Serialize for Bumps {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = json::writer(serializer)?;
        map.required("count", &(self.count + 1))?;
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for Bumps {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        json::read(deserializer)
    }
}

impl<'de> json::FromObject<'de> for Bumps {
    fn from_object<A: MapAccess<'de>>(mut object: json::Object<'de, A>) -> Result<Self, A::Error> {
        let mut count = None;
        while let Some(key) = object.next_key()? {
            match key {
                "count" => object.required(&mut count)?,
                _ => object.skip()?,
            }
        }
        Ok(Self {
            count: object.present(count, "count")?,
        })
    }
}

#[test]
fn a_value_that_changes_is_named() {
    let message = error::<Bumps>(r#"{"count": 1, "name": "not read"}"#);
    assert!(
        message.ends_with("at .count: the example has 1, written again as 2"),
        "{message}"
    );
    assert!(
        message.contains("Bumps and encoded again differs"),
        "{message}"
    );
    // In a list, at its item.
    let message = error::<Vec<Bumps>>(r#"[{"count": 1}]"#);
    assert!(
        message.ends_with("at [0].count: the example has 1, written again as 2"),
        "{message}"
    );
}

#[test]
fn a_property_read_but_not_written_is_lost() {
    let message = error::<Lossy>(r#"{"count": 0, "name": "x", "other": 1}"#);
    assert!(
        message.ends_with(
            "at .name: the type reads this property (\"x\") but does not write it again"
        ),
        "{message}"
    );
    // A list of them: the first item that loses it.
    let message = error::<Vec<Lossy>>(r#"[{"count": 0, "name": "x"}]"#);
    assert!(
        message.contains("at [0].name: the type reads this property"),
        "{message}"
    );
}

/// Wrong on purpose: writes a property the example does not have, and drops the first of
/// several items.
#[derive(Debug)]
struct Adds(Vec<i32>);

impl serde::Serialize for Adds {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        let items = if self.0.len() > 1 {
            &self.0[1..]
        } else {
            &self.0[..]
        };
        map.serialize_entry("items", items)?;
        map.serialize_entry("added", &true)?;
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for Adds {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        json::read(deserializer)
    }
}

impl<'de> json::FromObject<'de> for Adds {
    fn from_object<A: MapAccess<'de>>(mut object: json::Object<'de, A>) -> Result<Self, A::Error> {
        let mut items = None;
        while let Some(key) = object.next_key()? {
            match key {
                "items" => object.required_list(&mut items)?,
                _ => object.skip()?,
            }
        }
        Ok(Self(object.present(items, "items")?))
    }
}

#[test]
fn properties_added_and_items_dropped_are_named() {
    let message = error::<Adds>(r#"{"items": [1, 2]}"#);
    assert!(
        message.ends_with("at .items: 2 items in the example, 1 written again"),
        "{message}"
    );
    let message = error::<Adds>(r#"{"items": [1]}"#);
    assert!(
        message.ends_with("at .added: not in the example, but written as true"),
        "{message}"
    );
}
