//! `--operation` and `--tag`: the operations asked for, every component they reach
//! (transitively), the security schemes they name, and the tags they use.

use std::path::Path;

use expect_test::expect;

use super::imported;

const DESCRIPTION: &str = r#"openapi: 3.0.3
info: {title: T, version: '1'}
servers: [{url: 'https://example.com'}]
tags:
  - name: Pets
  - name: Stores
security:
  - basic: []
paths:
  /pets:
    get:
      tags: [Pets]
      operationId: Pets_List
      parameters:
        - $ref: '#/components/parameters/top'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/PetList'}
  /stores:
    get:
      tags: [Stores]
      operationId: Stores_List
      security: [{oauth: []}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Store'}
components:
  schemas:
    PetList:
      type: object
      properties:
        value: {type: array, items: {$ref: '#/components/schemas/Pet'}}
    Pet:
      type: object
      properties:
        owner: {$ref: '#/components/schemas/Owner'}
    Owner: {type: object}
    Store: {type: object}
  parameters:
    top: {name: $top, in: query, schema: {type: integer}}
  securitySchemes:
    basic: {type: http, scheme: basic}
    oauth:
      type: oauth2
      flows:
        implicit: {authorizationUrl: 'https://a', scopes: {}}
"#;

#[test]
fn an_operation_comes_with_what_it_reaches() {
    expect![[r##"
        ---
        openapi: 3.0.3
        info:
          title: T
          version: '1'
        servers:
          - url: https://example.com
        tags:
          - name: Pets
        security:
          - basic: []
        paths:
          /pets:
            get:
              tags:
                - Pets
              operationId: Pets_List
              parameters:
                - $ref: '#/components/parameters/top'
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/PetList'
        components:
          schemas:
            PetList:
              type: object
              properties:
                value:
                  type: array
                  items:
                    $ref: '#/components/schemas/Pet'
            Pet:
              type: object
              properties:
                owner:
                  $ref: '#/components/schemas/Owner'
            Owner:
              type: object
          parameters:
            top:
              name: $top
              in: query
              schema:
                type: integer
          securitySchemes:
            basic:
              type: http
              scheme: basic
    "##]]
    .assert_eq(&imported(DESCRIPTION, Path::new("."), &["Pets_List"], &[]));
}

#[test]
fn a_tag_selects_its_operations() {
    let text = imported(DESCRIPTION, Path::new("."), &[], &["Stores"]);
    assert!(text.contains("operationId: Stores_List"), "{text}");
    assert!(
        !text.contains("Pets_List") && !text.contains("PetList"),
        "{text}"
    );
    // Its own security requirement keeps its scheme; the document's keeps `basic`.
    assert!(text.contains("oauth:") && text.contains("basic:"), "{text}");
}

#[test]
fn an_id_or_tag_that_names_nothing_is_refused() {
    expect![[r#"
        refused:
        error: t.yaml:9:1: at /paths: no operation has operationId "Pets_Lost"
        error: t.yaml:9:1: at /paths: no operation has the tag "Birds"
    "#]]
    .assert_eq(&imported(
        DESCRIPTION,
        Path::new("."),
        &["Pets_List", "Pets_Lost"],
        &["Birds"],
    ));
}

#[test]
fn only_the_part_imported_is_checked_and_reported_on() {
    let description = r#"openapi: 3.0.3
info: {title: T, version: '1'}
servers: [{url: 'https://example.com'}]
paths:
  /a:
    get:
      operationId: A
      responses: {'204': {description: done}}
  /b:
    get:
      operationId: Dup
      responses: {'204': {description: done}}
  /c:
    get:
      operationId: Dup
      responses: {'204': {description: done}}
  /d:
    get:
      operationId: D
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Gone'}}}
"#;
    let whole = imported(description, Path::new("."), &[], &[]);
    assert!(whole.starts_with("refused:"), "{whole}");
    assert!(
        whole.contains("#/components/schemas/Gone does not exist"),
        "{whole}"
    );
    expect![[r#"
        ---
        openapi: 3.0.3
        info:
          title: T
          version: '1'
        servers:
          - url: https://example.com
        paths:
          /a:
            get:
              operationId: A
              responses:
                '204':
                  description: done
    "#]]
    .assert_eq(&imported(description, Path::new("."), &["A"], &[]));
    // The id as written names both; each keeps the name a whole import gives it.
    let both = imported(description, Path::new("."), &["Dup"], &[]);
    assert_eq!(both.matches("warning: ").count(), 2, "{both}");
    assert!(
        both.contains("operationId: DupB") && both.contains("operationId: DupC"),
        "{both}"
    );
}
