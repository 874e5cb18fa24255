//! Where each node of a YAML document starts, by JSON pointer, so that errors found after
//! parsing (dangling `$ref`, name collisions, ...) can still name a line and column. A
//! document written in JSON is indexed by `json`, several times faster.

mod json;

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::{LineCol, join};

/// JSON pointer -> position of the node's first character.
#[derive(Debug)]
pub struct SourceMap(Index);

#[derive(Debug)]
enum Index {
    Yaml(HashMap<String, LineCol>),
    Json(json::Tree),
}

impl SourceMap {
    /// Indexes `text`. A document that does not parse yields an empty map: the syntax error
    /// itself is reported by the loader, with its own position.
    pub fn build(text: &str) -> SourceMap {
        if text.trim_start().starts_with(['{', '['])
            && let Some(tree) = json::Tree::build(text)
        {
            return SourceMap(Index::Json(tree));
        }
        SourceMap::yaml(text)
    }

    /// Indexes `text` as YAML, whatever it is written in.
    fn yaml(text: &str) -> SourceMap {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut builder, false).is_err() {
            return SourceMap(Index::Yaml(HashMap::new()));
        }
        SourceMap(Index::Yaml(builder.positions))
    }

    /// The position of `pointer` in `text` (the text the map was built from), or of its
    /// nearest ancestor that exists in the document.
    pub(crate) fn locate(&self, text: &str, pointer: &str) -> Option<LineCol> {
        let positions = match &self.0 {
            Index::Json(tree) => return tree.locate(text, pointer),
            Index::Yaml(positions) => positions,
        };
        let mut p = pointer;
        loop {
            if let Some(lc) = positions.get(p) {
                return Some(*lc);
            }
            if p.is_empty() {
                return None;
            }
            p = &p[..p.rfind('/').unwrap_or(0)];
        }
    }
}

enum Frame {
    /// A mapping: the pointer of the mapping and the key whose value comes next, if any.
    Mapping {
        pointer: String,
        key: Option<String>,
    },
    Sequence {
        pointer: String,
        next: usize,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    positions: HashMap<String, LineCol>,
}

impl Builder {
    /// The pointer of the node that starts now, advancing the parent's state.
    /// `None` when the node is a mapping key.
    fn next_pointer(&mut self, scalar: Option<&str>) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Sequence { pointer, next }) => {
                let p = join(pointer, &next.to_string());
                *next += 1;
                Some(p)
            }
            Some(Frame::Mapping { pointer, key }) => match key.take() {
                Some(k) => Some(join(pointer, &k)),
                None => {
                    // A key; complex (non-scalar) keys get an empty name.
                    *key = Some(scalar.unwrap_or_default().to_owned());
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let lc = LineCol {
            line: mark.line(),
            column: mark.col() + 1,
        };
        match ev {
            Event::Scalar(value, ..) => {
                let is_key = matches!(self.stack.last(), Some(Frame::Mapping { key: None, .. }));
                if let Some(p) = self.next_pointer(Some(&value)) {
                    self.positions.entry(p).or_insert(lc);
                } else if is_key {
                    // A block mapping's start mark can come after its first key (`- name: x`
                    // marks `x`); the mapping starts at its first key at the latest.
                    if let Some(Frame::Mapping { pointer, .. }) = self.stack.last()
                        && let Some(start) = self.positions.get_mut(pointer)
                        && (lc.line, lc.column) < (start.line, start.column)
                    {
                        *start = lc;
                    }
                    // Record the key's position for the value that follows, so a value that
                    // is a nested mapping points at its key line.
                    if let Some(Frame::Mapping {
                        pointer,
                        key: Some(k),
                    }) = self.stack.last()
                    {
                        self.positions.entry(join(pointer, k)).or_insert(lc);
                    }
                }
            }
            Event::Alias(_) => {
                if let Some(p) = self.next_pointer(None) {
                    self.positions.entry(p).or_insert(lc);
                }
            }
            Event::MappingStart(..) => {
                let pointer = self.next_pointer(None).unwrap_or_default();
                self.positions.entry(pointer.clone()).or_insert(lc);
                self.stack.push(Frame::Mapping { pointer, key: None });
            }
            Event::SequenceStart(..) => {
                let pointer = self.next_pointer(None).unwrap_or_default();
                self.positions.entry(pointer.clone()).or_insert(lc);
                self.stack.push(Frame::Sequence { pointer, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_nodes_by_pointer() {
        let text = "a:\n  b: 1\n  c:\n    - x\n    - y: 2\n\"d/e\": 3\n";
        let map = SourceMap::build(text);
        let locate = |pointer| map.locate(text, pointer);
        // Mapping entries point at their key, sequence items at the item.
        assert_eq!(locate("/a/b"), Some(LineCol { line: 2, column: 3 }));
        assert_eq!(locate("/a/c/0"), Some(LineCol { line: 4, column: 7 }));
        assert_eq!(locate("/a/c/1/y"), Some(LineCol { line: 5, column: 7 }));
        // A mapping in a sequence starts at its first key.
        assert_eq!(locate("/a/c/1"), Some(LineCol { line: 5, column: 7 }));
        assert_eq!(locate("/d~1e"), Some(LineCol { line: 6, column: 1 }));
        // A missing node falls back to its nearest ancestor.
        assert_eq!(locate("/a/c/7"), locate("/a/c"));
    }

    /// JSON text is indexed by the JSON scan, which gives every node the position the YAML
    /// index gives it, and the same fallback to an ancestor for a pointer that names
    /// nothing.
    #[test]
    fn json_positions_are_the_yaml_index_positions() {
        let vendored = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/azure-devops-specs/build/7.1/build.json");
        let build = std::fs::read_to_string(vendored).expect("build.json");
        let texts = [
            build.trim_start_matches('\u{feff}').to_owned(),
            "{\"a\": {\"b\": [1, {\"c\": \"x\"}, [true, null]], \"\": 2}, \"d/e~f\": {}}".to_owned(),
            "{\r\n  \"a\\\"b\": 1,\r\n\t\"\\u00e9t\u{e9}\": [ \"\u{fc}\", {} ],\r\n  \"n\": -1.5e3\r\n}".to_owned(),
            "{\"dup\": 1, \"dup\": 2, \"\u{e9}\u{e9}\": {\"k\": [[[]]]}}".to_owned(),
            "  [\n  {\"a\": 1},\n  \"s\"\n]\n".to_owned(),
        ];
        for text in &texts {
            let json = SourceMap::build(text);
            assert!(matches!(json.0, Index::Json(_)), "{text}");
            let yaml = SourceMap::yaml(text);
            let Index::Yaml(positions) = &yaml.0 else {
                unreachable!("the YAML index")
            };
            assert!(positions.len() > 3, "{text}");
            for (pointer, at) in positions {
                assert_eq!(json.locate(text, pointer), Some(*at), "{pointer} in {text}");
                for missing in [format!("{pointer}/nothing"), format!("{pointer}/99")] {
                    assert_eq!(
                        json.locate(text, &missing),
                        yaml.locate(text, &missing),
                        "{missing} in {text}"
                    );
                }
            }
        }
    }

    #[test]
    fn text_that_is_not_plain_json_gets_the_yaml_index() {
        for text in ["{\"a\": 1", "{\"a\": 1}}", "{a: 1}", "{\"a\":\r1}", "[1,]x"] {
            assert!(matches!(SourceMap::build(text).0, Index::Yaml(_)), "{text}");
        }
    }
}
