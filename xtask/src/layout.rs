//! The layout prettyplease leaves to the reader: blank lines between items (and between
//! the items of an `impl` or `trait` block), between groups of imports and after a
//! module's docs, and doc comments wrapped near 100 columns. It works on printed text,
//! whose shape the generator knows: items start at column 0, associated items at column 4.
//!
//! ```text
//! //! Module docs.                      //! Module docs.
//! use reqwest::Method;                  
//! use crate::client::Client;     ->     use reqwest::Method;
//! impl Client {                         
//!     fn a() {}                         use crate::client::Client;
//!     fn b() {}                         
//! }                                     impl Client {
//!                                           fn a() {}
//!                                       
//!                                           fn b() {}
//!                                       }
//! ```

/// Doc comments are wrapped to fit this many columns, indentation and `///` included.
const WIDTH: usize = 100;

/// `text` (whole items, as prettyplease prints them) with blank lines between items and
/// with long doc lines wrapped.
pub(crate) fn layout(text: &str) -> String {
    let text = &*comparisons(text);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut prev: Option<&str> = None;
    // The first line of the last top-level item (after its docs and attributes).
    let mut head: Option<&str> = None;
    let mut in_impl = false;
    // Inside a fenced code block of a doc comment: its fence's character and length.
    let mut in_code: Option<(char, usize)> = None;
    for line in text.lines() {
        if let Some(p) = prev
            && blank_between(p, line, head, in_impl)
        {
            out.push('\n');
        }
        if indent(line) == 0 && starts_item(line) {
            in_impl = is_block_of_items(line);
            head = Some(line);
        }
        match doc_text(line) {
            Some((prefix, text)) => {
                // A fence may follow a list item's marker or a quote's; it closes at a
                // fence of its character at least as long, with nothing after.
                let content = continuation(text).1;
                let fence = fence(content);
                match (in_code, fence) {
                    (None, Some(f)) => in_code = Some(f),
                    (Some((c, n)), Some((fc, fn_)))
                        if c == fc
                            && fn_ >= n
                            && content.trim_start_matches(c).trim().is_empty() =>
                    {
                        in_code = None;
                    }
                    _ => {}
                }
                if fence.is_some() || in_code.is_some() || line.chars().count() <= WIDTH {
                    push_line(&mut out, line);
                } else {
                    wrap(&mut out, prefix, text);
                }
            }
            None => {
                in_code = None;
                push_line(&mut out, line);
            }
        }
        prev = Some(line);
    }
    out
}

/// The first line of a struct's written-out `PartialEq::eq`, whose body is one chain of
/// comparisons joined by `&&`.
const EQ: &str = "fn eq(&self, other: &Self) -> bool {";

/// `text` with the chain of comparisons of each `eq` body one per line, as rustfmt writes a
/// chain too long for one line (prettyplease fills each line with as many as fit, and may
/// break inside one).
fn comparisons(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(EQ) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        push_line(&mut out, line);
        if line.trim_start() != EQ {
            continue;
        }
        let close = format!("{}}}", " ".repeat(indent(line)));
        let mut chain = String::new();
        let mut end = None;
        for body in lines.by_ref() {
            if body == close {
                end = Some(body);
                break;
            }
            if !chain.is_empty() {
                chain.push(' ');
            }
            chain.push_str(body.trim());
        }
        let body_indent = " ".repeat(indent(line) + 4);
        if chain.len() + body_indent.len() <= WIDTH {
            push_line(&mut out, &format!("{body_indent}{chain}"));
        } else {
            for (i, comparison) in chain.split(" && ").enumerate() {
                let lead = if i == 0 { "" } else { "    && " };
                push_line(&mut out, &format!("{body_indent}{lead}{comparison}"));
            }
        }
        if let Some(end) = end {
            push_line(&mut out, end);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Whether a line at column 0 begins an item (its docs, attributes or first line), rather
/// than closing one.
fn starts_item(line: &str) -> bool {
    !(line.is_empty() || line.starts_with('}') || line.starts_with(')') || line.starts_with("//!"))
}

/// Whether an item's first line opens a block of associated items.
fn is_block_of_items(head: &str) -> bool {
    let head = head.strip_prefix("pub ").unwrap_or(head);
    head.starts_with("impl") || head.starts_with("trait ") || head.starts_with("unsafe impl")
}

/// Whether a line ends an item: its closing brace (an empty block's too, as in a marker
/// trait's `impl Trait for Type {}`), or its `;`.
fn ends_item(line: &str) -> bool {
    let line = line.trim_start();
    !line.starts_with("//") && (line == "}" || line.ends_with(" {}") || line.ends_with(';'))
}

/// Whether a blank line goes between `prev` and `line`.
fn blank_between(prev: &str, line: &str, head: Option<&str>, in_impl: bool) -> bool {
    if line.is_empty() || prev.is_empty() {
        return false;
    }
    match (indent(prev), indent(line)) {
        // After a module's docs, and after its inner attributes.
        (0, 0) if prev.starts_with("//!") => !line.starts_with("//!"),
        (0, 0) if prev.starts_with("#![") => !line.starts_with("#!["),
        // Module declarations stay together (`pub mod models;` `mod operations;`).
        (0, 0) if is_mod_declaration(prev) && is_mod_declaration(line) => false,
        // Between items; imports of one group stay together.
        (0, 0) if ends_item(prev) && starts_item(line) => {
            !matches!((head.and_then(import_group), import_group(line)), (Some(a), Some(b)) if a == b)
        }
        // Between the items of an `impl` or `trait` block.
        (4, 4) if in_impl && ends_item(prev) => !line.trim_start().starts_with('}'),
        _ => false,
    }
}

/// Whether a line declares a module whose body is in a file of its own.
fn is_mod_declaration(line: &str) -> bool {
    let line = line.strip_prefix("pub ").unwrap_or(line);
    line.starts_with("mod ") && line.ends_with(';')
}

/// The group of an import: the standard library, other crates, this crate.
fn import_group(line: &str) -> Option<u8> {
    let path = line
        .strip_prefix("pub ")
        .unwrap_or(line)
        .strip_prefix("use ")?;
    let root = path.split("::").next().unwrap_or_default();
    Some(match root {
        "std" | "core" | "alloc" => 0,
        "crate" | "self" | "super" => 2,
        _ => 1,
    })
}

/// A doc comment line as (everything up to and including `/// `, the text); an empty doc
/// line has no text.
fn doc_text(line: &str) -> Option<(&str, &str)> {
    let start = indent(line);
    let rest = &line[start..];
    if rest == "///" || rest == "//!" {
        return Some((line, ""));
    }
    let marker = ["/// ", "//! "].iter().find(|m| rest.starts_with(**m))?;
    Some(line.split_at(start + marker.len()))
}

/// Writes `text` as doc lines starting with `prefix`, broken between words to fit
/// [`WIDTH`], so that the Markdown reads the same: the lines after the first of a list item
/// are indented to stay in it (nested ones deeper), those of a quote keep its `>`, a table's
/// row and a heading stay whole, and no line starts with a word Markdown would take for
/// the start of a block (`-`, `1.`, `#`, `>`, ...). A word longer than a line (a URL) gets a
/// line of its own.
fn wrap(out: &mut String, prefix: &str, text: &str) {
    let (hang, content) = continuation(text);
    // A line that starts with a long code span stays whole: cut, its start would read as a
    // code fence.
    if content.starts_with('|') || content.starts_with('#') || content.starts_with("```") {
        push_line(out, &format!("{prefix}{text}"));
        return;
    }
    // The indentation and markers stay as they are; the content is broken between words.
    let lead = &text[..text.len() - content.len()];
    let mut line = String::from(prefix);
    line.push_str(lead);
    // Where the line's content starts, after the prefix and any list or quote markers.
    let mut content_at = line.len();
    let mut empty = true;
    for word in content.split(' ').filter(|w| !w.is_empty()) {
        let width = line.chars().count();
        let fits = width + 1 + word.chars().count() <= WIDTH;
        let starts_block = crate::emit::markdown::interrupts_paragraph(word)
            || crate::emit::markdown::interrupts_paragraph(&format!("{word} x"));
        // A line of dashes alone (or `*`, `_`, `=`) would be a rule or a heading's
        // underline.
        let rule_like = line.get(content_at..).is_some_and(|c| {
            let c = c.trim();
            !c.is_empty()
                && c.chars()
                    .all(|ch| matches!(ch, '-' | '*' | '_' | '=' | ' '))
        });
        if !empty && !fits && !starts_block && !rule_like {
            push_line(out, &line);
            line.clear();
            line.push_str(prefix);
            line.push_str(&hang);
            content_at = line.len();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    push_line(out, &line);
}

/// The fence a line starts with, if it does: three or more backticks (whose info string
/// has none) or tildes.
fn fence(content: &str) -> Option<(char, usize)> {
    let c = content.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let run = content.len() - content.trim_start_matches(c).len();
    let valid = run >= 3 && (c == '~' || !content[run..].contains('`'));
    valid.then_some((c, run))
}

/// What the lines after the first of `text` start with to stay in the same Markdown
/// block (its indentation, each quote's `> `, and spaces as wide as its list marker), and
/// the content after all of those.
fn continuation(text: &str) -> (String, &str) {
    let mut hang = String::new();
    let mut rest = text;
    loop {
        // Indentation, at the start or inside a quote.
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        hang.push_str(&rest[..spaces]);
        rest = &rest[spaces..];
        if let Some(after) = rest.strip_prefix("> ") {
            hang.push_str("> ");
            rest = after;
            continue;
        }
        let marker = if ["- ", "* ", "+ "].iter().any(|m| rest.starts_with(m)) {
            2
        } else {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            match rest.as_bytes().get(digits..digits + 2) {
                Some([b'.' | b')', b' ']) if digits > 0 => digits + 2,
                _ => 0,
            }
        };
        if marker == 0 {
            return (hang, rest);
        }
        // Markers may stack: `- - a` is an item of a list in an item.
        hang.push_str(&" ".repeat(marker));
        rest = &rest[marker..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_between_items_import_groups_and_associated_items() {
        let text = "\
//! Docs.
use std::fmt;
use reqwest::Method;
use crate::client::{
    A, B,
};
use crate::models;
/// A type.
pub type X<'a> = Y<'a>;
#[derive(Debug)]
pub struct S {
    a: i32,
    b: i32,
}
impl S {
    /// One.
    pub fn one(&self) -> i32 {
        let x = 1;
        x
    }
    #[doc(hidden)]
    const C: i32 = 1;
    type T = i32;
    fn two() {}
}
pub enum E {
    A,
    B,
}
";
        let expected = "\
//! Docs.

use std::fmt;

use reqwest::Method;

use crate::client::{
    A, B,
};
use crate::models;

/// A type.
pub type X<'a> = Y<'a>;

#[derive(Debug)]
pub struct S {
    a: i32,
    b: i32,
}

impl S {
    /// One.
    pub fn one(&self) -> i32 {
        let x = 1;
        x
    }

    #[doc(hidden)]
    const C: i32 = 1;

    type T = i32;

    fn two() {}
}

pub enum E {
    A,
    B,
}
";
        assert_eq!(layout(text), expected);
        // Laid out text stays as it is.
        assert_eq!(layout(expected), expected);
    }

    #[test]
    fn long_doc_lines_are_wrapped_but_not_code() {
        let long = ["word"; 30].join(" ");
        let url = format!("https://{}", "x".repeat(120));
        let text = format!(
            "    /// {long}\n    /// * {long}\n    ///\n    /// ```\n    ///\n    /// {long}\n    /// ```\n    /// {url}\n"
        );
        let out = layout(&text);
        let expected = format!(
            "    /// {a}\n    /// {b}\n    /// * {c}\n    ///   {d}\n    ///\n    /// ```\n    ///\n    /// {long}\n    /// ```\n    /// {url}\n",
            a = ["word"; 18].join(" "),
            b = ["word"; 12].join(" "),
            c = ["word"; 18].join(" "),
            d = ["word"; 12].join(" "),
        );
        assert_eq!(out, expected);
    }

    /// Wrapped Markdown reads the same: nested items and numbered ones stay in their item,
    /// quotes keep their marker, tables and headings stay whole, and a line never starts
    /// with a word that would begin a block.
    #[test]
    fn wrapping_keeps_the_markdown_blocks() {
        let long = ["word"; 30].join(" ");
        let lines = [
            format!("/// - {long}"),
            format!("///   - {long}"),
            format!("/// 10. {long}"),
            format!("/// > {long}"),
            format!("/// | {long} |"),
            format!("/// ### {long}"),
        ];
        let out = layout(&format!("{}\n", lines.join("\n")));
        let out: Vec<&str> = out.lines().collect();
        assert_eq!(out[1], format!("///   {}", ["word"; 11].join(" ")));
        assert_eq!(out[3], format!("///     {}", ["word"; 12].join(" ")));
        assert_eq!(out[5], format!("///     {}", ["word"; 12].join(" ")));
        assert_eq!(out[7], format!("/// > {}", ["word"; 11].join(" ")));
        assert_eq!(out[8], lines[4]);
        assert_eq!(out[9], lines[5]);
        // `-` and `1.` would start a list at a line's start: they stay on the line before.
        let text = format!("/// {} - b 1. c\n", ["abcdefgh"; 10].join(" "));
        let tricky = layout(&text);
        assert!(
            tricky
                .lines()
                .all(|l| !l.starts_with("/// -") && !l.starts_with("/// 1.")),
            "{tricky}"
        );
        for width in 80..100 {
            let text = format!("/// {} - x\n", "a".repeat(width));
            let wrapped = layout(&text);
            assert!(!wrapped.contains("\n/// -"), "{wrapped}");
        }
    }
}
