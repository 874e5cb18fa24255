//! YAML text -> `serde_yaml::Value`: a JSON document (Microsoft's descriptions are JSON)
//! through serde_json, several times faster than the YAML parser, into the same value.

use serde_yaml::Value;

/// Parses `text` as one YAML document.
pub(crate) fn parse(text: &str) -> Result<Value, serde_yaml::Error> {
    match parse_json(text) {
        Some(value) => Ok(value),
        None => serde_yaml::from_str(text),
    }
}

/// A JSON document (Microsoft's descriptions are JSON) read by serde_json, several times
/// faster than the YAML parser, into the same `Value`: mappings keep their order and refuse
/// a key twice (`Mapping`'s own deserialization). `None` for anything else, or any doubt
/// (a syntax error, a duplicate key, a number out of range), which the YAML parser then
/// reads or reports as it always did.
fn parse_json(text: &str) -> Option<Value> {
    if !text.trim_start().starts_with('{') {
        return None;
    }
    serde_json::from_str(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("workspace root")
            .to_path_buf()
    }

    /// JSON read by serde_json is the value the YAML parser makes of it: Microsoft's
    /// vendored descriptions (a byte order mark aside) and the awkward cases; what serde_json
    /// refuses, or a key twice, is left to the YAML parser and its errors.
    #[test]
    fn json_read_as_json_equals_the_yaml_parse() {
        let data = root().join("xtask/tests/data/azure-devops-specs");
        let mut texts: Vec<String> = [
            "build/7.1/build.json",
            "tokenAdmin/7.1/tokenAdmin.json",
            "tokenAdministration/5.0/tokenAdministration.json",
        ]
        .iter()
        .map(|f| std::fs::read_to_string(data.join(f)).expect("description"))
        .map(|t| t.trim_start_matches('\u{feff}').to_owned())
        .collect();
        texts.push(
            r#" {"a": [1, -2, 3.5, 1e5, 18446744073709551615, true, null, "t\u00e9\n\/"],
                "b": {"z": {}, "y": [], "x": "1:30", "": "yes"}, "c": 0.1}"#
                .to_owned(),
        );
        for text in &texts {
            let json = parse_json(text).expect("JSON");
            let yaml: Value = serde_yaml::from_str(text).expect("parses");
            assert_eq!(json, yaml);
            assert_eq!(parse(text).expect("parses"), yaml);
        }
        for doubtful in [r#"{"a": 1, "a": 2}"#, r#"{"a": 1,}"#, "{a: 1}", "a: {}"] {
            assert_eq!(parse_json(doubtful), None, "{doubtful}");
            let yaml = serde_yaml::from_str::<Value>(doubtful).map_err(|e| e.to_string());
            assert_eq!(
                parse(doubtful).map_err(|e| e.to_string()),
                yaml,
                "{doubtful}"
            );
        }
    }
}
