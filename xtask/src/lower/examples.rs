//! Examples: the request parts and the 2xx response of an operation that share a name,
//! which the generated crate checks as tests (`tests/examples.rs`).
//!
//! OpenAPI 3.0 keeps examples per part, not per operation: `parameters[i].examples`,
//! `requestBody.content[media].examples` and `responses[status].content[media].examples`,
//! each a map of named examples (`$ref`s to `#/components/examples/NAME` included), or the
//! part's single `example`, which is named `example` here. The example named `X` of an
//! operation is:
//!
//! - its response: the first 2xx response (by status) whose content, in the media type the
//!   client reads, has an example `X`. When no 2xx response has a body (a `204`, say), it is
//!   the first 2xx response, without a body, and `X` is any name the request parts use;
//! - its request: the values named `X` of the parameters and of the body (in the media type
//!   the client sends). Constant parameters (`api-version`) are the client's own.
//!
//! An example is replayed when its request can be sent: every required parameter and a
//! required body have a value of its name (the generator never invents one: a made-up value
//! would test nothing), none is an `externalValue`, and a text or bytes body is a string.
//! Otherwise, when it has a 2xx response body that the client reads as JSON, it is *decoded
//! only*: the test decodes that body into the type of its status, encodes it again and
//! compares (the reason it is not replayed is kept, for the file's docs). What cannot be
//! checked at all is skipped, with its reason, and listed in the generated file rather than
//! reported as an error: no 2xx response has an example of its name, the response is an
//! `externalValue`, or a request that cannot be sent meets a response without a body or
//! one that is not JSON.

use indexmap::IndexMap;
use openapiv3::{MediaType, Parameter, ReferenceOr};
use serde_json::Value;

use super::Lowerer;
use crate::diagnostics::join;
use crate::model::{Example, ExampleCheck, Operation, SkippedExample, TypeRef};

/// A part's examples by name: the value, or `None` for an `externalValue` (or an example
/// without a value), which the generator does not read.
type Named = IndexMap<String, Option<Value>>;

/// The resolved parameters of an operation, by name and location, with their pointers.
pub(super) type Resolved<'a> = IndexMap<(String, &'static str), (String, &'a Parameter)>;

/// The examples of every part of one operation, by name.
struct Parts {
    /// Per parameter of the lowered operation (its index), its examples.
    params: Vec<(usize, Named)>,
    body: Named,
    /// Per success response with a body, its status and examples, in status order.
    responses: Vec<(u16, Named)>,
}

impl<'a> Lowerer<'a> {
    /// Pairs the examples of `op` (written at `pointer`) into those of the lowered
    /// operation, which get replayed or decoded, and those skipped.
    pub(super) fn examples(
        &mut self,
        op: &'a openapiv3::Operation,
        pointer: &str,
        resolved: &Resolved<'a>,
        lowered: &Operation,
    ) -> (Vec<Example>, Vec<SkippedExample>) {
        let parts = self.parts(op, pointer, resolved, lowered);
        let success = &lowered.responses.success;
        // Without any response body, a request example is answered with the first 2xx
        // status and nothing else.
        let bodiless = success.iter().all(|s| s.ty.is_none());
        let mut names: Vec<&String> = parts.responses.iter().flat_map(|(_, n)| n.keys()).collect();
        names.extend(parts.params.iter().flat_map(|(_, n)| n.keys()));
        names.extend(parts.body.keys());
        let mut seen = std::collections::HashSet::new();
        names.retain(|n| seen.insert(*n));

        let mut examples = Vec::new();
        let mut skipped = Vec::new();
        for name in names {
            let response = parts
                .responses
                .iter()
                .find_map(|(status, n)| Some((*status, n.get(name)?)));
            let (status, response) = match (response, success.first()) {
                (Some((status, Some(value))), _) => (status, Some(value.clone())),
                (Some((_, None)), _) => {
                    skipped.push(skip(
                        name,
                        "its response is an externalValue, not read",
                        true,
                    ));
                    continue;
                }
                (None, Some(first)) if bodiless => (first.status, None),
                (None, _) => {
                    skipped.push(skip(
                        name,
                        "no 2xx response has an example of this name",
                        false,
                    ));
                    continue;
                }
            };
            let declared = success.iter().find(|s| s.status == status);
            let media = response
                .as_ref()
                .and(declared)
                .and_then(|s| s.media.clone());
            let check = match request(name, &parts, lowered) {
                Ok((params, body)) => ExampleCheck::Replayed { params, body },
                // Not replayable: its response body, if JSON, is still decoded.
                Err(reason) => match (&response, declared.and_then(|s| s.ty.as_ref())) {
                    (None, _) => {
                        skipped.push(skip(name, &reason, false));
                        continue;
                    }
                    (Some(_), Some(TypeRef::Text | TypeRef::Bytes) | None) => {
                        let media = media.as_deref().map_or(String::new(), |m| format!("{m} "));
                        let why = format!("{reason}; its {media}response is not JSON to decode");
                        skipped.push(skip(name, &why, true));
                        continue;
                    }
                    (Some(_), Some(_)) => ExampleCheck::DecodedOnly { reason },
                },
            };
            examples.push(Example {
                name: name.clone(),
                status,
                response,
                media,
                check,
            });
        }
        (examples, skipped)
    }

    /// The named examples of the parameters, the body and the success responses.
    fn parts(
        &mut self,
        op: &'a openapiv3::Operation,
        pointer: &str,
        resolved: &Resolved<'a>,
        lowered: &Operation,
    ) -> Parts {
        let mut params = Vec::new();
        for (i, p) in lowered.params.iter().enumerate() {
            let key = (p.wire_name.clone(), p.location.name());
            if p.constant.is_some() {
                continue;
            }
            if let Some((at, raw)) = resolved.get(&key) {
                let data = raw.parameter_data_ref();
                params.push((i, self.named(&data.example, &data.examples, at)));
            }
        }
        let mut body = Named::new();
        if let (Some(rb), Some(lowered_body)) = (&op.request_body, &lowered.body) {
            let at = join(pointer, "requestBody");
            if let Some((rb, at)) = self.component(rb, &at, "requestBodies", |c| &c.request_bodies)
            {
                body = self.media_examples(&rb.content, &lowered_body.media, &at);
            }
        }
        let mut responses = Vec::new();
        for s in &lowered.responses.success {
            let Some(media) = &s.media else { continue };
            let code = openapiv3::StatusCode::Code(s.status);
            let Some(r) = op.responses.responses.get(&code) else {
                continue;
            };
            let at = join(&join(pointer, "responses"), &s.status.to_string());
            if let Some((r, at)) = self.component(r, &at, "responses", |c| &c.responses) {
                responses.push((s.status, self.media_examples(&r.content, media, &at)));
            }
        }
        Parts {
            params,
            body,
            responses,
        }
    }

    /// The examples of the media type `media` of a content map (of the object at `pointer`).
    fn media_examples(
        &mut self,
        content: &'a IndexMap<String, MediaType>,
        media: &str,
        pointer: &str,
    ) -> Named {
        match content.get(media) {
            Some(m) => {
                let at = join(&join(pointer, "content"), media);
                self.named(&m.example, &m.examples, &at)
            }
            None => Named::new(),
        }
    }

    /// A part's `examples` (resolving `$ref`s to `#/components/examples`) and its single
    /// `example`, named `example` (unless an entry of `examples` has that name).
    fn named(
        &mut self,
        example: &Option<Value>,
        examples: &'a IndexMap<String, ReferenceOr<openapiv3::Example>>,
        pointer: &str,
    ) -> Named {
        let mut named = Named::new();
        let base = join(pointer, "examples");
        for (name, ex) in examples {
            let at = join(&base, name);
            if let Some((ex, _)) = self.component(ex, &at, "examples", |c| &c.examples) {
                named.insert(name.clone(), ex.value.clone());
            }
        }
        if let Some(value) = example {
            named
                .entry("example".to_owned())
                .or_insert_with(|| Some(value.clone()));
        }
        named
    }
}

/// An example's parameter values (by index into the operation's) and request body.
type Request = (Vec<(usize, Value)>, Option<Value>);

/// The parameter values and body of the example `name`, or why it cannot be replayed.
fn request(name: &str, parts: &Parts, op: &Operation) -> Result<Request, String> {
    let mut params = Vec::new();
    for (i, p) in op.params.iter().enumerate() {
        if p.constant.is_some() {
            continue;
        }
        let value = parts
            .params
            .iter()
            .find(|(at, _)| *at == i)
            .and_then(|(_, named)| named.get(name));
        match value {
            Some(Some(v)) => params.push((i, v.clone())),
            Some(None) => {
                return Err(format!(
                    "the value of the parameter {:?} is an externalValue, not read",
                    p.wire_name
                ));
            }
            None if p.required => {
                return Err(format!(
                    "no value for the required parameter {:?}",
                    p.wire_name
                ));
            }
            None => {}
        }
    }
    let body = match (parts.body.get(name), &op.body) {
        (Some(Some(v)), Some(b)) => {
            if matches!(b.ty, TypeRef::Text | TypeRef::Bytes) && !v.is_string() {
                return Err(format!("its {} request body is not a string", b.media));
            }
            Some(v.clone())
        }
        (Some(None), _) => return Err("its request body is an externalValue, not read".into()),
        (None, Some(b)) if b.required => return Err("no request body of this name".into()),
        _ => None,
    };
    Ok((params, body))
}

fn skip(name: &str, reason: &str, has_body: bool) -> SkippedExample {
    SkippedExample {
        name: name.to_owned(),
        reason: reason.to_owned(),
        has_body,
    }
}
