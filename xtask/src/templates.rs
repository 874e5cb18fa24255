//! The hand-written parts of the generated crate: files under `templates/` with `{{name}}`
//! placeholders. Rust templates are parsed with syn (so a broken template is reported with
//! its path and line:column) and placeholders are filled in string literals and doc
//! attributes only, which keeps every template valid Rust as written.

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
        let mut ast = syn::parse_file(&t.text).map_err(|e| {
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
            unknown: Vec::new(),
        };
        filler.visit_file_mut(&mut ast);
        if let Some(name) = filler.unknown.first() {
            return Err(error(None, format!("unknown placeholder {{{{{name}}}}}")));
        }
        Ok(Filled::Rust(ast))
    } else {
        let mut out = String::with_capacity(t.text.len());
        let mut rest = t.text.as_str();
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                return Err(error(None, "unclosed placeholder `{{`".into()));
            };
            let name = &after[..end];
            let Some(value) = values.get(name) else {
                return Err(error(None, format!("unknown placeholder {{{{{name}}}}}")));
            };
            if t.path.ends_with(".toml") {
                out.push_str(&toml_escape(value));
            } else {
                out.push_str(value);
            }
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        Ok(Filled::Text(out))
    }
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

/// Replaces `{{name}}` in `text`; records names it does not know.
fn substitute(text: &str, values: &Values, unknown: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let name = &after[..end];
                match values.get(name) {
                    Some(v) => out.push_str(v),
                    None => unknown.push(name.to_owned()),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

struct Filler<'v> {
    values: &'v Values,
    unknown: Vec<String>,
}

impl Filler<'_> {
    fn attrs(&mut self, attrs: &mut Vec<syn::Attribute>) {
        let mut out = Vec::with_capacity(attrs.len());
        for attr in attrs.drain(..) {
            let text = doc_text(&attr);
            match text {
                Some(text) if text.contains("{{") => {
                    let filled = substitute(&text, self.values, &mut self.unknown);
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
            let filled = substitute(&value, self.values, &mut self.unknown);
            *lit = syn::LitStr::new(&filled, lit.span());
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
