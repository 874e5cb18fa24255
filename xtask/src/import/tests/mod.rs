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
                out.push_str(&w.line("warning"));
                out.push('\n');
            }
            for n in &imported.notes {
                out.push_str(&n.line("note"));
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
