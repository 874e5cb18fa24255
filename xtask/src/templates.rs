//! The hand-written parts of the generated crate: files under `templates/` with `{{name}}`
//! placeholders, copied with the placeholders filled.
//!
//! Rust templates are checked with syn (a broken template is reported with its path and
//! line:column) and may hold placeholders only in comments and in string literals, so they
//! are valid Rust as written and stay so when filled. They are copied as text, not
//! reprinted: they keep their comments and their rustfmt layout, and filling them costs no
//! parse or print per generation.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics, LineCol};

/// A template file as read from disk.
#[derive(Debug, Clone)]
pub struct Template {
    /// Path relative to the templates directory, with `/` separators; also the output path.
    pub path: String,
    pub text: String,
}

/// All templates, in a fixed order.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    /// How the directory is named in messages, e.g. `templates`.
    pub dir_display: String,
    pub files: Vec<Template>,
}

impl Templates {
    /// Reads every file under `dir` and checks the Rust templates.
    pub fn load(dir: &Path, dir_display: &str) -> Result<Templates, Diagnostics> {
        let mut files = Vec::new();
        let mut pending = vec![PathBuf::new()];
        let io_error = |path: &Path, e: std::io::Error| Diagnostic {
            file: format!("{dir_display}/{}", path.display()),
            pointer: String::new(),
            line_col: None,
            message: format!("cannot read template: {e}"),
        };
        while let Some(rel) = pending.pop() {
            let abs = dir.join(&rel);
            let entries = std::fs::read_dir(&abs).map_err(|e| io_error(&rel, e))?;
            for entry in entries {
                let entry = entry.map_err(|e| io_error(&rel, e))?;
                let rel_child = rel.join(entry.file_name());
                let kind = entry.file_type().map_err(|e| io_error(&rel_child, e))?;
                if kind.is_dir() {
                    pending.push(rel_child);
                } else {
                    let text = std::fs::read_to_string(entry.path())
                        .map_err(|e| io_error(&rel_child, e))?;
                    let path = rel_child
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/");
                    files.push(Template { path, text });
                }
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let templates = Templates {
            dir_display: dir_display.to_owned(),
            files,
        };
        // Check the Rust templates now, once: `fill` then finds them checked.
        let mut diags = Diagnostics::default();
        for t in templates.files.iter().filter(|t| is_rust(t)) {
            if let Err(d) = check_rust_cached(&templates, t) {
                diags.push(d);
            }
        }
        if diags.is_empty() {
            Ok(templates)
        } else {
            Err(diags)
        }
    }
}

/// Values for the placeholders. In a comment, a value with several lines continues on
/// lines that start like the placeholder's line (`//! `, `/// `, ...).
pub type Values = BTreeMap<&'static str, String>;

fn is_rust(t: &Template) -> bool {
    t.path.ends_with(".rs")
}

/// The text of `t` with its placeholders filled (without the generated-file preamble).
pub fn fill(templates: &Templates, t: &Template, values: &Values) -> Result<String, Diagnostic> {
    let error = |line_col: Option<LineCol>, message: String| Diagnostic {
        file: format!("{}/{}", templates.dir_display, t.path),
        pointer: String::new(),
        line_col,
        message,
    };
    if is_rust(t) {
        check_rust_cached(templates, t)?;
        fill_rust(&t.text, values).map_err(|(line, m)| error(Some(LineCol { line, column: 1 }), m))
    } else {
        let text = conditional_lines(&t.text, values).map_err(|m| error(None, m))?;
        let escape = if t.path.ends_with(".toml") {
            toml_escape
        } else {
            str::to_owned
        };
        substitute(&text, values, escape).map_err(|m| error(None, m))
    }
}

thread_local! {
    /// Rust template texts this thread has checked, with the outcome. The check is a syn
    /// parse (a few ms for `templates/`) and each parse also grows proc-macro2's per-thread
    /// source map for good; with this, generating many times (tests, benchmarks) checks
    /// each template once. Per thread because syn errors are neither `Send` nor `Sync`.
    static CHECKED: RefCell<Vec<(String, Result<(), Diagnostic>)>> = const { RefCell::new(Vec::new()) };
}

/// Most template texts remembered per thread; past that the memory starts over.
const CHECKED_MAX: usize = 64;

/// [`check_rust`], remembered by text.
fn check_rust_cached(templates: &Templates, t: &Template) -> Result<(), Diagnostic> {
    CHECKED.with_borrow_mut(|cache| {
        if let Some((_, outcome)) = cache.iter().find(|(text, _)| *text == t.text) {
            return outcome.clone().map_err(|mut d| {
                d.file = format!("{}/{}", templates.dir_display, t.path);
                d
            });
        }
        let outcome = check_rust(templates, t);
        if cache.len() >= CHECKED_MAX {
            cache.clear();
        }
        cache.push((t.text.clone(), outcome.clone()));
        outcome
    })
}

/// A Rust template must parse (conditional-line markers aside) and hold placeholders only
/// in comments and in string literals.
fn check_rust(templates: &Templates, t: &Template) -> Result<(), Diagnostic> {
    let error = |line_col: LineCol, message: String| Diagnostic {
        file: format!("{}/{}", templates.dir_display, t.path),
        pointer: String::new(),
        line_col: Some(line_col),
        message,
    };
    // Both ways a conditional line may go must parse; keeping every line is checked here,
    // which covers templates without conditions, the usual case.
    let unmarked: String = t
        .text
        .split_inclusive('\n')
        .map(
            |line| match line.strip_prefix("{{?").and_then(|r| r.split_once("}}")) {
                Some((_, rest)) => rest,
                None => line,
            },
        )
        .collect();
    for (i, line) in unmarked.lines().enumerate() {
        if let Err((column, message)) = check_placeholder_positions(line) {
            return Err(error(
                LineCol {
                    line: i + 1,
                    column,
                },
                message,
            ));
        }
    }
    if let Err(e) = syn::parse_file(&unmarked) {
        let start = e.span().start();
        return Err(error(
            LineCol {
                line: start.line,
                column: start.column + 1,
            },
            format!("template is not valid Rust: {e}"),
        ));
    }
    Ok(())
}

/// Every `{{` of a code line must sit inside a plain string literal of that line or in
/// its trailing line comment. Returns the 1-based column and the problem otherwise.
fn check_placeholder_positions(line: &str) -> Result<(), (usize, String)> {
    scan_code_line(line).map(|_| ())
}

/// Where the line comment of a code line starts (its length when it has none), checking
/// the placeholders before it as [`check_placeholder_positions`] says.
fn scan_code_line(line: &str) -> Result<usize, (usize, String)> {
    if line.trim_start().starts_with("//") {
        return Ok(line.len() - line.trim_start().len());
    }
    let mut in_string = false;
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if in_string => {
                chars.next();
            }
            '"' => {
                let prefixed = matches!(line[..i].chars().next_back(), Some('r' | '#' | 'b' | 'c'));
                if !in_string && prefixed && line[i..].contains("{{") {
                    return Err((
                        i + 1,
                        "a placeholder may not be in a raw, byte or C string literal".into(),
                    ));
                }
                in_string = !in_string;
            }
            // A char literal (`'"'`, `'\''`) is skipped whole; a lifetime is not one.
            '\'' if !in_string => {
                let rest = &line[i + 1..];
                let len = match rest.strip_prefix('\\') {
                    // After the escaped char (itself maybe a quote), up to the closing one.
                    Some(escaped) => escaped
                        .get(1..)
                        .and_then(|e| e.find('\''))
                        .map(|end| end + 3),
                    None => rest
                        .chars()
                        .next()
                        .filter(|c| rest[c.len_utf8()..].starts_with('\''))
                        .map(|c| c.len_utf8() + 1),
                };
                for _ in 0..len.map_or(0, |l| line[i + 1..i + 1 + l].chars().count()) {
                    chars.next();
                }
            }
            '/' if !in_string && line[i..].starts_with("//") => return Ok(i),
            '{' if !in_string && line[i..].starts_with("{{") => {
                return Err((
                    i + 1,
                    "a placeholder in a Rust template must be in a line comment or a string literal"
                        .into(),
                ));
            }
            _ => {}
        }
    }
    Ok(line.len())
}

/// Fills the placeholders of a checked Rust template: in a line comment, a value's later
/// lines start like the placeholder's line; in a string literal, the value is escaped.
/// Conditional lines are kept or dropped as in text templates. Errors carry the 1-based
/// line of the template.
fn fill_rust(text: &str, values: &Values) -> Result<String, (usize, String)> {
    let mut out = String::with_capacity(text.len() + 256);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let line = if line.starts_with("{{?") {
            match conditional_lines(line, values).map_err(|m| (i + 1, m))? {
                kept if kept.is_empty() => continue,
                kept => kept,
            }
        } else {
            line.to_owned()
        };
        let line = line.as_str();
        if !line.contains("{{") {
            out.push_str(line);
            continue;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            let indent = &line[..line.len() - trimmed.len()];
            let marker = if trimmed.starts_with("///") || trimmed.starts_with("//!") {
                &trimmed[..3]
            } else {
                "//"
            };
            let continuation = format!("\n{indent}{marker} ");
            let filled = substitute(line, values, |v| v.replace('\n', &continuation))
                .map_err(|m| (i + 1, m))?;
            // An empty line of a value leaves `//! `: trimmed, as rustfmt would.
            for piece in filled.split_inclusive('\n') {
                let body = piece.trim_end();
                out.push_str(body);
                if piece.ends_with('\n') {
                    out.push('\n');
                }
            }
        } else {
            // A checked template: the code holds placeholders in string literals only, and
            // a trailing comment must stay on its line.
            let split = scan_code_line(line).unwrap_or(line.len());
            let (code, comment) = line.split_at(split);
            out.push_str(&substitute(code, values, rust_string_escape).map_err(|m| (i + 1, m))?);
            out.push_str(
                &substitute(comment, values, |v| v.replace(['\r', '\n'], " "))
                    .map_err(|m| (i + 1, m))?,
            );
        }
    }
    Ok(out)
}

/// Escapes a value for the inside of a Rust string literal.
fn rust_string_escape(value: &str) -> String {
    escape_quoted(value, |c| format!("\\u{{{:x}}}", u32::from(c)))
}

/// Escapes a value for a TOML basic string.
fn toml_escape(value: &str) -> String {
    escape_quoted(value, |c| format!("\\u{:04X}", u32::from(c)))
}

/// Escapes a value for the inside of a double-quoted string, Rust's or TOML's: they escape
/// quotes, backslashes, tabs and line breaks alike and differ in how they write other
/// control characters (`control`).
fn escape_quoted(value: &str, control: fn(char) -> String) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&control(c)),
            c => out.push(c),
        }
    }
    out
}

/// Keeps a line that starts with `{{?flag}}` (without the marker) when the value of `flag`
/// is `true`, and drops it otherwise; e.g. a dependency only some specs need.
fn conditional_lines(text: &str, values: &Values) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let Some(rest) = line.strip_prefix("{{?") else {
            out.push_str(line);
            continue;
        };
        let Some((flag, line)) = rest.split_once("}}") else {
            return Err("unclosed conditional `{{?`".into());
        };
        match values.get(flag).map(String::as_str) {
            Some("true") => out.push_str(line),
            Some("false") => {}
            _ => {
                return Err(format!(
                    "unknown condition {{{{?{flag}}}}}: it must name a true/false value"
                ));
            }
        }
    }
    Ok(out)
}

/// Replaces every `{{name}}` in `text` by `escape(value)`; an unknown name or an unclosed
/// `{{` is an error.
fn substitute(
    text: &str,
    values: &Values,
    escape: impl Fn(&str) -> String,
) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err("unclosed placeholder `{{`".into());
        };
        let name = &after[..end];
        let Some(value) = values.get(name) else {
            return Err(format!("unknown placeholder {{{{{name}}}}}"));
        };
        out.push_str(&escape(value));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rust(path: &str, text: &str) -> (Templates, Template) {
        let t = Template {
            path: path.to_owned(),
            text: text.to_owned(),
        };
        let templates = Templates {
            dir_display: "templates".to_owned(),
            files: vec![t.clone()],
        };
        (templates, t)
    }

    fn filled(templates: &Templates, t: &Template, values: &Values) -> String {
        fill(templates, t, values).unwrap_or_else(|d| panic!("{d}"))
    }

    #[test]
    fn rust_templates_are_copied_with_comments_and_filled_values() {
        let mut values = Values::new();
        values.insert("name", "say \"hi\" \\ there".to_owned());
        values.insert("list", "- a\n\n- b".to_owned());
        values.insert("yes", "true".to_owned());
        values.insert("no", "false".to_owned());
        let text = "\
//! Crate.
//!
//! {{list}}

// Why: kept as written.
/// Doc of {{name}}.
pub const A: &str = \"{{name}}\"; // {{name}}
{{?yes}}pub const B: u8 = 1;
{{?no}}pub const C: u8 = 2;
    /// {{list}}
pub fn f() {}
";
        let (templates, t) = rust("src/a.rs", text);
        assert_eq!(
            filled(&templates, &t, &values),
            "\
//! Crate.
//!
//! - a
//!
//! - b

// Why: kept as written.
/// Doc of say \"hi\" \\ there.
pub const A: &str = \"say \\\"hi\\\" \\\\ there\"; // say \"hi\" \\ there
pub const B: u8 = 1;
    /// - a
    ///
    /// - b
pub fn f() {}
"
        );
        // The filled text is still valid Rust, and the string holds the value exactly.
        let out = filled(&templates, &t, &values);
        let file = syn::parse_file(&out).expect("valid Rust");
        let syn::Item::Const(c) = &file.items[0] else {
            panic!("a const first")
        };
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) = &*c.expr
        else {
            panic!("a string")
        };
        assert_eq!(s.value(), values["name"]);
        // Same text again (checked once, remembered): same result; new values follow.
        assert_eq!(filled(&templates, &t, &values), out);
        values.insert("name", "second".to_owned());
        assert!(filled(&templates, &t, &values).contains("\"second\""));
    }

    #[test]
    fn a_broken_template_is_reported_with_its_position_every_time() {
        let (templates, t) = rust("src/bad.rs", "pub fn f() {\n    let = 1;\n}\n");
        for _ in 0..2 {
            let Err(d) = fill(&templates, &t, &Values::new()) else {
                panic!("a broken template must not fill");
            };
            assert_eq!(d.file, "templates/src/bad.rs");
            assert!(
                d.message.starts_with("template is not valid Rust"),
                "{}",
                d.message
            );
            assert_eq!(d.line_col.map(|lc| lc.line), Some(2));
        }
    }

    #[test]
    fn placeholders_outside_comments_and_strings_are_errors() {
        for (text, line, column, what) in [
            (
                "pub const X: u8 = 1;\npub struct {{name}};\n",
                2,
                12,
                "line comment or a string",
            ),
            (
                "pub const X: &str = r\"{{name}}\";\n",
                1,
                22,
                "raw, byte or C string",
            ),
            (
                "pub fn f() { /* {{name}} */ }\n",
                1,
                17,
                "line comment or a string",
            ),
        ] {
            let (templates, t) = rust("src/p.rs", text);
            let Err(d) = fill(&templates, &t, &Values::new()) else {
                panic!("{text:?} must not fill");
            };
            assert!(d.message.contains(what), "{text:?}: {}", d.message);
            let lc = d.line_col.expect("position");
            assert_eq!((lc.line, lc.column), (line, column), "{text:?}");
        }
        // A quote in a char literal opens no string.
        let (templates, t) = rust(
            "src/p.rs",
            "pub fn f(c: char) -> bool { c == '\"' || c == '\\'' } // {{name}}\n",
        );
        let mut values = Values::new();
        values.insert("name", "n\"".to_owned());
        assert_eq!(
            filled(&templates, &t, &values),
            "pub fn f(c: char) -> bool { c == '\"' || c == '\\'' } // n\"\n"
        );
        let (templates, t) = rust(
            "src/p.rs",
            "pub const Q: char = '\"'; const X: u8 = {{name}};\n",
        );
        let d = fill(&templates, &t, &values).expect_err("a placeholder in code");
        assert!(
            d.message.contains("line comment or a string"),
            "{}",
            d.message
        );
        // In string literals (past an escaped quote) and line comments: filled.
        let mut values = Values::new();
        values.insert("name", "n".to_owned());
        let (templates, t) = rust(
            "src/p.rs",
            "// {{name}}\npub const X: &str = \"a \\\" {{name}}\"; /* ok */\n",
        );
        assert_eq!(
            filled(&templates, &t, &values),
            "// n\npub const X: &str = \"a \\\" n\"; /* ok */\n"
        );
    }

    #[test]
    fn an_unknown_placeholder_names_its_line() {
        let (templates, t) = rust(
            "src/u.rs",
            "// a\n{{?c}}// b\n/// {{nope}}\npub fn f() {}\n",
        );
        let mut values = Values::new();
        values.insert("c", "false".to_owned());
        let d = fill(&templates, &t, &values).expect_err("unknown placeholder");
        assert!(
            d.message.contains("unknown placeholder {{nope}}"),
            "{}",
            d.message
        );
        assert_eq!(d.line_col.map(|lc| lc.line), Some(3));
    }
}

#[cfg(test)]
mod conditional_tests {
    use super::*;

    #[test]
    fn placeholders_are_escaped_and_mistakes_are_errors() {
        let mut values = Values::new();
        values.insert("d", "say \"hi\"".into());
        assert_eq!(
            substitute("x = \"{{d}}\"", &values, toml_escape).unwrap(),
            "x = \"say \\\"hi\\\"\""
        );
        let err = substitute("{{nope}}", &values, str::to_owned).unwrap_err();
        assert!(err.contains("unknown placeholder {{nope}}"), "{err}");
        let err = substitute("a {{d", &values, str::to_owned).unwrap_err();
        assert!(err.contains("unclosed placeholder"), "{err}");
    }

    #[test]
    fn values_survive_rust_and_toml_escaping() {
        let value = "a \"q\" \\ b\nc\rd\te\u{1}f\u{7f}é";
        let rust = format!("\"{}\"", rust_string_escape(value));
        let lit: syn::LitStr = syn::parse_str(&rust).expect("a Rust string literal");
        assert_eq!(lit.value(), value);
        assert_eq!(
            toml_escape(value),
            "a \\\"q\\\" \\\\ b\\nc\\rd\\te\\u0001f\\u007Fé"
        );
    }

    #[test]
    fn conditional_lines_follow_their_flag() {
        let mut values = Values::new();
        values.insert("yes", "true".into());
        values.insert("no", "false".into());
        let text = "a\n{{?yes}}b = 1\n{{?no}}c = 2\nd\n";
        assert_eq!(conditional_lines(text, &values).unwrap(), "a\nb = 1\nd\n");
        let err = conditional_lines("{{?maybe}}x\n", &values).unwrap_err();
        assert!(err.contains("unknown condition {{?maybe}}"), "{err}");
    }
}
