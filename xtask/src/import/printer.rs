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
        Value::Mapping(root) if !root.is_empty() => mapping(&mut out, root, 0, First::OnItsLine)?,
        other => {
            scalar(&mut out, other)?;
            out.push('\n');
        }
    }
    let back: Value =
        serde_yaml::from_str(&out).map_err(|e| format!("the printed YAML does not parse: {e}"))?;
    if !same_in_order(&back, document) {
        return Err("the printed YAML does not read back as the document".to_owned());
    }
    Ok(out)
}

/// Whether `a` and `b` are the same value, the entries of their mappings in the same order
/// too (a `Mapping`'s own equality ignores order).
pub(super) fn same_in_order(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Mapping(a), Value::Mapping(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, va), (kb, vb))| ka == kb && same_in_order(va, vb))
        }
        (Value::Sequence(a), Value::Sequence(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_in_order(a, b))
        }
        _ => a == b,
    }
}

/// `indent` spaces.
fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// Where a mapping's first entry starts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum First {
    /// On a line of its own, at the mapping's indentation.
    OnItsLine,
    /// Where the line is (after a list item's `- `).
    AfterDash,
}

/// A mapping's entries at `indent`, the first where `first` says.
fn mapping(
    out: &mut String,
    map: &serde_yaml::Mapping,
    indent: usize,
    first: First,
) -> Result<(), String> {
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 || first == First::OnItsLine {
            pad(out, indent);
        }
        scalar(out, k)?;
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
            mapping(out, m, indent + 2, First::OnItsLine)
        }
        Value::Sequence(items) if !items.is_empty() => {
            out.push('\n');
            sequence(out, items, indent + 2)
        }
        Value::String(s) => {
            text(out, s, indent + 2)?;
            out.push('\n');
            Ok(())
        }
        Value::Tagged(t) => value(out, &t.value, indent),
        other => {
            out.push(' ');
            scalar(out, other)?;
            out.push('\n');
            Ok(())
        }
    }
}

/// A sequence's items at `indent`, each `- ` then the item.
fn sequence(out: &mut String, items: &[Value], indent: usize) -> Result<(), String> {
    for item in items {
        pad(out, indent);
        out.push('-');
        match item {
            Value::Mapping(m) if !m.is_empty() => {
                out.push(' ');
                mapping(out, m, indent + 2, First::AfterDash)?;
            }
            Value::Sequence(inner) if !inner.is_empty() => {
                out.push('\n');
                sequence(out, inner, indent + 2)?;
            }
            Value::String(s) => {
                text(out, s, indent + 2)?;
                out.push('\n');
            }
            other => {
                out.push(' ');
                scalar(out, other)?;
                out.push('\n');
            }
        }
    }
    Ok(())
}

/// A string after `key:` or `-`, with its leading space: a block scalar (whose lines go at
/// `indent`) for long or multi-line text, else one scalar.
fn text(out: &mut String, s: &str, indent: usize) -> Result<(), String> {
    if literal(out, s, indent) || folded(out, s, indent) {
        return Ok(());
    }
    out.push(' ');
    string(out, s)
}

/// Text of several lines as `|` (keeping each line as written); `false` (and nothing
/// written) for other text.
fn literal(out: &mut String, s: &str, indent: usize) -> bool {
    if !s.contains('\n') || !plain_text(s) {
        return false;
    }
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    // The first line sets the indentation of the block: it must not start with a space,
    // and leading blank lines would be taken as part of it.
    if body.starts_with([' ', '\n']) || body.is_empty() {
        return false;
    }
    out.push_str(match trailing {
        0 => " |-",
        1 => " |",
        _ => " |+",
    });
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            pad(out, indent);
            out.push_str(line);
        }
    }
    // `|+` keeps the line breaks after the text: write them out.
    for _ in 1..trailing {
        out.push('\n');
    }
    true
}

/// Long text of one line as `>-`, wrapped between words near [`WIDTH`] columns; `false`
/// (and nothing written) for other text.
fn folded(out: &mut String, s: &str, indent: usize) -> bool {
    // Cheap tests first: most text is short.
    if indent + s.len() <= WIDTH || s.contains('\n') {
        return false;
    }
    if s.starts_with(' ') || s.ends_with(' ') || s.contains('\t') || !plain_text(s) {
        return false;
    }
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    if indent + chars.len() <= WIDTH {
        return false;
    }
    let width = WIDTH.saturating_sub(indent).max(40);
    // A break replaces one space between two words: folding puts it back. Beside a second
    // space the next line would start with one, which folding keeps as is.
    let breaks = |i: &usize| {
        let i = *i;
        chars[i].1 == ' ' && chars[i - 1].1 != ' ' && chars[i + 1].1 != ' '
    };
    // Char index where each line starts; the text from the last one is the last line.
    let mut starts = vec![0];
    let mut rest = 0;
    while chars.len() - rest > width {
        let limit = width.min(chars.len() - rest - 2);
        // The last break that keeps the line within the width, else (a word longer than
        // the width, such as a URL) the first one after it.
        let Some(at) = (rest + 1..rest + limit + 1)
            .rev()
            .find(breaks)
            .or_else(|| (rest + limit + 1..chars.len() - 1).find(breaks))
        else {
            break;
        };
        starts.push(at + 1);
        rest = at + 1;
    }
    if starts.len() < 2 {
        return false;
    }
    out.push_str(" >-");
    let byte = |i: usize| chars.get(i).map_or(s.len(), |c| c.0);
    for (n, &start) in starts.iter().enumerate() {
        // A line runs to the space before the next line's start.
        let end = starts.get(n + 1).map_or(s.len(), |&next| byte(next - 1));
        out.push('\n');
        pad(out, indent);
        out.push_str(&s[byte(start)..end]);
    }
    true
}

/// Whether text can go in a block scalar: no control characters (but tabs and line
/// feeds), nor the characters YAML may take for line breaks, nor a byte order mark.
fn plain_text(s: &str) -> bool {
    !s.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
    })
}

/// A scalar (or an empty collection) as serde_yaml writes it, on one line where it can.
fn scalar(out: &mut String, v: &Value) -> Result<(), String> {
    match v {
        Value::Mapping(m) if m.is_empty() => out.push_str("{}"),
        Value::Sequence(s) if s.is_empty() => out.push_str("[]"),
        Value::Mapping(_) | Value::Sequence(_) | Value::Tagged(_) => {
            return Err("a collection where a scalar was expected".to_owned());
        }
        Value::String(s) => string(out, s)?,
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Null => out.push_str("null"),
        Value::Number(n) if n.is_i64() || n.is_u64() => {
            use std::fmt::Write as _;
            let _ = write!(out, "{n}");
        }
        _ => {
            let text = serde_yaml::to_string(v).map_err(|e| e.to_string())?;
            out.push_str(text.trim_end_matches('\n'));
        }
    }
    Ok(())
}

/// Text on one line: plain where serde_yaml writes it plain (and a YAML 1.1 reader reads
/// it as text), else quoted.
fn string(out: &mut String, s: &str) -> Result<(), String> {
    if s.contains('\n') || !plain_text(s) {
        double_quoted(out, s);
        return Ok(());
    }
    // Most text (names, descriptions) is plain for certain; serde_yaml's emitter costs
    // more than the rest of the printing, so it only decides the others.
    if plainly_plain(s) {
        out.push_str(s);
        return Ok(());
    }
    let text = serde_yaml::to_string(s).map_err(|e| e.to_string())?;
    let text = text.trim_end_matches('\n');
    if !text.starts_with(['\'', '"']) && yaml_1_1_reads_otherwise(s) {
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push('\'');
    } else {
        out.push_str(text);
    }
    Ok(())
}

/// Whether serde_yaml writes `s` as a plain scalar, and a YAML 1.1 reader reads it as
/// text, on a rule simple enough to be sure. libyaml's emitter writes text plain unless it
/// starts with an indicator (`-?:,[]{}#&*!|>'"%@` and a backquote) or a space, ends with a
/// space or `:`, holds `: ` or ` #`, or holds a character it would escape; serde_yaml
/// quotes what would read back as another type (null, a boolean, a number: all of them
/// start with a digit, a sign, `.`, `~` or are one of a few words), and so does the printer
/// for the words and numbers of YAML 1.1 (also only such starts and words). So: text that
/// starts with a letter or one of `_/($`, holds only printable characters (no line break,
/// tab or byte order mark), and is none of those words. `false` leaves the decision to
/// serde_yaml. `tests::printer::text_taken_as_plain_is_what_serde_yaml_writes_plain`
/// holds it to serde_yaml's own choice.
pub(super) fn plainly_plain(s: &str) -> bool {
    let bytes = s.as_bytes();
    let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    (first.is_ascii_alphabetic() || matches!(first, b'_' | b'/' | b'(' | b'$'))
        && !matches!(*last, b' ' | b':')
        && !s.contains(": ")
        && !s.contains(" #")
        && s.chars().all(printable)
        && !matches!(
            s,
            "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
                // YAML 1.1's booleans.
                | "y" | "Y" | "n" | "N" | "yes" | "Yes" | "YES" | "no" | "No" | "NO"
                | "on" | "On" | "ON" | "off" | "Off" | "OFF"
        )
}

/// A character libyaml writes as itself in a plain scalar: printable ASCII, or printable
/// Unicode that no YAML reader takes for a line break or a byte order mark.
fn printable(c: char) -> bool {
    match c {
        ' '..='~' => true,
        '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => false,
        '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'.. => !c.is_control(),
        _ => false,
    }
}

/// `s` as a double-quoted scalar, on one line whatever it holds: every character YAML
/// could take for a line break, or that is not printable, escaped.
fn double_quoted(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
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
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Whether a YAML 1.1 reader (PyYAML, so the usual OpenAPI validators) takes this plain
/// text for something other than a string, where YAML 1.2 (serde_yaml) does not: `=`
/// (the "value" key), `<<` (merge), `yes`/`on`/`y`, numbers in base 60, `0b`/`0o`-less
/// octal, underscores in numbers, dates and timestamps.
pub(super) fn yaml_1_1_reads_otherwise(s: &str) -> bool {
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
