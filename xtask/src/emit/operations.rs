//! `operations.rs`: one method on `Client` and one request builder per operation.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::models::{constraint_checks, has_constraint_checks};
use super::{
    Scope, doc_lines, docs, ident, mentions_model, needs_validation, resolve, type_tokens,
};
use crate::model::{Api, Body, Operation, Param, ParamLocation, PathSegment, TypeRef};

pub fn emit(api: &Api) -> TokenStream {
    let mut tokens = header(api);
    tokens.extend(items(api, &api.operations));
    tokens
}

/// The start of the file, before any operation: the imports the operations use.
pub fn header(api: &Api) -> TokenStream {
    let mut imports = TokenStream::new();
    if !api.operations.is_empty() {
        imports.extend(quote! {
            use reqwest::Method;

            use crate::client::{ApiResponse, Client, Request, RequestPreview};
            use crate::error::Error;
        });
    }
    let mentions_model = api.operations.iter().any(|op| {
        op.params.iter().any(|p| mentions_model(&p.ty))
            || op.body.as_ref().is_some_and(|b| mentions_model(&b.ty))
            || op
                .responses
                .success
                .iter()
                .any(|s| s.ty.as_ref().is_some_and(mentions_model))
    });
    if mentions_model {
        imports.extend(quote!(
            use crate::models;
        ));
    }
    if api.operations.iter().any(|op| has_checks(api, op)) {
        imports.extend(quote!(
            use crate::validation;
        ));
    }
    quote! {
        //! One method on [`Client`] per operation of the spec, each returning a request builder:
        //! required parameters are arguments, optional ones are setters, and the builder is sent
        //! with `.send().await` or by awaiting it directly.
        #imports
    }
}

/// The items of `ops` (a run of `api.operations`).
pub fn items(api: &Api, ops: &[Operation]) -> TokenStream {
    let ops = ops.iter().map(|op| operation(api, op));
    quote!(#(#ops)*)
}

/// The Rust type an operation's `send()` yields.
fn output_type(api: &Api, op: &Operation) -> TokenStream {
    if let Some(name) = &op.responses.enum_name {
        let id = ident(name);
        return quote!(#id);
    }
    match op.responses.success.first().and_then(|s| s.ty.as_ref()) {
        Some(ty) => {
            let _ = api;
            type_tokens(ty, Scope::Operations)
        }
        None => quote!(()),
    }
}

/// How a required parameter is taken as an argument.
fn arg_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(impl Into<String>),
        other => type_tokens(other, Scope::Operations),
    }
}

/// The builder's field initializer for a required parameter.
fn arg_init(p: &Param) -> TokenStream {
    let name = ident(&p.rust_name);
    match p.ty {
        TypeRef::String => quote!(#name: #name.into(),),
        _ => quote!(#name,),
    }
}

/// How the body is borrowed by the builder.
fn body_type(body: &Body) -> TokenStream {
    match &body.ty {
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner, Scope::Operations);
            quote!([#inner])
        }
        TypeRef::String => quote!(str),
        other => type_tokens(other, Scope::Operations),
    }
}

fn operation(api: &Api, op: &Operation) -> TokenStream {
    let fn_name = ident(&op.fn_name);
    let builder = ident(&op.builder_name);
    let output = output_type(api, op);
    let args: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.constant.is_none() && p.required)
        .collect();
    let optional: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.constant.is_none() && !p.required)
        .collect();

    // Client method.
    let arg_decls = args.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = arg_type(&p.ty);
        quote!(#name: #ty)
    });
    let body_arg = op.body.as_ref().filter(|b| b.required).map(|b| {
        let ty = body_type(b);
        quote!(body: &'a #ty)
    });
    let init_args = args.iter().map(|p| arg_init(p));
    let init_optional = optional.iter().map(|p| {
        let name = ident(&p.rust_name);
        quote!(#name: None,)
    });
    let init_body = op.body.as_ref().map(|b| {
        if b.required {
            quote!(body,)
        } else {
            quote!(body: None,)
        }
    });
    let method_docs = method_docs(api, op, &args);
    let deprecated = op
        .deprecated
        .then(|| quote!(#[deprecated = "deprecated by the service"]));

    // Builder.
    let builder_doc = doc_lines(&format!(
        "Request builder for [`Client::{}`]: set optional parameters, then `.send().await` or `.await` it.",
        op.fn_name
    ));
    let fields = args.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = type_tokens(&p.ty, Scope::Operations);
        quote!(#name: #ty,)
    });
    let optional_fields = optional.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = type_tokens(&p.ty, Scope::Operations);
        quote!(#name: Option<#ty>,)
    });
    let body_field = op.body.as_ref().map(|b| {
        let ty = body_type(b);
        if b.required {
            quote!(body: &'a #ty,)
        } else {
            quote!(body: Option<&'a #ty>,)
        }
    });
    let setters = optional.iter().map(|p| setter(p));
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|b| {
        let ty = body_type(b);
        let mut doc = docs(&b.docs);
        if doc.is_empty() {
            doc = doc_lines("The request body.");
        }
        quote! {
            #doc
            pub fn body(mut self, body: &'a #ty) -> Self {
                self.body = Some(body);
                self
            }
        }
    });
    let send = send_fn(api, op, &output);
    let response_enum = response_enum(op);

    quote! {
        impl Client {
            #method_docs
            #deprecated
            pub fn #fn_name<'a>(&'a self, #(#arg_decls,)* #body_arg) -> #builder<'a> {
                #builder {
                    client: self,
                    #(#init_args)*
                    #(#init_optional)*
                    #init_body
                }
            }
        }

        #builder_doc
        #[derive(Debug)]
        #[must_use = "a request builder does nothing until it is sent or awaited"]
        pub struct #builder<'a> {
            client: &'a Client,
            #(#fields)*
            #(#optional_fields)*
            #body_field
        }

        impl<'a> #builder<'a> {
            #(#setters)*
            #body_setter
            #send
        }

        impl<'a> std::future::IntoFuture for #builder<'a> {
            type Output = Result<#output, Error>;
            type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send + 'a>>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }

        #response_enum
    }
}

fn method_docs(api: &Api, op: &Operation, args: &[&Param]) -> TokenStream {
    let mut out = docs(&op.docs);
    let path: String = op
        .path
        .iter()
        .map(|s| match s {
            PathSegment::Literal(l) => l.clone(),
            PathSegment::Param(i) => format!("{{{}}}", op.params[*i].wire_name),
        })
        .collect();
    let sep = if out.is_empty() { "" } else { "\n" };
    let mut text = format!("{sep}`{} {path}` (operation `{}`).", op.method, op.id);
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
    text.push_str(if op.idempotent {
        " Idempotent: also retried after timeouts and 500, 502, 504 (see [`RetryPolicy`](crate::RetryPolicy))."
    } else {
        " Not idempotent: retried only when the service cannot have acted on it (see [`RetryPolicy`](crate::RetryPolicy))."
    });
    let mut arg_lines: Vec<String> = args
        .iter()
        .map(|p| {
            let d = super::sanitize(p.docs.description.as_deref().unwrap_or("").trim())
                .replace('\n', " ");
            format!(
                "* `{}`: {d} (`{}`, {})",
                p.rust_name,
                p.wire_name,
                location(p.location)
            )
        })
        .collect();
    if let Some(b) = op.body.as_ref().filter(|b| b.required) {
        let d =
            super::sanitize(b.docs.description.as_deref().unwrap_or("").trim()).replace('\n', " ");
        arg_lines.push(format!("* `body`: {d}"));
    }
    if !arg_lines.is_empty() {
        text.push_str("\n\n# Arguments\n\n");
        text.push_str(&arg_lines.join("\n"));
    }
    let success: Vec<String> = op
        .responses
        .success
        .iter()
        .map(|s| {
            format!(
                "* {}: {}",
                s.status,
                super::sanitize(s.description.trim()).replace('\n', " ")
            )
        })
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
    text.push_str("\n\n# Errors\n\nAny other status is an [`Error`] that keeps the status and the service's error body");
    if op.responses.errors.is_empty() {
        text.push('.');
    } else {
        text.push_str(". Documented:\n\n");
        let lines: Vec<String> = op
            .responses
            .errors
            .iter()
            .map(|(s, d)| format!("* {s}: {}", super::sanitize(d.trim()).replace('\n', " ")))
            .collect();
        text.push_str(&lines.join("\n"));
    }
    out.extend(doc_lines(&text));
    out.extend(example(api, op, args));
    out
}

/// A `no_run` doc example that calls the operation; its inputs are parameters of a hidden
/// function, so it compiles whatever the operation's types are.
fn example(api: &Api, op: &Operation, args: &[&Param]) -> TokenStream {
    let lib = &api.lib_name;
    let mut params = vec![format!("client: &{lib}::Client")];
    let mut call_args = Vec::new();
    for p in args {
        let ty = example_type(lib, &p.ty);
        params.push(format!("{}: {ty}", p.rust_name));
        call_args.push(p.rust_name.clone());
    }
    if let Some(b) = op.body.as_ref().filter(|b| b.required) {
        let ty = match &b.ty {
            TypeRef::Vec(inner) => format!("&[{}]", example_type(lib, inner)),
            TypeRef::String => "&str".to_owned(),
            other => format!("&{}", example_type(lib, other)),
        };
        params.push(format!("body: {ty}"));
        call_args.push("body".to_owned());
    }
    let bind = if output_is_unit(op) {
        ""
    } else {
        "let response = "
    };
    let lines = [
        String::new(),
        "# Example".to_owned(),
        String::new(),
        "```no_run".to_owned(),
        format!(
            "# async fn example({}) -> Result<(), {lib}::Error> {{",
            params.join(", ")
        ),
        format!(
            "{bind}client.{}({}).send().await?;",
            op.fn_name,
            call_args.join(", ")
        ),
        "# Ok(())".to_owned(),
        "# }".to_owned(),
        "```".to_owned(),
    ];
    let lines: Vec<String> = lines
        .iter()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
        .collect();
    quote!(#(#[doc = #lines])*)
}

fn example_type(lib: &str, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::Uuid => "uuid::Uuid".into(),
        TypeRef::DateTime => "chrono::DateTime<chrono::Utc>".into(),
        TypeRef::Date => "chrono::NaiveDate".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Named(n) => format!("{lib}::models::{}", ident(n)),
        TypeRef::Vec(inner) => format!("Vec<{}>", example_type(lib, inner)),
        TypeRef::Map(inner) => format!(
            "std::collections::BTreeMap<String, {}>",
            example_type(lib, inner)
        ),
        TypeRef::Boxed(inner) => format!("Box<{}>", example_type(lib, inner)),
    }
}

fn output_is_unit(op: &Operation) -> bool {
    op.responses.enum_name.is_none()
        && op
            .responses
            .success
            .first()
            .and_then(|s| s.ty.as_ref())
            .is_none()
}

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

fn setter(p: &Param) -> TokenStream {
    let name = ident(&p.rust_name);
    let mut doc_text = super::sanitize(p.docs.description.as_deref().unwrap_or_default());
    if doc_text.trim().is_empty() {
        doc_text = format!("Sets `{}`.", p.wire_name);
    }
    doc_text.push_str(&format!(
        "\n\nSent as the {} parameter `{}`.",
        location(p.location),
        p.wire_name
    ));
    let doc = doc_lines(&doc_text);
    let deprecated = p
        .deprecated
        .then(|| quote!(#[deprecated = "deprecated by the service"]));
    let (arg, value) = match &p.ty {
        TypeRef::String => (quote!(impl Into<String>), quote!(value.into())),
        other => (type_tokens(other, Scope::Operations), quote!(value)),
    };
    quote! {
        #doc
        #deprecated
        pub fn #name(mut self, value: #arg) -> Self {
            self.#name = Some(#value);
            self
        }
    }
}

fn param_checks(api: &Api, p: &Param) -> TokenStream {
    if p.constant.is_some() {
        return TokenStream::new();
    }
    let name = ident(&p.rust_name);
    let wire = &p.wire_name;
    let mut body = constraint_checks(api, &p.ty, &p.constraints, &quote!(value), &quote!(&field));
    let nested = needs_validation(api, &p.ty);
    if body.is_empty() {
        // Only the value's own checks: `Validate` for `Option` skips a parameter not set.
        return match nested {
            true => {
                quote!(validation::Validate::validate(&self.#name, &validation::Path::root(#wire))?;)
            }
            false => TokenStream::new(),
        };
    }
    if nested {
        body.extend(quote!(validation::Validate::validate(value, &field)?;));
    }
    let access = if p.required {
        quote!(let value = &self.#name;)
    } else {
        TokenStream::new()
    };
    let inner = quote! {
        #access
        let field = validation::Path::root(#wire);
        #body
    };
    if p.required {
        quote!({ #inner })
    } else {
        quote!(if let Some(value) = &self.#name { #inner })
    }
}

/// Whether a string path parameter at `op.path[at]` is a whole segment, which must stay
/// one: not empty, not `.` or `..` (which would change the path once the URL is
/// normalized).
fn whole_segment(api: &Api, op: &Operation, at: usize) -> bool {
    let PathSegment::Param(i) = &op.path[at] else {
        return false;
    };
    let before = match at.checked_sub(1).map(|b| &op.path[b]) {
        None => true,
        Some(PathSegment::Literal(l)) => l.ends_with('/'),
        Some(PathSegment::Param(_)) => false,
    };
    let after = match op.path.get(at + 1) {
        None => true,
        Some(PathSegment::Literal(l)) => l.starts_with('/'),
        Some(PathSegment::Param(_)) => false,
    };
    matches!(resolve(api, &op.params[*i].ty), TypeRef::String) && before && after
}

/// Whether `request()` checks anything (and so uses `validation`); must agree with
/// what [`send_fn`] emits.
fn has_checks(api: &Api, op: &Operation) -> bool {
    op.params.iter().any(|p| {
        p.constant.is_none()
            && (has_constraint_checks(api, &p.ty, &p.constraints) || needs_validation(api, &p.ty))
    }) || (0..op.path.len()).any(|at| whole_segment(api, op, at))
        || op
            .body
            .as_ref()
            .is_some_and(|b| needs_validation(api, &b.ty))
}

fn send_fn(api: &Api, op: &Operation, output: &TokenStream) -> TokenStream {
    let checks = op.params.iter().map(|p| param_checks(api, p));
    let segment_checks = (0..op.path.len())
        .filter(|at| whole_segment(api, op, *at))
        .map(|at| {
            let PathSegment::Param(i) = &op.path[at] else {
                return TokenStream::new();
            };
            let p = &op.params[*i];
            let name = ident(&p.rust_name);
            let wire = &p.wire_name;
            quote!(validation::path_segment(&validation::Path::root(#wire), &self.#name)?;)
        });
    let body_check = op.body.as_ref().filter(|b| needs_validation(api, &b.ty)).map(|b| {
        let root = quote!(&validation::Path::root("body"));
        if b.required {
            quote!(validation::Validate::validate(self.body, #root)?;)
        } else {
            quote!(if let Some(body) = self.body { validation::Validate::validate(body, #root)?; })
        }
    });
    let path = op.path.iter().map(|s| match s {
        PathSegment::Literal(l) => quote!(.path(#l)),
        PathSegment::Param(i) => {
            let name = ident(&op.params[*i].rust_name);
            quote!(.path_param(&self.#name))
        }
    });
    let params = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| {
            let wire = &p.wire_name;
            let value = match &p.constant {
                Some(constant) => quote!(&#constant),
                None => {
                    let name = ident(&p.rust_name);
                    quote!(&self.#name)
                }
            };
            match p.location {
                ParamLocation::Header => quote!(.header(#wire, #value)),
                _ => quote!(.query(#wire, #value)),
            }
        });
    let body = match &op.body {
        Some(b) if b.required => quote!(request.json(self.body)?;),
        Some(_) => quote!(if let Some(body) = self.body {
            request.json(body)?;
        }),
        None => TokenStream::new(),
    };
    let id = &op.id;
    let method = format_ident!("{}", op.method);
    let idempotent = op.idempotent;
    let accepted = op
        .responses
        .accepted
        .iter()
        .map(|s| Literal::u16_unsuffixed(*s));
    let decode = decode_response(op);
    let send_doc = doc_lines(
        "Sends the request and returns the decoded response with its status and rate-limit headers.",
    );
    let send_short_doc = doc_lines("Sends the request and returns the decoded response.");
    let preview_doc = doc_lines(
        "The request this builder would send, without sending it: method, URL with the query, headers (the credential redacted) and body. Runs the same checks as `send`.",
    );
    quote! {
        /// Checks the parameters and body and builds the request.
        fn request(&self) -> Result<Request, Error> {
            #(#checks)*
            #(#segment_checks)*
            #body_check
            let mut request = Request::new(#id, Method::#method, &[#(#accepted),*], #idempotent);
            request #(#path)* #(#params)*;
            #body
            Ok(request)
        }

        #preview_doc
        pub fn preview(&self) -> Result<RequestPreview, Error> {
            self.client.preview(self.request()?)
        }

        #send_doc
        pub async fn send_with_response(self) -> Result<ApiResponse<#output>, Error> {
            let response = self.client.execute(self.request()?).await?;
            #decode
        }

        #send_short_doc
        pub async fn send(self) -> Result<#output, Error> {
            self.send_with_response().await.map(ApiResponse::into_inner)
        }
    }
}

/// The body of `send_with_response` after the request: a success status into the value
/// `send` returns, any other into an error.
fn decode_response(op: &Operation) -> TokenStream {
    let r = &op.responses;
    if output_is_unit(op) {
        let statuses = if r.success.is_empty() {
            r.accepted.clone()
        } else {
            r.success.iter().map(|s| s.status).collect()
        };
        let statuses = statuses.into_iter().map(Literal::u16_unsuffixed);
        return quote! {
            match response.status().as_u16() {
                #(#statuses)|* => Ok(response.into_api_response(())),
                _ => Err(response.unexpected()),
            }
        };
    }
    let arms = r.success.iter().map(|s| {
        let status = Literal::u16_unsuffixed(s.status);
        let value = match (&r.enum_name, &s.ty) {
            (Some(e), ty) => {
                let e = ident(e);
                let variant = format_ident!("Status{}", s.status);
                match ty {
                    Some(_) => quote!(#e::#variant(response.json()?)),
                    None => quote!(#e::#variant),
                }
            }
            (None, _) => quote!(response.json()?),
        };
        quote!(#status => #value,)
    });
    quote! {
        let value = match response.status().as_u16() {
            #(#arms)*
            _ => return Err(response.unexpected()),
        };
        Ok(response.into_api_response(value))
    }
}

fn response_enum(op: &Operation) -> TokenStream {
    let Some(name) = &op.responses.enum_name else {
        return TokenStream::new();
    };
    let id = ident(name);
    let doc = doc_lines(&format!(
        "The success responses of [`Client::{}`], by status.",
        op.fn_name
    ));
    let variants = op.responses.success.iter().map(|s| {
        let variant = format_ident!("Status{}", s.status);
        let mut text = super::sanitize(s.description.trim());
        if text.is_empty() {
            text = format!("Status {}.", s.status);
        }
        let vdoc = doc_lines(&text);
        match &s.ty {
            Some(ty) => {
                let ty = type_tokens(ty, Scope::Operations);
                quote!(#vdoc #variant(#ty),)
            }
            None => quote!(#vdoc #variant,),
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant, reason = "a response is decoded once and taken apart")]
        pub enum #id {
            #(#variants)*
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `header` imports `validation` and `models` only where they are used: an import too
    /// many is a warning in the generated crate, one too few an error. The predicates must
    /// agree with what the operations emit, for every operation of every fixture spec.
    #[test]
    fn imports_follow_what_the_operations_use() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("workspace root")
            .to_path_buf();
        let mut specs: Vec<(String, String)> = ["spec/token-administration.yaml"]
            .iter()
            .chain(&[
                "tests/fixtures/coverage.yaml",
                "tests/fixtures/minimal.yaml",
                "tests/fixtures/neighbours.yaml",
            ])
            .map(|f| {
                (
                    f.to_string(),
                    std::fs::read_to_string(root.join(f)).expect("spec"),
                )
            })
            .collect();
        specs.push(("synthetic".into(), crate::synth::synthetic_spec(3)));
        let mut seen = (false, false);
        for (name, text) in &specs {
            let spec = crate::load::load(name, text).expect("loads");
            let api = crate::lower::lower(&spec).expect("lowers");
            for op in &api.operations {
                let code = operation(&api, op).to_string();
                let uses_validation = code.contains("validation ::");
                assert_eq!(has_checks(&api, op), uses_validation, "{name}: {}", op.id);
                seen.0 |= uses_validation;
                seen.1 |= !uses_validation;
            }
            let header = header(&api).to_string();
            let code = emit(&api).to_string();
            let body = &code[header.len()..];
            assert_eq!(
                header.contains("use crate :: validation"),
                body.contains("validation ::"),
                "{name}"
            );
            assert_eq!(
                header.contains("use crate :: models"),
                body.contains("models ::"),
                "{name}"
            );
        }
        assert_eq!(seen, (true, true), "both cases are covered");
    }
}
