//! What an operation offers beyond `send()` when its spec says so, each a one-line impl of a
//! runtime trait (the methods are the runtime's, written once): several media types for its
//! body (`ContentTypes`, `.content_type()`) or its responses (`AcceptTypes`, `.accept()`),
//! a body of text or bytes to read as a stream (`StreamedResponse`, `.send_streamed()`),
//! and the struct of the headers its success responses declare (`ResponseHeaders`).
//!
//! ```text
//! impl crate::StreamedResponse for DownloadFilesParams {}
//!
//! impl crate::AcceptTypes for DownloadFilesParams {
//!     const ACCEPT: &'static [&'static str] = &["application/zip", "application/octet-stream"];
//! }
//!
//! /// The headers the success responses of [`Client::list_things`] declare, read with
//! /// [`ApiResponse::declared_headers`](crate::ApiResponse::declared_headers).
//! #[derive(Debug, Clone, Default, PartialEq)]
//! pub struct ListThingsHeaders {
//!     /// The token of the next page (`x-ms-continuationtoken`).
//!     pub x_ms_continuationtoken: Option<String>,
//! }
//!
//! impl crate::ResponseHeaders for ListThingsHeaders {
//!     fn read(headers: &reqwest::header::HeaderMap) -> Result<Self, Error> {
//!         Ok(ListThingsHeaders {
//!             x_ms_continuationtoken: crate::headers::header(headers, "x-ms-continuationtoken")?,
//!         })
//!     }
//! }
//! ```

use super::{Lifetime, Op};
use crate::emit::docs::{doc_lines, sanitize};
use crate::emit::{Scope, ident, option_type, rust_type, str_expr};
use crate::fragment;
use crate::model::{Api, Operation, ResponseHeader, TypeRef};

/// The impls of an operation's traits and its headers struct, in that order.
pub(super) fn items(cx: &Op) -> Vec<syn::Item> {
    let params = cx.params_type(Lifetime::Elided);
    let mut items = Vec::new();
    if let Some(b) = cx.op.body.as_ref().filter(|b| !b.also.is_empty()) {
        let media = media_list(std::iter::once(&b.media).chain(&b.also));
        items.push(fragment!(syn::Item {
            impl crate::ContentTypes for __Params {
                const CONTENT_TYPES: &'static [&'static str] = &[__media];
            }
        }, __Params = params.clone(), __media = media));
    }
    let accept = accept_list(cx.op);
    if accept.len() > 1 {
        items.push(fragment!(syn::Item {
            impl crate::AcceptTypes for __Params {
                const ACCEPT: &'static [&'static str] = &[__media];
            }
        }, __Params = params.clone(), __media = media_list(accept)));
    }
    if streamed(cx.op) {
        items.push(fragment!(syn::Item {
            impl crate::StreamedResponse for __Params {}
        }, __Params = params));
    }
    if let Some(name) = &cx.op.responses.headers_name {
        items.extend(headers_struct(cx.api, cx.op, name));
    }
    items
}

/// Whether the operation has `.send_streamed()`: a success body of text or bytes, or one
/// the caller may ask for in such a media type.
pub(crate) fn streamed(op: &Operation) -> bool {
    op.responses
        .success
        .iter()
        .any(|s| matches!(s.ty, Some(TypeRef::Text | TypeRef::Bytes)) || !s.other_kinds.is_empty())
}

/// Every media type the success responses declare, once each, in the spec's order.
pub(crate) fn accept_list(op: &Operation) -> Vec<&String> {
    let mut media: Vec<&String> = Vec::new();
    for s in &op.responses.success {
        for m in s.media.iter().chain(&s.also).chain(&s.other_kinds) {
            if !media.contains(&m) {
                media.push(m);
            }
        }
    }
    media
}

/// The headers the success responses declare, once each (by name, ASCII case ignored).
pub(crate) fn declared_headers(op: &Operation) -> Vec<&ResponseHeader> {
    let mut headers: Vec<&ResponseHeader> = Vec::new();
    for h in op.responses.success.iter().flat_map(|s| &s.headers) {
        if !headers.iter().any(|k| k.rust_name == h.rust_name) {
            headers.push(h);
        }
    }
    headers
}

/// `"a", "b"`: string literals for a slice.
fn media_list<'m>(media: impl IntoIterator<Item = &'m String>) -> Vec<syn::Expr> {
    media.into_iter().map(|m| str_expr(m)).collect()
}

/// The headers struct, a field per declared header, and its `ResponseHeaders` impl.
fn headers_struct(api: &Api, op: &Operation, name: &str) -> Vec<syn::Item> {
    let headers = declared_headers(op);
    let fields: Vec<syn::Field> = headers
        .iter()
        .map(|h| {
            let mut field = fragment!(syn::Field { pub __name: __Type },
                __name = ident(&h.rust_name),
                __Type = option_type(rust_type(&h.ty, Scope::Operations)),
            );
            field.attrs = field_docs(h);
            field
        })
        .collect();
    let values: Vec<syn::FieldValue> = headers
        .iter()
        .map(|h| {
            fragment!(
                syn::FieldValue {
                    __name: azure_devops_runtime::__private::header(headers, __wire)?
                },
                __name = ident(&h.rust_name),
                __wire = str_expr(&h.wire_name)
            )
        })
        .collect();
    let mut def = fragment!(syn::ItemStruct {
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct __Name {
            __fields: (),
        }
    }, __Name = ident(name), __fields = fields);
    let mut attrs = doc_lines(&format!(
        "The headers the success responses of [`{}::{}`] declare, each `None` when the \
         response does not send it: read them with \
         [`ApiResponse::declared_headers`](crate::ApiResponse::declared_headers).",
        api.client_type(),
        op.fn_name
    ));
    attrs.append(&mut def.attrs);
    def.attrs = attrs;
    let read = fragment!(syn::Item {
        impl crate::ResponseHeaders for __Name {
            fn read(headers: &azure_devops_runtime::__private::HeaderMap) -> Result<Self, Error> {
                Ok(__Name { __values: () })
            }
        }
    }, __Name = ident(name), __values = values);
    vec![syn::Item::Struct(def), read]
}

/// A header field's docs: the spec's description and the header's name.
fn field_docs(h: &ResponseHeader) -> Vec<syn::Attribute> {
    let description = sanitize(h.description.as_deref().unwrap_or_default().trim());
    let text = if description.is_empty() {
        format!("The `{}` header.", h.wire_name)
    } else {
        format!("{description}\n\nThe `{}` header.", h.wire_name)
    };
    doc_lines(&text)
}
