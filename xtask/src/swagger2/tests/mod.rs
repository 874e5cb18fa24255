//! The upgrade in process: small Swagger 2.0 documents in, the OpenAPI 3.0 YAML (or the
//! problems) out, compared with `expect!` texts (`UPDATE_EXPECT=1 cargo test -p xtask
//! swagger2::` rewrites them; review the diff); and where problems found later point.
//! The document and its sections here, operations in `operations`, problems and
//! positions in `positions`.

mod operations;
mod positions;

use expect_test::{Expect, expect};
use serde_yaml::Value;

pub(super) const HEADER: &str = "swagger: '2.0'
info:
  title: T
  version: '1'
host: dev.azure.com
";

/// The upgraded document as YAML, or the problems.
pub(super) fn upgraded(text: &str) -> String {
    let value: Value = serde_yaml::from_str(text).expect("YAML");
    match super::upgrade(&value) {
        Ok(up) => serde_yaml::to_string(&up.document).expect("prints"),
        Err(problems) => problems
            .iter()
            .map(|p| format!("{}: {}\n", p.pointer, p.message))
            .collect(),
    }
}

/// Upgrades `body` (below [`HEADER`]) and compares with `expect`.
pub(super) fn check(body: &str, expect: Expect) {
    expect.assert_eq(&upgraded(&format!("{HEADER}{body}")));
}

/// For each converted pointer, the original one.
pub(super) fn origins(body: &str, pointers: &[&str]) -> String {
    let value: Value = serde_yaml::from_str(&format!("{HEADER}{body}")).expect("YAML");
    let up = super::upgrade(&value).expect("upgrades");
    pointers
        .iter()
        .map(|p| format!("{p} <- {}\n", up.pointers.original(p)))
        .collect()
}

#[test]
fn host_base_path_and_schemes_become_servers() {
    check(
        "basePath: /api/\nschemes: [https, http]\npaths: {}\n",
        expect![[r#"
            openapi: 3.0.3
            info:
              title: T
              version: '1'
            servers:
            - url: https://dev.azure.com/api
            - url: http://dev.azure.com/api
            paths: {}
        "#]],
    );
    // No schemes: https. A base path of `/` adds nothing.
    check(
        "basePath: /\npaths: {}\n",
        expect![[r#"
            openapi: 3.0.3
            info:
              title: T
              version: '1'
            servers:
            - url: https://dev.azure.com
            paths: {}
        "#]],
    );
}

#[test]
fn a_parameterized_host_becomes_server_variables() {
    check(
        "x-ms-parameterized-host:\n  hostTemplate: '{service}dev.azure.com'\n  parameters:\n    - name: service\n      in: path\n      description: The service.\n      required: false\n      type: string\npaths: {}\n",
        expect![[r#"
            openapi: 3.0.3
            info:
              title: T
              version: '1'
            servers:
            - url: https://{service}dev.azure.com
              variables:
                service:
                  default: ''
                  description: The service.
            paths: {}
            x-ms-parameterized-host:
              hostTemplate: '{service}dev.azure.com'
              parameters:
              - name: service
                in: path
                description: The service.
                required: false
                type: string
        "#]],
    );
}

#[test]
fn security_definitions_become_security_schemes() {
    check(
        r#"paths: {}
security:
  - accessToken: []
securityDefinitions:
  accessToken:
    type: basic
    description: A PAT.
  key:
    type: apiKey
    name: X-Key
    in: header
  code:
    type: oauth2
    flow: accessCode
    authorizationUrl: https://login/authorize
    tokenUrl: https://login/token
    scopes:
      vso.code: Code.
  implicit:
    type: oauth2
    flow: implicit
    authorizationUrl: https://login/authorize
    scopes: {}
  password:
    type: oauth2
    flow: password
    tokenUrl: https://login/token
    scopes: {}
  app:
    type: oauth2
    flow: application
    tokenUrl: https://login/token
    scopes: {}
    x-ms-note: kept
"#,
        expect![[r#"
            openapi: 3.0.3
            info:
              title: T
              version: '1'
            servers:
            - url: https://dev.azure.com
            security:
            - accessToken: []
            paths: {}
            components:
              securitySchemes:
                accessToken:
                  type: http
                  scheme: basic
                  description: A PAT.
                key:
                  type: apiKey
                  name: X-Key
                  in: header
                code:
                  type: oauth2
                  flows:
                    authorizationCode:
                      authorizationUrl: https://login/authorize
                      tokenUrl: https://login/token
                      scopes:
                        vso.code: Code.
                implicit:
                  type: oauth2
                  flows:
                    implicit:
                      authorizationUrl: https://login/authorize
                      scopes: {}
                password:
                  type: oauth2
                  flows:
                    password:
                      tokenUrl: https://login/token
                      scopes: {}
                app:
                  type: oauth2
                  flows:
                    clientCredentials:
                      tokenUrl: https://login/token
                      scopes: {}
                  x-ms-note: kept
        "#]],
    );
}

#[test]
fn schemas_discriminators_extensions_and_x_ms_paths() {
    check(
        r#"paths: {}
x-ms-paths:
  /a?b={b}:
    get:
      operationId: A_B
      parameters:
        - {in: query, name: b, type: boolean}
      responses:
        '200':
          description: ok
          schema:
            $ref: '#/definitions/Pet'
definitions:
  Pet:
    type: object
    discriminator: kind
    required: [kind]
    properties:
      kind:
        type: string
        x-ms-enum: {name: Kind, modelAsString: true}
        enum: [cat]
      tags:
        type: object
        additionalProperties:
          $ref: '#/definitions/Pet'
    x-ms-vss-note: kept
  Cat:
    allOf:
      - $ref: '#/definitions/Pet'
    x-ms-discriminator-value: cat
"#,
        expect![[r##"
            openapi: 3.0.3
            info:
              title: T
              version: '1'
            servers:
            - url: https://dev.azure.com
            paths: {}
            components:
              schemas:
                Pet:
                  type: object
                  discriminator:
                    propertyName: kind
                  required:
                  - kind
                  properties:
                    kind:
                      type: string
                      x-ms-enum:
                        name: Kind
                        modelAsString: true
                      enum:
                      - cat
                    tags:
                      type: object
                      additionalProperties:
                        $ref: '#/components/schemas/Pet'
                  x-ms-vss-note: kept
                Cat:
                  allOf:
                  - $ref: '#/components/schemas/Pet'
                  x-ms-discriminator-value: cat
            x-ms-paths:
              /a?b={b}:
                get:
                  operationId: A_B
                  parameters:
                  - name: b
                    in: query
                    schema:
                      type: boolean
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema:
                            $ref: '#/components/schemas/Pet'
        "##]],
    );
}
