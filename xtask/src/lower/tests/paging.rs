//! Paging by continuation token: which operations page, and where the token and the
//! entries come from.

use expect_test::expect;

use super::check;

/// A listing operation at `/list` taking `continuationToken` as `token_schema` (a schema in
/// flow style) and answering with `page` (a schema in flow style), plus the components.
fn paged(token_schema: &str, page: &str, components: &str) -> String {
    format!(
        "paths:
  /list:
    get:
      operationId: Things_List
      parameters:
        - {{name: continuationToken, in: query, schema: {token_schema}}}
      responses:
        '200':
          description: a page
          content:
            application/json:
              schema: {page}
components:
  schemas:
{components}"
    )
}

const THING: &str = "    Thing: {type: object, properties: {id: {type: string}}}\n";

#[test]
fn token_and_entries_in_the_body() {
    let components = format!(
        "{THING}    Page:
      type: object
      required: [value]
      properties:
        continuationToken: {{type: string, nullable: true}}
        value: {{type: array, items: {{$ref: '#/components/schemas/Thing'}}}}
"
    );
    check(
        &paged(
            "{type: string}",
            "{$ref: '#/components/schemas/Page'}",
            &components,
        ),
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            struct Thing
              id: String (optional)
            struct Page
              continuation_token: String (wire "continuationToken", optional, nullable)
              value: Vec<Thing> (required)
            op list_things / ListThings (Things_List): GET /list idempotent
              query continuation_token ("continuationToken"): String (optional)
              200: Page (application/json)
              accepts 200; documents no errors
              pages by continuation_token; next token from field continuation_token (String, optional); items from field value (Thing)
        "#]],
    );
}

#[test]
fn a_uuid_token_in_the_body_and_optional_entries() {
    let components = format!(
        "{THING}    Page:
      type: object
      properties:
        continuationToken: {{type: string, format: uuid}}
        value: {{type: array, items: {{$ref: '#/components/schemas/Thing'}}}}
"
    );
    check(
        &paged(
            "{type: string}",
            "{$ref: '#/components/schemas/Page'}",
            &components,
        ),
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            struct Thing
              id: String (optional)
            struct Page
              continuation_token: Uuid (wire "continuationToken", optional)
              value: Vec<Thing> (optional)
            op list_things / ListThings (Things_List): GET /list idempotent
              query continuation_token ("continuationToken"): String (optional)
              200: Page (application/json)
              accepts 200; documents no errors
              pages by continuation_token; next token from field continuation_token (Uuid, optional); items from field value (Thing, optional)
        "#]],
    );
}

#[test]
fn token_in_the_header_when_the_page_is_a_list() {
    check(
        &paged(
            "{type: string}",
            "{type: array, items: {$ref: '#/components/schemas/Thing'}}",
            THING,
        ),
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            struct Thing
              id: String (optional)
            op list_things / ListThings (Things_List): GET /list idempotent
              query continuation_token ("continuationToken"): String (optional)
              200: Vec<Thing> (application/json)
              accepts 200; documents no errors
              pages by continuation_token; next token from header; items from the page (Thing)
        "#]],
    );
}

#[test]
fn token_in_the_header_and_no_entries_when_the_page_has_neither() {
    let components =
        format!("{THING}    Page: {{type: object, properties: {{count: {{type: integer}}}}}}\n");
    check(
        &paged(
            "{type: string}",
            "{$ref: '#/components/schemas/Page'}",
            &components,
        ),
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            struct Thing
              id: String (optional)
            struct Page
              count: i64 (optional)
            op list_things / ListThings (Things_List): GET /list idempotent
              query continuation_token ("continuationToken"): String (optional)
              200: Page (application/json)
              accepts 200; documents no errors
              pages by continuation_token; next token from header; items from none
        "#]],
    );
}

/// A token that is not a string cannot carry what the service sends back, and a page
/// whose token property is not a scalar cannot be sent as the parameter: no paging.
#[test]
fn no_paging_without_a_string_parameter_or_with_an_odd_token_property() {
    let components = format!(
        "{THING}    Page:
      type: object
      properties:
        continuationToken: {{type: array, items: {{type: string}}}}
"
    );
    check(
        &paged(
            "{type: integer}",
            "{$ref: '#/components/schemas/Thing'}",
            THING,
        ),
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            struct Thing
              id: String (optional)
            op list_things / ListThings (Things_List): GET /list idempotent
              query continuation_token ("continuationToken"): i64 (optional)
              200: Thing (application/json)
              accepts 200; documents no errors
        "#]],
    );
    check(
        &paged(
            "{type: string}",
            "{$ref: '#/components/schemas/Page'}",
            &components,
        ),
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            struct Thing
              id: String (optional)
            struct Page
              continuation_token: Vec<String> (wire "continuationToken", optional)
            op list_things / ListThings (Things_List): GET /list idempotent
              query continuation_token ("continuationToken"): String (optional)
              200: Page (application/json)
              accepts 200; documents no errors
        "#]],
    );
}

#[test]
fn no_paging_without_a_page() {
    check(
        "paths:
  /list:
    get:
      operationId: Things_List
      parameters:
        - {name: continuationToken, in: query, schema: {type: string}}
      responses:
        '204': {description: nothing}
",
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            op list_things / ListThings (Things_List): GET /list idempotent
              query continuation_token ("continuationToken"): String (optional)
              204: no body
              accepts 204; documents no errors
        "#]],
    );
}
