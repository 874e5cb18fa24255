//! The repairs: duplicated operationIds and path parameters missing from their path; and
//! what import refuses.

use expect_test::expect;

use super::check;

#[test]
fn duplicated_operation_ids_take_their_resource_and_method() {
    check(
        r#"swagger: '2.0'
info: {title: T, version: '1'}
host: dev.azure.com
paths:
  /_apis/tokens/{user}:
    post:
      operationId: List
      x-ms-vss-resource: tokenPersonalAccessTokens
      x-ms-vss-method: ListPersonalAccessTokens
      parameters:
        - {in: path, name: user, required: true, type: string}
      responses:
        '200': {description: ok}
  /_apis/identities:
    post:
      operationId: List
      x-ms-vss-resource: tokenListGlobalIdentities
      x-ms-vss-method: ListIdentitiesWithGlobalAccessTokens
      responses:
        '200': {description: ok}
"#,
        expect![[r#"
            warning: t.yaml:7:7: at /paths/~1_apis~1tokens~1{user}/post/operationId: operationId "List" is shared by 2 operations; renamed "TokenPersonalAccessTokens_ListPersonalAccessTokens" (from its x-ms-vss-resource and x-ms-vss-method)
            warning: t.yaml:16:7: at /paths/~1_apis~1identities/post/operationId: operationId "List" is shared by 2 operations; renamed "TokenListGlobalIdentities_ListIdentitiesWithGlobalAccessTokens" (from its x-ms-vss-resource and x-ms-vss-method)
            ---
            openapi: 3.0.3
            info:
              title: T
              version: '1'
            servers:
              - url: https://dev.azure.com
            paths:
              /_apis/tokens/{user}:
                post:
                  operationId: TokenPersonalAccessTokens_ListPersonalAccessTokens
                  parameters:
                    - name: user
                      in: path
                      required: true
                      schema:
                        type: string
                  responses:
                    '200':
                      description: ok
                  x-ms-vss-method: ListPersonalAccessTokens
                  x-ms-vss-resource: tokenPersonalAccessTokens
              /_apis/identities:
                post:
                  operationId: TokenListGlobalIdentities_ListIdentitiesWithGlobalAccessTokens
                  responses:
                    '200':
                      description: ok
                  x-ms-vss-method: ListIdentitiesWithGlobalAccessTokens
                  x-ms-vss-resource: tokenListGlobalIdentities
        "#]],
    );
}

#[test]
fn without_vss_names_the_path_then_the_method_then_a_number_tell_them_apart() {
    // OpenAPI 3.0 in: the same repairs. `Get_Items` is taken by a third operation, so
    // the second `Get` of `/items` falls back to its method.
    check(
        r#"openapi: 3.0.3
info: {title: T, version: '1'}
servers: [{url: 'https://example.com'}]
paths:
  /things/{id}/items:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      operationId: Get
      responses: {'200': {description: ok}}
    delete:
      operationId: Get
      responses: {'204': {description: done}}
  /other:
    get:
      operationId: GetOther
      responses: {'200': {description: ok}}
"#,
        expect![[r#"
            warning: t.yaml:9:7: at /paths/~1things~1{id}~1items/get/operationId: operationId "Get" is shared by 2 operations; renamed "GetItems" (the path's last segment appended)
            warning: t.yaml:12:7: at /paths/~1things~1{id}~1items/delete/operationId: operationId "Get" is shared by 2 operations; renamed "GetDelete" (its HTTP method appended)
            ---
            openapi: 3.0.3
            info:
              title: T
              version: '1'
            servers:
              - url: https://example.com
            paths:
              /things/{id}/items:
                parameters:
                  - name: id
                    in: path
                    required: true
                    schema:
                      type: string
                get:
                  operationId: GetItems
                  responses:
                    '200':
                      description: ok
                delete:
                  operationId: GetDelete
                  responses:
                    '204':
                      description: done
              /other:
                get:
                  operationId: GetOther
                  responses:
                    '200':
                      description: ok
        "#]],
    );
}

#[test]
fn a_path_parameter_missing_from_its_path_is_renamed_or_removed() {
    // As in build/7.1: `definitionId` where the path says `{DefinitionId}` (renamed, also
    // through a shared parameter, which is copied first); `stale` matches nothing (removed).
    check(
        r#"swagger: '2.0'
info: {title: T, version: '1'}
host: dev.azure.com
paths:
  /definitions/{DefinitionId}/tags:
    get:
      operationId: Tags_Get
      parameters:
        - {in: path, name: definitionId, required: true, type: integer, format: int32}
        - {in: path, name: stale, required: true, type: string}
      responses:
        '200': {description: ok}
  /definitions/{DefinitionId}:
    get:
      operationId: Definitions_Get
      parameters:
        - $ref: '#/parameters/definition'
      responses:
        '200': {description: ok}
parameters:
  definition: {in: path, name: definitionid, required: true, type: string}
"#,
        expect![[r#"
            warning: t.yaml:9:11: at /paths/~1definitions~1{DefinitionId}~1tags/get/parameters/0: this path parameter is not in the path "/definitions/{DefinitionId}/tags"; renamed "DefinitionId", as the path writes it (the names differ in letter case only)
            warning: t.yaml:10:11: at /paths/~1definitions~1{DefinitionId}~1tags/get/parameters/1: this path parameter is not in the path "/definitions/{DefinitionId}/tags"; removed: the path cannot carry it
            warning: t.yaml:17:11: at /paths/~1definitions~1{DefinitionId}/get/parameters/0: this path parameter is not in the path "/definitions/{DefinitionId}"; renamed "DefinitionId", as the path writes it (the names differ in letter case only)
            ---
            openapi: 3.0.3
            info:
              title: T
              version: '1'
            servers:
              - url: https://dev.azure.com
            paths:
              /definitions/{DefinitionId}/tags:
                get:
                  operationId: Tags_Get
                  parameters:
                    - name: DefinitionId
                      in: path
                      required: true
                      schema:
                        type: integer
                        format: int32
                  responses:
                    '200':
                      description: ok
              /definitions/{DefinitionId}:
                get:
                  operationId: Definitions_Get
                  parameters:
                    - name: DefinitionId
                      in: path
                      required: true
                      schema:
                        type: string
                  responses:
                    '200':
                      description: ok
            components:
              parameters:
                definition:
                  name: definitionid
                  in: path
                  required: true
                  schema:
                    type: string
        "#]],
    );
}

#[test]
fn anything_else_invalid_is_refused_at_the_file_as_written() {
    check(
        r#"swagger: '2.0'
info: {title: T, version: '1'}
host: dev.azure.com
paths:
  /a/{id}:
    get:
      operationId: A
      responses:
        '200':
          description: ok
          schema: {$ref: '#/definitions/Missing'}
  /b:
    get:
      operationId: B
      responses:
        '200':
          description: ok
          schema: {$ref: 'other.json#/definitions/B'}
"#,
        expect![[r#"
            refused:
            error: t.yaml:11:20: at /paths/~1a~1{id}/get/responses/200/schema/$ref: dangling $ref: #/definitions/Missing does not exist
            error: t.yaml:18:20: at /paths/~1b/get/responses/200/schema/$ref: $ref "other.json#/definitions/B" names another file; import reads one file
            error: t.yaml:6:5: at /paths/~1a~1{id}/get: path "/a/{id}" has {id} but the operation declares no path parameter "id"
        "#]],
    );
    // What the upgrade refuses (a type JSON Schema does not have, and is no format either)
    // is refused too; and the same in an OpenAPI 3.0 description, whose reader would take
    // it for any type.
    check(
        "swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {in: query, name: n, type: whole}\n      responses: {'204': {description: done}}\n",
        expect![[r#"
            refused:
            error: t.yaml:7:32: at /paths/~1a/get/parameters/0/type: `type` is one of array, boolean, integer, number, object, string
        "#]],
    );
    check(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      additionalProperties: {type: int32}\n",
        expect![[r#"
            refused:
            error: t.yaml:8:30: at /components/schemas/A/additionalProperties/type: `type` is one of array, boolean, integer, number, object, string
        "#]],
    );
}

/// A `type` that is a format (`type: int32`, as `notification/7.1` has) is read as the type
/// it is a format of; a query parameter described by an inline `schema` (as `tfvc/7.1`
/// has) gets the schema's keywords, unless the schema refers elsewhere.
#[test]
fn types_that_are_formats_and_parameter_schemas_are_mended_before_the_upgrade() {
    check(
        "swagger: '2.0'
info: {title: T, version: '1'}
paths:
  /a:
    get:
      operationId: A_Get
      parameters:
        - {in: query, name: n, schema: {type: array, items: {type: string}}}
      responses:
        '200':
          description: ok
          schema: {type: object, additionalProperties: {type: int32}}
",
        expect![[r#"
            warning: t.yaml:8:32: at /paths/~1a/get/parameters/0/schema: a query, path or header parameter takes no `schema` in Swagger 2.0: its keywords moved onto the parameter
            warning: t.yaml:12:57: at /paths/~1a/get/responses/200/schema/additionalProperties/type: `type: int32` is a format: read as `type: integer, format: int32`
            ---
            openapi: 3.0.3
            info:
              title: T
              version: '1'
            paths:
              /a:
                get:
                  operationId: A_Get
                  parameters:
                    - name: 'n'
                      in: query
                      style: form
                      explode: false
                      schema:
                        type: array
                        items:
                          type: string
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema:
                            type: object
                            additionalProperties:
                              type: integer
                              format: int32
        "#]],
    );
}

/// A query parameter whose `schema` is a list of objects (`tfvc/7.1`'s
/// `searchCriteria.mappings`) keeps its schema, marked `x-query-object: dotted`, with one
/// warning; a path parameter with such a schema is still refused.
#[test]
fn an_object_in_the_query_is_marked_to_be_sent_dotted() {
    check(
        "swagger: '2.0'
info: {title: T, version: '1'}
paths:
  /a:
    get:
      operationId: A_Get
      parameters:
        - {in: query, name: c.mappings, schema: {type: array, items: {$ref: '#/definitions/F'}}}
        - {in: query, name: one, schema: {$ref: '#/definitions/F'}}
      responses:
        '200': {description: ok}
definitions:
  F:
    type: object
    properties:
      serverPath: {type: string}
      exclude: {type: boolean}
",
        expect![[r#"
            warning: t.yaml:8:41: at /paths/~1a/get/parameters/0/schema: a query parameter whose value is an object or a list of objects has no Swagger 2.0 form: its `schema` kept, marked `x-query-object: dotted` (sent as ASP.NET binds it: `name.property=value`, `name[0].property=value` for a list's items)
            warning: t.yaml:9:34: at /paths/~1a/get/parameters/1/schema: a query parameter whose value is an object or a list of objects has no Swagger 2.0 form: its `schema` kept, marked `x-query-object: dotted` (sent as ASP.NET binds it: `name.property=value`, `name[0].property=value` for a list's items)
            ---
            openapi: 3.0.3
            info:
              title: T
              version: '1'
            paths:
              /a:
                get:
                  operationId: A_Get
                  parameters:
                    - name: c.mappings
                      in: query
                      schema:
                        type: array
                        items:
                          $ref: '#/components/schemas/F'
                      x-query-object: dotted
                    - name: one
                      in: query
                      schema:
                        $ref: '#/components/schemas/F'
                      x-query-object: dotted
                  responses:
                    '200':
                      description: ok
            components:
              schemas:
                F:
                  type: object
                  properties:
                    serverPath:
                      type: string
                    exclude:
                      type: boolean
        "#]],
    );
    check(
        "swagger: '2.0'
info: {title: T, version: '1'}
paths:
  /a/{p}:
    get:
      operationId: A_Get
      parameters:
        - {in: path, name: p, required: true, schema: {$ref: '#/definitions/F'}}
      responses:
        '200': {description: ok}
definitions:
  F: {type: object}
",
        expect![[r#"
            refused:
            error: t.yaml:8:47: at /paths/~1a~1{p}/get/parameters/0/schema: `schema` is for `in: body` parameters only; a path parameter is described by `type`, `format`, `items`, ...
        "#]],
    );
}

/// Two operations whose ids give one method name: the later one gets `x-method-name`; an
/// array schema without `items` gets `items: {}`.
#[test]
fn method_names_that_collide_and_arrays_without_items_are_mended() {
    // The title `Core` would name the crate `core`, Rust's own: `core-client`.
    check(
        "openapi: 3.0.3
info: {title: Core, version: '1'}
paths:
  /teams:
    get:
      operationId: Teams_Get
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array}
  /teams/all:
    get:
      operationId: Teams_Get Teams
      responses: {'204': {description: ok}}
",
        expect![[r#"
            warning: t.yaml:15:7: at /paths/~1teams~1all/get/operationId: operationId "Teams_Get Teams" would give method `get_teams`, as "Teams_Get" does: named `teams_get_teams` (x-method-name)
            warning: t.yaml:2:8: at /info/title: the title names the crate `core`, which is Rust's own crate: named `core-client` (x-crate-name)
            warning: t.yaml:12:15: at /paths/~1teams/get/responses/200/content/application~1json/schema: an array schema without `items`: its items are any JSON (`items: {}`)
            ---
            openapi: 3.0.3
            info:
              title: Core
              version: '1'
              x-crate-name: core-client
            paths:
              /teams:
                get:
                  operationId: Teams_Get
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema:
                            type: array
                            items: {}
              /teams/all:
                get:
                  operationId: Teams_Get Teams
                  responses:
                    '204':
                      description: ok
                  x-method-name: teams_get_teams
        "#]],
    );
}

#[test]
fn byte_arrays_and_generic_values_take_the_form_the_service_writes() {
    // `IdentityDescriptor` and `Demand` are one string, and so are `Demand`'s subclasses
    // (a schema of other properties is left alone); a `byte[]` is one base64 string, a `byte` and a `decimal` numbers; `T` (a generic type
    // parameter) and Json.NET's `JToken` are any JSON, the latter also when described as its
    // .NET class's properties. A string of another format, and an array of other strings,
    // stay as they are.
    check(
        r#"swagger: '2.0'
info: {title: T, version: '1'}
host: dev.azure.com
paths:
  /_apis/keys:
    get:
      operationId: Keys_Get
      responses:
        '200': {description: ok, schema: {$ref: '#/definitions/Key'}}
definitions:
  Key:
    type: object
    properties:
      exponent: {type: array, description: The exponent., items: {type: string, format: byte}}
      item: {type: string, format: T, description: Current version.}
      settings: {type: string, format: JToken}
      names: {type: array, items: {type: string, format: uuid}}
      when: {type: string, format: date-time}
      minValue: {type: string, format: decimal}
      retries: {type: string, format: byte}
      owner: {$ref: '#/definitions/IdentityDescriptor'}
      demands: {type: array, items: {$ref: '#/definitions/Demand'}}
      other: {$ref: '#/definitions/Other'}
      result: {$ref: '#/definitions/JToken'}
  JToken:
    description: Represents an abstract JSON token.
    type: object
    properties:
      first: {$ref: '#/definitions/JToken'}
      hasValues: {type: boolean}
  IdentityDescriptor:
    description: An Identity descriptor.
    type: object
    properties:
      identifier: {type: string}
      identityType: {type: string}
  Demand:
    type: object
    properties:
      name: {type: string}
      value: {type: string}
  DemandEquals:
    type: object
    allOf: [{$ref: '#/definitions/Demand'}]
    properties: {}
  Other:
    type: object
    properties:
      name: {type: string}
      value: {type: string}
      more: {type: string}
"#,
        expect![[r#"
            warning: t.yaml:31:3: at /definitions/IdentityDescriptor: `IdentityDescriptor` is described as an object of `identifier` and `identityType`, but the service writes it as one string, `identityType;identifier`, as every example shows: read as `type: string`
            warning: t.yaml:37:3: at /definitions/Demand: `Demand` is described as an object of `name` and `value`, but the service writes it as one string, `name` or `name -equals value`, as every example shows: read as `type: string`
            warning: t.yaml:42:3: at /definitions/DemandEquals: `DemandEquals` inherits from `Demand`, which the service writes as one string: read as `type: string` too
            warning: t.yaml:25:3: at /definitions/JToken: `JToken` is described as the properties of Json.NET's .NET class, but its value is any JSON: read as any JSON
            warning: t.yaml:14:7: at /definitions/Key/properties/exponent: an array of `format: byte` strings describes a .NET `byte[]`, which the service writes as one base64 string: read as `type: string, format: byte`
            warning: t.yaml:15:7: at /definitions/Key/properties/item: `type: string, format: T` describes a .NET generic type parameter, whose value is any JSON, not a string: read as any JSON
            warning: t.yaml:16:7: at /definitions/Key/properties/settings: `type: string, format: JToken` describes a Json.NET value, whose value is any JSON, not a string: read as any JSON
            warning: t.yaml:19:7: at /definitions/Key/properties/minValue: `type: string, format: decimal` describes a .NET `decimal`, which the service writes as a JSON number: read as `type: number, format: decimal`
            warning: t.yaml:20:7: at /definitions/Key/properties/retries: `type: string, format: byte` describes a .NET `byte`, which the service writes as a number: read as `type: integer, format: int32`
            ---
            openapi: 3.0.3
            info:
              title: T
              version: '1'
            servers:
              - url: https://dev.azure.com
            paths:
              /_apis/keys:
                get:
                  operationId: Keys_Get
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema:
                            $ref: '#/components/schemas/Key'
            components:
              schemas:
                Key:
                  type: object
                  properties:
                    exponent:
                      type: string
                      format: byte
                      description: The exponent.
                    item:
                      description: Current version.
                    settings: {}
                    names:
                      type: array
                      items:
                        type: string
                        format: uuid
                    when:
                      type: string
                      format: date-time
                    minValue:
                      type: number
                      format: decimal
                    retries:
                      type: integer
                      format: int32
                    owner:
                      $ref: '#/components/schemas/IdentityDescriptor'
                    demands:
                      type: array
                      items:
                        $ref: '#/components/schemas/Demand'
                    other:
                      $ref: '#/components/schemas/Other'
                    result:
                      $ref: '#/components/schemas/JToken'
                JToken:
                  description: Represents an abstract JSON token.
                IdentityDescriptor:
                  type: string
                  description: An Identity descriptor.
                Demand:
                  type: string
                DemandEquals:
                  type: string
                Other:
                  type: object
                  properties:
                    name:
                      type: string
                    value:
                      type: string
                    more:
                      type: string
        "#]],
    );
}
