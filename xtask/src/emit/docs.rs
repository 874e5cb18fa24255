//! Rustdoc: `#[doc]` attributes from the spec's text (made safe for rustdoc by [`sanitize`])
//! and from text the generator writes, and the doc text of each operation: its method on
//! `Client` (what it sends, its arguments, responses and errors, a `no_run` example), its
//! request builder, setters and response enum.
//!
//! ```text
//! /// Revokes the listed OAuth authorizations.
//! ///
//! /// `POST /_apis/tokenadministration/tokenrevocations` (operation `TokenRevocations_RevokeAuthorizations`). Always sends `api-version=5.0-preview.1`. Idempotent: ...
//! ///
//! /// # Arguments
//! ///
//! /// * `host_id`: Host Id to display on the notification page to manage tokens. (`hostId`, query)
//! /// * `body`: The list of objects containing the authorization IDs ...
//! ///
//! /// # Responses
//! ///
//! /// * 204: The authorizations were deleted successfully.
//! ///
//! /// # Errors
//! ///
//! /// Any other status is an [`Error`] that keeps the status and the service's error body. Documented:
//! ///
//! /// * 400: The input is invalid, such as by not containing an authorization ID and/or Host Id.
//! ///
//! /// # Example
//! ///
//! /// ```no_run
//! /// # async fn example(client: &token_administration::Client, host_id: uuid::Uuid, body: &token_administration::models::TokenAdministrationRevocation) -> Result<(), token_administration::Error> {
//! /// client.revoke_authorizations(host_id, body).send().await?;
//! /// # Ok(())
//! /// # }
//! /// ```
//! ```

use super::operations::response::output_is_unit;
use super::{ident, plain_ident, str_expr};
use crate::model::{Api, Body, Docs, Operation, PageItems, Param, SuccessResponse, TypeRef};

/// `#[doc]` attributes for the summary and description.
pub(crate) fn spec_docs(docs: &Docs) -> Vec<syn::Attribute> {
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
pub(crate) fn doc_lines(text: &str) -> Vec<syn::Attribute> {
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
pub(crate) fn doc_attr(text: &str) -> syn::Attribute {
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

/// Spec text (Markdown) as rustdoc that renders the same and draws no warning (see
/// [`markdown`](super::markdown)), block by block. A leading space, the one a `#[doc]`
/// attribute's text starts with after `///`, is kept.
pub(crate) fn sanitize(text: &str) -> String {
    let block = super::markdown::block(text);
    if text.starts_with(' ') {
        format!(" {block}")
    } else {
        block
    }
}

/// Spec text on one line of a list.
fn one_line(text: &str) -> String {
    super::markdown::inline(text.trim())
}

/// The docs of an operation's method on `Client`: the spec's text, then what the method
/// sends, its arguments (`args`, the required parameters), responses and errors, and an
/// example.
pub(crate) fn method_docs(api: &Api, op: &Operation, args: &[&Param]) -> Vec<syn::Attribute> {
    let mut out = spec_docs(&op.docs);
    let mut text = String::new();
    if !out.is_empty() {
        text.push('\n');
    }
    push_request_line(&mut text, op);
    push_paging(&mut text, op);
    push_arguments(&mut text, op, args);
    push_responses(&mut text, op);
    push_transfer(&mut text, op);
    push_errors(&mut text, op);
    out.extend(doc_lines(&text));
    out.extend(example(api, op, args));
    out
}

/// `` `POST /path/{param}` (operation `id`).``, the constants it always sends and whether
/// it is retried as idempotent.
fn push_request_line(text: &mut String, op: &Operation) {
    let path = op.path_template();
    text.push_str(&format!("`{} {path}` (operation `{}`).", op.method, op.id));
    let constants: Vec<String> = op
        .params
        .iter()
        .filter_map(|p| {
            p.constant
                .as_ref()
                .map(|v| format!("`{}={v}`", p.wire_name))
        })
        .collect();
    if !constants.is_empty() {
        text.push_str(&format!(" Always sends {}.", constants.join(", ")));
    }
    // Which failures are retried is the runtime's to say (`RetryPolicy`), not repeated here.
    text.push_str(if op.idempotent {
        " Idempotent: retried after every failure the client's [`RetryPolicy`](crate::RetryPolicy) retries."
    } else {
        " Not idempotent: retried only when the service cannot have acted on it (see [`RetryPolicy`](crate::RetryPolicy))."
    });
}

/// For an operation that pages, how to read all of its pages.
fn push_paging(text: &mut String, op: &Operation) {
    let Some(paging) = &op.paging else { return };
    let token = op
        .params
        .iter()
        .find(|p| p.rust_name == paging.token_param)
        .map_or("continuationToken", |p| p.wire_name.as_str());
    text.push_str(&format!(
        "\n\nPages by `{token}`: `.send()` reads one page, \
         [`.pages()`](crate::RequestBuilder::pages) every page, one request each"
    ));
    let items = match &paging.items {
        Some(PageItems::Field(f)) => format!("every entry of their `{}` lists", f.rust_name),
        Some(PageItems::Page(_)) => "every entry of every page".to_owned(),
        None => return text.push('.'),
    };
    text.push_str(&format!(
        ", and [`.items()`](crate::RequestBuilder::items) {items}."
    ));
}

/// `# Arguments`: the method's arguments, if it has any.
fn push_arguments(text: &mut String, op: &Operation, args: &[&Param]) {
    let mut lines: Vec<String> = args
        .iter()
        .map(|p| {
            let place = format!("(`{}`, {})", p.wire_name, p.location.name());
            match described(p.docs.description.as_deref()) {
                Some(text) => format!("* `{}`: {text} {place}", p.rust_name),
                None => format!("* `{}` {place}", p.rust_name),
            }
        })
        .collect();
    if let Some(b) = op.body.as_ref().filter(|b| b.required) {
        let text = described(b.docs.description.as_deref());
        lines.push(format!(
            "* `body`: {}",
            text.unwrap_or_else(|| "the request's body.".to_owned())
        ));
    }
    if !lines.is_empty() {
        text.push_str("\n\n# Arguments\n\n");
        text.push_str(&lines.join("\n"));
    }
}

/// A description on one line, or `None` when the spec gives none (or only blanks).
fn described(description: Option<&str>) -> Option<String> {
    Some(one_line(description?)).filter(|text| !text.trim().is_empty())
}

/// `# Responses`: the success statuses.
fn push_responses(text: &mut String, op: &Operation) {
    let success: Vec<String> = op
        .responses
        .success
        .iter()
        .map(|s| format!("* {}: {}", s.status, one_line(&s.description)))
        .collect();
    if success.is_empty() {
        let accepted: Vec<String> = op.responses.accepted.iter().map(u16::to_string).collect();
        text.push_str(&format!(
            "\n\n# Responses\n\nThe spec declares no success response; {} are taken as success and any body is ignored.",
            accepted.join(", ")
        ));
    } else {
        text.push_str("\n\n# Responses\n\n");
        text.push_str(&success.join("\n"));
    }
}

/// What the body, media types and headers of the operation offer beyond `send()`.
fn push_transfer(text: &mut String, op: &Operation) {
    use super::operations::{request::accept, transfer};
    let mut lines: Vec<String> = Vec::new();
    if let Some(b) = &op.body {
        if b.ty == TypeRef::Bytes {
            lines.push(
                "The body is bytes in memory or a stream (a file, say): see \
                 [`UploadBody`](crate::UploadBody); a streamed body is sent once, never retried."
                    .to_owned(),
            );
        }
        if !b.also.is_empty() {
            let also: Vec<String> = b.also.iter().map(|m| format!("`{m}`")).collect();
            lines.push(format!(
                "The body is sent as `{}`; [`.content_type()`](crate::RequestBuilder::content_type) \
                 sends it as {} instead.",
                b.media,
                also.join(" or ")
            ));
        }
    }
    let accept_list = transfer::accept_list(op);
    if accept_list.len() > 1 {
        let all: Vec<String> = accept_list.iter().map(|m| format!("`{m}`")).collect();
        let asked = accept(op).unwrap_or_else(|| "application/json".to_owned());
        lines.push(format!(
            "The responses come as {}; the client asks for `{asked}`, \
             [`.accept()`](crate::RequestBuilder::accept) for one of them.",
            all.join(", ")
        ));
    }
    if transfer::streamed(op) {
        lines.push(
            "[`.send_streamed()`](crate::RequestBuilder::send_streamed) reads the body as a \
             stream of chunks, without the 32 MiB limit of `.send()`."
                .to_owned(),
        );
    }
    if let Some(name) = &op.responses.headers_name {
        let names: Vec<String> = transfer::declared_headers(op)
            .iter()
            .map(|h| format!("`{}`", h.wire_name))
            .collect();
        lines.push(format!(
            "Declared response headers ({}): read them typed as [`{name}`] with \
             [`ApiResponse::declared_headers`](crate::ApiResponse::declared_headers).",
            names.join(", ")
        ));
    }
    if !lines.is_empty() {
        text.push_str("\n\n");
        text.push_str(&lines.join("\n\n"));
    }
}

/// `# Errors`: any other status, and the error responses the spec documents.
fn push_errors(text: &mut String, op: &Operation) {
    text.push_str("\n\n# Errors\n\nAny other status is an [`Error`] that keeps the status and the service's error body");
    if op.responses.errors.is_empty() {
        text.push('.');
    } else {
        text.push_str(". Documented:\n\n");
        let lines: Vec<String> = op
            .responses
            .errors
            .iter()
            .map(|(s, d)| format!("* {s}: {}", one_line(d)))
            .collect();
        text.push_str(&lines.join("\n"));
    }
}

/// A `no_run` doc example that calls the operation; its inputs are parameters of a hidden
/// function, so it compiles whatever the operation's types are.
fn example(api: &Api, op: &Operation, args: &[&Param]) -> Vec<syn::Attribute> {
    let lib = &api.lib_name;
    let (params, call_args) = example_inputs(api, op, args);
    let bind = if output_is_unit(op) {
        ""
    } else {
        "let response = "
    };
    // An example is a crate of its own: it needs the deep models' limit too.
    let limit = api
        .recursion_limit
        .map(|limit| format!("# #![recursion_limit = \"{limit}\"]"));
    let lines = [
        String::new(),
        "# Example".to_owned(),
        String::new(),
        "```no_run".to_owned(),
    ]
    .into_iter()
    .chain(limit)
    .chain([
        "# async fn example(".to_owned(),
        params
            .iter()
            .map(|p| format!("#     {p},"))
            .collect::<Vec<_>>()
            .join("\n"),
        format!("# ) -> Result<(), {lib}::Error> {{"),
        format!(
            "{bind}{}.{}({}).send().await?;",
            api.receiver(),
            op.fn_name,
            call_args.join(", ")
        ),
        "# Ok(())".to_owned(),
        "# }".to_owned(),
        "```".to_owned(),
    ]);
    lines
        .flat_map(|l| l.split('\n').map(str::to_owned).collect::<Vec<_>>())
        .map(|l| {
            if l.is_empty() {
                doc_attr("")
            } else {
                doc_attr(&format!(" {l}"))
            }
        })
        .collect()
}

/// The example's inputs: the parameters of its hidden function (the client, the
/// arguments, a required body) and the arguments of its call.
fn example_inputs(api: &Api, op: &Operation, args: &[&Param]) -> (Vec<String>, Vec<String>) {
    let lib = &api.lib_name;
    let models = format!("{}::models", api.items_path());
    let mut params = vec![format!("client: &{lib}::Client")];
    let mut call_args = Vec::new();
    for p in args {
        let ty = example_type(&models, &p.ty);
        // As the method's argument is spelt: `r#type` for a keyword.
        let name = ident(&p.rust_name).to_string();
        params.push(format!("{name}: {ty}"));
        call_args.push(name);
    }
    if let Some(b) = op.body.as_ref().filter(|b| b.required) {
        let ty = match &b.ty {
            TypeRef::Vec(inner) => format!("&[{}]", example_type(&models, inner)),
            TypeRef::String | TypeRef::Text => "&str".to_owned(),
            TypeRef::Bytes => "&[u8]".to_owned(),
            other => format!("&{}", example_type(&models, other)),
        };
        params.push(format!("body: {ty}"));
        call_args.push("body".to_owned());
    }
    (params, call_args)
}

/// `ty` as the example writes it, from outside the crate (`models`: the path of the
/// spec's models module).
fn example_type(models: &str, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String | TypeRef::Text => "String".into(),
        TypeRef::Bytes => "bytes::Bytes".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::Uuid => "uuid::Uuid".into(),
        TypeRef::DateTime => "chrono::DateTime<chrono::Utc>".into(),
        TypeRef::Date => "chrono::NaiveDate".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Named(n) => format!("{models}::{}", ident(n)),
        TypeRef::Vec(inner) => format!("Vec<{}>", example_type(models, inner)),
        TypeRef::Map(inner) => format!(
            "std::collections::BTreeMap<String, {}>",
            example_type(models, inner)
        ),
        TypeRef::Boxed(inner) => format!("Box<{}>", example_type(models, inner)),
    }
}

/// The request builder's doc line.
pub(crate) fn builder_docs(api: &Api, op: &Operation) -> Vec<syn::Attribute> {
    doc_lines(&format!(
        "Request builder for [`{}::{}`]: set optional parameters, then `.send().await` or `.await` it.",
        api.client_type(),
        op.fn_name
    ))
}

/// The doc line of the type of an operation's parameters.
pub(crate) fn params_docs(api: &Api, op: &Operation) -> Vec<syn::Attribute> {
    doc_lines(&format!(
        "The parameters of [`{}::{}`], set through its request builder [`{}`].",
        api.client_type(),
        op.fn_name,
        op.builder_name
    ))
}

/// The docs of the setter of an optional parameter: the spec's text and where it is sent.
pub(crate) fn setter_docs(p: &Param) -> Vec<syn::Attribute> {
    let mut text = sanitize(p.docs.description.as_deref().unwrap_or_default());
    if text.trim().is_empty() {
        text = format!("Sets `{}`.", p.wire_name);
    }
    text.push_str(&format!(
        "\n\nSent as the {} parameter `{}`.",
        p.location.name(),
        p.wire_name
    ));
    doc_lines(&text)
}

/// The docs of the setter of an optional body.
pub(crate) fn body_setter_docs(body: &Body) -> Vec<syn::Attribute> {
    let doc = spec_docs(&body.docs);
    if doc.is_empty() {
        doc_lines("The request body.")
    } else {
        doc
    }
}

/// The doc line of an operation's response enum.
pub(crate) fn response_enum_docs(api: &Api, op: &Operation) -> Vec<syn::Attribute> {
    doc_lines(&format!(
        "The success responses of [`{}::{}`], by status.",
        api.client_type(),
        op.fn_name
    ))
}

/// The docs of a variant of a response enum: the response's description.
pub(crate) fn status_docs(s: &SuccessResponse) -> Vec<syn::Attribute> {
    let mut text = sanitize(s.description.trim());
    if text.is_empty() {
        text = format!("Status {}.", s.status);
    }
    doc_lines(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_text_is_markdown_made_safe_for_rustdoc() {
        assert_eq!(sanitize("a [b] <c> `[d]`"), "a \\[b\\] &lt;c> `[d]`");
        assert_eq!(sanitize("see https://x.y/z."), "see <https://x.y/z>.");
        assert_eq!(
            sanitize("Rules:\n- a\n- b\n  more of b\nFor all of them, c."),
            "Rules:\n\n- a\n- b more of b For all of them, c."
        );
        assert_eq!(one_line("- a\n- b"), "a; b");
    }
}
