//! `cargo xtask import` through the real binary, on Microsoft's published descriptions
//! vendored under `xtask/tests/data/azure-devops-specs/` (MIT, see the LICENSE there):
//! the warnings of each repair with their line:column in the file as written, a
//! deterministic output that `codegen` accepts, imports of a part, examples carried over,
//! and refusals that write nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml::Value;

/// The vendored descriptions, as the binary names them (relative to the workspace).
const DATA: &str = "xtask/tests/data/azure-devops-specs";
const TOKEN_ADMINISTRATION: &str = "tokenAdministration/5.0/tokenAdministration.json";
const TOKEN_ADMIN: &str = "tokenAdmin/7.1/tokenAdmin.json";
const BUILD_TAGS: &str = "build/7.1/build-definition-tags.json";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn xtask(args: &[&str]) -> Outcome {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("run xtask");
    Outcome {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Imports the vendored `description` into `out` with `more` arguments; asserts success.
fn import(description: &str, out: &Path, more: &[&str]) -> Outcome {
    let file = format!("{DATA}/{description}");
    let out_arg = out.to_str().expect("UTF-8 path");
    let mut args = vec!["import", file.as_str(), "--out", out_arg];
    args.extend(more);
    let run = xtask(&args);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    run
}

/// The warnings, but those that fix `api-version` (one per operation; see
/// [`api_version_warnings`]).
fn warnings(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("warning: ") && !l.contains("`api-version` has no fixed value"))
        .collect()
}

/// The warnings that give an operation's `api-version` its documented value.
fn api_version_warnings(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("warning: ") && l.contains("`api-version` has no fixed value"))
        .collect()
}

fn yaml(path: &Path) -> Value {
    serde_yaml::from_str(&std::fs::read_to_string(path).expect("read")).expect("YAML")
}

/// The names under `components/KIND`.
fn component_names(doc: &Value, kind: &str) -> Vec<String> {
    doc.get("components")
        .and_then(|c| c.get(kind))
        .and_then(Value::as_mapping)
        .map(|m| {
            m.keys()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn operation_ids(doc: &Value) -> Vec<String> {
    let mut ids = Vec::new();
    for (_, item) in doc["paths"].as_mapping().expect("paths") {
        for (_, op) in item.as_mapping().expect("path item") {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                ids.push(id.to_owned());
            }
        }
    }
    ids
}

/// `codegen` accepts the spec: it generates a crate into `dir`.
fn generates(spec: &Path, dir: &Path) {
    let run = xtask(&[
        "codegen",
        "--spec",
        spec.to_str().expect("UTF-8"),
        "--out",
        dir.to_str().expect("UTF-8"),
    ]);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert!(dir.join("src/operations.rs").is_file());
}

#[test]
fn the_published_token_administration_area_imports_with_three_warnings_and_generates() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("token-administration.yaml");
    let run = import(TOKEN_ADMINISTRATION, &out, &[]);
    // The two operations called `List`, at their `operationId` lines of the JSON (checked
    // by hand: lines 47 and 105, the key's quote in column 9), and the collection wrapper's
    // `value`, a generic `T` (line 378).
    let file = format!("{DATA}/{TOKEN_ADMINISTRATION}");
    assert_eq!(
        warnings(&run.stderr),
        [
            format!(
                "warning: {file}:47:9: at /paths/~1_apis~1tokenadministration~1tokenlistglobalidentities/post/operationId: operationId \"List\" is shared by 2 operations; renamed \"TokenListGlobalIdentities_ListIdentitiesWithGlobalAccessTokens\" (from its x-ms-vss-resource and x-ms-vss-method)"
            ),
            format!(
                "warning: {file}:105:9: at /paths/~1_apis~1tokenadministration~1tokenpersonalaccesstokens~1{{subjectDescriptor}}/post/operationId: operationId \"List\" is shared by 2 operations; renamed \"TokenPersonalAccessTokens_ListPersonalAccessTokens\" (from its x-ms-vss-resource and x-ms-vss-method)"
            ),
            format!(
                "warning: {file}:378:9: at /definitions/VssJsonCollectionWrapper/properties/value: `type: string, format: T` describes a .NET generic type parameter, whose value is any JSON, not a string: read as any JSON"
            ),
        ],
        "{}",
        run.stderr
    );
    // Each operation sends the version it is documented with, as a constant.
    let versions = api_version_warnings(&run.stderr);
    assert_eq!(versions.len(), 3, "{}", run.stderr);
    assert!(
        versions
            .iter()
            .all(|w| w
                .contains("sends \"5.0-preview.1\" (the operation's x-ms-docs-override-version)")),
        "{versions:#?}"
    );
    assert!(
        run.stdout.contains("import: 3 operations, 6 schemas"),
        "{}",
        run.stdout
    );
    // Nothing left for codegen to refuse: no note about it.
    assert!(!run.stderr.contains("note:"), "{}", run.stderr);
    let doc = yaml(&out);
    assert_eq!(
        operation_ids(&doc),
        [
            "TokenListGlobalIdentities_ListIdentitiesWithGlobalAccessTokens",
            "TokenPersonalAccessTokens_ListPersonalAccessTokens",
            "Revoke Authorizations",
        ]
    );
    // The OpenAPI order of keys, and descriptions folded where long.
    let text = std::fs::read_to_string(&out).expect("read");
    let top: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with([' ', '-']))
        .map(|l| l.split(':').next().unwrap_or_default())
        .collect();
    assert_eq!(
        top,
        [
            "openapi",
            "info",
            "servers",
            "tags",
            "security",
            "paths",
            "components",
            "externalDocs",
            "x-ms-vss-area"
        ]
    );
    assert!(text.contains("description: >-\n"), "{text}");
    // Deterministic: a second import writes the same bytes.
    let again = tmp.path().join("again.yaml");
    import(TOKEN_ADMINISTRATION, &again, &[]);
    assert_eq!(std::fs::read(&again).expect("read"), text.as_bytes());
    // And it generates.
    generates(&out, &tmp.path().join("crate"));
}

#[test]
fn an_operation_comes_alone_with_the_components_it_reaches() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("revoke.yaml");
    let run = import(
        TOKEN_ADMINISTRATION,
        &out,
        &[
            "--operation",
            "Revoke Authorizations",
            "--crate-name",
            "revoke-only",
        ],
    );
    let doc = yaml(&out);
    assert_eq!(operation_ids(&doc), ["Revoke Authorizations"]);
    // The crate is named as asked, not after the title.
    assert_eq!(doc["info"]["x-crate-name"].as_str(), Some("revoke-only"));
    assert_eq!(
        component_names(&doc, "schemas"),
        ["TokenAdministrationRevocation"]
    );
    assert_eq!(
        component_names(&doc, "parameters"),
        ["api-Version-preview.1"]
    );
    assert_eq!(
        component_names(&doc, "securitySchemes"),
        ["accessToken", "oauth2"]
    );
    let tags: Vec<&str> = doc["tags"]
        .as_sequence()
        .expect("tags")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert_eq!(tags, ["Token Revocations"]);
    assert!(
        run.stdout.contains("import: 1 operations, 1 schemas"),
        "{}",
        run.stdout
    );
    generates(&out, &tmp.path().join("crate"));
    let manifest =
        std::fs::read_to_string(tmp.path().join("crate/Cargo.toml")).expect("Cargo.toml");
    assert!(manifest.contains("name = \"revoke-only\""), "{manifest}");

    // The id as in the file names both operations it was shared by; each comes with its
    // own schemas (the page of session tokens reaches the session token).
    let lists = tmp.path().join("lists.yaml");
    import(TOKEN_ADMINISTRATION, &lists, &["--operation", "List"]);
    let doc = yaml(&lists);
    assert_eq!(operation_ids(&doc).len(), 2);
    assert_eq!(
        component_names(&doc, "schemas"),
        [
            "SessionToken",
            "TokenAdminPagedSessionTokens",
            "TokenAdminRevocation"
        ]
    );
}

#[test]
fn a_small_7_1_area_brings_its_examples() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("token-admin.yaml");
    let run = import(TOKEN_ADMIN, &out, &[]);
    // Every reference spells a directory with a capital the disk does not have.
    let repaired: Vec<&str> = warnings(&run.stderr)
        .into_iter()
        .filter(|w| w.contains("does not exist as written"))
        .collect();
    assert_eq!(repaired.len(), 3, "{}", run.stderr);
    // One example gives a path parameter only in its request URL.
    let from_url: Vec<&str> = warnings(&run.stderr)
        .into_iter()
        .filter(|w| w.contains("only in its request URL"))
        .collect();
    assert_eq!(from_url.len(), 1, "{}", run.stderr);
    assert!(
        from_url[0].contains("\"subjectDescriptor\"")
            && from_url[0].contains("\"msa.MjcwYjYwYzMtZThiMy03MGU1LWFjZDYtYzM5Zjk3ZDZmYTRh\""),
        "{}",
        from_url[0]
    );
    let file = format!("{DATA}/{TOKEN_ADMIN}");
    assert!(
        repaired[0].starts_with(&format!("warning: {file}:119:13: at /paths/~1{{organization}}~1_apis~1tokenadmin~1personalaccesstokens~1{{subjectDescriptor}}/get/x-ms-examples//$ref: example file \"./httpExamples/PersonalAccessTokens/GetPersonalAccessTokensForAUserInYourOrganization.json\" does not exist as written; \"./httpExamples/personalAccessTokens/GetPersonalAccessTokensForAUserInYourOrganization.json\"")),
        "{}",
        repaired[0]
    );
    assert!(run.stdout.contains("3 examples"), "{}", run.stdout);
    let doc = yaml(&out);
    let text = std::fs::read_to_string(&out).expect("read");
    assert!(
        !text.contains("x-ms-examples"),
        "references to files are gone"
    );
    // The request body's example, and the response's, under the file's name (the
    // published name is empty).
    let revoke = &doc["paths"]["/{organization}/_apis/tokenadmin/revocations"]["post"];
    let request = &revoke["requestBody"]["content"]["application/json"]["examples"];
    assert!(
        request["RevokeAuthorizations"]["value"].is_sequence(),
        "{request:?}"
    );
    let list = &doc["paths"]["/{organization}/_apis/tokenadmin/personalaccesstokens/{subjectDescriptor}"]
        ["get"];
    let response = &list["responses"]["200"]["content"]["application/json"]["examples"]["GetPersonalAccessTokensForAUserInYourOrganization"]
        ["value"];
    assert!(response["value"].is_sequence(), "{response:?}");
    let organization = &list["parameters"][0];
    assert_eq!(organization["name"].as_str(), Some("organization"));
    assert_eq!(
        organization["examples"]["GetPersonalAccessTokensForAUserInYourOrganization"]["value"]
            .as_str(),
        Some("fabrikam")
    );
    // The example file gives the query's text ("20"); a number parameter's example is 20.
    let page_size = doc["paths"]
        ["/{organization}/_apis/tokenadmin/personalaccesstokens/{subjectDescriptor}"]["get"]
        ["parameters"]
        .as_sequence()
        .expect("parameters")
        .iter()
        .find(|p| p["name"].as_str() == Some("pageSize"))
        .expect("pageSize");
    assert_eq!(
        page_size["examples"]["GetPersonalAccessTokensForAUserInYourOrganization"]["value"]
            .as_i64(),
        Some(20)
    );
}

#[test]
fn a_path_parameter_spelt_unlike_its_path_is_renamed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("build-tags.yaml");
    let run = import(BUILD_TAGS, &out, &[]);
    let repaired = warnings(&run.stderr);
    assert_eq!(repaired.len(), 5, "{}", run.stderr);
    let file = format!("{DATA}/{BUILD_TAGS}");
    // The POST's `definitionId` is its fourth parameter as written (the body, third, goes
    // to the request body).
    assert_eq!(
        repaired[0],
        format!(
            "warning: {file}:73:11: at /paths/~1{{organization}}~1{{project}}~1_apis~1build~1definitions~1{{DefinitionId}}~1tags/post/parameters/3: this path parameter is not in the path \"/{{organization}}/{{project}}/_apis/build/definitions/{{DefinitionId}}/tags\"; renamed \"DefinitionId\", as the path writes it (the names differ in letter case only)"
        )
    );
    generates(&out, &tmp.path().join("crate"));
    // `codegen` itself refuses the file as published (at the operation, line 31).
    let refused = xtask(&[
        "codegen",
        "--spec",
        &file,
        "--out",
        tmp.path().join("x").to_str().expect("UTF-8"),
    ]);
    assert_eq!(refused.code, Some(1));
    assert!(
        refused.stderr.contains(&format!("error: {file}:31:7: at /paths/~1{{organization}}~1{{project}}~1_apis~1build~1definitions~1{{DefinitionId}}~1tags/post: path parameter \"definitionId\" does not appear in the path")),
        "{}",
        refused.stderr
    );
}

#[test]
fn what_cannot_be_repaired_is_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let description = tmp.path().join("broken.json");
    let published =
        std::fs::read_to_string(root().join(DATA).join(TOKEN_ADMINISTRATION)).expect("read");
    // A schema type JSON Schema does not have, and that is no format either (`int32`, as
    // notification/7.1 has, is mended).
    let broken = published.replacen(
        "\"type\": \"integer\",\n          \"format\": \"int32\"",
        "\"type\": \"whole\"",
        1,
    );
    assert_ne!(broken, published);
    std::fs::write(&description, &broken).expect("write");
    let out = tmp.path().join("kept.yaml");
    std::fs::write(&out, "# a spec kept by hand\n").expect("write");
    let args = [
        "import",
        description.to_str().expect("UTF-8"),
        "--out",
        out.to_str().expect("UTF-8"),
    ];
    let run = xtask(&args);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`type` is one of array, boolean, integer, number, object, string"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(&out).expect("read"),
        "# a spec kept by hand\n"
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("read dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left");

    let missing = xtask(&["import", "--operation", "x", "--out", "y.yaml"]);
    assert_eq!(missing.code, Some(2), "{}", missing.stderr);
    let no_out = xtask(&["import", &format!("{DATA}/{TOKEN_ADMIN}")]);
    assert_eq!(no_out.code, Some(2));
    assert!(
        no_out.stderr.contains("--out SPEC.yaml is required"),
        "{}",
        no_out.stderr
    );
    let unknown = xtask(&[
        "import",
        &format!("{DATA}/{TOKEN_ADMIN}"),
        "--out",
        tmp.path().join("z.yaml").to_str().expect("UTF-8"),
        "--operation",
        "Nope",
    ]);
    assert_eq!(unknown.code, Some(1));
    assert!(
        unknown
            .stderr
            .contains("no operation has operationId \"Nope\""),
        "{}",
        unknown.stderr
    );
    assert!(!tmp.path().join("z.yaml").exists());
}

/// How many nodes `value` has below it.
fn count(value: &Value) -> usize {
    match value {
        Value::Mapping(map) => map.values().map(|v| 1 + count(v)).sum(),
        Value::Sequence(items) => items.iter().map(|v| 1 + count(v)).sum(),
        _ => 0,
    }
}

/// Replaces (or deletes, for a mapping entry) the `n`-th node of `value` in document
/// order, by `kind`; false when there are fewer nodes.
fn mutate(value: &mut Value, n: &mut usize, kind: u8) -> bool {
    let replacement = match kind {
        0 => Value::from(7),
        1 => Value::from("x"),
        2 => Value::Sequence(Vec::new()),
        _ => serde_yaml::from_str("{$ref: '#/definitions/Nope'}").expect("YAML"),
    };
    match value {
        Value::Mapping(map) => {
            let keys: Vec<Value> = map.keys().cloned().collect();
            for key in keys {
                if *n == 0 {
                    if kind == 4 {
                        map.remove(&key);
                    } else {
                        map.insert(key, replacement);
                    }
                    return true;
                }
                *n -= 1;
                if mutate(&mut map[&key], n, kind) {
                    return true;
                }
            }
            false
        }
        Value::Sequence(items) => items.iter_mut().any(|item| {
            if *n == 0 {
                *item = replacement.clone();
                return true;
            }
            *n -= 1;
            mutate(item, n, kind)
        }),
        _ => false,
    }
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config {
        cases: 64,
        failure_persistence: None,
        ..Default::default()
    })]

    /// Whatever one node of a published description turns into (deleted, a number, a
    /// string, a list, a dangling `$ref`), neither the upgrade nor import nor generation
    /// panics, and every refusal says something.
    #[test]
    fn damaged_published_descriptions_are_refused_or_read_never_a_panic(
        seed in 0usize..3,
        target in proptest::prelude::any::<usize>(),
        kind in 0u8..5,
    ) {
        let file = [TOKEN_ADMINISTRATION, TOKEN_ADMIN, BUILD_TAGS][seed];
        let text = std::fs::read_to_string(root().join(DATA).join(file)).expect("read");
        let mut doc: Value = serde_yaml::from_str(text.trim_start_matches('\u{feff}')).expect("JSON");
        let mut n = target % count(&doc);
        proptest::prop_assert!(mutate(&mut doc, &mut n, kind));
        let damaged = serde_yaml::to_string(&doc).expect("YAML");
        let base = root().join(DATA).join(file);
        let base = base.parent().expect("dir");
        let options = xtask::import::Options {
            file: "d.yaml",
            text: &damaged,
            base_dir: base,
            operations: &[],
            tags: &[],
            crate_name: None,
        };
        let imported = std::panic::catch_unwind(|| xtask::import::import(&options));
        proptest::prop_assert!(imported.is_ok(), "import panicked on:\n{}", damaged);
        if let Ok(Err(problems)) = imported {
            proptest::prop_assert!(problems.0.iter().all(|d| !d.message.is_empty()));
        }
        let runtime = xtask::emit::manifest::RuntimeDependency::path("../runtime");
        let generated = std::panic::catch_unwind(|| xtask::generate("d.yaml", &damaged, &runtime));
        proptest::prop_assert!(generated.is_ok(), "codegen panicked on:\n{}", damaged);
    }
}
