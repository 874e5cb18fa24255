//! The imported spec as YAML text for a reader: block style, two spaces of indentation
//! (list items indented under their key, as in `spec/`), long text folded into a `>-`
//! block scalar near 80 columns, text of several lines as a `|` block scalar. Scalars are
//! otherwise written by serde_yaml, which quotes what would read as something else.
//!
//! The text is read back and compared with the document: a difference (a bug here) is an
//! error rather than a spec that says something else.

use serde_yaml::Value;

/// Where folded text is wrapped.
const WIDTH: usize = 80;

/// The document as YAML text.
pub(crate) fn print(document: &Value) -> Result<String, String> {
    let mut out = String::new();
    match document {
        Value::Mapping(map) if !map.is_empty() => mapping(&mut out, map, 0, false)?,
        other => {
            out.push_str(&scalar(other)?);
            out.push('\n');
        }
    }
    // Read back on every core for a large spec (the same `Value` as one parse).
    let back: Value =
        crate::yaml::parse(&out).map_err(|e| format!("the printed YAML does not parse: {e}"))?;
    if &back != document {
        return Err("the printed YAML does not read back as the document".to_owned());
    }
    Ok(out)
}

/// A mapping's entries at `indent`; with `inline`, the first starts where the line is
/// (after `- `).
fn mapping(
    out: &mut String,
    map: &serde_yaml::Mapping,
    indent: usize,
    inline: bool,
) -> Result<(), String> {
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 || !inline {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&key(k)?);
        out.push(':');
        value(out, v, indent)?;
    }
    Ok(())
}

/// A value after `key:`, whose key is at `indent`.
fn value(out: &mut String, v: &Value, indent: usize) -> Result<(), String> {
    match v {
        Value::Mapping(m) if !m.is_empty() => {
            out.push('\n');
            mapping(out, m, indent + 2, false)
        }
        Value::Sequence(items) if !items.is_empty() => {
            out.push('\n');
            sequence(out, items, indent + 2)
        }
        Value::String(s) => {
            out.push_str(&text(s, indent + 2)?);
            out.push('\n');
            Ok(())
        }
        Value::Tagged(t) => value(out, &t.value, indent),
        other => {
            out.push(' ');
            out.push_str(&scalar(other)?);
            out.push('\n');
            Ok(())
        }
    }
}

/// A sequence's items at `indent`, each `- ` then the item.
fn sequence(out: &mut String, items: &[Value], indent: usize) -> Result<(), String> {
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match item {
            Value::Mapping(m) if !m.is_empty() => {
                out.push(' ');
                mapping(out, m, indent + 2, true)?;
            }
            Value::Sequence(inner) if !inner.is_empty() => {
                out.push('\n');
                sequence(out, inner, indent + 2)?;
            }
            Value::String(s) => {
                out.push_str(&text(s, indent + 2)?);
                out.push('\n');
            }
            other => {
                out.push(' ');
                out.push_str(&scalar(other)?);
                out.push('\n');
            }
        }
    }
    Ok(())
}

/// A string after `key:` or `-`, with its leading space: a block scalar (whose lines go at
/// `indent`) for long or multi-line text, else one scalar.
fn text(s: &str, indent: usize) -> Result<String, String> {
    if let Some(block) = literal(s, indent).or_else(|| folded(s, indent)) {
        return Ok(block);
    }
    Ok(format!(" {}", scalar(&Value::from(s))?))
}

/// Text of several lines as `|` (keeping each line as written).
fn literal(s: &str, indent: usize) -> Option<String> {
    if !s.contains('\n') || !plain_text(s) {
        return None;
    }
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    // The first line sets the indentation of the block: it must not start with a space,
    // and leading blank lines would be taken as part of it.
    if body.starts_with([' ', '\n']) || body.is_empty() {
        return None;
    }
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let pad = " ".repeat(indent);
    let mut out = format!(" |{chomp}");
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    // `|+` keeps the line breaks after the text: write them out.
    for _ in 1..trailing {
        out.push('\n');
    }
    Some(out)
}

/// Long text of one line as `>-`, wrapped between words near [`WIDTH`] columns.
fn folded(s: &str, indent: usize) -> Option<String> {
    if s.contains('\n') || indent + s.chars().count() <= WIDTH || !plain_text(s) {
        return None;
    }
    if s.starts_with(' ') || s.ends_with(' ') || s.contains('\t') {
        return None;
    }
    let width = WIDTH.saturating_sub(indent).max(40);
    let mut lines = Vec::new();
    let mut rest = s;
    while rest.chars().count() > width {
        // A break replaces one space between two words: folding puts it back. Beside a
        // second space the next line would start with one, which folding keeps as is.
        let chars: Vec<(usize, char)> = rest.char_indices().collect();
        let breaks = |i: &usize| {
            let i = *i;
            chars[i].1 == ' ' && chars[i - 1].1 != ' ' && chars[i + 1].1 != ' '
        };
        let limit = width.min(chars.len() - 2);
        // The last break that keeps the line within the width, else (a word longer than
        // the width, such as a URL) the first one after it.
        let Some(at) = (1..limit + 1)
            .rev()
            .find(breaks)
            .or_else(|| (limit + 1..chars.len() - 1).find(breaks))
        else {
            break;
        };
        let (byte, _) = chars[at];
        lines.push(&rest[..byte]);
        rest = &rest[byte + 1..];
    }
    if lines.is_empty() {
        return None;
    }
    lines.push(rest);
    let pad = " ".repeat(indent);
    let mut out = " >-".to_owned();
    for line in lines {
        out.push('\n');
        out.push_str(&pad);
        out.push_str(line);
    }
    Some(out)
}

/// Whether text can go in a block scalar: no control characters (but tabs and line
/// feeds), nor the characters YAML may take for line breaks, nor a byte order mark.
fn plain_text(s: &str) -> bool {
    !s.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
    })
}

/// A mapping key on one line.
fn key(k: &Value) -> Result<String, String> {
    scalar(k)
}

/// A scalar (or an empty collection) as serde_yaml writes it, on one line where it can.
fn scalar(v: &Value) -> Result<String, String> {
    match v {
        Value::Mapping(m) if m.is_empty() => Ok("{}".to_owned()),
        Value::Sequence(s) if s.is_empty() => Ok("[]".to_owned()),
        Value::Mapping(_) | Value::Sequence(_) | Value::Tagged(_) => {
            Err("a collection where a scalar was expected".to_owned())
        }
        Value::String(s) if s.contains('\n') || !plain_text(s) => Ok(double_quoted(s)),
        Value::String(s) => {
            // Most text (names, descriptions) is plain for certain; serde_yaml's emitter
            // costs more than the rest of the printing, so it only decides the others.
            let text = match plainly_plain(s) {
                true => s.clone(),
                false => {
                    let text = serde_yaml::to_string(v).map_err(|e| e.to_string())?;
                    text.trim_end_matches('\n').to_owned()
                }
            };
            let quoted = text.starts_with(['\'', '"']);
            if !quoted && yaml_1_1_reads_otherwise(s) {
                return Ok(format!("'{}'", s.replace('\'', "''")));
            }
            Ok(text)
        }
        _ => {
            let text = serde_yaml::to_string(v).map_err(|e| e.to_string())?;
            Ok(text.trim_end_matches('\n').to_owned())
        }
    }
}

/// Whether serde_yaml writes `s` as a plain scalar, on a rule simple enough to be sure: it
/// starts with an ASCII letter, holds only ASCII letters, digits, single spaces and
/// `_-./()`, ends with neither a space nor `.`, and is none of the words YAML 1.2 reads as
/// a boolean or null. (libyaml's emitter quotes text that starts or ends with a space,
/// holds `: ` or ` #` or starts with an indicator; serde_yaml quotes what would read back
/// as another type.) `false` leaves the decision to serde_yaml.
pub(super) fn plainly_plain(s: &str) -> bool {
    let bytes = s.as_bytes();
    let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    first.is_ascii_alphabetic()
        && !matches!(*last, b' ' | b'.')
        && !s.contains("  ")
        && bytes.iter().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b' ' | b'_' | b'-' | b'.' | b'/' | b'(' | b')')
        })
        && !matches!(
            s,
            "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
        )
}

/// `s` as a double-quoted scalar, on one line whatever it holds: every character YAML
/// could take for a line break, or that is not printable, escaped.
fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if c.is_control() || c == '\u{feff}' => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether a YAML 1.1 reader (PyYAML, so the usual OpenAPI validators) takes this plain
/// text for something other than a string, where YAML 1.2 (serde_yaml) does not: `=`
/// (the "value" key), `<<` (merge), `yes`/`on`/`y`, numbers in base 60, `0b`/`0o`-less
/// octal, underscores in numbers, dates and timestamps.
fn yaml_1_1_reads_otherwise(s: &str) -> bool {
    static PATTERN: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let pattern = PATTERN.get_or_init(|| {
        regex::Regex::new(concat!(
            r"^(?:=|<<|~|[yYnN]|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF",
            r"|[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+",
            r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?",
            r"|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?",
            r"|[-+]?[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?",
            r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?)$"
        ))
        .expect("a valid pattern")
    });
    pattern.is_match(s)
}
