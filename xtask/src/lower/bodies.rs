//! Request bodies, and the content types of bodies: JSON only (`application/json`,
//! `text/json`, `*+json`), for requests and responses alike.

use indexmap::IndexMap;
use openapiv3::{MediaType, ReferenceOr, RequestBody, Schema};

use super::Lowerer;
use crate::diagnostics::join;
use crate::model::{Body, Docs};

impl<'a> Lowerer<'a> {
    /// The request body of the operation whose builder is `builder_name` (which names an
    /// inline body type).
    pub(super) fn request_body(
        &mut self,
        rb: &'a ReferenceOr<RequestBody>,
        pointer: &str,
        builder_name: &str,
    ) -> Option<Body> {
        let (rb, pointer) = self.component(rb, pointer, "requestBodies", |c| &c.request_bodies)?;
        let content_pointer = join(&pointer, "content");
        let (media, schema) = self.json_content(&rb.content, &content_pointer)?;
        let spointer = join(&join(&content_pointer, &media), "schema");
        let Some(schema) = schema else {
            self.errs.report(&spointer, "a request body needs a schema");
            return None;
        };
        let lowered = self.schema_ref(schema, &spointer, &format!("{builder_name}Body"))?;
        Some(Body {
            ty: lowered.ty,
            required: rb.required,
            docs: Docs {
                summary: None,
                description: rb.description.clone(),
            },
        })
    }

    /// The JSON media type of a content map and its schema; anything else is unsupported.
    pub(super) fn json_content<'c>(
        &mut self,
        content: &'c IndexMap<String, MediaType>,
        pointer: &str,
    ) -> Option<(String, Option<&'c ReferenceOr<Schema>>)> {
        match content.iter().find(|(media, _)| is_json(media)) {
            Some((media, m)) => Some((media.clone(), m.schema.as_ref())),
            None => {
                let found: Vec<&str> = content.keys().map(String::as_str).collect();
                self.errs.report(
                    pointer,
                    format!("only JSON content is supported, found {}", found.join(", ")),
                );
                None
            }
        }
    }
}

/// Whether a media type is JSON: `application/json`, `text/json` or `*/*+json`, with any
/// parameters.
fn is_json(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence == "text/json" || essence.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::is_json;

    #[test]
    fn json_media_types() {
        for media in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "text/json",
            "application/json-patch+json",
            "application/problem+json",
        ] {
            assert!(is_json(media), "{media}");
        }
        for media in [
            "text/plain",
            "application/octet-stream",
            "application/jsonx",
        ] {
            assert!(!is_json(media), "{media}");
        }
    }
}
