//! Responses: the 2xx responses an operation declares (with their body types and, when
//! several bodies differ, the enum `send()` returns), the statuses taken as success, and
//! the documented errors.

use std::collections::HashSet;

use openapiv3::{ReferenceOr, Response, StatusCode};

use super::Lowerer;
use super::bodies::ContentKind;
use crate::diagnostics::join;
use crate::model::{Responses, SuccessResponse, TypeRef};
use crate::names;

/// A success response's body: its type, the media type the client reads, and the others
/// declared, of the same kind and of others.
struct ResponseBody {
    ty: TypeRef,
    media: String,
    also: Vec<String>,
    other_kinds: Vec<String>,
}

/// Success statuses assumed for an operation that declares none.
const DEFAULT_SUCCESS: &[u16] = &[200, 201, 202, 204];

impl<'a> Lowerer<'a> {
    /// The responses of the operation whose builder is `builder_name` (which names inline
    /// response types and the response enum).
    pub(super) fn responses(
        &mut self,
        responses: &'a openapiv3::Responses,
        pointer: &str,
        builder_name: &str,
    ) -> Option<Responses> {
        let mark = self.errs.mark();
        let mut success = Vec::new();
        let mut errors = Vec::new();
        for (code, response) in &responses.responses {
            let rpointer = join(pointer, &code.to_string());
            let status = match code {
                StatusCode::Code(c) => *c,
                StatusCode::Range(r) => {
                    if *r == 2 {
                        self.errs.report(
                            &rpointer,
                            "a 2XX range response is not supported; list the status codes",
                        );
                    }
                    continue;
                }
            };
            if !(200..300).contains(&status) {
                if let Some((r, _)) = self.resolve_response(response, &rpointer) {
                    errors.push((status.to_string(), r.description.clone()));
                }
                continue;
            }
            let Some((response, rpointer)) = self.resolve_response(response, &rpointer) else {
                continue;
            };
            let (ty, media, also, other_kinds) = match self.response_type(
                response,
                &rpointer,
                &format!("{builder_name}Response{status}"),
            ) {
                Some(b) => (Some(b.ty), Some(b.media), b.also, b.other_kinds),
                None => (None, None, Vec::new(), Vec::new()),
            };
            let headers = self.response_headers(&response.headers, &rpointer);
            success.push(SuccessResponse {
                status,
                ty,
                media,
                also,
                other_kinds,
                headers,
                description: response.description.clone(),
            });
        }
        if !self.errs.clean_since(mark) {
            return None;
        }
        success.sort_by_key(|s| s.status);
        let enum_name = self.response_enum_name(&success, pointer, builder_name)?;
        let headers_name = self.headers_name(&success, pointer, builder_name)?;
        let accepted = if success.is_empty() {
            DEFAULT_SUCCESS.to_vec()
        } else {
            success.iter().map(|s| s.status).collect()
        };
        if let Some(ReferenceOr::Item(r)) = &responses.default {
            errors.push(("default".to_owned(), r.description.clone()));
        }
        Some(Responses {
            success,
            enum_name,
            accepted,
            errors,
            headers_name,
        })
    }

    /// The type and media type of a success response's body, and the other media types it
    /// is declared in (of the same kind, of others): none without content, free-form JSON for JSON content without a
    /// schema. A problem is reported (and checked by the caller).
    fn response_type(
        &mut self,
        response: &'a Response,
        pointer: &str,
        hint: &str,
    ) -> Option<ResponseBody> {
        if response.content.is_empty() {
            return None;
        }
        let cpointer = join(pointer, "content");
        let content = self.content(&response.content, &cpointer)?;
        let ty = match (content.kind, content.schema) {
            (ContentKind::Json, Some(schema)) => {
                let spointer = join(&join(&cpointer, &content.media), "schema");
                self.schema_ref(schema, &spointer, hint)?.ty
            }
            (ContentKind::Json, None) => TypeRef::Json,
            (ContentKind::Text, _) => TypeRef::Text,
            (ContentKind::Bytes, _) => TypeRef::Bytes,
        };
        // The other media types, of the same kind and of others.
        let (same, other): (Vec<_>, Vec<_>) = content
            .others
            .into_iter()
            .partition(|(_, kind, _)| *kind == content.kind);
        let media = |list: Vec<(String, ContentKind, _)>| list.into_iter().map(|m| m.0).collect();
        Some(ResponseBody {
            ty,
            media: content.media,
            also: media(same),
            other_kinds: media(other),
        })
    }

    /// The name of the struct of the headers an operation's success responses declare,
    /// `Some(None)` when they declare none; `None` when the name is taken or two headers
    /// become one field (reported).
    fn headers_name(
        &mut self,
        success: &[SuccessResponse],
        pointer: &str,
        builder_name: &str,
    ) -> Option<Option<String>> {
        let mut fields: Vec<(&str, &str)> = Vec::new();
        let mut clean = true;
        for h in success.iter().flat_map(|s| &s.headers) {
            // The same header declared by several responses is one field.
            match fields.iter().find(|(field, _)| *field == h.rust_name) {
                Some((_, wire)) if !wire.eq_ignore_ascii_case(&h.wire_name) => {
                    self.errs.report(
                        pointer,
                        format!(
                            "response headers {wire:?} and {:?} both become `{}`",
                            h.wire_name, h.rust_name
                        ),
                    );
                    clean = false;
                }
                Some(_) => {}
                None => fields.push((&h.rust_name, &h.wire_name)),
            }
        }
        if !clean {
            return None;
        }
        if fields.is_empty() {
            return Some(None);
        }
        let name = format!("{builder_name}Headers");
        if names::is_runtime_name(&name) {
            self.errs.report(pointer, format!("the headers struct would be named `{name}`, a name the generated crate already uses"));
            return None;
        }
        if let Some(other) = self.op_type_origins.get(&name) {
            let other = other.clone();
            self.errs.report(
                pointer,
                format!("the headers struct `{name}` collides with {other}"),
            );
            return None;
        }
        self.op_type_origins
            .insert(name.clone(), format!("the headers struct of {pointer}"));
        Some(Some(name))
    }

    /// The name of the enum an operation with several different success bodies returns,
    /// `Some(None)` when it needs none; `None` when the name is taken (reported).
    fn response_enum_name(
        &mut self,
        success: &[SuccessResponse],
        pointer: &str,
        builder_name: &str,
    ) -> Option<Option<String>> {
        let distinct: HashSet<String> = success.iter().map(|s| format!("{:?}", s.ty)).collect();
        if distinct.len() <= 1 {
            return Some(None);
        }
        let name = format!("{builder_name}Response");
        // The enum lives next to the request builders, not among the models.
        if names::is_runtime_name(&name) {
            self.errs.report(pointer, format!("the response enum would be named `{name}`, a name the generated crate already uses"));
            return None;
        }
        if let Some(other) = self.op_type_origins.get(&name) {
            let other = other.clone();
            self.errs.report(
                pointer,
                format!("the response enum `{name}` collides with {other}"),
            );
            return None;
        }
        self.op_type_origins
            .insert(name.clone(), format!("the response enum of {pointer}"));
        Some(Some(name))
    }

    fn resolve_response(
        &mut self,
        r: &'a ReferenceOr<Response>,
        pointer: &str,
    ) -> Option<(&'a Response, String)> {
        self.component(r, pointer, "responses", |c| &c.responses)
    }
}
