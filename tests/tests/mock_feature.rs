//! The `mock` feature of a generated crate costs nothing when it is off: its module is not
//! compiled at all (not even read), and it turns on no dependency or feature of one.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// `cargo` with `args` in `dir`, in the target directory of the tests that build generated
/// crates (not this test's own, which is locked while it runs).
fn cargo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .args(args)
        .arg("--offline")
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            root().join("target").join("example-tests"),
        )
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

#[test]
fn the_mock_feature_off_compiles_nothing_of_it_and_adds_no_dependency() {
    let root = root();
    let dir = tempfile::tempdir().expect("temp dir");
    let krate = dir.path().join("token-administration");
    let runtime = xtask::jobs::runtime_for(&root, &krate);
    let spec = std::fs::read_to_string(root.join("spec/token-administration.yaml")).unwrap();
    let generated = xtask::generate("spec/token-administration.yaml", &spec, &runtime)
        .unwrap_or_else(|d| panic!("{d}"));
    xtask::write::write(&krate, &generated.files).expect("writes");
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).expect("Cargo.lock");
    // Were the module read without the feature, this would fail the build.
    std::fs::write(
        krate.join("src/mock.rs"),
        "compile_error!(\"the mock module was compiled\");\n",
    )
    .unwrap();

    let off = cargo(&krate, &["check", "--lib"]);
    assert!(
        off.status.success(),
        "without the feature the module must not be compiled:\n{}",
        String::from_utf8_lossy(&off.stderr)
    );
    let on = cargo(&krate, &["check", "--lib", "--features", "mock"]);
    assert!(!on.status.success(), "the feature must compile the module");
    assert!(String::from_utf8_lossy(&on.stderr).contains("the mock module was compiled"));

    let tree = |features: &[&str]| {
        let mut args = vec!["tree", "-e", "features", "--prefix", "none"];
        args.extend_from_slice(features);
        let out = cargo(&krate, &args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.trim_end_matches(" (*)").to_owned())
            .filter(|l| !l.contains("(command-line)"))
            .collect();
        lines.sort();
        lines.dedup();
        lines
    };
    let off = tree(&[]);
    let on = tree(&["--features", "mock"]);
    let packages = |lines: &[String]| -> Vec<String> {
        lines
            .iter()
            .filter(|l| !l.contains(" feature "))
            .cloned()
            .collect()
    };
    assert_eq!(
        packages(&off),
        packages(&on),
        "the mock brings no crate of its own"
    );
    assert!(
        !off.iter()
            .any(|l| l.contains("azure-devops-runtime feature \"mock\"")),
        "{off:#?}"
    );
    assert!(
        !off.iter().any(|l| l == "hyper feature \"server\""),
        "{off:#?}"
    );
    assert!(
        on.iter().any(|l| l == "hyper feature \"server\""),
        "{on:#?}"
    );
}
