//! YAML text -> `serde_yaml::Value`, on every core for a large document.
//!
//! Reading the YAML was the largest serial step of a generation (a quarter of it for
//! 1,000 operations). An OpenAPI document is a mapping of a few sections, two of which
//! (`paths`, `components`) hold nearly everything, each as a block mapping of many
//! independent entries. `parse` cuts the text between top-level keys and between the
//! entries of large sections, parses the pieces on several threads, and joins them in
//! document order.
//!
//! Only plain layouts are cut: any piece that does not parse on its own, a key found twice,
//! or text the cutter does not understand (flow style at the top, directives, several
//! documents, tabs in indentation) sends the whole text through one parse, which is also
//! what reports every error. A cut that changed the meaning of the document would need a
//! construct spanning lines that start at a key's indentation with a key; YAML allows no
//! such continuation. `tests::cut_parse_equals_whole_parse` and the fuzz test compare the
//! two on many documents.

use serde_yaml::{Mapping, Value};

/// Below this size one parse is faster than starting threads.
pub(crate) const CUT_MIN_BYTES: usize = 64 * 1024;

/// Parses `text` as one YAML document.
pub(crate) fn parse(text: &str) -> Result<Value, serde_yaml::Error> {
    if let Some(value) = parse_json(text) {
        return Ok(value);
    }
    let threads = crate::parallel::threads();
    if threads > 1
        && text.len() >= CUT_MIN_BYTES
        && let Some(value) = parse_in_pieces(text, threads)
    {
        return Ok(value);
    }
    serde_yaml::from_str(text)
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

/// The cut parse, or `None` when the text must be parsed whole.
pub fn parse_in_pieces(text: &str, parts: usize) -> Option<Value> {
    let pieces = cut(text, parts)?;
    let parsed = crate::parallel::map(&pieces, pieces.len(), |p| parse_piece(&p.text))?;
    let mut out = Mapping::new();
    let mut last_key: Option<Value> = None;
    for (piece, parsed) in pieces.iter().zip(parsed) {
        for (i, (key, value)) in parsed?.into_iter().enumerate() {
            if out.contains_key(&key) {
                // Only the section the previous piece ended in may go on, with new entries.
                let continues = piece.continues && i == 0 && last_key.as_ref() == Some(&key);
                let (Some(Value::Mapping(section)), Value::Mapping(more), true) =
                    (out.get_mut(&key), value, continues)
                else {
                    return None;
                };
                for (k, v) in more {
                    if section.insert(k, v).is_some() {
                        return None;
                    }
                }
            } else {
                last_key = Some(key.clone());
                out.insert(key, value);
            }
        }
    }
    Some(Value::Mapping(out))
}

fn parse_piece(piece: &str) -> Option<Mapping> {
    match serde_yaml::from_str::<Value>(piece).ok()? {
        Value::Mapping(m) => Some(m),
        _ => None,
    }
}

/// A range of lines of the text: a whole top-level section, or some entries of one.
struct Span {
    start: usize,
    end: usize,
    /// For entries of a section, the section's key line (`paths:\n`), which the piece
    /// needs in front of them.
    header: Option<(usize, usize)>,
}

/// A piece of the text, a YAML document of its own.
struct Piece {
    text: String,
    /// It starts with more entries of the section the previous piece ended in.
    continues: bool,
}

/// Cuts `text` into at most `parts` pieces of about the same size.
fn cut(text: &str, parts: usize) -> Option<Vec<Piece>> {
    let sections = sections(text)?;
    let target = text.len() / parts + 1;
    let mut spans: Vec<Span> = Vec::new();
    for (start, end) in sections {
        if end - start > target
            && let Some(entries) = entries(text, start, end)
        {
            spans.extend(entries);
        } else {
            spans.push(Span {
                start,
                end,
                header: None,
            });
        }
    }
    // Consecutive spans go into one piece until it reaches its share of the text.
    let mut pieces: Vec<Piece> = Vec::new();
    let mut piece = Piece {
        text: String::new(),
        continues: false,
    };
    // The section header written last in `piece`, if its entries are being added.
    let mut open_header: Option<(usize, usize)> = None;
    for span in spans {
        if piece.text.len() >= target && pieces.len() + 1 < parts {
            let continues = span.header.is_some() && span.header == open_header;
            pieces.push(std::mem::replace(
                &mut piece,
                Piece {
                    text: String::new(),
                    continues,
                },
            ));
            open_header = None;
        }
        if span.header != open_header {
            if let Some((s, e)) = span.header {
                piece.text.push_str(&text[s..e]);
            }
            open_header = span.header;
        }
        piece.text.push_str(&text[span.start..span.end]);
    }
    if !piece.text.is_empty() {
        pieces.push(piece);
    }
    (pieces.len() > 1).then_some(pieces)
}

/// Byte offsets of the lines of `text`: (start, end including the newline).
fn lines(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let start = at;
        at = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        Some((start, at))
    })
}

/// Whether a line holds nothing for the parser: blank or a comment.
fn is_blank(line: &str) -> bool {
    let t = line.trim_start_matches([' ', '\t']);
    t.is_empty() || t.starts_with('#') || t == "\n" || t == "\r\n"
}

/// Whether `line` (after its indentation) starts a plain `key:` entry.
fn starts_key(line: &str) -> bool {
    let first = line.chars().next().unwrap_or(' ');
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) || first.is_whitespace() {
        return false;
    }
    line.contains(": ") || line.trim_end().ends_with(':')
}

/// The top-level sections: byte ranges, each starting at a key in column 0 and running to
/// the next one. `None` for any layout but a plain block mapping.
fn sections(text: &str) -> Option<Vec<(usize, usize)>> {
    let mut starts = Vec::new();
    for (start, end) in lines(text) {
        let line = &text[start..end];
        if line.starts_with('\t') {
            return None;
        }
        if is_blank(line) || line.starts_with(' ') {
            if starts.is_empty() && !is_blank(line) {
                return None;
            }
            continue;
        }
        // A sequence written at the indentation of its key belongs to that key.
        if line.starts_with("- ") || line.trim_end() == "-" {
            if starts.is_empty() {
                return None;
            }
            continue;
        }
        if !starts_key(line) {
            return None;
        }
        starts.push(start);
    }
    if starts.is_empty() {
        return None;
    }
    // Comments before the first key go with it.
    starts[0] = 0;
    let mut out: Vec<(usize, usize)> = starts.windows(2).map(|w| (w[0], w[1])).collect();
    out.push((*starts.last()?, text.len()));
    Some(out)
}

/// The entries of the section at `start..end` when it is a key alone on its line with a
/// block mapping below it: one span per entry, each with the key line as its header.
fn entries(text: &str, start: usize, end: usize) -> Option<Vec<Span>> {
    let mut lines = lines(&text[start..end]).map(|(s, e)| (start + s, start + e));
    let (h_start, h_end) = lines.next()?;
    let header = text[h_start..h_end].trim_end();
    if !header.ends_with(':') || header.contains(": ") || !text[h_start..h_end].ends_with('\n') {
        return None;
    }
    let mut indent = None;
    let mut starts = Vec::new();
    for (s, e) in lines {
        let line = &text[s..e];
        if is_blank(line) {
            continue;
        }
        let spaces = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[spaces..];
        if rest.starts_with('\t') {
            return None;
        }
        let indent = *indent.get_or_insert(spaces);
        if spaces < indent || spaces == 0 {
            return None;
        }
        if spaces == indent {
            if !starts_key(rest) {
                return None;
            }
            starts.push(s);
        }
    }
    if starts.len() < 2 {
        return None;
    }
    // Blank and comment lines before the first entry stay with it.
    starts[0] = h_end;
    let header = Some((h_start, h_end));
    let mut spans: Vec<Span> = starts
        .windows(2)
        .map(|w| Span {
            start: w[0],
            end: w[1],
            header,
        })
        .collect();
    spans.push(Span {
        start: *starts.last()?,
        end,
        header,
    });
    Some(spans)
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

    /// Where the cut parse succeeds it gives the value of the whole parse.
    #[test]
    fn cut_parse_equals_whole_parse() {
        let mut texts: Vec<String> = [
            "spec/token-administration.yaml",
            "tests/fixtures/coverage.yaml",
            "tests/fixtures/minimal.yaml",
            "tests/fixtures/neighbours.yaml",
        ]
        .iter()
        .map(|f| std::fs::read_to_string(root().join(f)).expect("spec"))
        .collect();
        texts.push(crate::synth::synthetic_spec(40));
        for text in &texts {
            let whole: Value = serde_yaml::from_str(text).expect("parses");
            for parts in [2, 3, 7] {
                let cut = parse_in_pieces(text, parts).expect("these layouts are cut");
                assert_eq!(cut, whole, "{parts} parts");
            }
        }
    }

    #[test]
    fn layouts_it_does_not_understand_are_parsed_whole() {
        for text in [
            "{a: 1, b: 2}",
            "%YAML 1.2\n---\na: 1\nb: 2\n",
            "a: 1\n---\nb: 2\n",
            "  a: 1\n  b: 2\n",
            "a: &x 1\nb: *x\n",
            // The same key twice, once in each piece: an error for the whole parse.
            "a:\n  x: 1\n  y: 2\nb: 1\na:\n  z: 3\n",
            // An entry key repeated across pieces of one cut section.
            "a:\n  x: 1\n  y: 2\n  x: 3\n  w: 4\n",
        ] {
            for parts in [2, 3] {
                let cut = parse_in_pieces(text, parts);
                let whole: Result<Value, _> = serde_yaml::from_str(text);
                match (cut, whole) {
                    (None, _) => {}
                    (Some(cut), Ok(whole)) => assert_eq!(cut, whole, "{text:?}"),
                    (Some(cut), Err(e)) => panic!("{text:?}: cut gave {cut:?}, whole {e}"),
                }
            }
        }
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

    #[test]
    fn errors_come_from_the_whole_parse() {
        let mut text = crate::synth::synthetic_spec(200);
        assert!(text.len() >= CUT_MIN_BYTES);
        text.push_str("paths:\n  /again: {}\n");
        let e = parse(&text).expect_err("duplicate key");
        let whole = serde_yaml::from_str::<Value>(&text).expect_err("duplicate key");
        assert_eq!(e.to_string(), whole.to_string());
    }
}
