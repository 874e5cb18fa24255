//! Examples: the parts of an operation that share a name, paired into examples to replay.

use expect_test::expect;

use super::check;

#[test]
fn parts_pair_by_name_and_refs_resolve() {
    check(
        "paths:
  /things/{id}:
    post:
      operationId: Things_Update
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: integer}
          examples:
            One: {value: 1}
            Two: {value: 2}
        - name: dryRun
          in: query
          schema: {type: boolean}
          examples:
            Two: {value: true}
        - name: api-version
          in: query
          required: true
          schema: {type: string, enum: ['1.0']}
          examples:
            One: {value: '1.0'}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
            examples:
              One: {value: {name: a}}
              Two: {$ref: '#/components/examples/TwoBody'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              examples:
                One: {value: {name: a}}
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              examples:
                One: {value: {name: not this one}}
                Two: {value: {name: b}}
components:
  examples:
    TwoBody:
      value: {name: b}
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
",
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            struct Thing
              name: String (optional)
            op update_things / UpdateThings (Things_Update): POST /things/{id}
              path id ("id"): i64 (required)
              query dry_run ("dryRun"): bool (optional)
              query "api-version" = "1.0"
              body: Thing (required, application/json)
              200: Thing (application/json)
              201: Thing (application/json)
              accepts 200 201; documents no errors
              example "One": [id=1], body {"name":"a"} -> 200 {"name":"a"}
              example "Two": [id=2, dry_run=true], body {"name":"b"} -> 201 {"name":"b"}
        "#]],
    );
}

/// A single unnamed `example` is named `example`; without any response body, a request
/// example is answered with the first 2xx status; what cannot be replayed is listed.
#[test]
fn unnamed_examples_bodiless_responses_and_skips() {
    check(
        "paths:
  /a:
    post:
      operationId: A_Create
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object}
            example: {x: 1}
      responses:
        '201':
          description: ok
          content:
            application/json:
              schema: {type: object}
              example: {y: 2}
  /b/{id}:
    delete:
      operationId: B_Delete
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: string}
          example: gone
      responses:
        '204': {description: deleted}
  /c/{id}:
    get:
      operationId: C_Get
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: string}
          examples:
            Far: {externalValue: 'https://example.com/id.txt'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: string}
              examples:
                Lonely: {value: x}
                Far: {value: y}
            text/plain:
              schema: {type: string}
              examples:
                Ignored: {value: the client reads JSON}
",
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            op create_a / CreateA (A_Create): POST /a
              body: Json (required, application/json)
              201: Json (application/json)
              accepts 201; documents no errors
              example "example": [], body {"x":1} -> 201 {"y":2}
            op delete_b / DeleteB (B_Delete): DELETE /b/{id} idempotent
              path id ("id"): String (required)
              204: no body
              accepts 204; documents no errors
              example "example": [id="gone"] -> 204 no body
            op get_c / GetC (C_Get): GET /c/{id} idempotent
              path id ("id"): String (required)
              200: String (application/json)
                or as text/plain
              accepts 200; documents no errors
              skipped example "Lonely": no value for the required parameter "id"
              skipped example "Far": the value of the parameter "id" is an externalValue, not read
        "#]],
    );
}

#[test]
fn a_dangling_example_ref_is_an_error() {
    check(
        "paths:
  /a:
    get:
      operationId: A_Get
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: string}
              examples:
                One: {$ref: '#/components/examples/Missing'}
",
        expect![[r#"
            18:17 /paths/~1a/get/responses/200/content/application~1json/examples/One: dangling $ref: #/components/examples/Missing does not exist
        "#]],
    );
}
