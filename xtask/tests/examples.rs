//! The example tests of a generated crate, run for real: a spec with one example that
//! agrees with its description and one that does not is generated into a temporary
//! directory and its `cargo test` run. The good example passes; the wrong one fails with a
//! message naming the property, which is how a maintainer finds what to mend in the spec.
//! The spec is not a workspace fixture: a failing test has no place in the workspace.

use std::path::{Path, PathBuf};
use std::process::Command;

const SPEC: &str = r##"openapi: 3.0.3
info:
  title: Wrong Examples
  version: '1.0'
  x-crate-name: wrong-examples
servers:
  - url: https://example.com
paths:
  /items:
    get:
      operationId: Items_List
      parameters:
        - name: owner
          in: query
          required: true
          schema:
            type: string
          examples:
            Good:
              value: ada
            Broken:
              value: bob
      responses:
        '200':
          description: The items.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ItemList'
              examples:
                Good:
                  value:
                    value:
                      - name: a
                Broken:
                  value:
                    value:
                      - name: a
                      - name: b
                      - id: 3
components:
  schemas:
    ItemList:
      type: object
      properties:
        value:
          type: array
          items:
            $ref: '#/components/schemas/Item'
    Item:
      type: object
      required:
        - name
      properties:
        name:
          type: string
        id:
          type: integer
"##;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

#[test]
fn a_wrong_example_fails_naming_the_property() {
    let root = root();
    let dir = tempfile::tempdir().expect("temp dir");
    let krate = dir.path().join("crate");
    // Outside the workspace: the crate depends on its runtime by an absolute path.
    let runtime = xtask::jobs::runtime_for(&root, &krate);
    let generated = xtask::generate("wrong.yaml", SPEC, &runtime).expect("generates");
    xtask::write::write(&krate, &generated.files).expect("writes");
    // The workspace's versions, so that it builds offline.
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).expect("Cargo.lock");
    // A target directory of its own: the one of the `cargo test` running this test is
    // locked while it runs. Kept between runs, so only the first builds the dependencies.
    let target = root.join("target").join("example-tests");
    let output = Command::new(env!("CARGO"))
        .args(["test", "--offline", "--test", "examples"])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !output.status.success(),
        "the wrong example must fail:\n{out}"
    );
    assert!(out.contains("test list_items_good ... ok"), "{out}");
    assert!(out.contains("test list_items_broken ... FAILED"), "{out}");
    assert!(
        out.contains("at .value[2].name: missing property"),
        "the failure must name the property:\n{out}"
    );
}
