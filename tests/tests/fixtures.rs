//! Every fixture spec in `tests/fixtures/*.yaml`, and every folder of specs
//! `tests/fixtures/NAME/` (a crate of areas), has a checked-in crate next to it
//! (`tests/fixtures/NAME-crate/`, a dependency of this crate, so it is compiled, linted and
//! documented with the workspace). Each crate must be exactly what the generator makes of
//! its specs today, so the compiled fixtures always prove the current generator.
//!
//! To add a fixture: write `tests/fixtures/NAME.yaml` with `info.x-crate-name: fixture-NAME`
//! (or a folder `tests/fixtures/NAME/` of specs), run `cargo xtask codegen --fixtures`
//! (which regenerates `generated/` and every fixture crate) and add
//! `fixture-NAME = { path = "fixtures/NAME-crate" }` to `tests/Cargo.toml`.

use std::path::{Path, PathBuf};

use xtask::jobs::Job;
use xtask::write;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// The fixture crates' jobs, by name (`tests/fixtures/NAME.yaml` or `NAME/`), sorted.
fn jobs() -> Vec<(String, Job)> {
    xtask::jobs::fixture_jobs(&root())
        .expect("tests/fixtures is readable")
        .into_iter()
        .map(|job| {
            let name = job
                .out
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix("-crate"))
                .expect("NAME-crate")
                .to_owned();
            (name, job)
        })
        .collect()
}

/// The fixture names, sorted.
fn fixtures() -> Vec<String> {
    jobs().into_iter().map(|(name, _)| name).collect()
}

fn generate(name: &str) -> xtask::Generated {
    let (_, job) = jobs()
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no fixture {name}"));
    let files: Vec<(String, String)> = job
        .specs
        .iter()
        .map(|spec| {
            let file = spec
                .strip_prefix(root())
                .expect("inside the workspace")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(spec).expect("fixture is readable");
            (file, text)
        })
        .collect();
    let runtime = xtask::jobs::runtime_for(&root(), &job.out);
    xtask::jobs::generate(&job, &files, &runtime)
        .unwrap_or_else(|d| panic!("generating the fixture {name} failed:\n{d}"))
}

#[test]
fn the_fixtures_are_the_expected_ones() {
    assert_eq!(
        fixtures(),
        [
            "areas",
            "coverage",
            "deep",
            "minimal",
            "models-only",
            "neighbours"
        ]
    );
}

#[test]
fn every_fixture_crate_matches_its_specs() {
    for name in fixtures() {
        let generated = generate(&name);
        let dir = root().join(format!("tests/fixtures/{name}-crate"));
        let mismatches = write::check(&dir, &generated.files).expect("compare");
        assert!(
            mismatches.is_empty(),
            "tests/fixtures/{name}-crate is out of date:\n{}",
            write::check_report(&mismatches, "cargo xtask codegen --fixtures")
        );
    }
}

#[test]
fn every_fixture_crate_is_compiled_by_the_workspace() {
    let manifest = std::fs::read_to_string(root().join("tests/Cargo.toml")).expect("manifest");
    for name in fixtures() {
        let dep = format!("fixture-{name} = {{ path = \"fixtures/{name}-crate\"");
        assert!(
            manifest.contains(&dep),
            "tests/Cargo.toml must depend on the fixture crate: {dep}"
        );
        let cargo =
            std::fs::read_to_string(root().join(format!("tests/fixtures/{name}-crate/Cargo.toml")))
                .expect("fixture Cargo.toml");
        assert!(
            cargo.contains(&format!("name = \"fixture-{name}\"")),
            "tests/fixtures/{name}.yaml must set info.x-crate-name: fixture-{name}"
        );
    }
}

#[test]
fn fixture_generation_is_deterministic() {
    for name in fixtures() {
        assert_eq!(generate(&name).files, generate(&name).files, "{name}");
    }
}

fn generated_file(name: &str, path: &str) -> String {
    generate(name)
        .files
        .into_iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{name} generates no {path}"))
        .contents
}

/// What cannot be observed at run time is checked in the generated text.
#[test]
fn coverage_output_has_docs_and_deprecation() {
    let ops = generated_file("coverage", "src/operations.rs");
    let models = generated_file("coverage", "src/models.rs");
    let lib = generated_file("coverage", "src/lib.rs");
    // A deprecated operation is marked for the compiler, not only in its docs.
    assert!(
        ops.contains("#[deprecated = \"deprecated by the service\"]\n    pub fn delete_things<'a>"),
        "Things_Delete is not #[deprecated]"
    );
    // Descriptions become rustdoc: operation summary and description, parameter, body,
    // response, schema and property descriptions, tags' operations in the crate docs.
    for text in [
        "/// Gets one item of a thing.",
        "/// Path parameters in every position",
        "The organization, any text (it is percent-encoded).",
        "/// A `$`-prefixed integer (int32).",
        "* 202: Accepted; the job that creates them.",
        "* 404: No such item.",
        "/// Replaced; the previous version.",
    ] {
        assert!(ops.contains(text), "operations.rs lacks {text:?}");
    }
    for text in [
        "/// A thing, with a property of every type.",
        "/// The thing's id.",
        "/// Nested two levels deep.",
        "/// Default on the service: `true`.",
        "/// Deprecated by the service.",
        "/// The life-cycle state of a thing.",
    ] {
        assert!(models.contains(text), "models.rs lacks {text:?}");
    }
    assert!(lib.contains("[`Client::get_item`]: Gets one item of a thing. (`Things_Get Item`)"));
    // Date-time is a real date-time type.
    assert!(models.contains("pub created_at: Option<chrono::DateTime<chrono::Utc>>,"));
}

/// The specs of the `areas` fixture are Microsoft's vendored descriptions as `cargo xtask
/// import` makes them today (`xtask::vendored`): an import regression shows as a diff of a
/// spec, and the crate of areas compiled by the workspace proves the whole road.
#[test]
fn every_vendored_area_spec_is_what_import_makes_of_it() {
    let areas: Vec<String> = xtask::vendored::AREAS
        .iter()
        .map(|a| format!("tests/fixtures/areas/{}.yaml", a.name))
        .collect();
    let (_, job) = jobs()
        .into_iter()
        .find(|(name, _)| name == "areas")
        .expect("the areas fixture");
    let specs: Vec<String> = job
        .specs
        .iter()
        .map(|p| {
            p.strip_prefix(root())
                .expect("inside")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        areas, specs,
        "every spec of the areas fixture comes from a vendored area"
    );
    for area in xtask::vendored::AREAS {
        let imported = area
            .import(&root())
            .unwrap_or_else(|d| panic!("importing {} failed:\n{d}", area.description));
        let kept = std::fs::read_to_string(root().join(area.spec())).expect("the area spec");
        assert!(
            kept == imported.yaml,
            "{} is not what import makes of {} (fix: cargo xtask codegen --fixtures)",
            area.spec(),
            area.description
        );
    }
}
