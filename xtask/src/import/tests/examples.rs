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
