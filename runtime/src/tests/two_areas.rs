//! `runtime/src/client.rs` and `macros.rs`: one client for two areas served from two
//! hosts, as a generated crate of several areas builds it through the macro's types.

use reqwest::Method;

use super::generated::{Client, RequestBuilder};
use super::{AREA, OTHER_AREA};
use crate::area::Area;
use crate::credential::Credential;
use crate::error::Error;
use crate::operation::{Endpoint, Operation};
use crate::request::Request;
use crate::response::RawResponse;

/// An operation of `area` at `/_apis/{area name}`.
struct Get(&'static Area);

const GET_THINGS: Operation = Operation {
    id: "Things_Get",
    method: Method::GET,
    success: &[200],
    idempotent: true,
    area: &AREA,
};

impl Endpoint for Get {
    type Output = ();

    const OPERATION: Operation = GET_THINGS;

    fn build(&self, request: &mut Request) -> Result<(), Error> {
        // The operation's area decides the base URL: the constant above is
        // `things`'; an `others` request swaps in its own.
        request.operation.area = self.0;
        request.path(if self.0.name() == "things" {
            "/_apis/things"
        } else {
            "/_apis/others"
        });
        Ok(())
    }

    fn decode(_response: &RawResponse) -> Result<(), Error> {
        Ok(())
    }
}

fn url(client: &Client, area: &'static Area) -> String {
    RequestBuilder::new(client, Get(area))
        .preview()
        .expect("previews")
        .url
}

#[test]
fn each_area_goes_to_its_own_host_by_default() {
    let client = Client::new(Credential::pat("p")).unwrap();
    assert_eq!(client.base_url().as_str(), "https://dev.azure.com/");
    assert_eq!(url(&client, &AREA), "https://dev.azure.com/_apis/things");
    assert_eq!(
        url(&client, &OTHER_AREA),
        "https://vssps.dev.azure.com/_apis/others"
    );
    assert_eq!(
        client.base_url_of(&OTHER_AREA).as_str(),
        "https://vssps.dev.azure.com/"
    );
}

#[test]
fn a_base_url_for_all_areas_and_one_for_an_area_in_any_order() {
    let all = Client::builder(Credential::pat("p"))
        .base_url("http://127.0.0.1:9/tfs/Collection")
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(
        url(&all, &AREA),
        "http://127.0.0.1:9/tfs/Collection/_apis/things"
    );
    assert_eq!(
        url(&all, &OTHER_AREA),
        "http://127.0.0.1:9/tfs/Collection/_apis/others"
    );

    for area_first in [true, false] {
        let mut builder = Client::builder(Credential::pat("p"));
        if area_first {
            builder = builder
                .area_base_url(&OTHER_AREA, "https://b.example")
                .unwrap();
        }
        builder = builder.base_url("https://a.example").unwrap();
        if !area_first {
            builder = builder
                .area_base_url(&OTHER_AREA, "https://b.example")
                .unwrap();
        }
        let client = builder.build().unwrap();
        assert_eq!(url(&client, &AREA), "https://a.example/_apis/things");
        assert_eq!(url(&client, &OTHER_AREA), "https://b.example/_apis/others");
        let debug = format!("{client:?}");
        assert!(debug.contains("b.example"), "{debug}");
        assert!(!debug.contains("OnA"), "the credential shows: {debug}");
    }
}

#[test]
fn an_area_the_client_does_not_have_or_insecure_http_is_refused() {
    let unknown = Area::new("release", "https://vsrm.dev.azure.com");
    let mut builder = Client::builder(Credential::pat("p"));
    builder = builder
        .area_base_url(&unknown, "https://x.example")
        .unwrap();
    let message = builder.build().unwrap_err().to_string();
    assert!(message.contains("\"release\""), "{message}");
    assert!(message.contains("things, others"), "{message}");

    let mut builder = Client::builder(Credential::pat("p"));
    builder = builder
        .area_base_url(&OTHER_AREA, "http://example.com")
        .unwrap();
    let message = builder.build().unwrap_err().to_string();
    assert!(message.contains("plain http"), "{message}");
}
