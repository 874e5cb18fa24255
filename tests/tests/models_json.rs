//! The JSON form of generated models (their written-out `Serialize` and `Deserialize`
//! through the runtime's `json` module) and their comparisons, on the coverage fixture:
//! wire names, optional and nullable properties, leniency where the service is lenient,
//! and decode errors that name the property's path.

use std::collections::BTreeMap;
use std::time::Duration;

use fixture_coverage::models::{
    Created, Thing, ThingColor, ThingList, ThingOwner, ThingOwnerAddress, ThingState,
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn id(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(0xabcd_0000_0000_4000_8000_0000_0000_0000 + n)
}

fn thing(n: u128) -> Thing {
    Thing {
        id: id(n),
        name: format!("thing {n}"),
        count: 1,
        ..Thing::default()
    }
}

/// The message of a decode error, or a panic naming what decoded instead.
fn decode_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(
    value: serde_json::Value,
) -> String {
    match serde_json::from_value::<T>(value) {
        Ok(decoded) => panic!("decoded: {decoded:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn properties_are_written_by_wire_name_and_unset_optional_ones_are_left_out() {
    let mut t = thing(1);
    t.created_at = Some(
        chrono::DateTime::parse_from_rfc3339("2024-05-06T07:08:09Z")
            .unwrap()
            .with_timezone(&chrono::Utc),
    );
    t.state = Some(ThingState::InProgress);
    t.owner = Some(ThingOwner {
        display_name: Some("Ada".into()),
        address: None,
    });
    t.tags = Some(vec!["a".into()]);
    t.labels = Some(BTreeMap::from([("k".to_owned(), "v".to_owned())]));
    let value = serde_json::to_value(&t).unwrap();
    assert_eq!(
        value,
        json!({
            "id": id(1), "name": "thing 1", "count": 1,
            "createdAt": "2024-05-06T07:08:09Z",
            "state": "in-progress",
            "owner": {"displayName": "Ada"},
            "tags": ["a"],
            "labels": {"k": "v"},
        })
    );
    // And read back as it was.
    assert_eq!(serde_json::from_value::<Thing>(value).unwrap(), t);
}

#[test]
fn null_and_missing_optional_properties_read_as_none_and_unknown_ones_are_ignored() {
    let t: Thing = serde_json::from_value(json!({
        "id": id(2), "name": "n", "count": 3,
        "code": null, "owner": null, "tags": null, "state": null,
        "addedByANewerService": {"x": 1},
    }))
    .unwrap();
    assert_eq!(t.code, None);
    assert_eq!(t.owner, None);
    assert_eq!(t.tags, None);
    assert_eq!(t.state, None);
    assert_eq!(t.count, 3);
}

#[test]
fn enum_values_the_spec_does_not_list_are_kept_and_compare_by_wire_value() {
    let t: Thing = serde_json::from_value(json!({
        "id": id(3), "name": "n", "count": 1, "state": "paused", "color": "red",
    }))
    .unwrap();
    assert_eq!(t.state, Some(ThingState::Other("paused".into())));
    assert_eq!(t.color, Some(ThingColor::Red));
    assert_eq!(serde_json::to_value(&t).unwrap()["state"], "paused");
    // The same wire value is the same value, whichever variant holds it.
    assert_eq!(ThingState::Other("active".into()), ThingState::Active);
    assert_ne!(ThingState::Other("paused".into()), ThingState::Active);
    let set: std::collections::HashSet<ThingState> =
        [ThingState::Active, ThingState::Other("active".into())].into();
    assert_eq!(set.len(), 1);
    assert_eq!(ThingState::InProgress.to_string(), "in-progress");
}

#[test]
fn enum_values_in_another_letter_case_read_as_the_listed_value() {
    // Azure DevOps reads enum values without regard to case, and writes some so.
    let t: Thing = serde_json::from_value(json!({
        "id": id(3), "name": "n", "count": 1, "state": "In-Progress", "color": "RED",
    }))
    .unwrap();
    assert_eq!(t.state, Some(ThingState::InProgress));
    assert_eq!(t.color, Some(ThingColor::Red));
    assert_eq!(serde_json::to_value(&t).unwrap()["state"], "in-progress");
    let done: ThingState = serde_json::from_value(json!("done")).unwrap();
    assert_eq!(done, ThingState::Done);
    // A value listed as written is that value; one listed nowhere is kept as it came.
    let active: ThingState = serde_json::from_value(json!("active")).unwrap();
    assert_eq!(active, ThingState::Active);
    let other: ThingState = serde_json::from_value(json!("Paused")).unwrap();
    assert_eq!(other, ThingState::Other("Paused".into()));
}

#[test]
fn enum_values_sent_as_numbers_are_kept_as_their_text() {
    // Some areas send an enum as its .NET number; the spec gives no numbers to map it to.
    let t: Thing = serde_json::from_value(json!({
        "id": id(3), "name": "n", "count": 1, "state": 1,
    }))
    .unwrap();
    assert_eq!(t.state, Some(ThingState::Other("1".into())));
    assert!(
        decode_error::<ThingState>(json!(true)).contains("expected a string"),
        "anything else is still an error"
    );
}

#[test]
fn null_entries_of_a_map_whose_values_cannot_be_null_are_left_out() {
    // Azure DevOps blanks secrets so: a service endpoint's `"password": null`.
    let t: Thing = serde_json::from_value(json!({
        "id": id(3), "name": "n", "count": 1,
        "labels": {"user": "u", "password": null},
    }))
    .unwrap();
    let labels = t.labels.expect("labels");
    assert_eq!(labels.get("user").map(String::as_str), Some("u"));
    assert!(!labels.contains_key("password"));
    // Any other value that does not fit is an error naming the key.
    let err = decode_error::<Thing>(json!({
        "id": id(3), "name": "n", "count": 1, "labels": {"user": 7},
    }));
    assert!(err.contains("at .labels[\"user\"]"), "{err}");
}

#[test]
fn models_compare_field_by_field_as_a_derived_impl_does() {
    assert_eq!(thing(1), thing(1));
    assert_ne!(thing(1), thing(2));
    let mut a = thing(1);
    a.tags = Some(Vec::new());
    assert_ne!(a, thing(1), "an empty list is not an unset one");
    // Rust's equality of floats, not their JSON: NaN is equal to nothing, itself included,
    // and 0.0 equals -0.0 (whose JSON texts differ).
    let mut nan = thing(1);
    nan.score = Some(f64::NAN);
    assert_ne!(nan, nan.clone());
    let (mut zero, mut minus_zero) = (thing(1), thing(1));
    zero.score = Some(0.0);
    minus_zero.score = Some(-0.0);
    assert_eq!(zero, minus_zero);
}

#[test]
fn models_without_floats_are_eq_and_hash_and_hash_by_their_fields() {
    use std::collections::HashSet;
    fn eq_and_hash<T: Eq + std::hash::Hash>() {}
    // Nested objects, arrays and a recursive type: no float at any depth.
    eq_and_hash::<ThingOwner>();
    eq_and_hash::<fixture_coverage::models::TreeNode>();
    let owner = |name: &str| ThingOwner {
        display_name: Some(name.to_owned()),
        ..ThingOwner::default()
    };
    let set: HashSet<ThingOwner> = [owner("a"), owner("b"), owner("a")].into_iter().collect();
    assert_eq!(set.len(), 2);
    assert!(set.contains(&owner("b")));
}

#[test]
fn a_missing_required_property_is_an_error_naming_it() {
    assert_eq!(
        decode_error::<Thing>(json!({"id": id(1), "count": 1})),
        "at .name: missing property"
    );
    // `null` is not a value of a required string.
    assert_eq!(
        decode_error::<Thing>(json!({"id": id(1), "name": null, "count": 1})),
        "at .name: invalid type: null, expected a string"
    );
}

#[test]
fn errors_name_the_path_through_nested_objects_and_array_items() {
    assert_eq!(
        decode_error::<Thing>(json!({
            "id": id(1), "name": "n", "count": 1,
            "owner": {"address": {"city": 5}},
        })),
        "at .owner.address.city: invalid type: integer `5`, expected a string"
    );
    assert_eq!(
        decode_error::<ThingList>(json!({
            "value": [
                {"id": id(1), "name": "a", "count": 1},
                {"id": id(2), "name": "b", "count": 1},
                {"id": id(3), "count": 1},
            ]
        })),
        "at .value[2].name: missing property"
    );
    assert_eq!(
        decode_error::<Thing>(json!({
            "id": id(1), "name": "n", "count": 1,
            "children": {"first": {}, "second": {"location": 1}},
        })),
        "at .children[\"first\"].location: missing property"
    );
    // Not an object at all.
    assert!(decode_error::<ThingOwnerAddress>(json!([1])).contains("expected a map"));
}

#[tokio::test]
async fn a_response_that_does_not_decode_names_the_path_and_keeps_the_body() {
    let server = MockServer::start().await;
    let body = json!({"count": 1, "value": [{"id": id(1), "name": 7, "count": 1}]});
    Mock::given(method("GET"))
        .and(path("/_apis/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .mount(&server)
        .await;
    let client = fixture_coverage::Client::builder(fixture_coverage::Credential::pat("p"))
        .base_url(&server.uri())
        .unwrap()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let err = client.list_things("x").send().await.unwrap_err();
    let text = std::error::Error::source(&err)
        .expect("the serde error")
        .to_string();
    assert!(
        text.contains("at .value[0].name: invalid type: integer `7`, expected a string"),
        "{text}"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    let kept: serde_json::Value = serde_json::from_slice(err.body_bytes().unwrap()).unwrap();
    assert_eq!(kept, body);
}

#[test]
fn a_struct_of_optional_properties_reads_from_an_empty_object() {
    let a: ThingOwnerAddress = serde_json::from_value(json!({})).unwrap();
    assert_eq!(a, ThingOwnerAddress { city: None });
    assert_eq!(serde_json::to_value(&a).unwrap(), json!({}));
    // A required property of a map's values.
    assert_eq!(
        decode_error::<BTreeMap<String, Created>>(json!({"a": {}})),
        "at .location: missing property"
    );
}

/// A date-time without an offset (as Azure DevOps writes some, and Microsoft's examples many)
/// reads as UTC; text that is no date-time still fails, naming the property; a string
/// property keeps such text as it is.
#[test]
fn date_times_without_an_offset_read_as_utc() {
    let read: Thing = serde_json::from_value(json!({
        "id": id(1), "name": "2018-07-19T00:00:00", "count": 1,
        "createdAt": "2018-07-19T10:11:12.5",
    }))
    .unwrap();
    assert_eq!(
        read.created_at.map(|t| t.to_rfc3339()),
        Some("2018-07-19T10:11:12.500+00:00".to_owned())
    );
    assert_eq!(read.name, "2018-07-19T00:00:00");
    let with_offset: Thing = serde_json::from_value(json!({
        "id": id(1), "name": "n", "count": 1, "createdAt": "2018-07-19T10:11:12+02:00",
    }))
    .unwrap();
    assert_eq!(
        with_offset.created_at.map(|t| t.to_rfc3339()),
        Some("2018-07-19T08:11:12+00:00".to_owned())
    );
    let error = decode_error::<Thing>(json!({
        "id": id(1), "name": "n", "count": 1, "createdAt": "2018-07-19 10:11",
    }));
    assert!(error.starts_with("at .createdAt: "), "{error}");
}

#[test]
fn dotnet_json_dates_read_as_utc() {
    // Some areas (audit) write dates as .NET did: milliseconds since 1970, in UTC; an
    // offset only says where it was written.
    for text in ["/Date(1565715592526)/", "/Date(1565715592526+0200)/"] {
        let read: Thing = serde_json::from_value(json!({
            "id": id(1), "name": text, "count": 1, "createdAt": text,
        }))
        .unwrap();
        assert_eq!(
            read.created_at.map(|t| t.to_rfc3339()),
            Some("2019-08-13T16:59:52.526+00:00".to_owned())
        );
        assert_eq!(read.name, text, "a string stays as it came");
    }
    for bad in ["/Date()/", "/Date(12x)/", "/Date(1+02)/", "Date(1)"] {
        let error = decode_error::<Thing>(json!({
            "id": id(1), "name": "n", "count": 1, "createdAt": bad,
        }));
        assert!(error.starts_with("at .createdAt: "), "{bad}: {error}");
    }
}
