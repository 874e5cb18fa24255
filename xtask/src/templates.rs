//! The hand-written parts of the generated crate: files under `templates/` with `{{name}}`
//! placeholders. Rust templates are parsed with syn (so a broken template is reported with
//! its path and line:column) and placeholders are filled in string literals and doc
//! attributes only, which keeps every template valid Rust as written.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use syn::visit_mut::VisitMut;

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
    /// Reads every file under `dir`.
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
        // Parse the Rust templates now, once: `fill` then starts from a copy of the tree.
        for t in files.iter().filter(|t| t.path.ends_with(".rs")) {
            let _ = parse_cached(&t.text);
        }
        Ok(Templates {
            dir_display: dir_display.to_owned(),
            files,
        })
    }
}

/// Values for the placeholders. A value with several lines replaces a doc attribute by one
/// attribute per line.
pub type Values = BTreeMap<&'static str, String>;

/// A filled template: Rust syntax, or text for anything else.
pub enum Filled {
    Rust(syn::File),
    Text(String),
}

pub fn fill(templates: &Templates, t: &Template, values: &Values) -> Result<Filled, Diagnostic> {
    let file = format!("{}/{}", templates.dir_display, t.path);
    let error = |line_col: Option<LineCol>, message: String| Diagnostic {
        file: file.clone(),
        pointer: String::new(),
        line_col,
        message,
    };
    if t.path.ends_with(".rs") {
        let mut ast = parse_cached(&t.text).map_err(|e| {
            let start = e.span().start();
            error(
                Some(LineCol {
                    line: start.line,
                    column: start.column + 1,
                }),
                format!("template is not valid Rust: {e}"),
            )
        })?;
        let mut filler = Filler {
            values,
            problems: Vec::new(),
        };
        filler.visit_file_mut(&mut ast);
        if let Some(problem) = filler.problems.into_iter().next() {
            return Err(error(None, problem));
        }
        Ok(Filled::Rust(ast))
    } else {
        let text = conditional_lines(&t.text, values).map_err(|m| error(None, m))?;
        let escape = if t.path.ends_with(".toml") {
            toml_escape
        } else {
            str::to_owned
        };
        let out = substitute(&text, values, escape).map_err(|m| error(None, m))?;
        Ok(Filled::Text(out))
    }
}

thread_local! {
    /// Rust templates parsed by `Templates::load`, by text. Parsing is most of the cost
    /// of filling a template (a few ms for `templates/`), and each parse also grows
    /// proc-macro2's per-thread source map for good; with this, generating many times
    /// (tests, benchmarks) parses each template once. Per thread because syn trees are
    /// neither `Send` nor `Sync`; on another thread `fill` just parses again.
    static PARSED: RefCell<Vec<(String, syn::Result<syn::File>)>> = const { RefCell::new(Vec::new()) };
}

/// Most templates texts kept parsed per thread; past that the cache starts over.
const PARSED_MAX: usize = 64;

/// `syn::parse_file(text)`, from the cache when this thread parsed the same text before.
fn parse_cached(text: &str) -> syn::Result<syn::File> {
    PARSED.with_borrow_mut(|cache| {
        if let Some((_, parsed)) = cache.iter().find(|(t, _)| t == text) {
            return parsed.clone();
        }
        let parsed = syn::parse_file(text);
        if cache.len() >= PARSED_MAX {
            cache.clear();
        }
        cache.push((text.to_owned(), parsed.clone()));
        parsed
    })
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

/// Escapes a value for a TOML basic string.
fn toml_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Replaces every `{{name}}` in `text` by `escape(value)`; an unknown name or an unclosed
/// `{{` is an error.
fn substitute(text: &str, values: &Values, escape: fn(&str) -> String) -> Result<String, String> {
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

struct Filler<'v> {
    values: &'v Values,
    /// What went wrong while filling, reported after the walk.
    problems: Vec<String>,
}

impl Filler<'_> {
    fn attrs(&mut self, attrs: &mut Vec<syn::Attribute>) {
        let mut out = Vec::with_capacity(attrs.len());
        for attr in attrs.drain(..) {
            let text = doc_text(&attr);
            match text {
                Some(text) if text.contains("{{") => {
                    let filled = match substitute(&text, self.values, str::to_owned) {
                        Ok(filled) => filled,
                        Err(problem) => {
                            self.problems.push(problem);
                            text
                        }
                    };
                    // One attribute per line, so prettyplease prints them as `///` lines.
                    for line in filled.split('\n') {
                        let mut a = attr.clone();
                        let lit = syn::LitStr::new(line, proc_macro2::Span::call_site());
                        if let syn::Meta::NameValue(nv) = &mut a.meta {
                            nv.value = syn::Expr::Lit(syn::ExprLit {
                                attrs: Vec::new(),
                                lit: syn::Lit::Str(lit),
                            });
                        }
                        out.push(a);
                    }
                }
                _ => out.push(attr),
            }
        }
        *attrs = out;
    }
}

fn doc_text(attr: &syn::Attribute) -> Option<String> {
    if !attr.path().is_ident("doc") {
        return None;
    }
    match &attr.meta {
        syn::Meta::NameValue(nv) => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    }
}

impl VisitMut for Filler<'_> {
    fn visit_file_mut(&mut self, file: &mut syn::File) {
        self.attrs(&mut file.attrs);
        syn::visit_mut::visit_file_mut(self, file);
    }

    fn visit_attribute_mut(&mut self, _attr: &mut syn::Attribute) {
        // Doc attributes are handled by `attrs` on their owner, which can split them.
    }

    fn visit_item_mut(&mut self, item: &mut syn::Item) {
        if let Some(attrs) = item_attrs(item) {
            self.attrs(attrs);
        }
        syn::visit_mut::visit_item_mut(self, item);
    }

    fn visit_field_mut(&mut self, field: &mut syn::Field) {
        self.attrs(&mut field.attrs);
        syn::visit_mut::visit_field_mut(self, field);
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        self.attrs(&mut f.attrs);
        syn::visit_mut::visit_impl_item_fn_mut(self, f);
    }

    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        let value = lit.value();
        if value.contains("{{") {
            match substitute(&value, self.values, str::to_owned) {
                Ok(filled) => *lit = syn::LitStr::new(&filled, lit.span()),
                Err(problem) => self.problems.push(problem),
            }
        }
    }
}

fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Mod(i) => &mut i.attrs,
        syn::Item::Static(i) => &mut i.attrs,
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Trait(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        syn::Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
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
        match fill(templates, t, values) {
            Ok(Filled::Rust(ast)) => prettyplease::unparse(&ast),
            Ok(Filled::Text(_)) => panic!("not Rust"),
            Err(d) => panic!("{d}"),
        }
    }

    #[test]
    fn cached_parse_gives_the_same_fill_and_follows_the_text() {
        let mut values = Values::new();
        values.insert("name", "first".to_owned());
        let (templates, t) = rust(
            "src/a.rs",
            "/// {{name}}\npub const A: &str = \"{{name}}\";\n",
        );
        let once = filled(&templates, &t, &values);
        assert!(
            once.contains("/// first") && once.contains("\"first\""),
            "{once}"
        );
        assert_eq!(filled(&templates, &t, &values), once);
        values.insert("name", "second".to_owned());
        assert!(filled(&templates, &t, &values).contains("\"second\""));
        // A different text is parsed on its own, never confused with a cached one.
        let (templates, t) = rust("src/a.rs", "pub const B: u8 = 1;\n");
        assert_eq!(
            filled(&templates, &t, &values).trim(),
            "pub const B: u8 = 1;"
        );
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
