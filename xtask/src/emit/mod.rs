//! Model -> Rust syntax trees. One module per generated file; this one holds what they
//! share: identifiers, type paths and rustdoc. Fixed code comes from [`fragment`]s.

pub mod fragment;
pub mod models;
pub mod operations;

use proc_macro2::{Ident, Span};

use crate::model::{Api, Docs, TypeKind, TypeRef};
use crate::names;

/// An identifier as written in source: keywords become raw (`r#type`) or get a suffix.
pub fn ident(name: &str) -> Ident {
    if names::needs_suffix(name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if names::is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// The name serde sees for a field written as `ident(name)`.
pub fn serde_name(name: &str) -> String {
    if names::needs_suffix(name) {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

/// Where a named model type is referred to from.
#[derive(Clone, Copy)]
pub enum Scope {
    /// Inside `models.rs`.
    Models,
    /// From a module that imports `crate::models` (`operations.rs`).
    Operations,
}

/// The Rust type of `ty`, as written from `scope`.
pub fn rust_type(ty: &TypeRef, scope: Scope) -> syn::Type {
    match ty {
        TypeRef::String => path_type(&["String"], None),
        TypeRef::Bool => path_type(&["bool"], None),
        TypeRef::I32 => path_type(&["i32"], None),
        TypeRef::I64 => path_type(&["i64"], None),
        TypeRef::F32 => path_type(&["f32"], None),
        TypeRef::F64 => path_type(&["f64"], None),
        TypeRef::Uuid => path_type(&["uuid", "Uuid"], None),
        TypeRef::DateTime => path_type(
            &["chrono", "DateTime"],
            Some(vec![path_type(&["chrono", "Utc"], None)]),
        ),
        TypeRef::Date => path_type(&["chrono", "NaiveDate"], None),
        TypeRef::Json => path_type(&["serde_json", "Value"], None),
        TypeRef::Named(n) => {
            let mut path = syn::Path::from(ident(n));
            if let Scope::Operations = scope {
                path.segments
                    .insert(0, syn::PathSegment::from(plain_ident("models")));
            }
            type_of_path(path)
        }
        TypeRef::Vec(inner) => path_type(&["Vec"], Some(vec![rust_type(inner, scope)])),
        TypeRef::Map(inner) => path_type(
            &["std", "collections", "BTreeMap"],
            Some(vec![path_type(&["String"], None), rust_type(inner, scope)]),
        ),
        TypeRef::Boxed(inner) => path_type(&["Box"], Some(vec![rust_type(inner, scope)])),
    }
}

/// `Option<ty>`.
pub fn option_type(ty: syn::Type) -> syn::Type {
    path_type(&["Option"], Some(vec![ty]))
}

/// The type `a::b::C`, with `args` as the generic arguments of the last segment.
pub fn path_type(segments: &[&str], args: Option<Vec<syn::Type>>) -> syn::Type {
    let mut path = syn::Path {
        leading_colon: None,
        segments: segments
            .iter()
            .map(|s| syn::PathSegment::from(plain_ident(s)))
            .collect(),
    };
    if let (Some(args), Some(last)) = (args, path.segments.last_mut()) {
        last.arguments = syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: args.into_iter().map(syn::GenericArgument::Type).collect(),
            gt_token: Default::default(),
        });
    }
    type_of_path(path)
}

fn type_of_path(path: syn::Path) -> syn::Type {
    syn::Type::Path(syn::TypePath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// An identifier the generator chose (never a keyword).
pub fn plain_ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// An unsuffixed integer literal, such as a status code or a length.
pub fn int_lit(value: impl Into<u64>) -> syn::Lit {
    syn::Lit::new(proc_macro2::Literal::u64_unsuffixed(value.into()))
}

/// A literal, as an expression (`"text"`, `204`) or inside a pattern.
pub fn expr_lit(lit: syn::Lit) -> syn::ExprLit {
    syn::ExprLit {
        attrs: Vec::new(),
        lit,
    }
}

/// A string literal expression.
pub fn str_expr(text: &str) -> syn::Expr {
    syn::Expr::Lit(expr_lit(syn::Lit::Str(syn::LitStr::new(
        text,
        Span::call_site(),
    ))))
}

/// Puts `first` before the attributes already in `attrs`.
pub fn prepend(attrs: &mut Vec<syn::Attribute>, mut first: Vec<syn::Attribute>) {
    first.append(attrs);
    *attrs = first;
}

/// Follows aliases to the type a name really stands for.
pub fn resolve<'a>(api: &'a Api, ty: &'a TypeRef) -> &'a TypeRef {
    let mut ty = ty;
    for _ in 0..api.types.len() + 1 {
        match ty {
            TypeRef::Named(n) => match api.type_kind(n) {
                Some(TypeKind::Alias(inner)) => ty = inner,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

/// True when `ty` names a model type, directly or inside arrays, maps and boxes.
pub fn mentions_model(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => mentions_model(inner),
        _ => false,
    }
}

/// True when values of `ty` hold a struct or enum whose `Validate` impl has something to check.
pub fn needs_validation(api: &Api, ty: &TypeRef) -> bool {
    match resolve(api, ty) {
        TypeRef::Named(_) => true,
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
            needs_validation(api, inner)
        }
        _ => false,
    }
}

/// `#[doc]` attributes for the summary and description.
pub fn docs(docs: &Docs) -> Vec<syn::Attribute> {
    let mut paragraphs: Vec<String> = Vec::new();
    let summary = docs
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let description = docs
        .description
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    // A description that begins with the summary already says it.
    if let Some(s) = summary.filter(|s| !description.is_some_and(|d| d.starts_with(s))) {
        paragraphs.push(s.to_owned());
    }
    if let Some(d) = description {
        paragraphs.push(d.to_owned());
    }
    doc_lines(&sanitize(&paragraphs.join("\n\n")))
}

/// One `#[doc]` attribute per line of `text`, which is markdown written by the generator;
/// text from the spec goes through [`sanitize`] first.
pub fn doc_lines(text: &str) -> Vec<syn::Attribute> {
    let text = text.trim_end();
    if text.trim().is_empty() {
        return Vec::new();
    }
    // The block marker must come only from here, never from the spec's text.
    let cleaned;
    let text = if text.contains(crate::render::DOC_BLOCK) {
        cleaned = text.replace(crate::render::DOC_BLOCK, "\u{FFFD}");
        cleaned.as_str()
    } else {
        text
    };
    // Several lines go in one attribute, marked, that `render` prints as the same `///`
    // lines: one attribute to emit, parse and print instead of one per line (a fifth of
    // the generated tokens are docs). Text that could end a block comment stays one
    // attribute per line.
    if text.contains('\n') && !text.contains("/*") && !text.contains("*/") {
        let mut block = String::with_capacity(text.len() + 16);
        block.push(crate::render::DOC_BLOCK);
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                block.push('\n');
            }
            if !line.is_empty() {
                block.push(' ');
                block.push_str(line.trim_end());
            }
        }
        return vec![doc_attr(&block)];
    }
    text.lines()
        .map(|l| {
            if l.is_empty() {
                doc_attr("")
            } else {
                doc_attr(&format!(" {}", l.trim_end()))
            }
        })
        .collect()
}

/// `#[doc = "text"]`.
pub fn doc_attr(text: &str) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: syn::Path::from(plain_ident("doc")),
            eq_token: Default::default(),
            value: str_expr(text),
        }),
    }
}

/// Spec text is not written for rustdoc: brackets would be read as intra-doc links, bare
/// URLs and angle brackets draw warnings. Code spans are left as they are.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        let mut rest = part;
        while !rest.is_empty() {
            let url_at = ["https://", "http://"]
                .iter()
                .filter_map(|p| rest.find(p))
                .min();
            let (plain, tail) = match url_at {
                Some(at) => rest.split_at(at),
                None => (rest, ""),
            };
            for c in plain.chars() {
                match c {
                    '[' => out.push_str("\\["),
                    ']' => out.push_str("\\]"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '*' => out.push_str("\\*"),
                    '_' => out.push('_'),
                    _ => out.push(c),
                }
            }
            if tail.is_empty() {
                break;
            }
            let end = tail
                .find(|c: char| c.is_whitespace() || c == ')' || c == '"' || c == '\'')
                .unwrap_or(tail.len());
            let url = tail[..end].trim_end_matches(['.', ',', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &tail[url.len()..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_escapes_markdown_but_not_code() {
        assert_eq!(sanitize("a [b] <c> `[d]`"), "a \\[b\\] &lt;c&gt; `[d]`");
        assert_eq!(sanitize("see https://x.y/z."), "see <https://x.y/z>.");
    }

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("kind").to_string(), "kind");
    }
}
