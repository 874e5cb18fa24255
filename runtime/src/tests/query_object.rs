//! `runtime/src/query_object.rs`: an object or a list of objects in the query, as
//! ASP.NET binds it (`name.property=value`, `name[0].property=value`).

use reqwest::Method;
use serde_json::json;

use crate::operation::Operation;
use crate::request::Request;

const GET: Operation = Operation {
    id: "Op",
    method: Method::GET,
    success: &[200],
    idempotent: true,
    area: &super::AREA,
};

fn query_of(name: &'static str, value: &serde_json::Value) -> String {
    let mut request = Request::new(GET);
    request.query_object(name, value).expect("encodes");
    request.query
}

#[test]
fn an_object_sends_one_dotted_pair_per_property() {
    let value = json!({ "author": "Chuck R", "fromId": 12, "includeLinks": true });
    assert_eq!(
        query_of("searchCriteria", &value),
        "searchCriteria.author=Chuck+R&searchCriteria.fromId=12&searchCriteria.includeLinks=true"
    );
}

#[test]
fn a_list_of_objects_sends_indexed_keys_encoded() {
    let value = json!([
        { "serverPath": "$/Fabrikam/Main", "exclude": false },
        { "serverPath": "$/Fabrikam/Dev & Test" },
    ]);
    assert_eq!(
        query_of("searchCriteria.mappings", &value),
        "searchCriteria.mappings%5B0%5D.exclude=false\
         &searchCriteria.mappings%5B0%5D.serverPath=%24%2FFabrikam%2FMain\
         &searchCriteria.mappings%5B1%5D.serverPath=%24%2FFabrikam%2FDev+%26+Test"
    );
}

#[test]
fn nested_values_and_nulls() {
    let value = json!({ "a": { "b": [1, 2] }, "skipped": null, "empty": [] });
    assert_eq!(query_of("p", &value), "p.a.b%5B0%5D=1&p.a.b%5B1%5D=2");
    assert_eq!(query_of("p", &serde_json::Value::Null), "");
}

#[test]
fn appends_to_the_pairs_already_there() {
    let mut request = Request::new(GET);
    request.query_text("api-version=7.1");
    request
        .query_object("c", &Some(json!({ "x": "1" })))
        .expect("encodes");
    assert_eq!(request.query, "api-version=7.1&c.x=1");
    let none: Option<serde_json::Value> = None;
    request.query_object("d", &none).expect("encodes");
    assert_eq!(request.query, "api-version=7.1&c.x=1");
}
