//! `cargo xtask corpus DIR --no-build` on the published descriptions vendored in
//! `tests/data/azure-devops-specs/` (with Microsoft's LICENSE): each is imported and
//! generated, and the table has one row per description and the totals, its examples counted
//! as their tests check them (replayed, decoded only, skipped). (With cargo, the command also
//! compiles each crate, with `--clippy` as CI lints, and runs its example tests; that takes
//! minutes of builds, so it is measured by hand: docs/corpus.md.)

use std::path::Path;
use std::process::Command;

#[test]
fn the_vendored_descriptions_import_and_generate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("tempdir");
    let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(root.parent().expect("workspace"))
        .args([
            "corpus",
            "xtask/tests/data/azure-devops-specs",
            "--no-build",
            "--out",
        ])
        .arg(out.path())
        .output()
        .expect("run xtask");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stdout}\n{stderr}");
    // Without cargo: generated, not compiled, no example run; the examples each lists, how
    // many of them are replayed and decoded only (not run), and those skipped
    // (`decoded-only.txt` and `skipped.txt` say why).
    for row in [
        "| build/7.1/build-definition-tags.json | 5 | 1 | yes | - | - | 0 | - | - | 0 |",
        "| build/7.1/build.json | 91 | 203 | yes | - | - | 2 | 1 not run | 1 not run | 0 |",
        "| core/7.1/core.json | 19 | 50 | yes | - | - | 13 | 12 not run | 1 not run | 0 |",
        "| tokenAdmin/7.1/tokenAdmin.json | 3 | 6 | yes | - | - | 3 | 3 not run | - | 0 |",
        "| tokenAdministration/5.0/tokenAdministration.json | 3 | 6 | yes | - | - | 0 | - | - | 0 |",
    ] {
        assert!(
            stdout.lines().any(|l| l.starts_with(row)),
            "no row {row:?} in\n{stdout}"
        );
    }
    assert!(
        stdout.contains(
            "| **5 descriptions** | 121 | 266 | 5 | 0 | - | 18 | 16 not run | 2 not run | 0 (0 with a body) + 0 bodies left out |"
        ),
        "{stdout}"
    );
    // The figures of the examples with a 2xx body (none fails without a run).
    assert!(
        stdout.contains("Examples with a 2xx body: 13; checked: 13 (100.0%)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Decoded only (not replayed), by reason:\n\n- 2: no value for the required parameter \"…\""),
        "{stdout}"
    );
    let core = out.path().join("core-7_1-core_json");
    let decoded = std::fs::read_to_string(core.join("decoded-only.txt")).expect("decoded-only.txt");
    assert!(
        decoded.starts_with("`Teams_Update` example `PATCH__projects__projectId__teams`: "),
        "{decoded}"
    );
    assert_eq!(
        std::fs::read_to_string(core.join("skipped.txt")).expect("skipped.txt"),
        "none\n"
    );
    // Each description's spec and crate are kept for a look.
    let crate_dir = out.path().join("tokenAdmin-7_1-tokenAdmin_json/crate");
    assert!(crate_dir.join("src/operations.rs").is_file(), "{stderr}");
    assert!(crate_dir.join("tests/examples.rs").is_file());

    // A directory without descriptions is an error, not an empty table.
    let empty = tempfile::tempdir().expect("tempdir");
    let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("corpus")
        .arg(empty.path())
        .arg("--no-build")
        .output()
        .expect("run xtask");
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("no description"));

    // `--clippy` needs cargo.
    let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("corpus")
        .arg(empty.path())
        .args(["--no-build", "--clippy"])
        .output()
        .expect("run xtask");
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--clippy needs cargo"));
}
