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
              example "One": [id=1], body {"name":"a"} -> 200 {"name":"a"} (application/json)
              example "Two": [id=2, dry_run=true], body {"name":"b"} -> 201 {"name":"b"} (application/json)
        "#]],
    );
}

/// A single unnamed `example` is named `example`; without any response body, a request
/// example is answered with the first 2xx status; what cannot be replayed but has a JSON
/// response body is decoded only, with why it is not replayed.
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
              example "example": [], body {"x":1} -> 201 {"y":2} (application/json)
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
              decoded example "Lonely": 200 "x" (application/json); not replayed: no value for the required parameter "id"
              decoded example "Far": 200 "y" (application/json); not replayed: the value of the parameter "id" is an externalValue, not read
        "#]],
    );
}

/// An example whose request cannot be sent is decoded only when it has a 2xx body the
/// client reads as JSON (of its own status: here the second success response, whose type
/// differs), and skipped otherwise, with whether it had a body (the examples of an error
/// response are not among them).
#[test]
fn decoded_only_and_skipped_examples() {
    check(
        "paths:
  /things/{id}:
    put:
      operationId: Things_Upsert
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: integer}
          examples:
            Sent: {value: 1}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
            examples:
              Sent: {value: {name: a}}
              NoId: {value: {name: b}}
      responses:
        '200':
          description: replaced
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              examples:
                Sent: {value: {name: a}}
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Created'}
              examples:
                NoId: {value: {at: /things/2}}
                NoBody: {value: {at: /things/3}}
                Far: {externalValue: 'https://example.com/created.json'}
        '404':
          description: not found
          content:
            application/json:
              schema: {type: object}
              examples:
                Missing: {value: {message: no such thing}}
  /things/{id}/text:
    get:
      operationId: Things_Text
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: integer}
      responses:
        '200':
          description: ok
          content:
            text/plain:
              schema: {type: string}
              examples:
                Page: {value: some text}
  /things/{id}/gone:
    delete:
      operationId: Things_Delete
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: integer}
        - name: reason
          in: query
          schema: {type: string}
          examples:
            NoId: {value: old}
      responses:
        '204': {description: deleted}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
    Created:
      type: object
      properties:
        at: {type: string}
",
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            struct Thing
              name: String (optional)
            struct Created
              at: String (optional)
            op upsert_things / UpsertThings (Things_Upsert): PUT /things/{id} idempotent
              path id ("id"): i64 (required)
              body: Thing (required, application/json)
              200: Thing (application/json)
              201: Created (application/json)
              returns enum UpsertThingsResponse
              accepts 200 201; documents 404
              example "Sent": [id=1], body {"name":"a"} -> 200 {"name":"a"} (application/json)
              decoded example "NoId": 201 {"at":"/things/2"} (application/json); not replayed: no value for the required parameter "id"
              decoded example "NoBody": 201 {"at":"/things/3"} (application/json); not replayed: no value for the required parameter "id"
              skipped example "Far" (has a 2xx body): its response is an externalValue, not read
            op text_things / TextThings (Things_Text): GET /things/{id}/text idempotent
              path id ("id"): i64 (required)
              200: Text (text/plain)
              accepts 200; documents no errors
              skipped example "Page" (has a 2xx body): no value for the required parameter "id"; its text/plain response is not JSON to decode
            op delete_things / DeleteThings (Things_Delete): DELETE /things/{id}/gone idempotent
              path id ("id"): i64 (required)
              query reason ("reason"): String (optional)
              204: no body
              accepts 204; documents no errors
              skipped example "NoId": no value for the required parameter "id"
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
