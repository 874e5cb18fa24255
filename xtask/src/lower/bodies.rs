//! Request bodies, and the content types of bodies, for requests and responses alike: JSON
//! (`application/json`, `text/json`, `*+json` such as `application/json-patch+json`) into
//! model types, text (`text/*`) as a string, anything else (`application/octet-stream`,
//! `application/zip`, images) as bytes; forms are not supported. A content map may offer
//! several media types: the client uses the first of the kind it prefers, and the others
//! are kept so that a caller can choose (`Content-Type` among those of the same kind and
//! schema, `Accept` among all of a response's).

use indexmap::IndexMap;
use openapiv3::{MediaType, ReferenceOr, RequestBody, Schema};

use super::Lowerer;
use crate::diagnostics::join;
use crate::model::{Body, Docs, TypeRef};

/// What a content map holds, as the client writes or reads it: the media type chosen (JSON
/// first, then text, then anything else as bytes) and its schema.
pub(super) struct Content<'c> {
    pub media: String,
    pub kind: ContentKind,
    pub schema: Option<&'c ReferenceOr<Schema>>,
    /// The content map's other media types the client can read or write, in the spec's
    /// order.
    pub others: Vec<(String, ContentKind, Option<&'c ReferenceOr<Schema>>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ContentKind {
    Json,
    Text,
    Bytes,
}

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
        let content = self.content(&rb.content, &content_pointer)?;
        let ty = match content.kind {
            ContentKind::Json => {
                let spointer = join(&join(&content_pointer, &content.media), "schema");
                let Some(schema) = content.schema else {
                    self.errs.report(&spointer, "a request body needs a schema");
                    return None;
                };
                self.schema_ref(schema, &spointer, &format!("{builder_name}Body"))?
                    .ty
            }
            ContentKind::Text => TypeRef::Text,
            ContentKind::Bytes => TypeRef::Bytes,
        };
        // The same value can go as any media type of its kind (and, for JSON, its schema).
        let also = content
            .others
            .iter()
            .filter(|(_, kind, schema)| {
                *kind == content.kind && (*kind != ContentKind::Json || *schema == content.schema)
            })
            .map(|(media, _, _)| media.clone())
            .collect();
        Some(Body {
            ty,
            required: rb.required,
            docs: Docs {
                summary: None,
                description: rb.description.clone(),
            },
            media: content.media,
            also,
        })
    }

    /// The media type of a content map the client uses: JSON where the operation offers
    /// it, else text, else bytes. Forms are not supported.
    pub(super) fn content<'c>(
        &mut self,
        content: &'c IndexMap<String, MediaType>,
        pointer: &str,
    ) -> Option<Content<'c>> {
        let pick = |kind: ContentKind| {
            content
                .iter()
                .find(|(media, _)| content_kind(media) == Some(kind))
                .map(|(media, m)| Content {
                    media: media.clone(),
                    kind,
                    schema: m.schema.as_ref(),
                    others: content
                        .iter()
                        .filter(|(other, _)| *other != media)
                        .filter_map(|(other, m)| {
                            Some((other.clone(), content_kind(other)?, m.schema.as_ref()))
                        })
                        .collect(),
                })
        };
        let found = pick(ContentKind::Json)
            .or_else(|| pick(ContentKind::Text))
            .or_else(|| pick(ContentKind::Bytes));
        if found.is_none() {
            let found: Vec<&str> = content.keys().map(String::as_str).collect();
            self.errs.report(
                pointer,
                format!(
                    "no supported content (JSON, text or bytes; forms are not supported), \
                     found {}",
                    if found.is_empty() {
                        "none".to_owned()
                    } else {
                        found.join(", ")
                    }
                ),
            );
        }
        found
    }
}

/// How the client writes and reads a media type: JSON, text (`text/*`), or bytes (anything
/// else but forms, which it cannot write).
fn content_kind(media: &str) -> Option<ContentKind> {
    let essence = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if is_json(&essence) {
        Some(ContentKind::Json)
    } else if essence.starts_with("text/") {
        Some(ContentKind::Text)
    } else if essence.starts_with("multipart/")
        || essence == "application/x-www-form-urlencoded"
        || essence.is_empty()
    {
        None
    } else {
        Some(ContentKind::Bytes)
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
    use super::{ContentKind, content_kind, is_json};

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
        for (media, kind) in [
            ("application/json-patch+json", Some(ContentKind::Json)),
            ("text/plain; charset=utf-8", Some(ContentKind::Text)),
            ("application/octet-stream", Some(ContentKind::Bytes)),
            ("application/zip", Some(ContentKind::Bytes)),
            ("image/svg+xml", Some(ContentKind::Bytes)),
            ("multipart/form-data", None),
            ("application/x-www-form-urlencoded", None),
        ] {
            assert_eq!(content_kind(media), kind, "{media}");
        }
    }
}
