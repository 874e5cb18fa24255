//! Property tests: thousands of mutated specs (keys deleted, nodes replaced by values of the
//! wrong type, random `$ref`s, subtrees moved, text truncated or sprinkled with random bytes)
//! go through the whole pipeline in memory. It must never panic, and it either succeeds or
//! reports problems that each name the file and carry a message. A sample of failing specs
//! also goes through the binary, which must write nothing.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_yaml::Value;
use xtask::emit::manifest::RuntimeDependency;

const SPEC_FILE: &str = "spec/mutated.yaml";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn runtime() -> &'static RuntimeDependency {
    static T: OnceLock<RuntimeDependency> = OnceLock::new();
    T.get_or_init(|| RuntimeDependency::path("../runtime"))
}

/// The real spec and the fixtures, as text.
fn seeds() -> &'static [String] {
    static S: OnceLock<Vec<String>> = OnceLock::new();
    S.get_or_init(|| {
        [
            "spec/token-administration.yaml",
            "tests/fixtures/neighbours.yaml",
            "tests/fixtures/coverage.yaml",
        ]
        .iter()
        .map(|p| std::fs::read_to_string(root().join(p)).expect("seed spec"))
        .collect()
    })
}

fn seed_values() -> &'static [Value] {
    static V: OnceLock<Vec<Value>> = OnceLock::new();
    V.get_or_init(|| {
        seeds()
            .iter()
            .map(|t| serde_yaml::from_str(t).expect("seed parses"))
            .collect()
    })
}

/// Runs the pipeline on `text`; fails the property on a panic or a malformed report.
fn check(text: &str) -> Result<bool, TestCaseError> {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        xtask::generate(SPEC_FILE, text, runtime())
    }));
    match outcome {
        Err(_) => Err(TestCaseError::fail(format!(
            "the generator panicked on:\n{text}"
        ))),
        Ok(Ok(generated)) => {
            prop_assert!(!generated.files.is_empty());
            Ok(true)
        }
        Ok(Err(diags)) => {
            prop_assert!(!diags.is_empty(), "an error with no diagnostic");
            for d in &diags.0 {
                prop_assert_eq!(&d.file, SPEC_FILE);
                prop_assert!(!d.message.is_empty());
                prop_assert!(d.pointer.is_empty() || d.pointer.starts_with('/'));
                let shown = d.to_string();
                prop_assert!(shown.starts_with("error: spec/mutated.yaml"), "{}", shown);
            }
            Ok(false)
        }
    }
}

/// One edit of a YAML tree.
#[derive(Debug, Clone)]
enum Mutation {
    Delete,
    Replace(Value),
    InjectRef(String),
    /// Copy the node found at another index over this one.
    CopyFrom(usize),
}

fn wrong_values() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        any::<f64>().prop_map(|n| Value::Number(n.into())),
        "[a-zA-Z0-9_{}/$#. -]{0,12}".prop_map(Value::String),
        Just(Value::Sequence(vec![
            Value::Null,
            Value::String("x".into())
        ])),
        Just(Value::Mapping(Default::default())),
        Just(serde_yaml::from_str("{type: object, properties: {a: {type: string}}}").unwrap()),
        Just(serde_yaml::from_str("{type: array}").unwrap()),
        Just(serde_yaml::from_str("{type: string, enum: [a, A, '', null]}").unwrap()),
        Just(serde_yaml::from_str("{allOf: [{$ref: '#/components/schemas/Thing'}]}").unwrap()),
        Just(serde_yaml::from_str("{in: path, name: x, schema: {type: string}}").unwrap()),
        // Numbers JSON cannot hold, inside a schema where openapiv3 once panicked on them.
        Just(serde_yaml::from_str("{type: number, minimum: .nan, maximum: .inf}").unwrap()),
        Just(Value::Number(f64::NEG_INFINITY.into())),
    ]
}

fn refs() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("#/components/schemas/Thing".to_owned()),
        Just("#/components/schemas/TreeNode".to_owned()),
        Just("#/components/schemas/TokenAdministrationRevocation".to_owned()),
        Just("#/components/schemas/SessionToken".to_owned()),
        Just("#/components/schemas/Missing".to_owned()),
        Just("#/components/parameters/Missing".to_owned()),
        Just("#/components/responses/Missing".to_owned()),
        Just("#/components/requestBodies/Missing".to_owned()),
        Just("#/components/schemas/".to_owned()),
        Just("#/paths".to_owned()),
        Just("#".to_owned()),
        Just(String::new()),
        Just("other.yaml#/components/schemas/Thing".to_owned()),
        "[a-zA-Z#/~0-9]{0,20}",
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => Just(Mutation::Delete),
        3 => wrong_values().prop_map(Mutation::Replace),
        2 => refs().prop_map(Mutation::InjectRef),
        1 => any::<usize>().prop_map(Mutation::CopyFrom),
    ]
}

/// Every node of `v`, as a path of keys/indices, in document order.
fn node_paths(v: &Value, at: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(at.clone());
    match v {
        Value::Mapping(m) => {
            for (k, child) in m {
                at.push(k.clone());
                node_paths(child, at, out);
                at.pop();
            }
        }
        Value::Sequence(items) => {
            for (i, child) in items.iter().enumerate() {
                at.push(Value::Number(i.into()));
                node_paths(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn get<'v>(v: &'v Value, path: &[Value]) -> Option<&'v Value> {
    path.iter().try_fold(v, |node, key| match (node, key) {
        (Value::Mapping(m), k) => m.get(k),
        (Value::Sequence(items), Value::Number(n)) => items.get(n.as_u64()? as usize),
        _ => None,
    })
}

fn get_mut<'v>(v: &'v mut Value, path: &[Value]) -> Option<&'v mut Value> {
    path.iter().try_fold(v, |node, key| match (node, key) {
        (Value::Mapping(m), k) => m.get_mut(k),
        (Value::Sequence(items), Value::Number(n)) => items.get_mut(n.as_u64()? as usize),
        _ => None,
    })
}

fn apply(doc: &mut Value, target: usize, m: &Mutation) {
    let mut paths = Vec::new();
    node_paths(doc, &mut Vec::new(), &mut paths);
    let path = paths[target % paths.len()].clone();
    match m {
        Mutation::Delete => {
            if let Some((last, parent)) = path.split_last()
                && let Some(parent) = get_mut(doc, parent)
            {
                match (parent, last) {
                    (Value::Mapping(map), k) => {
                        map.remove(k);
                    }
                    (Value::Sequence(items), Value::Number(n)) => {
                        let i = n.as_u64().unwrap_or(0) as usize;
                        if i < items.len() {
                            items.remove(i);
                        }
                    }
                    _ => {}
                }
            }
        }
        Mutation::Replace(value) => {
            if let Some(node) = get_mut(doc, &path) {
                *node = value.clone();
            }
        }
        Mutation::InjectRef(reference) => {
            if let Some(node) = get_mut(doc, &path) {
                let mut map = serde_yaml::Mapping::new();
                map.insert("$ref".into(), Value::String(reference.clone()));
                *node = Value::Mapping(map);
            }
        }
        Mutation::CopyFrom(other) => {
            let source = get(doc, &paths[other % paths.len()]).cloned();
            if let (Some(source), Some(node)) = (source, get_mut(doc, &path)) {
                *node = source;
            }
        }
    }
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config(1000))]

    /// Structural mutations: one to four edits of a parsed seed spec.
    #[test]
    fn mutated_specs_never_panic(
        seed in 0usize..3,
        edits in prop::collection::vec((any::<usize>(), mutation()), 1..5),
    ) {
        let mut doc = seed_values()[seed].clone();
        for (target, m) in &edits {
            apply(&mut doc, *target, m);
        }
        let text = serde_yaml::to_string(&doc).expect("serialize");
        check(&text)?;
    }
}

proptest! {
    #![proptest_config(config(1000))]

    /// Text mutations: truncation, random bytes spliced in, lines dropped or duplicated.
    #[test]
    fn damaged_text_never_panics(
        seed in 0usize..3,
        cut in any::<prop::sample::Index>(),
        kind in 0u8..4,
        junk in prop::collection::vec(any::<u8>(), 0..16),
    ) {
        let text = &seeds()[seed];
        let at = cut.index(text.len() + 1);
        let mut bytes = text.as_bytes().to_vec();
        match kind {
            0 => bytes.truncate(at),
            1 => {
                bytes.splice(at..at, junk.iter().copied());
            }
            2 => {
                // Drop the line around `at`.
                let start = text[..floor(text, at)].rfind('\n').map_or(0, |i| i + 1);
                let end = text[floor(text, at)..].find('\n').map_or(text.len(), |i| floor(text, at) + i + 1);
                bytes.drain(start..end);
            }
            _ => {
                // Re-indent the line around `at` by one space.
                let start = text[..floor(text, at)].rfind('\n').map_or(0, |i| i + 1);
                bytes.insert(start, b' ');
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        check(&text)?;
    }
}

/// The nearest char boundary at or below `at`.
fn floor(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[test]
fn the_seeds_themselves_generate() {
    for text in seeds() {
        assert!(check(text).expect("no panic"), "a seed spec must be valid");
    }
}

/// A sample of mutated specs that the generator rejects, through the binary: exit code 1
/// and nothing written.
#[test]
fn rejected_mutations_write_nothing() {
    let mut runner =
        TestRunner::new_with_rng(config(1), TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let strategy = (
        0usize..3,
        prop::collection::vec((any::<usize>(), mutation()), 1..4),
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut rejected = 0;
    let mut tries = 0;
    while rejected < 12 && tries < 500 {
        tries += 1;
        let (seed, edits) = strategy.new_tree(&mut runner).expect("value").current();
        let mut doc = seed_values()[seed].clone();
        for (target, m) in &edits {
            apply(&mut doc, *target, m);
        }
        let text = serde_yaml::to_string(&doc).expect("serialize");
        if xtask::generate(SPEC_FILE, &text, runtime()).is_ok() {
            continue;
        }
        rejected += 1;
        let spec = tmp.path().join(format!("spec{rejected}.yaml"));
        std::fs::write(&spec, &text).expect("write spec");
        let out = tmp.path().join(format!("out{rejected}"));
        std::fs::create_dir_all(&out).expect("mkdir");
        std::fs::write(out.join("keep.txt"), "keep").expect("write");
        let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["codegen", "--spec"])
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("run xtask");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("nothing was written"), "{stderr}");
        let entries: Vec<_> = std::fs::read_dir(&out)
            .expect("read out")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(entries, ["keep.txt"], "files were written: {stderr}");
        assert_eq!(
            std::fs::read_to_string(out.join("keep.txt")).unwrap(),
            "keep"
        );
    }
    assert_eq!(rejected, 12, "too few rejected mutations in {tries} tries");
}
