//! Examples: files found (letter case repaired), their values carried into `examples`,
//! what has no place noted, and references that name nothing refused.

use expect_test::expect;

use super::imported;

const DESCRIPTION: &str = r#"swagger: '2.0'
info: {title: T, version: '1'}
host: dev.azure.com
paths:
  /{organization}/things:
    post:
      operationId: Things_Create
      parameters:
        - {in: path, name: organization, required: true, type: string}
        - {in: body, name: thing, required: true, schema: {$ref: '#/definitions/Thing'}}
      responses:
        '200':
          description: ok
          schema: {$ref: '#/definitions/Thing'}
        '202':
          description: accepted, nothing said
      x-ms-examples:
        '':
          $ref: ./httpExamples/Things/CreateThing.json
        Another:
          $ref: ./httpExamples/things/creatething.json
definitions:
  Thing:
    type: object
    properties:
      name: {type: string}
"#;

const EXAMPLE: &str = "\u{feff}{\n  \"parameters\": {\n    \"organization\": \"fabrikam\",\n    \"thing\": {\"name\": \"new\"},\n    \"api-version\": \"7.1\"\n  },\n  \"responses\": {\n    \"200\": {\"body\": {\"name\": \"new\"}},\n    \"202\": {\"body\": {\"name\": \"later\"}}\n  }\n}\n";

/// A directory with the one example file, spelt `httpExamples/things/CreateThing.json`.
fn examples_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let things = dir.path().join("httpExamples/things");
    std::fs::create_dir_all(&things).expect("mkdir");
    std::fs::write(things.join("CreateThing.json"), EXAMPLE).expect("write");
    dir
}

#[test]
fn examples_are_carried_into_parameters_bodies_and_responses() {
    let dir = examples_dir();
    expect![[r##"
        warning: t.yaml:19:11: at /paths/~1{organization}~1things/post/x-ms-examples//$ref: example file "./httpExamples/Things/CreateThing.json" does not exist as written; "./httpExamples/things/CreateThing.json" differs in letter case only: used that
        warning: t.yaml:21:11: at /paths/~1{organization}~1things/post/x-ms-examples/Another/$ref: example file "./httpExamples/things/creatething.json" does not exist as written; "./httpExamples/things/CreateThing.json" differs in letter case only: used that
        note: t.yaml:19:11: at /paths/~1{organization}~1things/post/x-ms-examples//$ref: example "CreateThing" left out in part: its 202 response body has no place: the operation declares no content for 202
        note: t.yaml:21:11: at /paths/~1{organization}~1things/post/x-ms-examples/Another/$ref: example "Another" left out in part: its 202 response body has no place: the operation declares no content for 202
        ---
        openapi: 3.0.3
        info:
          title: T
          version: '1'
        servers:
          - url: https://dev.azure.com
        paths:
          /{organization}/things:
            post:
              operationId: Things_Create
              parameters:
                - name: organization
                  in: path
                  required: true
                  schema:
                    type: string
                  examples:
                    CreateThing:
                      value: fabrikam
                    Another:
                      value: fabrikam
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/Thing'
                    examples:
                      CreateThing:
                        value:
                          name: new
                      Another:
                        value:
                          name: new
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Thing'
                      examples:
                        CreateThing:
                          value:
                            name: new
                        Another:
                          value:
                            name: new
                '202':
                  description: accepted, nothing said
        components:
          schemas:
            Thing:
              type: object
              properties:
                name:
                  type: string
    "##]]
    .assert_eq(&imported(DESCRIPTION, dir.path(), &[], &[]));
}

#[test]
fn an_example_file_that_is_not_there_is_refused() {
    let dir = examples_dir();
    let missing = DESCRIPTION.replace("creatething.json", "DeleteThing.json");
    expect![[r#"
        refused:
        error: t.yaml:21:11: at /paths/~1{organization}~1things/post/x-ms-examples/Another/$ref: example file "./httpExamples/things/DeleteThing.json" does not exist
    "#]]
    .assert_eq(&imported(&missing, dir.path(), &[], &[]));
    // Two files that differ from the reference in letter case only: no guess.
    std::fs::write(
        dir.path().join("httpExamples/things/createTHING.json"),
        EXAMPLE,
    )
    .expect("write");
    let text = imported(DESCRIPTION, dir.path(), &[], &[]);
    assert!(
        text.contains("differ from it in letter case only"),
        "{text}"
    );
}

#[test]
fn letter_case_is_resolved_part_by_part() {
    let dir = examples_dir();
    let resolve = |r: &str| super::super::examples::resolve(dir.path(), r);
    let (_, repaired) = resolve("./httpExamples/things/CreateThing.json").expect("exact");
    assert_eq!(repaired, None);
    let (path, repaired) = resolve("./HTTPEXAMPLES/Things/creatething.JSON").expect("found");
    assert_eq!(
        repaired.as_deref(),
        Some("./httpExamples/things/CreateThing.json")
    );
    assert!(path.ends_with("httpExamples/things/CreateThing.json"));
    assert!(resolve("./httpExamples/things").is_err(), "a directory");
    assert!(resolve("./httpExamples/none/CreateThing.json").is_err());
}

#[test]
fn values_given_only_in_the_request_url_are_read_from_it() {
    // A variable inside a segment (`${type}`), a required query parameter and an array
    // one, all only in the URL; `api-version` stays the client's, and a value the
    // example's `parameters` give is not overridden.
    let description = r#"swagger: '2.0'
info: {title: T, version: '1'}
host: dev.azure.com
paths:
  /{organization}/_apis/wit/workitems/${type}:
    post:
      operationId: Work Items_Create
      parameters:
        - {in: path, name: organization, required: true, type: string}
        - {in: path, name: type, required: true, type: string}
        - {in: query, name: status, required: true, type: integer, format: int32}
        - {in: query, name: ids, required: false, type: array, items: {type: string}}
        - {in: query, name: api-version, required: true, type: string}
      responses:
        '200': {description: ok}
      x-ms-examples:
        Create:
          $ref: ./create.json
"#;
    let example = r#"{
  "parameters": {"organization": "fabrikam"},
  "x-ms-vss-request-url": "https://dev.azure.com/fabrikam/_apis/wit/workItems/$Bug%20Fix?Status=2&ids=a,b&ids=c&api-version=7.1",
  "responses": {"200": {}}
}"#;
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("create.json"), example).expect("write");
    let text = imported(description, dir.path(), &[], &[]);
    expect![[r#"
        warning: t.yaml:13:11: at /paths/~1{organization}~1_apis~1wit~1workitems~1${type}/post/parameters/4: `api-version` has no fixed value: the operation sends "1" (the description's info.version)
        warning: t.yaml:18:11: at /paths/~1{organization}~1_apis~1wit~1workitems~1${type}/post/x-ms-examples/Create/$ref: example "Create" gives the path parameter "type" only in its request URL: "Bug Fix" taken from there
        warning: t.yaml:18:11: at /paths/~1{organization}~1_apis~1wit~1workitems~1${type}/post/x-ms-examples/Create/$ref: example "Create" gives the query parameter "status" only in its request URL: "2" taken from there
        warning: t.yaml:18:11: at /paths/~1{organization}~1_apis~1wit~1workitems~1${type}/post/x-ms-examples/Create/$ref: example "Create" gives the query parameter "ids" only in its request URL: "a", "b", "c" taken from there
    "#]]
    .assert_eq(&text[..text.find("---").expect("the YAML")]);
    let yaml = &text[text.find("---").expect("the YAML")..];
    for given in [
        "value: fabrikam",
        "value: Bug Fix",
        "value: 2\n",
        "value:\n                - a\n                - b\n                - c",
    ] {
        assert!(yaml.contains(given), "{given:?} in\n{yaml}");
    }
    assert_eq!(yaml.matches("value: fabrikam").count(), 1, "{yaml}");
}

#[test]
fn a_2xx_status_an_example_answers_with_is_declared() {
    // Described as 200, answered 201 (with a body) and 204 (without): both declared, so
    // that the client takes them for success; 201 with the content of 200, without the
    // examples 200 already holds.
    let description = r#"swagger: '2.0'
info: {title: T, version: '1'}
host: dev.azure.com
paths:
  /_apis/pushes:
    post:
      operationId: Pushes_Create
      responses:
        '200': {description: successful operation, schema: {type: object, properties: {id: {type: integer}}}}
      x-ms-examples:
        Old: {$ref: ./old.json}
        Created: {$ref: ./created.json}
        Gone: {$ref: ./gone.json}
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    for (file, text) in [
        ("old.json", r#"{"responses": {"200": {"body": {"id": 1}}}}"#),
        (
            "created.json",
            r#"{"responses": {"201": {"body": {"id": 2}}}}"#,
        ),
        // A 204 has no content, even when the example gives one.
        (
            "gone.json",
            r#"{"responses": {"204": {"body": {"id": 3}}}}"#,
        ),
    ] {
        std::fs::write(dir.path().join(file), text).expect("write");
    }
    expect![[r#"
        warning: t.yaml:12:19: at /paths/~1_apis~1pushes/post/x-ms-examples/Created/$ref: example "Created" answers 201, which the operation does not declare (it declares 200): 201 declared with the content of 200
        warning: t.yaml:13:16: at /paths/~1_apis~1pushes/post/x-ms-examples/Gone/$ref: example "Gone" answers 204, which the operation does not declare (it declares 200, 201): 204 declared without content
        note: t.yaml:13:16: at /paths/~1_apis~1pushes/post/x-ms-examples/Gone/$ref: example "Gone" left out in part: its 204 response body has no place: the operation declares no content for 204
        ---
        openapi: 3.0.3
        info:
          title: T
          version: '1'
        servers:
          - url: https://dev.azure.com
        paths:
          /_apis/pushes:
            post:
              operationId: Pushes_Create
              responses:
                '200':
                  description: successful operation
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          id:
                            type: integer
                      examples:
                        Old:
                          value:
                            id: 1
                '201':
                  description: successful operation
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          id:
                            type: integer
                      examples:
                        Created:
                          value:
                            id: 2
                '204':
                  description: successful operation
    "#]]
    .assert_eq(&imported(description, dir.path(), &[], &[]));
}
