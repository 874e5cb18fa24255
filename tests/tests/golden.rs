//! `generated/` must be exactly what the generator makes of `spec/` (with its dependency on
//! `runtime/`).

use std::path::{Path, PathBuf};

use xtask::write;

const SPEC: &str = "spec/token-administration.yaml";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn generate(spec_text: &str) -> xtask::Generated {
    let runtime = xtask::jobs::runtime_for(&root(), &root().join("generated"));
    xtask::generate(SPEC, spec_text, &runtime).unwrap_or_else(|d| panic!("generation failed:\n{d}"))
}

fn spec_text() -> String {
    std::fs::read_to_string(root().join(SPEC)).expect("spec is readable")
}

#[test]
fn generated_crate_matches_its_spec() {
    let generated = generate(&spec_text());
    let mismatches = write::check(&root().join("generated"), &generated.files).expect("compare");
    assert!(
        mismatches.is_empty(),
        "generated/ is out of date:\n{}",
        write::check_report(&mismatches, "cargo xtask codegen")
    );
}

#[test]
fn generation_is_deterministic() {
    let text = spec_text();
    let a = generate(&text);
    let b = generate(&text);
    assert_eq!(a.files, b.files);
}

#[test]
fn an_unregenerated_spec_edit_is_caught_with_a_diff() {
    let edited = spec_text().replace(
        "Set to false for PAT tokens and true for SSH tokens.",
        "Set to false for PAT tokens and true for SSH keys.",
    );
    assert_ne!(edited, spec_text(), "the edit must change the spec");
    let generated = generate(&edited);
    let mismatches = write::check(&root().join("generated"), &generated.files).expect("compare");
    let paths: Vec<&str> = mismatches.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, ["src/operations.rs"]);
    let report = write::check_report(&mismatches, "cargo xtask codegen");
    assert!(
        report.contains("-    /// Set to false for PAT tokens and true for SSH tokens."),
        "{report}"
    );
    assert!(
        report.contains("+    /// Set to false for PAT tokens and true for SSH keys."),
        "{report}"
    );
    assert!(report.contains("run `cargo xtask codegen`"), "{report}");
}

#[test]
fn every_generated_file_carries_the_preamble() {
    for f in generate(&spec_text()).files {
        let first = f.contents.lines().next().unwrap_or_default();
        assert!(
            first.contains(write::GENERATED_MARKER),
            "{} starts with {first:?}",
            f.path
        );
        assert!(
            first.contains(SPEC),
            "{} does not name the spec: {first:?}",
            f.path
        );
    }
}
