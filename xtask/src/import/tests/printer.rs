//! The YAML text: what a reader sees, and that it reads back as the document.

use std::path::Path;

use expect_test::expect;
use serde_yaml::Value;

use super::super::printer::print;

fn printed(yaml: &str) -> String {
    let value: Value = serde_yaml::from_str(yaml).expect("YAML");
    print(&value).expect("prints")
}

#[test]
fn long_text_is_folded_and_lines_are_kept() {
    expect![[r#"
        description: >-
          A long description of the operation, long enough to be folded at a space
          between two words, with  two spaces kept inside a line and a URL
          https://dev.azure.com/organization/project/_apis/a/very/long/path/that/does/not/fit/in/the/width
          after it.
        lines: |-
          First line.
            Indented line.

          Last line.
        kept: |+
          Two line breaks at the end.

        short: Short text stays on its line.
        list:
          -
            - nested
            - list
          - key: value
            other: []
          - {}
    "#]]
    .assert_eq(&printed(
        r#"
description: "A long description of the operation, long enough to be folded at a space between two words, with  two spaces kept inside a line and a URL https://dev.azure.com/organization/project/_apis/a/very/long/path/that/does/not/fit/in/the/width after it."
lines: "First line.\n  Indented line.\n\nLast line."
kept: "Two line breaks at the end.\n\n"
short: Short text stays on its line.
list:
  - [nested, list]
  - {key: value, other: []}
  - {}
"#,
    ));
}

#[test]
fn text_a_yaml_1_1_reader_would_take_for_something_else_is_quoted() {
    expect![[r#"
        operators:
          - '='
          - <>
          - 'yes'
          - 'on'
          - 'y'
          - '1:30'
          - '0755'
          - '1_000'
          - '2018-07-19T00:00:00'
          - plain text
        '<<': merge
        leading space: ' x'
        tab: "a\tb\r\nc"
        "multi\nline key": 1
    "#]]
    .assert_eq(&printed(
        r#"
operators: ['=', '<>', 'yes', 'on', 'y', '1:30', '0755', '1_000', '2018-07-19T00:00:00', plain text]
'<<': merge
leading space: ' x'
tab: "a\tb\r\nc"
"multi\nline key": 1
"#,
    ));
}

/// Text of every shape reads back as written (the printer checks it too, and fails
/// rather than print something else).
#[test]
fn every_string_reads_back() {
    let samples = [
        "",
        " ",
        "a",
        "a ",
        " a",
        "\n",
        "\n\n",
        "a\n",
        "a\n\n\n",
        "\na",
        " a\nb",
        "a\n b",
        "#not a comment",
        "- not a list",
        "key: value",
        "'quoted'",
        "\"quoted\"",
        "null",
        "~",
        "true",
        "1.5",
        ".inf",
        "a\u{85}b",
        "a\u{2028}b",
        "\u{feff}bom",
        "tab\there",
        "ünïcödé – text",
        "{not: flow}",
        "[nor, this]",
        "&anchor",
        "*alias",
        "!tag",
        "%directive",
        "@at",
        "`tick`",
        "a: b\nc: d",
    ];
    for s in samples {
        let long = format!("{} {}", "word ".repeat(30), s);
        for text in [s.to_owned(), long] {
            let mut map = serde_yaml::Mapping::new();
            map.insert(Value::from("description"), Value::from(text.as_str()));
            map.insert(Value::from(text.as_str()), Value::from(1));
            let value = Value::Mapping(map);
            let printed = print(&value).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            let back: Value = serde_yaml::from_str(&printed).expect("parses");
            assert_eq!(back, value, "{text:?} printed as\n{printed}");
        }
    }
}

/// The printer's shortcut for text it writes plain without asking serde_yaml: wherever it
/// says plain, serde_yaml writes the text plain too (every string of Microsoft's vendored
/// `build/7.1` description, and the edge cases of the rule).
#[test]
fn text_taken_as_plain_is_what_serde_yaml_writes_plain() {
    fn strings<'v>(v: &'v serde_yaml::Value, out: &mut Vec<&'v str>) {
        match v {
            serde_yaml::Value::String(s) => out.push(s),
            serde_yaml::Value::Sequence(items) => items.iter().for_each(|i| strings(i, out)),
            serde_yaml::Value::Mapping(m) => m.iter().for_each(|(k, v)| {
                strings(k, out);
                strings(v, out);
            }),
            _ => {}
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/azure-devops-specs/build/7.1/build.json");
    let text = std::fs::read_to_string(path).expect("build.json");
    let document: serde_yaml::Value =
        serde_yaml::from_str(text.trim_start_matches('\u{feff}')).expect("parses");
    let mut all = Vec::new();
    strings(&document, &mut all);
    all.extend([
        "a",
        "A b",
        "null",
        "Null",
        "True",
        "false",
        "nulls",
        "truely",
        "a.",
        "a ",
        "a  b",
        "a: b",
        "a #b",
        "a-b_c/d.e (f)",
        "x1",
        "e1",
        "inf",
        "nan",
        "yes",
        "No",
        "on",
        "y",
        "a,b",
        "a:b",
        "-a",
        ".a",
        "1a",
        "$ref",
        "/{organization}/_apis/build/builds",
        "(x)",
        "_x",
        "a,b",
        "a#b",
        "C#",
        "a: b",
        "a:",
        "a:b c",
        "a?",
        "a[0]{1}",
        "a - b",
        "a'b\"c",
        "x\\y",
        "http://x.y/z?a=b&c=d#frag",
        "ünïcödé – text",
        "a\u{a0}b",
        "a\u{2028}b",
        "a\u{feff}",
        "a\tb",
        "yes",
        "Off",
        "N",
        "$",
        "/",
        "(",
    ]);
    let mut plain = 0;
    for s in all {
        if super::super::printer::plainly_plain(s) {
            plain += 1;
            let written = serde_yaml::to_string(s).expect("writes");
            assert_eq!(written.trim_end_matches('\n'), s, "{s:?}");
            assert!(
                !super::super::printer::yaml_1_1_reads_otherwise(s),
                "{s:?} is read otherwise by YAML 1.1"
            );
        }
    }
    assert!(plain > 1000, "the shortcut takes most text: {plain}");
}

/// The read-back: the text must read as exactly the document, each entry under its key
/// and in its place.
#[test]
fn text_that_reads_back_as_anything_else_is_refused() {
    use super::super::printer::same_in_order;
    let text = "paths:\n  /a:\n    get: 1\n    put: 2\n  /b:\n    get: 3\ninfo:\n  title: t\n";
    let document: Value = serde_yaml::from_str(text).expect("YAML");
    let reads_back = |yaml: &str| {
        let back: Value = serde_yaml::from_str(yaml).expect("YAML");
        same_in_order(&back, &document)
    };
    assert!(reads_back(text));
    for (what, other) in [
        ("a value read otherwise", text.replace("put: 2", "put: '2'")),
        ("an entry missing", text.replace("  /b:\n    get: 3\n", "")),
        (
            "entries in another order",
            text.replace("get: 1\n    put: 2", "put: 2\n    get: 1"),
        ),
        (
            "an entry more",
            text.replace("title: t\n", "title: t\n  version: v\n"),
        ),
        (
            "an entry under another key",
            text.replace("  /b:\n    get: 3\n", "    get3: 3\n"),
        ),
    ] {
        assert!(!reads_back(&other), "{what}:\n{other}");
    }
}
