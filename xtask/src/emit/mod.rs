//! Model -> Rust token streams. One module per generated file; this one holds what they
//! share: identifiers, type paths and rustdoc.

pub mod models;
pub mod operations;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

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

pub fn type_tokens(ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Named(n) => {
            let id = ident(n);
            match scope {
                Scope::Models => quote!(#id),
                Scope::Operations => quote!(models::#id),
            }
        }
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(Box<#inner>)
        }
    }
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
pub fn docs(docs: &Docs) -> TokenStream {
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
pub fn doc_lines(text: &str) -> TokenStream {
    let text = text.trim_end();
    if text.trim().is_empty() {
        return TokenStream::new();
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
        return quote!(#[doc = #block]);
    }
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {}", l.trim_end())
        }
    });
    quote!(#(#[doc = #lines])*)
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
