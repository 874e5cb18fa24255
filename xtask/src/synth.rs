//! Synthetic specs for the benchmarks (`cargo xtask bench`): an OpenAPI 3.0.3 document with
//! any number of operations, every one of them exercising the generator the way a real
//! operation does.
//!
//! Operation `i` is `PUT /projects/{projectId}/resources{i}/{itemId}` with
//! - a path parameter (`projectId`, a string; `itemId`, a uuid),
//! - query parameters of several types (integer with bounds, boolean, date-time, an array of
//!   strings, an inline string enum, and the constant `api-version`), and a header parameter,
//! - a required JSON body that is a `$ref` to the model `Resource{i}`,
//! - the responses 200 (JSON, `$ref` to `Resource{i}`), 201 (JSON, same model), 204 (no body)
//!   and 400, so that every operation gets a response enum.
//!
//! Model `Resource{i}` has uuid, date-time, array, map (`additionalProperties`), string-enum
//! and nested `$ref` fields, with constraints to validate. Every third operation also
//! references the shared `Common` model, so names resolve across the document.
//!
//! The output depends only on `operations`: the same count always gives the same text.

use std::fmt::Write as _;

/// A deterministic OpenAPI 3.0.3 spec (YAML) with `operations` operations and one model per
/// operation (plus shared ones). See the module documentation for its shape.
pub fn synthetic_spec(operations: usize) -> String {
    // About 3.3 KB of YAML per operation.
    let mut s = String::with_capacity(2_000 + operations * 3_400);
    s.push_str(HEADER);
    let _ = writeln!(
        s,
        "  description: A synthetic API with {operations} operations, for benchmarks.\n\
         \x20 version: 1.0.0\n\
         \x20 x-crate-name: synthetic-api\n\
         \x20 x-crate-version: 0.1.0\n\
         servers:\n\
         \x20 - url: https://api.example.com\n\
         paths:"
    );
    if operations == 0 {
        // `paths` must be a mapping.
        s.truncate(s.len() - 1);
        s.push_str(" {}\n");
    }
    for i in 0..operations {
        operation(&mut s, i);
    }
    s.push_str("components:\n  schemas:\n");
    s.push_str(COMMON);
    for i in 0..operations {
        model(&mut s, i);
    }
    s
}

const HEADER: &str = "\
openapi: 3.0.3
info:
  title: Synthetic API
";

/// The models every spec has, whatever the number of operations.
const COMMON: &str = "    Common:
      type: object
      description: Metadata shared by many resources.
      required:
        - etag
      properties:
        etag:
          type: string
          minLength: 1
        revision:
          type: integer
          format: int64
          minimum: 0
        updatedAt:
          type: string
          format: date-time
    Priority:
      type: string
      description: How urgent a resource is.
      enum:
        - low
        - normal
        - high
";

/// Writes operation `i` under `paths`: its head, then the parameters every operation shares,
/// then its body and responses, which name its model.
fn operation(s: &mut String, i: usize) {
    operation_head(s, i);
    s.push_str(PARAMETERS);
    body_and_responses(s, i);
}

/// The path, `operationId`, summary and description of operation `i`.
fn operation_head(s: &mut String, i: usize) {
    let _ = write!(
        s,
        "  /projects/{{projectId}}/resources{i}/{{itemId}}:
    put:
      operationId: Resources_UpdateResource{i}
      summary: Updates resource {i}.
      description: >-
        Replaces resource {i} of the project with the body; the service answers 200 when
        it existed, 201 when it was created, 204 when nothing changed.
"
    );
}

/// The parameters of every operation: path, query of several types, `api-version`, a header.
const PARAMETERS: &str = "      parameters:
        - name: projectId
          in: path
          required: true
          description: Project name or id.
          schema:
            type: string
            minLength: 1
        - name: itemId
          in: path
          required: true
          schema:
            type: string
            format: uuid
        - name: top
          in: query
          description: How many items to return at most.
          schema:
            type: integer
            format: int32
            minimum: 1
            maximum: 1000
        - name: includeDeleted
          in: query
          schema:
            type: boolean
        - name: since
          in: query
          schema:
            type: string
            format: date-time
        - name: fields
          in: query
          schema:
            type: array
            items:
              type: string
        - name: mode
          in: query
          schema:
            type: string
            enum:
              - full
              - partial
        - name: api-version
          in: query
          required: true
          schema:
            type: string
            enum:
              - '7.1'
        - name: X-Request-Id
          in: header
          schema:
            type: string
            format: uuid
";

/// The required JSON body and the responses 200, 201, 204 and 400 of operation `i`, all
/// naming its model `Resource{i}`.
fn body_and_responses(s: &mut String, i: usize) {
    let _ = write!(
        s,
        "      requestBody:
        required: true
        description: The new state of the resource.
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Resource{i}'
      responses:
        '200':
          description: The resource was updated.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Resource{i}'
        '201':
          description: The resource was created.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Resource{i}'
        '204':
          description: Nothing changed.
        '400':
          description: The body is invalid.
"
    );
}

fn model(s: &mut String, i: usize) {
    let _ = write!(
        s,
        "    Resource{i}:
      type: object
      description: Resource number {i}.
      required:
        - id
        - name
        - createdAt
      properties:
        id:
          type: string
          format: uuid
        name:
          type: string
          minLength: 1
          maxLength: 200
        createdAt:
          type: string
          format: date-time
        tags:
          type: array
          maxItems: 50
          items:
            type: string
        owners:
          type: array
          items:
            type: string
            format: uuid
        labels:
          type: object
          additionalProperties:
            type: string
        counters:
          type: object
          additionalProperties:
            type: integer
            format: int64
        state:
          type: string
          enum:
            - active
            - archived
            - deleted
        priority:
          $ref: '#/components/schemas/Priority'
        weight:
          type: number
          format: double
          minimum: 0
"
    );
    if i.is_multiple_of(3) {
        s.push_str(
            "        common:
          $ref: '#/components/schemas/Common'
",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::manifest::RuntimeDependency;

    fn runtime() -> RuntimeDependency {
        RuntimeDependency::path("../runtime")
    }

    #[test]
    fn deterministic() {
        assert_eq!(synthetic_spec(7), synthetic_spec(7));
        assert_ne!(synthetic_spec(7), synthetic_spec(8));
    }

    #[test]
    fn generates_without_errors() {
        let runtime = runtime();
        // No operations is valid OpenAPI: a crate of models (here the shared ones).
        let no_operations = crate::generate("synthetic.yaml", &synthetic_spec(0), &runtime)
            .unwrap_or_else(|d| panic!("0 operations: {d}"));
        assert_eq!(no_operations.operations, 0);
        assert!(no_operations.types >= 2, "{} types", no_operations.types);
        for n in [1, 10] {
            let spec = synthetic_spec(n);
            let generated = crate::generate("synthetic.yaml", &spec, &runtime)
                .unwrap_or_else(|d| panic!("{n} operations: {d}"));
            assert_eq!(generated.operations, n);
            // Resource{i} and its state enum per operation, `mode` enum per operation,
            // response enums are not models; plus Common and Priority.
            assert!(generated.types >= 2 + 2 * n, "{} types", generated.types);
            let ops = generated
                .files
                .iter()
                .find(|f| f.path == "src/operations.rs")
                .expect("operations.rs");
            if n > 0 {
                assert!(ops.contents.contains("pub fn update_resource0<"));
                assert!(ops.contents.contains("Status201("), "a response enum");
            }
        }
    }

    #[test]
    fn models_have_every_kind_of_field() {
        let generated = crate::generate("synthetic.yaml", &synthetic_spec(3), &runtime())
            .unwrap_or_else(|d| panic!("{d}"));
        let models = &generated
            .files
            .iter()
            .find(|f| f.path == "src/models.rs")
            .expect("models.rs")
            .contents;
        for needle in [
            "uuid::Uuid",
            "chrono::DateTime",
            "Vec<String>",
            "std::collections::",
            "pub enum Resource0State",
            "pub enum Priority",
        ] {
            assert!(models.contains(needle), "models.rs lacks {needle}");
        }
    }
}
