//! A request builder's `request()`: the checks of [`validation`], then `Request::new` and
//! a chain of `.path` and `.path_param` (the path's segments), `.query` (names
//! form-encoded here), `.query_text` (constants, encoded here) and `.header`, then `.json`
//! for the body.
//!
//! ```text
//! /// Checks the parameters and body and builds the request.
//! fn request(&self) -> Result<Request, Error> {
//!     validation::Validate::validate(self.body, &validation::Path::root("body"))?;
//!     let mut request = Request::new(
//!         "TokenRevocations_RevokeAuthorizations",
//!         Method::POST,
//!         &[204],
//!         true,
//!     );
//!     request
//!         .path("/_apis/tokenadministration/tokenrevocations")
//!         .query("hostId", &self.host_id)
//!         .query("isPublic", &self.is_public)
//!         .query_text("api-version=5.0-preview.1");
//!     request.json(self.body)?;
//!     Ok(request)
//! }
//! ```

use super::Context;
use crate::emit::{expr_lit, ident, int_lit, plain_ident, str_expr, validation};
use crate::fragment;
use crate::model::{Operation, Param, ParamLocation, PathSegment};

/// `fn request(&self) -> Result<Request, Error>`: checks the parameters and body and
/// builds the request.
pub(super) fn request_fn(cx: &Context) -> syn::ImplItem {
    let op = cx.op;
    let mut build = vec![syn::Stmt::Expr(chain(op), Some(Default::default()))];
    build.extend(body(op));
    let accepted: Vec<syn::Expr> = op
        .responses
        .accepted
        .iter()
        .map(|s| syn::Expr::Lit(expr_lit(int_lit(*s))))
        .collect();
    syn::ImplItem::Fn(fragment!(syn::ImplItemFn {
        /// Checks the parameters and body and builds the request.
        fn request(&self) -> Result<Request, Error> {
            __checks;
            let mut request = Request::new(__id, Method::__method, &[__accepted], __idempotent);
            __build;
            Ok(request)
        }
    },
        __checks = validation::request_checks(cx.api, op),
        __id = &op.id,
        __method = plain_ident(&op.method),
        __accepted = accepted,
        __idempotent = op.idempotent,
        __build = build,
    ))
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
        .filter(|p| p.location != ParamLocation::Path)
    {
        chain = param_call(chain, p);
    }
    chain
}

/// `chain.query(..)`, `.query_text(..)` or `.header(..)` for a query or header parameter.
fn param_call(chain: syn::Expr, p: &Param) -> syn::Expr {
    match (&p.constant, p.location) {
        // Encoded here once rather than on every request.
        (Some(constant), ParamLocation::Query) => {
            let pair = format!("{}={}", form_encoded(&p.wire_name), form_encoded(constant));
            method_call(chain, "query_text", vec![str_expr(&pair)])
        }
        (Some(constant), _) => method_call(
            chain,
            "header",
            vec![
                str_expr(&p.wire_name),
                fragment!(syn::Expr { &__value }, __value = constant),
            ],
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

/// `request.json(..)` for the body, if there is one.
fn body(op: &Operation) -> Option<syn::Stmt> {
    match &op.body {
        Some(b) if b.required => Some(fragment!(syn::Stmt { request.json(self.body)?; })),
        Some(_) => Some(fragment!(syn::Stmt {
            if let Some(body) = self.body {
                request.json(body)?;
            }
        })),
        None => None,
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
