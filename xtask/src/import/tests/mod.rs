//! Import in process: small descriptions in, the imported YAML with its warnings (or the
//! problems that refuse it) out, compared with `expect!` texts (`UPDATE_EXPECT=1 cargo test
//! -p xtask import::` rewrites them; review the diff). One file per concern.

mod examples;
mod mends;
mod printer;
mod select;

use std::path::Path;

use expect_test::Expect;

/// Imports `text` (examples relative to `base`), keeping `operations` and `tags`: the
/// warnings and notes, then the YAML; or the problems.
pub(super) fn imported(text: &str, base: &Path, operations: &[&str], tags: &[&str]) -> String {
    let operations: Vec<String> = operations.iter().map(|s| (*s).to_owned()).collect();
    let tags: Vec<String> = tags.iter().map(|s| (*s).to_owned()).collect();
    let options = super::Options {
        file: "t.yaml",
        text,
        base_dir: base,
        operations: &operations,
        tags: &tags,
        crate_name: None,
    };
    match super::import(&options) {
        Ok(imported) => {
            let mut out = String::new();
            for w in &imported.warnings {
                out.push_str(&w.to_string());
                out.push('\n');
            }
            for n in &imported.notes {
                out.push_str(&n.to_string());
                out.push('\n');
            }
            out.push_str("---\n");
            out.push_str(&imported.yaml);
            out
        }
        Err(problems) => format!("refused:\n{problems}\n"),
    }
}

/// [`imported`] of the whole description, with no example files.
pub(super) fn check(text: &str, expect: Expect) {
    expect.assert_eq(&imported(text, Path::new("."), &[], &[]));
}

/// What codegen will make of the imported spec is known once imported (found while it is
/// printed), its problems placed in the YAML text under the name it is saved as.
#[test]
fn codegen_problems_point_into_the_imported_text() {
    let text = r#"{
  "swagger": "2.0",
  "info": {"title": "T", "version": "1.0"},
  "host": "dev.azure.com",
  "paths": {},
  "definitions": {
    "A": {"type": "object", "properties": {
      "color": {"type": "string", "enum": ["red"], "x-ms-enum": {"name": "Color"}}}},
    "B": {"type": "object", "properties": {
      "color": {"type": "string", "enum": ["blue"], "x-ms-enum": {"name": "Color"}}}}
  }
}"#;
    let options = super::Options {
        file: "t.json",
        text,
        base_dir: Path::new("."),
        operations: &[],
        tags: &[],
        crate_name: None,
    };
    let imported = super::import(&options).expect("imports");
    let problems = imported
        .codegen_check("spec.yaml")
        .expect_err("codegen refuses");
    let [problem] = problems.0.as_slice() else {
        panic!("one problem: {problems}");
    };
    assert_eq!(problem.file, "spec.yaml");
    assert_eq!(
        problem.pointer,
        "/components/schemas/B/properties/color/x-ms-enum/name"
    );
    assert!(
        problem
            .message
            .contains("x-ms-enum `Color` is also defined"),
        "{problem:?}"
    );
    let at = problem.line_col.expect("a line and column");
    let line = imported.yaml.lines().nth(at.line - 1).unwrap_or_default();
    assert_eq!(
        line.trim_start(),
        "name: Color",
        "{at:?} in\n{}",
        imported.yaml
    );
    assert_eq!(at.column, line.len() - line.trim_start().len() + 1);
}
