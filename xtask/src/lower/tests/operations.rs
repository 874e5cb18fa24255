//! Operations, their names, parameters, paths, bodies and responses.

use expect_test::expect;

use super::check;

// ----- operations and their names ------------------------------------------------------

#[test]
fn method_names_come_from_the_operation_id_alone() {
    check(
        "paths:
  /a:
    get:
      operationId: Alpha_List
      responses: {'204': {description: ok}}
    post:
      operationId: Alpha_Create
      x-idempotent: true
      deprecated: true
      responses: {'204': {description: ok}}
  /b:
    get:
      operationId: Beta_List
      responses: {'204': {description: ok}}
    delete:
      operationId: Beta_Builder
      x-idempotent: false
      responses: {'204': {description: ok}}
  /c:
    get:
      operationId: Gamma_Send
      responses: {'204': {description: ok}}
",
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            op list_alpha / ListAlpha (Alpha_List): GET /a idempotent
              204: no body
              accepts 204; documents no errors
            op create_alpha / CreateAlpha (Alpha_Create): POST /a idempotent deprecated
              204: no body
              accepts 204; documents no errors
            op list_beta / ListBeta (Beta_List): GET /b idempotent
              204: no body
              accepts 204; documents no errors
            op builder_beta / BuilderBeta (Beta_Builder): DELETE /b
              204: no body
              accepts 204; documents no errors
            op send_gamma / SendGamma (Gamma_Send): GET /c idempotent
              204: no body
              accepts 204; documents no errors
        "#]],
    );
}

#[test]
fn operation_problems_are_all_reported() {
    check(
        "paths:
  /a:
    get:
      operationId: Same
      responses: {'204': {description: ok}}
    put:
      operationId: Same
      responses: {'204': {description: ok}}
    post:
      responses: {'204': {description: ok}}
    delete:
      operationId: X_Builder
      responses: {'204': {description: ok}}
    patch:
      operationId: Y_Builder
      x-idempotent: maybe
      responses: {'204': {description: ok}}
",
        expect![[r#"
            13:7 /paths/~1a/put/operationId: duplicate operationId "Same", also used at /paths/~1a/get
            15:5 /paths/~1a/post: missing operationId: the generator names methods after it
            22:7 /paths/~1a/patch/x-idempotent: must be true or false
        "#]],
    );
}

// ----- parameters and paths ------------------------------------------------------------

#[test]
fn parameters_by_location_with_constants_and_overrides() {
    check(
        "paths:
  /orgs/{org}/items/{item-id}:
    parameters:
      - {name: org, in: path, required: true, schema: {type: string}}
      - {name: top, in: query, schema: {type: integer}}
    get:
      operationId: Items_Get
      parameters:
        - {$ref: '#/components/parameters/ApiVersion'}
        - {name: item-id, in: path, required: true, schema: {type: integer, format: int32, minimum: 1}}
        - {name: top, in: query, schema: {type: integer, format: int32, maximum: 50}}
        - {name: $select, in: query, schema: {type: array, items: {type: string, enum: [a, b]}}}
        - {name: X-Trace, in: header, required: true, schema: {type: string, format: uuid}}
        - {name: when, in: query, schema: {type: string, format: date, default: '2020-01-01'}}
      responses: {'204': {description: ok}}
components:
  parameters:
    ApiVersion:
      name: api-version
      in: query
      required: true
      schema: {type: string, enum: ['7.1']}
",
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            enum GetItemsSelectItem: A="a" B="b"
            op get_items / GetItems (Items_Get): GET /orgs/{org}/items/{item_id} idempotent
              path org ("org"): String (required)
              query top ("top"): i32 (optional, maximum 50)
              query "api-version" = "7.1"
              path item_id ("item-id"): i32 (required, minimum 1)
              query select ("$select"): Vec<GetItemsSelectItem> (optional)
              header x_trace ("X-Trace"): Uuid (required)
              query when ("when"): Date (optional)
              204: no body
              accepts 204; documents no errors
        "#]],
    );
}

/// A required parameter is an argument of the client's method, never a method of the request
/// builder: it may have a builder method's name (symbol 7.1's `requestId`, as `request_id`);
/// an optional one, set by a method of its own name, may not (the last case above).
#[test]
fn required_parameters_may_have_a_builder_methods_name() {
    check(
        "paths:
  /requests/{requestId}:
    get:
      operationId: Requests_Get
      parameters:
        - {name: requestId, in: path, required: true, schema: {type: string}}
        - {name: timeout, in: query, required: true, schema: {type: integer, format: int32}}
      responses: {'204': {description: ok}}
",
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            op get_requests / GetRequests (Requests_Get): GET /requests/{request_id} idempotent
              path request_id ("requestId"): String (required)
              query timeout ("timeout"): i32 (required)
              204: no body
              accepts 204; documents no errors
        "#]],
    );
}

#[test]
fn parameter_and_path_problems_are_all_reported() {
    check(
        "paths:
  /a/{id}/{sub}:
    get:
      operationId: A_Get
      parameters:
        - {name: id, in: path, schema: {type: string}}
        - {name: c, in: cookie, schema: {type: string}}
        - {name: obj, in: query, schema: {type: object, properties: {x: {type: string}}}}
        - {name: send, in: query, schema: {type: string}}
        - {name: aB, in: query, schema: {type: string}}
        - {name: a_b, in: query, schema: {type: string}}
        - {name: extra, in: path, required: true, schema: {type: string}}
        - {$ref: '#/components/parameters/Missing'}
        - {name: h, in: header, schema: {type: array, items: {type: string}}}
      responses: {'204': {description: ok}}
  /b/{x:
    get:
      operationId: B_Get
      responses: {'204': {description: ok}}
",
        expect![[r#"
            19:11 /paths/~1a~1{id}~1{sub}/get/parameters/7: dangling $ref: #/components/parameters/Missing does not exist
            12:11 /paths/~1a~1{id}~1{sub}/get/parameters/0/required: path parameter "id" must be required
            13:11 /paths/~1a~1{id}~1{sub}/get/parameters/1: cookie parameters are not supported
            14:34 /paths/~1a~1{id}~1{sub}/get/parameters/2/schema: a query parameter must be a string, number, boolean, uuid, date, date-time or string enum, or an array of those
            15:11 /paths/~1a~1{id}~1{sub}/get/parameters/3: parameter "send" becomes `send`, a name the request builder uses itself
            17:11 /paths/~1a~1{id}~1{sub}/get/parameters/5: parameters "aB" and "a_b" both become `a_b`
            20:33 /paths/~1a~1{id}~1{sub}/get/parameters/8/schema: a header parameter must be a string, number, boolean, uuid, date, date-time or string enum
            9:5 /paths/~1a~1{id}~1{sub}/get: path "/a/{id}/{sub}" has {sub} but the operation declares no path parameter "sub"
            9:5 /paths/~1a~1{id}~1{sub}/get: path parameter "extra" does not appear in the path "/a/{id}/{sub}"
            23:5 /paths/~1b~1{x/get: unclosed '{' in path "/b/{x"
        "#]],
    );
}

// ----- bodies and responses ------------------------------------------------------------

#[test]
fn bodies_and_responses() {
    check(
        "paths:
  /a:
    post:
      operationId: A_Create
      requestBody:
        $ref: '#/components/requestBodies/New'
      responses:
        '201':
          description: created
          content:
            application/json; charset=utf-8:
              schema: {type: object, properties: {id: {type: string}}}
        '202':
          description: accepted
        '400': {$ref: '#/components/responses/Bad'}
        default: {description: other}
    put:
      operationId: A_Replace
      requestBody:
        content:
          text/json:
            schema: {type: array, items: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json: {}
  /b:
    get:
      operationId: B_Get
      responses:
        '404': {description: missing}
components:
  requestBodies:
    New:
      required: true
      content:
        application/json:
          schema: {type: object, properties: {name: {type: string}}}
  responses:
    Bad:
      description: bad
",
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            struct CreateABody
              name: String (optional)
            struct CreateAResponse201
              id: String (optional)
            op replace_a / ReplaceA (A_Replace): PUT /a idempotent
              body: Vec<i64> (optional, text/json)
              200: Json (application/json)
              accepts 200; documents no errors
            op create_a / CreateA (A_Create): POST /a
              body: CreateABody (required, application/json)
              201: CreateAResponse201 (application/json; charset=utf-8)
              202: no body
              returns enum CreateAResponse
              accepts 201 202; documents 400 default
            op get_b / GetB (B_Get): GET /b idempotent
              accepts 200 201 202 204; documents 404
        "#]],
    );
}

#[test]
fn body_and_response_problems_are_all_reported() {
    check(
        "paths:
  /a:
    post:
      operationId: A_Create
      requestBody:
        content:
          application/xml:
            schema: {type: string}
      responses:
        2XX: {description: ok}
        '200':
          description: ok
          content:
            text/plain:
              schema: {type: string}
    put:
      operationId: A_Put
      requestBody:
        content:
          application/json: {}
      responses:
        '200': {$ref: '#/components/responses/Chained'}
components:
  responses:
    Chained:
      $ref: '#/components/responses/Other'
    Other:
      description: other
",
        expect![[r#"
            26:11 /paths/~1a/put/requestBody/content/application~1json/schema: a request body needs a schema
            28:9 /paths/~1a/put/responses/200: #/components/responses/Chained is itself a $ref; chains of $refs are not supported here
            16:9 /paths/~1a/post/responses/2XX: a 2XX range response is not supported; list the status codes
        "#]],
    );
}

/// A method's name depends on its operationId alone: adding operations renames nothing. Two
/// operations that would share a name are an error, which `x-method-name` on one mends.
#[test]
fn adding_an_operation_renames_nothing() {
    let op = |path: &str, id: &str, extra: &str| {
        format!(
            "  {path}:\n    get:\n      operationId: {id}\n{extra}      responses: {{'204': {{description: ok}}}}\n"
        )
    };
    let names = |paths: &str| -> Vec<String> {
        let doc = format!("{}paths:\n{paths}", super::HEADER);
        let spec = crate::load::load("t.yaml", &doc).expect("loads");
        let api = crate::lower::lower(&spec).expect("lowers");
        api.operations.iter().map(|o| o.fn_name.clone()).collect()
    };
    let before = op("/a", "Alpha_List", "") + &op("/b", "Alpha_GetThings", "");
    assert_eq!(names(&before), ["list_alpha", "get_things"]);
    let grown = before.clone() + &op("/c", "Beta_List", "") + &op("/d", "Beta_Get", "");
    assert_eq!(
        names(&grown),
        ["list_alpha", "get_things", "list_beta", "get_beta"]
    );
    let mended = before
        + &op(
            "/e",
            "Beta_GetThings",
            "      x-method-name: get_beta_things\n",
        );
    assert_eq!(
        names(&mended),
        ["list_alpha", "get_things", "get_beta_things"]
    );
}

#[test]
fn operations_that_share_a_name_are_an_error_naming_the_mend() {
    check(
        "paths:
  /a:
    get:
      operationId: Alpha_GetThings
      responses: {'204': {description: ok}}
  /b:
    get:
      operationId: Beta_GetThings
      responses: {'204': {description: ok}}
  /c:
    get:
      operationId: Gamma_GetThings
      x-method-name: getThings
      responses: {'204': {description: ok}}
",
        expect![[r#"
            19:7 /paths/~1c/get/x-method-name: x-method-name must be a method name in snake case, such as `list_builds`
            14:7 /paths/~1b/get/operationId: operationIds "Alpha_GetThings" and "Beta_GetThings" both become method `get_things`: give one of them another name with `x-method-name`
        "#]],
    );
}

/// JSON is chosen where an operation offers it, then text, then bytes; JSON Patch is JSON
/// sent as declared; forms are not supported.
#[test]
fn bodies_of_every_content_kind() {
    check(
        "paths:
  /a:
    put:
      operationId: A_Put
      requestBody:
        required: true
        content:
          application/octet-stream: {schema: {type: string, format: binary}}
      responses:
        '200':
          description: ok
          content:
            text/plain: {schema: {type: string}}
            application/json: {schema: {type: integer}}
    patch:
      operationId: A_Patch
      requestBody:
        content:
          application/json-patch+json: {schema: {type: array, items: {}}}
      responses:
        '200':
          description: ok
          content:
            text/plain: {}
        '202':
          description: later
          content:
            application/zip: {}
",
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            op put_a / PutA (A_Put): PUT /a idempotent
              body: Bytes (required, application/octet-stream)
              200: i64 (application/json)
                or as text/plain
              accepts 200; documents no errors
            op patch_a / PatchA (A_Patch): PATCH /a
              body: Vec<Json> (optional, application/json-patch+json)
              200: Text (text/plain)
              202: Bytes (application/zip)
              returns enum PatchAResponse
              accepts 200 202; documents no errors
        "#]],
    );
    check(
        "paths:
  /a:
    post:
      operationId: A_Post
      requestBody:
        content:
          multipart/form-data: {schema: {type: object}}
      responses: {'204': {description: ok}}
",
        expect![[r#"
            12:9 /paths/~1a/post/requestBody/content: no supported content (JSON, text or bytes; forms are not supported), found multipart/form-data
        "#]],
    );
}

/// A body declared in several media types keeps the others of its kind (for JSON, of the same
/// schema) for the caller to choose; a response keeps every other media type, those of its
/// kind apart; declared headers are typed when their schema is a scalar and name the
/// operation's headers struct.
#[test]
fn several_media_types_and_declared_headers() {
    check(
        "paths:
  /a:
    patch:
      operationId: A_Patch
      requestBody:
        content:
          application/json-patch+json: {schema: {type: array, items: {}}}
          application/json: {schema: {type: array, items: {}}}
          text/json: {schema: {type: object}}
          text/plain: {schema: {type: string}}
      responses:
        '200':
          description: ok
          headers:
            x-ms-continuationtoken: {schema: {type: string}}
            ETag: {description: the version, schema: {type: string}}
          content:
            application/json: {schema: {type: integer}}
            application/zip: {}
    put:
      operationId: A_Put
      requestBody:
        content:
          application/octet-stream: {}
          application/zip: {}
          application/json: {schema: {type: object}}
      responses:
        '200':
          description: ok
          headers:
            x-count: {schema: {type: integer, format: int32}}
            x-id: {schema: {type: string, format: uuid}}
            x-big: {schema: {type: integer}}
            x-ratio: {schema: {type: number}}
            x-flag: {schema: {type: boolean}}
            x-list: {schema: {type: array, items: {type: string}}}
          content:
            application/octet-stream: {}
            application/zip: {}
            text/plain: {}
        '201':
          description: made
          headers:
            X-Count: {schema: {type: integer, format: int32}}
",
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            op put_a / PutA (A_Put): PUT /a idempotent
              body: Json (optional, application/json)
              200: Text (text/plain)
                or as application/octet-stream, application/zip
                header x-count -> x_count: i32
                header x-id -> x_id: Uuid
                header x-big -> x_big: i64
                header x-ratio -> x_ratio: f64
                header x-flag -> x_flag: bool
                header x-list -> x_list: String
              201: no body
                header X-Count -> x_count: i32
              headers struct PutAHeaders
              returns enum PutAResponse
              accepts 200 201; documents no errors
            op patch_a / PatchA (A_Patch): PATCH /a
              body: Vec<Json> (optional, application/json-patch+json)
                also as application/json
              200: i64 (application/json)
                or as application/zip
                header x-ms-continuationtoken -> x_ms_continuationtoken: String
                header ETag -> e_tag: String
              headers struct PatchAHeaders
              accepts 200; documents no errors
        "#]],
    );
    check(
        "paths:
  /a:
    get:
      operationId: A_Get
      responses:
        '200':
          description: ok
          headers:
            x-ms-item: {schema: {type: string}}
            x_ms_item: {schema: {type: string}}
",
        expect![[r#"
            11:7 /paths/~1a/get/responses: response headers "x-ms-item" and "x_ms_item" both become `x_ms_item`
        "#]],
    );
}

/// `x-query-object: dotted`: a query parameter that is an object or a list of objects, sent
/// property by property; on anything else, or with another value, a problem.
#[test]
fn objects_in_the_query_are_dotted() {
    check(
        "paths:
  /a:
    get:
      operationId: A_List
      parameters:
        - {name: c, in: query, x-query-object: dotted, schema: {$ref: '#/components/schemas/C'}}
        - name: c.list
          in: query
          x-query-object: dotted
          schema: {type: array, items: {$ref: '#/components/schemas/C'}}
      responses:
        '204': {description: ok}
components:
  schemas:
    C:
      type: object
      properties:
        p: {type: string}
",
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            struct C
              p: String (optional)
            op list_a / ListA (A_List): GET /a idempotent
              query c ("c"): C (optional, dotted)
              query c_list ("c.list"): Vec<C> (optional, dotted)
              204: no body
              accepts 204; documents no errors
        "#]],
    );
    check(
        "paths:
  /a:
    get:
      operationId: A_List
      parameters:
        - {name: s, in: query, x-query-object: dotted, schema: {type: string}}
        - {name: h, in: header, x-query-object: dotted, schema: {$ref: '#/components/schemas/C'}}
        - {name: o, in: query, x-query-object: flat, schema: {$ref: '#/components/schemas/C'}}
        - {name: plain, in: query, schema: {$ref: '#/components/schemas/C'}}
      responses:
        '204': {description: ok}
components:
  schemas:
    C:
      type: object
      properties:
        p: {type: string}
",
        expect![[r#"
            12:56 /paths/~1a/get/parameters/0/schema: with `x-query-object: dotted`, a parameter must be an object, or an array of objects
            13:33 /paths/~1a/get/parameters/1/x-query-object: `x-query-object` is `dotted`, on a query parameter only
            14:32 /paths/~1a/get/parameters/2/x-query-object: `x-query-object` is `dotted`, on a query parameter only
            15:36 /paths/~1a/get/parameters/3/schema: a query parameter must be a string, number, boolean, uuid, date, date-time or string enum, or an array of those
        "#]],
    );
}

/// `x-ms-paths` (operations told apart by their query) are operations like those of `paths`,
/// at their path without the query; the query template's names must be query parameters.
#[test]
fn operations_of_x_ms_paths() {
    check(
        "paths:
  /items:
    get:
      operationId: Items_List
      responses:
        '204': {description: ok}
x-ms-paths:
  /items?path={path}:
    get:
      operationId: Items_Get Item
      parameters:
        - {name: path, in: query, required: true, schema: {type: string}}
      responses:
        '204': {description: ok}
",
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            op list_items / ListItems (Items_List): GET /items idempotent
              204: no body
              accepts 204; documents no errors
            op get_item / GetItem (Items_Get Item): GET /items idempotent
              query path ("path"): String (required)
              204: no body
              accepts 204; documents no errors
        "#]],
    );
    check(
        "paths:
  /items:
    get:
      operationId: Items_List
      responses:
        '204': {description: ok}
x-ms-paths:
  /items?path={path}:
    get:
      operationId: Items_Get Item
      parameters:
        - {name: path, in: query, required: true, schema: {type: string}}
      responses:
        '204': {description: ok}
  /items?id={id}&{missing}:
    delete:
      operationId: Items_Delete
      parameters:
        - {name: id, in: header, schema: {type: string}}
      responses:
        '204': {description: ok}
  /other:
    get: 3
  /nested:
    get:
      operationId: Nested_Get
      parameters: [{name: a, in: query, schema: {type: string}}, 4]
      responses:
        '204': {description: ok}
",
        expect![[r#"
            33:66 /x-ms-paths/~1nested/get/parameters/1: not a path item: invalid type: integer `4`, expected internally tagged enum Parameter
            29:5 /x-ms-paths/~1other/get: not a path item: invalid type: integer `3`, expected struct Operation
            24:7 /x-ms-paths/~1items?id={id}&{missing}/delete/parameters: the query template "id={id}&{missing}" names `id`, which is no query parameter of the operation
            24:7 /x-ms-paths/~1items?id={id}&{missing}/delete/parameters: the query template "id={id}&{missing}" names `missing`, which is no query parameter of the operation
        "#]],
    );
}
