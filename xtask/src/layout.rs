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
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut prev: Option<&str> = None;
    // The first line of the last top-level item (after its docs and attributes).
    let mut head: Option<&str> = None;
    let mut in_impl = false;
    let mut in_code = false;
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
                if text.trim_start().starts_with("```") {
                    in_code = !in_code;
                    push_line(&mut out, line);
                } else if in_code || line.chars().count() <= WIDTH {
                    push_line(&mut out, line);
                } else {
                    wrap(&mut out, prefix, text);
                }
            }
            None => {
                in_code = false;
                push_line(&mut out, line);
            }
        }
        prev = Some(line);
    }
    out
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
/// [`WIDTH`]; the lines after the first of a list item are indented to stay in it. A word
/// longer than a line (a URL) gets a line of its own.
fn wrap(out: &mut String, prefix: &str, text: &str) {
    let hang = if text.starts_with("* ") || text.starts_with("- ") {
        "  "
    } else {
        ""
    };
    let mut line = String::from(prefix);
    let mut empty = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let width = line.chars().count();
        if !empty && width + 1 + word.chars().count() > WIDTH {
            push_line(out, &line);
            line.clear();
            line.push_str(prefix);
            line.push_str(hang);
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
}
