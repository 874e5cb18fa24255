//! How an operation's parameters make its request: `build` runs the checks of
//! [`validation`], then a chain of `.path` and `.path_param` (the path's segments),
//! `.query` (names form-encoded here), `.query_text` (constants, encoded here),
//! `.header` and `.header_text` (constants, and the `Content-Type` and `Accept` of bodies
//! that are not plain JSON), then `.query_object` for each object in the query
//! (`x-query-object: dotted`), then `.json` (or `.text`, `.bytes`) for the body.
//!
//! ```text
//! fn build(&self, request: &mut Request) -> Result<(), Error> {
//!     validation::Validate::validate(self.body, &validation::Path::root("body"))?;
//!     request
//!         .path("/_apis/tokenadministration/tokenrevocations")
//!         .query("hostId", &self.host_id)
//!         .query("isPublic", &self.is_public)
//!         .query_text("api-version=5.0-preview.1");
//!     request.json(self.body)
//! }
//! ```

use super::Op;
use crate::emit::{ident, plain_ident, str_expr, validation};
use crate::fragment;
use crate::model::{Operation, Param, ParamLocation, PathSegment, TypeRef};

/// `fn build(&self, request: &mut Request) -> Result<(), Error>`: checks the parameters
/// and body and writes them into the request.
pub(super) fn build_fn(cx: &Op) -> syn::ImplItemFn {
    let op = cx.op;
    let mut statements = validation::request_checks(cx.api, cx.checks, op);
    statements.push(syn::Stmt::Expr(chain(op), Some(Default::default())));
    // An object in the query is encoded through its JSON form, which can fail.
    for p in op.params.iter().filter(|p| p.dotted) {
        statements.push(fragment!(syn::Stmt {
            request.query_object(__name, &self.__field)?;
        }, __name = str_expr(&p.wire_name), __field = ident(&p.rust_name)));
    }
    statements.extend(body(op));
    fragment!(syn::ImplItemFn {
        fn build(&self, request: &mut Request) -> Result<(), Error> {
            __statements;
        }
    }, __statements = statements)
}

/// `request.path(..).path_param(..)..`: the path's segments, then the query and header
/// parameters in the spec's order.
fn chain(op: &Operation) -> syn::Expr {
    let mut chain = fragment!(syn::Expr { request });
    for s in &op.path {
        chain = match s {
            PathSegment::Literal(l) => method_call(chain, "path", vec![str_expr(l)]),
            PathSegment::Param(i) => method_call(
                chain,
                "path_param",
                vec![
                    fragment!(syn::Expr { &self.__name }, __name = ident(&op.params[*i].rust_name)),
                ],
            ),
        };
    }
    for p in op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path && !p.dotted)
    {
        chain = param_call(chain, p);
    }
    // The client sends and asks for JSON unless told otherwise.
    if let Some(b) = op.body.as_ref().filter(|b| b.media != "application/json") {
        chain = method_call(
            chain,
            "header_text",
            vec![str_expr("Content-Type"), str_expr(&b.media)],
        );
    }
    if let Some(accept) = accept(op) {
        chain = method_call(
            chain,
            "header_text",
            vec![str_expr("Accept"), str_expr(&accept)],
        );
    }
    chain
}

/// The `Accept` header of an operation with a success body that is not JSON: every media
/// type its success responses declare of the kinds `send()` reads (the one chosen for each
/// response and the others of its kind).
pub(crate) fn accept(op: &Operation) -> Option<String> {
    let success = &op.responses.success;
    if !success
        .iter()
        .any(|s| matches!(s.ty, Some(TypeRef::Text | TypeRef::Bytes)))
    {
        return None;
    }
    let mut media: Vec<&str> = Vec::new();
    for s in success {
        for m in s.media.iter().chain(&s.also) {
            if !media.contains(&m.as_str()) {
                media.push(m);
            }
        }
    }
    Some(media.join(", "))
}

/// `chain.query(..)`, `.query_text(..)`, `.header(..)` or `.header_text(..)` for a query or
/// header parameter.
fn param_call(chain: syn::Expr, p: &Param) -> syn::Expr {
    match (&p.constant, p.location) {
        // Encoded here once rather than on every request.
        (Some(constant), ParamLocation::Query) => {
            let pair = format!("{}={}", form_encoded(&p.wire_name), form_encoded(constant));
            method_call(chain, "query_text", vec![str_expr(&pair)])
        }
        (Some(constant), _) => method_call(
            chain,
            "header_text",
            vec![str_expr(&p.wire_name), str_expr(constant)],
        ),
        (None, location) => {
            let value = fragment!(syn::Expr { &self.__name }, __name = ident(&p.rust_name));
            match location {
                ParamLocation::Header => {
                    method_call(chain, "header", vec![str_expr(&p.wire_name), value])
                }
                _ => method_call(
                    chain,
                    "query",
                    vec![str_expr(&form_encoded(&p.wire_name)), value],
                ),
            }
        }
    }
}

/// The end of `build`: `request.json(..)` (or `.text(..)`, `.bytes(..)`) for the body, if
/// there is one, and the result.
fn body(op: &Operation) -> Vec<syn::Stmt> {
    let Some(b) = &op.body else {
        return vec![syn::Stmt::Expr(fragment!(syn::Expr { Ok(()) }), None)];
    };
    if b.ty == TypeRef::Bytes {
        // An `UploadBody`, borrowed: a stream stays in it until the request is sent.
        return if b.required {
            vec![syn::Stmt::Expr(
                fragment!(syn::Expr { request.upload(&self.body) }),
                None,
            )]
        } else {
            fragment!(Vec<syn::Stmt> {
                if let Some(body) = &self.body {
                    request.upload(body)?;
                }
                Ok(())
            })
        };
    }
    let method = plain_ident(match b.ty {
        TypeRef::Text => "text",
        _ => "json",
    });
    if b.required {
        vec![syn::Stmt::Expr(
            fragment!(syn::Expr { request.__method(self.body) }, __method = method),
            None,
        )]
    } else {
        fragment!(Vec<syn::Stmt> {
            if let Some(body) = self.body {
                request.__method(body)?;
            }
            Ok(())
        }, __method = method)
    }
}

/// A query parameter's name as the URL carries it (`application/x-www-form-urlencoded`,
/// as the client encodes values), so that no request spends time encoding it.
fn form_encoded(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(byte))
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// `receiver.method(args)`.
fn method_call(receiver: syn::Expr, method: &str, args: Vec<syn::Expr>) -> syn::Expr {
    syn::Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: plain_ident(method),
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_names_are_form_encoded() {
        assert_eq!(form_encoded("api-version"), "api-version");
        assert_eq!(form_encoded("$top"), "%24top");
        assert_eq!(form_encoded("a b&c=é"), "a+b%26c%3D%C3%A9");
    }
}
