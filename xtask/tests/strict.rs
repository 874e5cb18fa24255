//! Strictness of `cargo xtask codegen`, through the real binary: every invalid or
//! unsupported spec is exit code 1 with `error: FILE:LINE:COL: at /pointer: message`, and
//! nothing is written (a pre-populated output directory is left byte for byte as it was;
//! a missing one is not created).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A small valid spec; each case below edits it.
const BASE: &str = r##"openapi: 3.0.3
info:
  title: Strict
  version: '1.0'
  x-crate-name: strict-fixture
servers:
  - url: https://example.com
paths:
  /things/{id}:
    get:
      operationId: Things_Get
      parameters:
        - name: id
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
                $ref: '#/components/schemas/Thing'
components:
  schemas:
    Thing:
      type: object
      properties:
        name:
          type: string
"##;

/// `BASE` with each `(from, to)` replaced once; every `from` must occur.
fn edit(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_owned();
    for (from, to) in edits {
        assert!(text.contains(from), "edit target {from:?} not in the spec");
        text = text.replacen(from, to, 1);
    }
    text
}

/// 1-based line and column of the first occurrence of `needle` in `text`.
fn position(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in spec"));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (
        text[..at].matches('\n').count() + 1,
        text[line_start..at].chars().count() + 1,
    )
}

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn codegen(spec: &Path, out: &Path) -> Outcome {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run xtask");
    Outcome {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Every file under `dir` with its bytes, sorted.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                pending.push(p);
            } else {
                let bytes = std::fs::read(&p).expect("read file");
                files.push((p, bytes));
            }
        }
    }
    files.sort();
    files
}

/// Runs the binary on `spec` (bytes), twice: into a pre-populated directory and into a
/// missing one. Asserts exit code 1 and that nothing was written; returns stderr.
fn fails(spec: &[u8]) -> String {
    let tmp = tempfile::tempdir().expect("tempdir");
    let spec_path = tmp.path().join("spec.yaml");
    std::fs::write(&spec_path, spec).expect("write spec");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(out.join("src")).expect("mkdir");
    std::fs::write(out.join("Cargo.toml"), "# hand-made, must survive\n").expect("write");
    std::fs::write(out.join("src/lib.rs"), "// old\n").expect("write");
    let before = snapshot(&out);
    let run = codegen(&spec_path, &out);
    assert_eq!(
        run.code,
        Some(1),
        "exit code\nstdout: {}\nstderr: {}",
        run.stdout,
        run.stderr
    );
    assert_eq!(snapshot(&out), before, "the output directory was changed");
    assert!(
        run.stderr.contains("nothing was written") || run.stderr.contains("cannot read"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);

    let missing = tmp.path().join("never");
    let again = codegen(&spec_path, &missing);
    assert_eq!(again.code, Some(1));
    assert!(!missing.exists(), "an output directory was created");
    assert_eq!(
        again.stderr, run.stderr,
        "the same input gives the same report"
    );
    run.stderr
}

/// Asserts that `stderr` reports `message` at `pointer`, at the position of `needle` in
/// `spec` (or with no position when `needle` is `None`).
#[track_caller]
fn reports(stderr: &str, spec: &str, needle: Option<&str>, pointer: &str, message: &str) {
    let location = match needle {
        Some(n) => {
            let (line, col) = position(spec, n);
            format!("spec.yaml:{line}:{col}: at {pointer}: ")
        }
        None => format!("spec.yaml: at {pointer}: "),
    };
    let found = stderr
        .lines()
        .any(|l| l.starts_with("error: ") && l.contains(&location) && l.contains(message));
    assert!(found, "expected `{location}...{message}` in:\n{stderr}");
}

fn case(edits: &[(&str, &str)], needle: &str, pointer: &str, message: &str) {
    let spec = edit(edits);
    let stderr = fails(spec.as_bytes());
    reports(&stderr, &spec, Some(needle), pointer, message);
}

// ----- a valid spec ---------------------------------------------------------------------

#[test]
fn a_valid_spec_is_written_once_and_then_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join("spec.yaml");
    std::fs::write(&spec, BASE).unwrap();
    let out = tmp.path().join("out");
    let first = codegen(&spec, &out);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let written = snapshot(&out);
    let n = written.len();
    assert!(
        first.stdout.contains(&format!("{n} written, 0 unchanged")),
        "{}",
        first.stdout
    );
    assert!(
        written
            .iter()
            .any(|(p, _)| p.ends_with("src/operations.rs"))
    );
    let second = codegen(&spec, &out);
    assert_eq!(second.code, Some(0), "{}", second.stderr);
    assert!(
        second.stdout.contains(&format!("0 written, {n} unchanged")),
        "{}",
        second.stdout
    );
    assert_eq!(snapshot(&out), written, "a second run is byte-identical");
    // Into a second directory: the same bytes (determinism across runs).
    let other = tmp.path().join("other");
    assert_eq!(codegen(&spec, &other).code, Some(0));
    let strip = |files: Vec<(PathBuf, Vec<u8>)>, base: &Path| {
        files
            .into_iter()
            .map(|(p, b)| (p.strip_prefix(base).unwrap().to_path_buf(), b))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(snapshot(&other), &other), strip(written, &out));
}

/// The methods that the runtime's `__client!` and `__client_areas!` macros give the type
/// `self_ty` (`Client`, `RequestBuilder`): the `fn`s of its inherent impl blocks, and of
/// its impls of `traits`. Read from the macros' text, which is not Rust until expanded: an
/// impl's header runs from a line starting `impl` to the line that ends with `{`, and its
/// block ends at the line that closes it at the header's indentation.
fn macro_methods(self_ty: &str, traits: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let text = std::fs::read_to_string(root.join("runtime/src/macros.rs")).unwrap();
    // The type an impl header is for: the first name after `for`, or after `impl` and its
    // generics.
    let impl_type = |header: &str| -> (Option<String>, String) {
        let (of_trait, ty) = match header.split_once(" for ") {
            Some((tr, ty)) => (Some(tr.to_owned()), ty.to_owned()),
            None => (None, header.trim_start_matches("impl").to_owned()),
        };
        let mut ty = ty.trim_start();
        if ty.starts_with('<') {
            let mut depth = 0;
            let end = ty
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '<' => 1,
                        '>' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(ty.len(), |(i, _)| i + 1);
            ty = ty[end..].trim_start();
        }
        let name = ty
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        (of_trait, name)
    };
    let mut methods = Vec::new();
    let mut header: Option<(usize, String)> = None;
    let mut open: Option<usize> = None;
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if let Some(at) = open {
            if indent == at && trimmed.starts_with('}') {
                open = None;
            } else if let Some(at_fn) = trimmed.find("fn ") {
                let before = &trimmed[..at_fn];
                if before.is_empty() || before.starts_with("pub") {
                    let name: String = trimmed[at_fn + 3..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    methods.push(name);
                }
            }
            continue;
        }
        if trimmed.starts_with("impl") {
            header = Some((indent, String::new()));
        }
        if let Some((at, text)) = header.as_mut() {
            text.push_str(trimmed);
            text.push(' ');
            if trimmed.ends_with('{') {
                let (of_trait, ty) = impl_type(text);
                let wanted = ty == self_ty
                    && of_trait.is_none_or(|tr| traits.iter().any(|t| tr.contains(t)));
                if wanted {
                    open = Some(*at);
                }
                header = None;
            }
        }
    }
    methods.sort();
    methods.dedup();
    methods
}

/// Every method a generated `Client` has is reserved: an operation that took one of
/// those names would not compile (or would shadow it). The list keeps names the client
/// had once (its internals, before the runtime was a crate of its own), so that no
/// operation's method name moves.
#[test]
fn the_client_method_list_holds_the_macro_s_methods() {
    let methods = macro_methods("Client", &[]);
    assert!(methods.contains(&"builder".to_owned()), "{methods:?}");
    assert!(methods.contains(&"base_url_of".to_owned()), "{methods:?}");
    for m in &methods {
        assert!(
            xtask::names::CLIENT_METHODS.contains(&m.as_str()) || m == "base_url_of",
            "`Client::{m}` is not reserved in names::CLIENT_METHODS"
        );
    }
}

/// The same for the request builders: a setter may not take a name `RequestBuilder` has.
#[test]
fn the_builder_method_list_holds_the_macro_s_methods() {
    let methods = macro_methods("RequestBuilder", &["IntoFuture"]);
    for expected in ["send", "pages", "into_future", "new", "send_streamed"] {
        assert!(methods.contains(&expected.to_owned()), "{methods:?}");
    }
    for m in &methods {
        assert!(
            xtask::names::BUILDER_METHODS.contains(&m.as_str()),
            "`RequestBuilder::{m}` is not reserved in names::BUILDER_METHODS"
        );
    }
}

/// The same for the mock: an operation's method on the mock server, or a parameter's
/// matcher on its builder, may not take a name the runtime's `__mock!` gives those types.
#[test]
fn the_mock_method_lists_hold_the_macro_s_methods() {
    let server = macro_methods("MockServer", &[]);
    for expected in ["start", "client", "verify", "take_problems"] {
        assert!(server.contains(&expected.to_owned()), "{server:?}");
    }
    for m in &server {
        assert!(
            xtask::names::MOCK_SERVER_METHODS.contains(&m.as_str()),
            "`MockServer::{m}` is not reserved in names::MOCK_SERVER_METHODS"
        );
    }
    let builder = macro_methods("MockBuilder", &[]);
    for expected in ["new", "with", "expect", "respond_with", "respond"] {
        assert!(builder.contains(&expected.to_owned()), "{builder:?}");
    }
    for m in &builder {
        assert!(
            xtask::names::MOCK_BUILDER_METHODS.contains(&m.as_str()),
            "`MockBuilder::{m}` is not reserved in names::MOCK_BUILDER_METHODS"
        );
    }
}

// ----- invalid input --------------------------------------------------------------------

#[test]
fn yaml_syntax_error() {
    let spec = edit(&[("  title: Strict\n", "  title: [Strict\n")]);
    let stderr = fails(spec.as_bytes());
    assert!(stderr.contains("at /: invalid YAML"), "{stderr}");
    assert!(stderr.contains("spec.yaml:"), "{stderr}");
}

#[test]
fn random_bytes_and_empty_files() {
    let stderr = fails(&[0xff, 0xfe, 0x00, 0x12, 0x9c]);
    assert!(stderr.contains("cannot read the spec") || stderr.contains("invalid YAML"));
    let stderr = fails(b"");
    assert!(stderr.contains("must be a mapping"), "{stderr}");
    let stderr = fails(b"- just\n- a list\n");
    assert!(
        stderr.contains("spec.yaml:1:1: at /: the document must be a mapping"),
        "{stderr}"
    );
}

#[test]
fn wrong_type_paths() {
    case(
        &[("paths:\n  /things", "paths: 5\nx-old:\n  /things")],
        "paths: 5",
        "/paths",
        "invalid type",
    );
}

#[test]
fn wrong_type_required() {
    case(
        &[(
            "          required: true\n",
            "          required: \"yes\"\n",
        )],
        "required: \"yes\"",
        "/paths/~1things~1{id}/get/parameters/0/required",
        "invalid type: string \"yes\", expected a boolean",
    );
}

#[test]
fn dangling_ref() {
    case(
        &[("schemas/Thing'", "schemas/Nothing'")],
        "schema:\n                $ref: '#/components/schemas/Nothing'",
        "/paths/~1things~1{id}/get/responses/200/content/application~1json/schema",
        "dangling $ref: #/components/schemas/Nothing does not exist",
    );
}

#[test]
fn cyclic_ref_alias_chain() {
    case(
        &[(
            "    Thing:\n",
            "    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n    Thing:\n",
        )],
        "A:\n      $ref",
        "/components/schemas/A",
        "cyclic $ref: A refers back to itself",
    );
}

#[test]
fn cyclic_all_of() {
    case(
        &[(
            "    Thing:\n      type: object\n",
            "    Thing:\n      allOf:\n        - $ref: '#/components/schemas/Base'\n    Base:\n      allOf:\n        - $ref: '#/components/schemas/Thing'\n    Unused:\n      type: object\n",
        )],
        "Thing:\n      allOf",
        "/components/schemas/Thing",
        "cyclic $ref: `Thing` is defined in terms of itself with no object schema in between",
    );
}

#[test]
fn an_array_of_itself() {
    case(
        &[(
            "    Thing:\n",
            "    List:\n      type: array\n      items:\n        $ref: '#/components/schemas/List'\n    Thing:\n",
        )],
        "List:\n      type: array",
        "/components/schemas/List",
        "cyclic $ref: `List` is defined in terms of itself",
    );
}

#[test]
fn missing_operation_id() {
    case(
        &[("      operationId: Things_Get\n", "")],
        "get:",
        "/paths/~1things~1{id}/get",
        "missing operationId",
    );
}

#[test]
fn duplicate_operation_id() {
    case(
        &[(
            "      responses:\n",
            "      responses:\n        '204':\n          description: none\n    delete:\n      operationId: Things_Get\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n",
        )],
        "operationId: Things_Get\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n        '200'",
        "/paths/~1things~1{id}/delete/operationId",
        "duplicate operationId \"Things_Get\"",
    );
}

#[test]
fn path_parameter_missing_from_the_path() {
    case(
        &[("  /things/{id}:", "  /things/all:")],
        "get:",
        "/paths/~1things~1all/get",
        "path parameter \"id\" does not appear in the path",
    );
}

#[test]
fn infinite_and_nan_numbers() {
    // openapiv3 panics on these; the loader must report them first.
    for bad in [".nan", ".inf", "-.inf"] {
        case(
            &[(
                "            type: string\n",
                &format!("            type: number\n            minimum: {bad}\n"),
            )],
            &format!("minimum: {bad}"),
            "/paths/~1things~1{id}/get/parameters/0/schema/minimum",
            "not a finite number: .inf and .nan have no JSON form",
        );
    }
}

#[test]
fn path_template_variable_without_parameter() {
    case(
        &[("  /things/{id}:", "  /things/{id}/{sub}:")],
        "get:",
        "/paths/~1things~1{id}~1{sub}/get",
        "has {sub} but the operation declares no path parameter \"sub\"",
    );
}

#[test]
fn properties_colliding_after_case_conversion() {
    case(
        &[(
            "        name:\n          type: string\n",
            "        fooBar:\n          type: string\n        foo_bar:\n          type: string\n",
        )],
        "foo_bar:",
        "/components/schemas/Thing/properties/foo_bar",
        "properties \"fooBar\" and \"foo_bar\" both become field `foo_bar`",
    );
}

#[test]
fn type_names_colliding_after_case_conversion() {
    case(
        &[(
            "    Thing:\n",
            "    thing:\n      type: string\n    Thing:\n",
        )],
        "Thing:\n      type: object",
        "/components/schemas/Thing",
        "type name `Thing` collides with the one generated for /components/schemas/thing",
    );
}

#[test]
fn enum_values_colliding_after_case_conversion() {
    case(
        &[(
            "        name:\n          type: string\n",
            "        name:\n          type: string\n          enum:\n            - in-progress\n            - inProgress\n",
        )],
        "inProgress",
        "/components/schemas/Thing/properties/name/enum/1",
        "enum values \"in-progress\" and \"inProgress\" both become variant `InProgress`",
    );
}

#[test]
fn operation_ids_colliding_as_method_names() {
    case(
        &[(
            "      responses:\n",
            "      responses:\n        '204':\n          description: none\n    delete:\n      operationId: things_get\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n",
        )],
        "operationId: things_get",
        "/paths/~1things~1{id}/delete/operationId",
        "operationIds \"Things_Get\" and \"things_get\" both become method `get_things`",
    );
}

#[test]
fn operation_id_that_is_a_client_method() {
    case(
        &[("operationId: Things_Get", "operationId: new")],
        "operationId: new",
        "/paths/~1things~1{id}/get/operationId",
        "becomes method `new`, which `Client` already has",
    );
}

#[test]
fn one_of_any_of_not() {
    for keyword in ["oneOf", "anyOf", "not"] {
        let schema = if keyword == "not" {
            "          not:\n            type: string\n".to_owned()
        } else {
            format!(
                "          {keyword}:\n            - type: string\n            - type: integer\n"
            )
        };
        case(
            &[(
                "        name:\n          type: string\n",
                &format!("        name:\n{schema}"),
            )],
            &format!("{keyword}:"),
            &format!("/components/schemas/Thing/properties/name/{keyword}"),
            &format!("{keyword} is not supported"),
        );
    }
}

#[test]
fn cookie_parameter() {
    case(
        &[(
            "      responses:\n",
            "        - name: session\n          in: cookie\n          schema:\n            type: string\n      responses:\n",
        )],
        "name: session",
        "/paths/~1things~1{id}/get/parameters/1",
        "cookie parameters are not supported",
    );
}

#[test]
fn form_body() {
    case(
        &[(
            "      responses:\n",
            "      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema:\n              type: object\n      responses:\n",
        )],
        "content:\n          application/x-www-form",
        "/paths/~1things~1{id}/get/requestBody/content",
        "no supported content (JSON, text or bytes; forms are not supported), found application/x-www-form-urlencoded",
    );
}

#[test]
fn multipart_response() {
    case(
        &[(
            "            application/json:\n              schema:\n                $ref",
            "            multipart/mixed:\n              schema:\n                $ref",
        )],
        "content:\n            multipart/mixed",
        "/paths/~1things~1{id}/get/responses/200/content",
        "no supported content (JSON, text or bytes; forms are not supported), found multipart/mixed",
    );
}

#[test]
fn integer_enum() {
    case(
        &[(
            "        name:\n          type: string\n",
            "        level:\n          type: integer\n          enum: [1, 2]\n",
        )],
        "level:",
        "/components/schemas/Thing/properties/level",
        "integer enums are not supported",
    );
}

#[test]
fn a_pattern_the_regex_engine_cannot_run() {
    // Look-around is ECMA-262 but not in the Rust regex engine the client uses.
    case(
        &[(
            "            type: string\n",
            "            type: string\n            pattern: '^(?=a)[a-z]+$'\n",
        )],
        "pattern:",
        "/paths/~1things~1{id}/get/parameters/0/schema/pattern",
        "pattern \"^(?=a)[a-z]+$\" is not supported by the Rust regex engine",
    );
}

#[test]
fn parameter_ref_to_nowhere() {
    case(
        &[(
            "      responses:\n",
            "        - $ref: '#/components/parameters/Top'\n      responses:\n",
        )],
        "$ref: '#/components/parameters/Top'",
        "/paths/~1things~1{id}/get/parameters/1",
        "dangling $ref: #/components/parameters/Top does not exist",
    );
}

#[test]
fn openapi_3_1_and_other_versions() {
    case(
        &[("openapi: 3.0.3", "openapi: 3.1.0")],
        "openapi: 3.1.0",
        "/openapi",
        "only OpenAPI 3.0.x and Swagger 2.0 are supported, found openapi: \"3.1.0\"",
    );
    case(
        &[("openapi: 3.0.3", "swagger: '1.2'")],
        "swagger",
        "/swagger",
        "only Swagger 2.0 and OpenAPI 3.0.x are supported, found swagger: \"1.2\"",
    );
    // Swagger 2.0 is read as such: OpenAPI 3.0 keys in it are unknown.
    case(
        &[("openapi: 3.0.3", "swagger: '2.0'")],
        "servers:",
        "/servers",
        "unknown key `servers` in a Swagger 2.0 document",
    );
    case(
        &[("openapi: 3.0.3", "x-version: 1")],
        "x-version",
        "/openapi",
        "only OpenAPI 3.0.x and Swagger 2.0 are supported, found openapi: \"\"",
    );
}

/// Microsoft's published description of this area (Swagger 2.0 JSON with a byte order
/// mark, vendored with its license) is read, and its defect is reported at the line and
/// column of the JSON as written, with the pointer of the file as written.
#[test]
fn a_published_swagger_2_description_is_pointed_into_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let file =
        "xtask/tests/data/azure-devops-specs/tokenAdministration/5.0/tokenAdministration.json";
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = codegen(&root.join(file), &out);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(!out.exists(), "nothing written");
    // Line 105, column 9: the second `"operationId": "List"` (checked by hand).
    let expected = format!(
        "error: {file}:105:9: at /paths/~1_apis~1tokenadministration~1tokenpersonalaccesstokens~1{{subjectDescriptor}}/post/operationId: duplicate operationId \"List\", also used at /paths/~1_apis~1tokenadministration~1tokenlistglobalidentities/post"
    );
    assert_eq!(
        run.stderr.lines().next(),
        Some(expected.as_str()),
        "{}",
        run.stderr
    );
    let text = std::fs::read_to_string(root.join(file)).unwrap();
    let line = text.lines().nth(104).unwrap();
    assert_eq!(line.find("\"operationId\": \"List\""), Some(8));
}

#[test]
fn parameters_named_like_the_builder_s_own_members() {
    for name in ["send", "preview", "new"] {
        case(
            &[(
                "      responses:\n",
                &format!(
                    "        - name: {name}\n          in: query\n          schema:\n            type: string\n      responses:\n"
                ),
            )],
            &format!("name: {name}"),
            "/paths/~1things~1{id}/get/parameters/1",
            &format!(
                "parameter \"{name}\" becomes `{name}`, a name the request builder uses itself"
            ),
        );
    }
}

#[test]
fn parameters_colliding_after_case_conversion() {
    case(
        &[(
            "      responses:\n",
            "        - name: pageSize\n          in: query\n          schema:\n            type: integer\n        - name: page-size\n          in: query\n          schema:\n            type: integer\n      responses:\n",
        )],
        "name: page-size",
        "/paths/~1things~1{id}/get/parameters/2",
        "parameters \"pageSize\" and \"page-size\" both become `page_size`",
    );
}

#[test]
fn object_query_parameter() {
    case(
        &[(
            "      responses:\n",
            "        - name: filter\n          in: query\n          schema:\n            $ref: '#/components/schemas/Thing'\n      responses:\n",
        )],
        "schema:\n            $ref: '#/components/schemas/Thing'\n      responses",
        "/paths/~1things~1{id}/get/parameters/1/schema",
        "a query parameter must be a string, number, boolean",
    );
}

#[test]
fn a_2xx_range_and_server_variables() {
    case(
        &[("        '200':", "        2XX:")],
        "2XX:",
        "/paths/~1things~1{id}/get/responses/2XX",
        "a 2XX range response is not supported",
    );
    case(
        &[("https://example.com", "https://{org}.example.com")],
        "url: https",
        "/servers/0/url",
        "server variable `org` is not declared under `variables`",
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let spec = edit(&[
        ("schemas/Thing'", "schemas/Nothing'"),
        (
            "            type: string\n",
            "            type: string\n            pattern: '(?!x)'\n",
        ),
    ]);
    let stderr = fails(spec.as_bytes());
    assert!(stderr.contains("dangling $ref"), "{stderr}");
    assert!(
        stderr.contains("is not supported by the Rust regex engine"),
        "{stderr}"
    );
    assert!(stderr.contains("2 problem(s)"), "{stderr}");
}

/// YAML reads `1:` as a number; OpenAPI keys are strings. The key is named, not the
/// schema around it.
#[test]
fn a_key_that_is_not_a_string() {
    case(
        &[(
            "        name:\n          type: string\n",
            "        1:\n          type: string\n",
        )],
        "1:",
        "/components/schemas/Thing/properties/1",
        "the key `1` is a number in YAML, not a string: quote it ('1')",
    );
    case(
        &[("  version: '1.0'\n", "  version: '1.0'\n  true: x\n")],
        "true: x",
        "/info/true",
        "the key `true` is a boolean in YAML, not a string: quote it ('true')",
    );
}

#[test]
fn a_misspelt_key_is_an_error_not_silently_ignored() {
    case(
        &[("          required: true\n", "          requried: true\n")],
        "requried:",
        "/paths/~1things~1{id}/get/parameters/0/requried",
        "unknown key `requried` (did you mean `required`?)",
    );
}

/// openapiv3 drops an entry of `paths` that does not start with `/` without a word.
#[test]
fn a_path_without_a_leading_slash_is_an_error_not_dropped() {
    case(
        &[("  /things/{id}:\n", "  things/{id}:\n")],
        "things/{id}:",
        "/paths/things~1{id}",
        "a path must start with `/` (an extension with `x-`)",
    );
}
