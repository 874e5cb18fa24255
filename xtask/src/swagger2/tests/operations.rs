//! Operations: bodies, parameters, form fields, responses, and parameter components.

use expect_test::expect;

use super::check;

#[test]
fn body_and_simple_parameters() {
    check(
        r#"consumes: [application/json]
paths:
  /a/{id}:
    post:
      operationId: A_Post
      consumes: [application/json, application/json-patch+json]
      parameters:
        - in: body
          name: body
          description: The thing.
          required: true
          schema:
            $ref: '#/definitions/Thing'
        - in: path
          name: id
          required: true
          type: string
          format: uuid
        - in: query
          name: kind
          required: false
          type: string
          enum: [a, b]
          x-ms-enum:
            name: Kind
          x-ms-required: false
          default: a
        - in: query
          name: ids
          type: array
          items:
            type: integer
            format: int32
            minimum: 1
        - in: query
          name: tags
          type: array
          collectionFormat: multi
          items:
            type: string
        - in: header
          name: X-Names
          type: array
          items:
            type: string
      responses:
        '204':
          description: done
definitions:
  Thing:
    type: object
    properties:
      x:
        type: string
"#,
        expect![[r##"
            openapi: 3.0.3
            info:
              title: T
              version: '1'
            servers:
            - url: https://dev.azure.com
            paths:
              /a/{id}:
                post:
                  operationId: A_Post
                  parameters:
                  - name: id
                    in: path
                    required: true
                    schema:
                      type: string
                      format: uuid
                  - name: kind
                    in: query
                    required: false
                    schema:
                      type: string
                      default: a
                      enum:
                      - a
                      - b
                      x-ms-enum:
                        name: Kind
                    x-ms-required: false
                  - name: ids
                    in: query
                    style: form
                    explode: false
                    schema:
                      type: array
                      items:
                        type: integer
                        format: int32
                        minimum: 1
                  - name: tags
                    in: query
                    style: form
                    explode: true
                    schema:
                      type: array
                      items:
                        type: string
                  - name: X-Names
                    in: header
                    schema:
                      type: array
                      items:
                        type: string
                  requestBody:
                    description: The thing.
                    content:
                      application/json:
                        schema:
                          $ref: '#/components/schemas/Thing'
                      application/json-patch+json:
                        schema:
                          $ref: '#/components/schemas/Thing'
                    required: true
                  responses:
                    '204':
                      description: done
            components:
              schemas:
                Thing:
                  type: object
                  properties:
                    x:
                      type: string
        "##]],
    );
}

#[test]
fn form_fields_become_a_form_body() {
    check(
        r#"paths:
  /upload:
    post:
      operationId: Upload
      consumes: [multipart/form-data]
      parameters:
        - in: formData
          name: file
          description: The file.
          required: true
          type: file
        - in: formData
          name: labels
          type: array
          collectionFormat: pipes
          items:
            type: string
      responses:
        '200':
          description: ok
  /login:
    post:
      operationId: Login
      parameters:
        - in: formData
          name: user
          type: string
      responses:
        '200':
          description: ok
"#,
        expect![[r#"
            openapi: 3.0.3
            info:
              title: T
              version: '1'
            servers:
            - url: https://dev.azure.com
            paths:
              /upload:
                post:
                  operationId: Upload
                  requestBody:
                    content:
                      multipart/form-data:
                        schema:
                          type: object
                          properties:
                            file:
                              type: string
                              format: binary
                              description: The file.
                            labels:
                              type: array
                              items:
                                type: string
                          required:
                          - file
                        encoding:
                          labels:
                            style: pipeDelimited
                            explode: false
                    required: true
                  responses:
                    '200':
                      description: ok
              /login:
                post:
                  operationId: Login
                  requestBody:
                    content:
                      application/x-www-form-urlencoded:
                        schema:
                          type: object
                          properties:
                            user:
                              type: string
                  responses:
                    '200':
                      description: ok
        "#]],
    );
}

#[test]
fn responses_headers_and_examples() {
    check(
        r#"produces: [application/json, text/json]
paths:
  /a:
    get:
      operationId: A_Get
      responses:
        '200':
          description: ok
          schema:
            type: array
            items:
              $ref: '#/definitions/Thing'
          headers:
            x-ms-continuationtoken:
              type: string
              description: The next page.
          examples:
            application/json: [{x: one}]
        '404':
          $ref: '#/responses/NotFound'
  /b:
    get:
      operationId: B_Get
      produces: [application/zip]
      responses:
        '200':
          description: a file
          schema:
            type: file
responses:
  NotFound:
    description: not there
    schema:
      $ref: '#/definitions/Thing'
definitions:
  Thing:
    type: object
"#,
        expect![[r##"
            openapi: 3.0.3
            info:
              title: T
              version: '1'
            servers:
            - url: https://dev.azure.com
            paths:
              /a:
                get:
                  operationId: A_Get
                  responses:
                    '200':
                      description: ok
                      headers:
                        x-ms-continuationtoken:
                          description: The next page.
                          schema:
                            type: string
                      content:
                        application/json:
                          schema:
                            type: array
                            items:
                              $ref: '#/components/schemas/Thing'
                          example:
                          - x: one
                        text/json:
                          schema:
                            type: array
                            items:
                              $ref: '#/components/schemas/Thing'
                    '404':
                      $ref: '#/components/responses/NotFound'
              /b:
                get:
                  operationId: B_Get
                  responses:
                    '200':
                      description: a file
                      content:
                        application/zip:
                          schema:
                            type: string
                            format: binary
            components:
              schemas:
                Thing:
                  type: object
              responses:
                NotFound:
                  description: not there
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Thing'
                    text/json:
                      schema:
                        $ref: '#/components/schemas/Thing'
        "##]],
    );
}

#[test]
fn parameter_components_and_their_references() {
    check(
        r#"paths:
  /a:
    parameters:
      - $ref: '#/parameters/api-Version'
    put:
      operationId: A_Put
      parameters:
        - $ref: '#/parameters/Body'
        - $ref: '#/parameters/top'
      responses:
        '204':
          description: done
parameters:
  api-Version:
    name: api-version
    in: query
    required: true
    type: string
  Body:
    name: body
    in: body
    schema:
      type: object
  top:
    name: $top
    in: query
    type: integer
"#,
        expect![[r##"
            openapi: 3.0.3
            info:
              title: T
              version: '1'
            servers:
            - url: https://dev.azure.com
            paths:
              /a:
                parameters:
                - $ref: '#/components/parameters/api-Version'
                put:
                  operationId: A_Put
                  parameters:
                  - $ref: '#/components/parameters/top'
                  requestBody:
                    $ref: '#/components/requestBodies/Body'
                  responses:
                    '204':
                      description: done
            components:
              parameters:
                api-Version:
                  name: api-version
                  in: query
                  required: true
                  schema:
                    type: string
                top:
                  name: $top
                  in: query
                  schema:
                    type: integer
              requestBodies:
                Body:
                  content:
                    application/json:
                      schema:
                        type: object
        "##]],
    );
}
