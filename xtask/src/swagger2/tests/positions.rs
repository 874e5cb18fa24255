//! What the upgrade refuses, and where problems found after it point.

use expect_test::expect;

use super::{check, origins, upgraded};

#[test]
fn invalid_swagger_is_reported_at_its_own_pointer() {
    check(
        r#"produces: application/json
paths:
  /a:
    get:
      operationId: A
      consume: [application/json]
      parameters:
        - in: query
          name: filter
          schema:
            type: object
        - in: query
          name: n
        - in: query
          name: list
          type: array
          collectionFormat: tsv
          items: {type: string}
        - in: header
          name: f
          type: file
        - in: cookie
          name: c
          type: string
        - in: body
          name: body
          schema: {type: object}
        - in: formData
          name: x
          type: string
      responses:
        '200':
          description: ok
          schema:
            type: object
            nullable: true
definitions:
  A:
    type: object
    discriminator: {propertyName: kind}
securityDefinitions:
  s:
    type: oauth2
    flow: clientCredentials
"#,
        expect![[r#"
            /produces: must be a list of media types
            /paths/~1a/get/consume: unknown key `consume` in a Swagger 2.0 operation (did you mean `consumes`?); extensions must start with `x-`
            /paths/~1a/get/parameters/0/schema: `schema` is for `in: body` parameters only; a query parameter is described by `type`, `format`, `items`, ...
            /paths/~1a/get/parameters/1: a query parameter needs `type`
            /paths/~1a/get/parameters/2/collectionFormat: collectionFormat "tsv" has no OpenAPI 3.0 form for a query parameter
            /paths/~1a/get/parameters/3/type: `type: file` is for formData parameters and responses only
            /paths/~1a/get/parameters/4/in: `in` is one of query, header, path, formData, body
            /paths/~1a/get/parameters: body and formData parameters exclude each other (a body is one or the other)
            /paths/~1a/get/responses/200/schema/nullable: unknown key `nullable` in a Swagger 2.0 schema; extensions must start with `x-`
            /definitions/A/discriminator: must be a property name (a string)
            /securityDefinitions/s/flow: an oauth2 flow is one of implicit, password, application, accessCode
        "#]],
    );
    expect!["/swagger: only Swagger 2.0 and OpenAPI 3.0.x are supported, found swagger: \"1.2\"\n"]
        .assert_eq(&upgraded(
            "swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n",
        ));
}

#[test]
fn converted_pointers_lead_back_to_the_original_nodes() {
    let body = r#"consumes: [application/json]
produces: [application/json]
paths:
  /a/{id}:
    parameters:
      - {in: path, name: id, required: true, type: string}
    post:
      operationId: A
      parameters:
        - in: query
          name: n
          type: array
          collectionFormat: multi
          items: {type: string}
        - in: body
          name: body
          schema:
            $ref: '#/definitions/Thing'
        - in: query
          name: m
          type: integer
      responses:
        '200':
          description: ok
          schema:
            $ref: '#/definitions/Thing'
          headers:
            X-Next: {type: string}
  /f:
    post:
      operationId: F
      consumes: [application/x-www-form-urlencoded]
      parameters:
        - {in: formData, name: a, type: string}
        - {in: formData, name: b, type: integer}
      responses:
        '204': {description: done}
definitions:
  Thing:
    type: object
    discriminator: kind
    properties:
      x: {type: string}
securityDefinitions:
  o:
    type: oauth2
    flow: accessCode
    authorizationUrl: https://a
    tokenUrl: https://t
    scopes: {}
  basic:
    type: basic
"#;
    expect![[r#"
        /servers/0/url <- /host
        /paths/~1a~1{id}/parameters/0/schema/type <- /paths/~1a~1{id}/parameters/0/type
        /paths/~1a~1{id}/post/parameters/0/explode <- /paths/~1a~1{id}/post/parameters/0/collectionFormat
        /paths/~1a~1{id}/post/parameters/0/schema/items/type <- /paths/~1a~1{id}/post/parameters/0/items/type
        /paths/~1a~1{id}/post/parameters/1/schema <- /paths/~1a~1{id}/post/parameters/2
        /paths/~1a~1{id}/post/parameters/1/name <- /paths/~1a~1{id}/post/parameters/2/name
        /paths/~1a~1{id}/post/requestBody <- /paths/~1a~1{id}/post/parameters/1
        /paths/~1a~1{id}/post/requestBody/content <- /consumes
        /paths/~1a~1{id}/post/requestBody/content/application~1json <- /consumes/0
        /paths/~1a~1{id}/post/requestBody/content/application~1json/schema <- /paths/~1a~1{id}/post/parameters/1/schema
        /paths/~1a~1{id}/post/requestBody/content/application~1json/schema/$ref <- /paths/~1a~1{id}/post/parameters/1/schema/$ref
        /paths/~1a~1{id}/post/responses/200/content/application~1json/schema/$ref <- /paths/~1a~1{id}/post/responses/200/schema/$ref
        /paths/~1a~1{id}/post/responses/200/content/application~1json <- /produces/0
        /paths/~1a~1{id}/post/responses/200/headers/X-Next/schema/type <- /paths/~1a~1{id}/post/responses/200/headers/X-Next/type
        /paths/~1f/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/b/type <- /paths/~1f/post/parameters/1/type
        /paths/~1f/post/requestBody/content/application~1x-www-form-urlencoded <- /paths/~1f/post/consumes/0
        /components/schemas/Thing/properties/x/type <- /definitions/Thing/properties/x/type
        /components/schemas/Thing/discriminator/propertyName <- /definitions/Thing/discriminator
        /components/securitySchemes/o/flows/authorizationCode/tokenUrl <- /securityDefinitions/o/tokenUrl
        /components/securitySchemes/basic/scheme <- /securityDefinitions/basic/type
    "#]]
    .assert_eq(&origins(
        body,
        &[
            "/servers/0/url",
            "/paths/~1a~1{id}/parameters/0/schema/type",
            "/paths/~1a~1{id}/post/parameters/0/explode",
            "/paths/~1a~1{id}/post/parameters/0/schema/items/type",
            "/paths/~1a~1{id}/post/parameters/1/schema",
            "/paths/~1a~1{id}/post/parameters/1/name",
            "/paths/~1a~1{id}/post/requestBody",
            "/paths/~1a~1{id}/post/requestBody/content",
            "/paths/~1a~1{id}/post/requestBody/content/application~1json",
            "/paths/~1a~1{id}/post/requestBody/content/application~1json/schema",
            "/paths/~1a~1{id}/post/requestBody/content/application~1json/schema/$ref",
            "/paths/~1a~1{id}/post/responses/200/content/application~1json/schema/$ref",
            "/paths/~1a~1{id}/post/responses/200/content/application~1json",
            "/paths/~1a~1{id}/post/responses/200/headers/X-Next/schema/type",
            "/paths/~1f/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/b/type",
            "/paths/~1f/post/requestBody/content/application~1x-www-form-urlencoded",
            "/components/schemas/Thing/properties/x/type",
            "/components/schemas/Thing/discriminator/propertyName",
            "/components/securitySchemes/o/flows/authorizationCode/tokenUrl",
            "/components/securitySchemes/basic/scheme",
        ],
    ));
}

/// A JSON description with a byte order mark loads, and a problem found while lowering the
/// upgraded document is reported at the pointer and line:column of the JSON as written.
#[test]
fn a_json_description_with_a_byte_order_mark_loads_and_is_pointed_into() {
    let json = "\u{feff}{\n  \"swagger\": \"2.0\",\n  \"info\": {\"title\": \"T\", \"version\": \"1\"},\n  \"host\": \"dev.azure.com\",\n  \"paths\": {\n    \"/a\": {\n      \"post\": {\n        \"operationId\": \"A_Post\",\n        \"parameters\": [\n          {\"in\": \"query\", \"name\": \"n\", \"type\": \"integer\"},\n          {\n            \"in\": \"body\",\n            \"name\": \"body\",\n            \"schema\": {\"$ref\": \"#/definitions/Missing\"}\n          }\n        ],\n        \"responses\": {\"204\": {\"description\": \"done\"}}\n      }\n    }\n  }\n}\n";
    let spec = crate::load::load("t.json", json).expect("loads");
    assert_eq!(spec.document.openapi, "3.0.3");
    assert_eq!(
        spec.document.servers.first().map(|s| s.url.as_str()),
        Some("https://dev.azure.com")
    );
    let problems = crate::lower::lower(&spec).expect_err("a dangling $ref");
    let shown = problems.to_string();
    assert!(
        shown.contains(
            "t.json:14:13: at /paths/~1a/post/parameters/1/schema: dangling $ref: #/definitions/Missing does not exist"
        ),
        "{shown}"
    );
    // A problem of the load checks (an unknown key), too.
    let bad = json.replace("\"name\": \"body\",", "\"name\": \"body\", \"x\": 1,");
    let shown = crate::load::load("t.json", &bad)
        .err()
        .expect("an unknown key")
        .to_string();
    assert!(
        shown.contains("t.json:13:29: at /paths/~1a/post/parameters/1/x: unknown key `x` in a Swagger 2.0 body parameter"),
        "{shown}"
    );
}
