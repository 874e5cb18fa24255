//! Crates of several specs, through the real binary: a folder of specs (or `--spec`
//! repeated) makes one crate, a module and a cargo feature per spec, one `Client`; the
//! names come from the specs and never move; every problem of every spec is reported with
//! its file, line and column, and then nothing is written. Also the dependency on the
//! runtime that `--runtime-*` chooses.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A small spec titled `title` with one operation `{op}` and one schema; `extra` goes at the
/// end of `info`.
fn spec(title: &str, op: &str, extra: &str) -> String {
    format!(
        r##"openapi: 3.0.3
info:
  title: {title}
  version: '7.1'{extra}
servers:
  - url: https://{host}.example.com
paths:
  /{{organization}}/_apis/things:
    get:
      operationId: {op}
      parameters:
        - name: organization
          in: path
          required: true
          schema:
            type: string
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/TeamProjectReference'
components:
  schemas:
    TeamProjectReference:
      type: object
      properties:
        name:
          type: string
          pattern: '^[A-Za-z]+$'
"##,
        host = title.to_lowercase().replace(' ', "-"),
    )
}

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn xtask(args: &[&str]) -> Outcome {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .args(args)
        .output()
        .expect("run xtask");
    Outcome {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A folder `dir/name` holding the given specs.
fn folder(dir: &Path, name: &str, specs: &[(&str, String)]) -> PathBuf {
    let folder = dir.join(name);
    std::fs::create_dir_all(&folder).unwrap();
    for (file, text) in specs {
        std::fs::write(folder.join(file), text).unwrap();
    }
    folder
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn a_folder_of_specs_makes_one_crate_of_areas() {
    let tmp = tempfile::tempdir().unwrap();
    let specs = folder(
        tmp.path(),
        "devops_areas",
        &[
            ("b.yaml", spec("Build", "Builds_List", "")),
            ("a.yaml", spec("Token Admin", "Tokens_List", "")),
            ("notes.txt", "not a spec".to_owned()),
        ],
    );
    let out = tmp.path().join("out");
    let run = xtask(&[
        "--spec",
        specs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    // The crate is named after the folder; the areas after their titles, in module order.
    let manifest = read(&out, "Cargo.toml");
    assert!(manifest.contains("name = \"devops-areas\""), "{manifest}");
    assert!(manifest.contains("\n# Build (1 operations, 1 types; API version 7.1)\nbuild = [\"azure-devops-runtime/regex\"]\n"), "{manifest}");
    assert!(
        manifest.contains("\ntoken_admin = [\"azure-devops-runtime/regex\"]\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains("\ndefault = []\n"),
        "no area is on by default"
    );
    let lib = read(&out, "src/lib.rs");
    for text in [
        "#[cfg(feature = \"build\")]\npub mod build;",
        "#[cfg(feature = \"token_admin\")]\npub mod token_admin;",
        "#[cfg(feature = \"build\")]\n        build::AREA,",
        "azure_devops_runtime::__private::client_areas!();",
        "pub const DEFAULT_BASE_URL: &str = \"https://build.example.com\";",
    ] {
        assert!(lib.contains(text), "lib.rs lacks {text:?}:\n{lib}");
    }
    // Each area: its module, its own `TeamProjectReference`, its view of the client.
    let build = read(&out, "src/build/mod.rs");
    assert!(
        build.contains(
            "pub const AREA: crate::Area = crate::Area::new(\"build\", DEFAULT_BASE_URL);"
        ),
        "{build}"
    );
    assert!(build.contains("pub struct BuildClient<'a>"), "{build}");
    assert!(
        build.contains("pub fn build(&self) -> BuildClient<'_>"),
        "{build}"
    );
    let ops = read(&out, "src/token_admin/operations.rs");
    assert!(ops.contains("impl<'a> TokenAdminClient<'a> {"), "{ops}");
    assert!(
        ops.contains(
            "pub fn list_tokens(&self, organization: impl Into<String>) -> ListTokens<'a>"
        ),
        "{ops}"
    );
    assert!(ops.contains("area: &AREA,"), "{ops}");
    for area in ["build", "token_admin"] {
        let models = read(&out, &format!("src/{area}/models.rs"));
        assert!(
            models.contains("pub struct TeamProjectReference {"),
            "{area}"
        );
    }
    // Each spec's files name it; the crate's own files name the folder.
    let first = build.lines().next().unwrap_or_default();
    assert!(
        first.ends_with("devops_areas/b.yaml. Do not edit by hand."),
        "{first}"
    );
    let first = lib.lines().next().unwrap_or_default();
    assert!(
        first.ends_with("devops_areas/*. Do not edit by hand."),
        "{first}"
    );
    // A second run leaves everything as it is.
    let again = xtask(&[
        "--spec",
        specs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    assert!(again.stdout.contains("(0 written,"), "{}", again.stdout);
}

#[test]
fn specs_named_one_by_one_need_a_crate_name() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.yaml");
    let b = tmp.path().join("b.yaml");
    std::fs::write(&a, spec("Build", "Builds_List", "")).unwrap();
    std::fs::write(&b, spec("Core", "Projects_List", "")).unwrap();
    let out = tmp.path().join("out");
    let (a, b, o) = (
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        out.to_str().unwrap(),
    );
    let run = xtask(&["--spec", a, "--spec", b, "--out", o]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(run.stderr.contains("--crate-name NAME"), "{}", run.stderr);
    assert!(!out.exists());
    let run = xtask(&[
        "--spec",
        a,
        "--spec",
        b,
        "--out",
        o,
        "--crate-name",
        "two-areas",
        "--crate-version",
        "2.3.4",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let manifest = read(&out, "Cargo.toml");
    assert!(
        manifest.contains("name = \"two-areas\"\nversion = \"2.3.4\""),
        "{manifest}"
    );
    // `Core` is Rust's own crate: the module gets a suffix, by a rule that never moves.
    assert!(out.join("src/core_area/mod.rs").exists());
    assert!(read(&out, "src/lib.rs").contains("pub mod core_area;"));
    // One spec names its own crate and version.
    let run = xtask(&["--spec", a, "--out", o, "--crate-version", "1.0.0"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("--crate-version is for a crate of several specs"),
        "{}",
        run.stderr
    );
}

/// `error: FILE:LINE:COL: at POINTER: ...` for the first line of `stderr` that names `file`.
fn located<'a>(stderr: &'a str, file: &str) -> &'a str {
    stderr
        .lines()
        .find(|l| l.starts_with("error: ") && l.contains(file))
        .unwrap_or_else(|| panic!("no error names {file}:\n{stderr}"))
}

#[test]
fn every_problem_of_every_spec_is_reported_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let specs = folder(
        tmp.path(),
        "areas",
        &[
            ("a.yaml", spec("Build", "Builds_List", "")),
            // The same module as a.yaml's.
            ("b.yaml", spec("build", "Other_List", "")),
            (
                "c.yaml",
                spec("Core", "Projects_List", "\n  x-module-name: Not A Module"),
            ),
            (
                "d.yaml",
                spec("Git", "Repos_List", "\n  x-module-name: core"),
            ),
        ],
    );
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("Cargo.toml"), "# hand-made, must survive\n").unwrap();
    let run = xtask(&[
        "--spec",
        specs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(read(&out, "Cargo.toml"), "# hand-made, must survive\n");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
    // Each problem in its own file, at its line and column.
    let c = located(&run.stderr, "c.yaml");
    assert!(c.contains("c.yaml:5:3: at /info/x-module-name: \"Not A Module\" is not a usable module name: it must be snake case, as `not_a_module`"), "{c}");
    let d = located(&run.stderr, "d.yaml");
    assert!(
        d.contains("d.yaml:5:3: at /info/x-module-name: \"core\" is reserved"),
        "{d}"
    );
    // Two specs that would share a module: the second is told which file has it.
    let b = located(&run.stderr, "b.yaml");
    assert!(
        b.contains("b.yaml:3:3: at /info/title: the module `build` is also the module of"),
        "{b}"
    );
    assert!(b.contains("a.yaml"), "{b}");
}

#[test]
fn an_operation_may_not_take_the_name_of_its_area_s_view() {
    let tmp = tempfile::tempdir().unwrap();
    let specs = folder(
        tmp.path(),
        "areas",
        &[
            ("a.yaml", spec("One", "oneClient", "")),
            ("b.yaml", spec("Two", "Twos_List", "")),
        ],
    );
    let out = tmp.path().join("out");
    let run = xtask(&[
        "--spec",
        specs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    let a = located(&run.stderr, "a.yaml");
    assert!(
        a.contains("the operation `oneClient` has a type named `OneClient`"),
        "{a}"
    );
    assert!(!out.exists());
}

#[test]
fn the_runtime_dependency_is_a_path_a_version_or_a_git_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a.yaml");
    std::fs::write(&file, spec("Build", "Builds_List", "")).unwrap();
    let spec_arg = file.to_str().unwrap();
    let dependency = |extra: &[&str]| {
        let out = tmp
            .path()
            .join(format!("out-{}", extra.len() + extra.join("").len()));
        let mut args = vec!["--spec", spec_arg, "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let run = xtask(&args);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        read(&out, "Cargo.toml")
            .lines()
            .find(|l| l.starts_with("azure-devops-runtime = "))
            .expect("the runtime dependency")
            .to_owned()
    };
    // Outside the repository, by default: this repository's runtime, by its absolute path.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .canonicalize()
        .unwrap();
    let default = dependency(&[]);
    assert!(
        default.contains(&format!("path = \"{}\"", root.join("runtime").display())),
        "{default}"
    );
    assert!(
        default.contains("version = \"0."),
        "the version it was generated for: {default}"
    );
    assert!(default.ends_with(", features = [\"regex\"] }"), "{default}");
    let registry = dependency(&["--runtime-version", "0.1.7"]);
    assert_eq!(
        registry,
        "azure-devops-runtime = { version = \"0.1.7\", features = [\"regex\"] }"
    );
    let git = dependency(&["--runtime-git", "https://example.com/devops.git#v0.1.0"]);
    assert!(
        git.contains("git = \"https://example.com/devops.git\", rev = \"v0.1.0\""),
        "{git}"
    );
    let path = dependency(&["--runtime-path", "../vendor/runtime"]);
    assert!(path.contains("path = \"../vendor/runtime\""), "{path}");
    let both = xtask(&[
        "--spec",
        spec_arg,
        "--runtime-path",
        "x",
        "--runtime-version",
        "1",
    ]);
    assert_eq!(both.code, Some(2), "a usage error");
}
