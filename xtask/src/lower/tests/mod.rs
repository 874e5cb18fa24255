//! Lowering in process: each test lowers a small spec and compares a readable dump of the
//! model (or the problems reported) with the expected text. `UPDATE_EXPECT=1 cargo test -p
//! xtask lower::` rewrites the expectations after an intended change; review the diff.

mod examples;
mod operations;
mod paging;
mod schemas;

use std::fmt::Write;

use expect_test::{Expect, expect};

use crate::model::{
    Api, Constraints, ExampleCheck, NextToken, Operation, PageField, PageItems, PathSegment,
    TypeKind, TypeRef,
};

/// Lowers `body` (the `paths` and `components` of a spec; the rest is filled in) and
/// compares the dump of the model, or of the problems, with `expect`.
pub(super) fn check(body: &str, expect: Expect) {
    check_doc(&format!("{HEADER}{body}"), expect);
}

/// The start of every test spec: a document needs `info` and a server.
pub(crate) const HEADER: &str = "openapi: 3.0.3
info:
  title: Tested
  version: '1'
servers:
  - url: https://example.com/
";

/// [`check`] with the whole document written by the test.
pub(super) fn check_doc(doc: &str, expect: Expect) {
    let actual = match crate::load::load("t.yaml", doc) {
        Err(d) => format!("load failed:\n{d}\n"),
        Ok(spec) => match super::lower(&spec) {
            Ok(api) => dump(&api),
            Err(diags) => diags
                .0
                .iter()
                .map(|d| {
                    let at = d.line_col.map(|lc| format!("{}:{} ", lc.line, lc.column));
                    format!("{}{}: {}\n", at.unwrap_or_default(), d.pointer, d.message)
                })
                .collect(),
        },
    };
    expect.assert_eq(&actual);
}

/// The model as text: one line per type, field, operation, parameter and response.
fn dump(api: &Api) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "crate {} {} (lib {}), api {}, base {}",
        api.package_name, api.crate_version, api.lib_name, api.api_version, api.base_url
    );
    for t in &api.types {
        let deprecated = if t.deprecated { " deprecated" } else { "" };
        match &t.kind {
            TypeKind::Struct(fields) => {
                let _ = writeln!(out, "struct {}{deprecated}", t.name);
                for f in fields {
                    let mut notes = Vec::new();
                    if f.wire_name != f.rust_name {
                        notes.push(format!("wire {:?}", f.wire_name));
                    }
                    notes.push(if f.required { "required" } else { "optional" }.to_owned());
                    if f.nullable {
                        notes.push("nullable".to_owned());
                    }
                    if let Some(d) = &f.default {
                        notes.push(format!("default {d}"));
                    }
                    if f.deprecated {
                        notes.push("deprecated".to_owned());
                    }
                    if f.read_only {
                        notes.push("read-only".to_owned());
                    }
                    notes.extend(constraints(&f.constraints));
                    let _ = writeln!(
                        out,
                        "  {}: {} ({})",
                        f.rust_name,
                        ty(&f.ty),
                        notes.join(", ")
                    );
                }
            }
            TypeKind::Enum(variants) => {
                let v: Vec<String> = variants
                    .iter()
                    .map(|v| match &v.description {
                        Some(d) => format!("{}={:?} ({d})", v.rust_name, v.wire_name),
                        None => format!("{}={:?}", v.rust_name, v.wire_name),
                    })
                    .collect();
                let _ = writeln!(out, "enum {}{deprecated}: {}", t.name, v.join(" "));
            }
            TypeKind::Alias(to) => {
                let _ = writeln!(out, "alias {}{deprecated} = {}", t.name, ty(to));
            }
        }
    }
    for op in &api.operations {
        operation(&mut out, op);
    }
    out
}

fn operation(out: &mut String, op: &Operation) {
    let path: String = op
        .path
        .iter()
        .map(|s| match s {
            PathSegment::Literal(l) => l.clone(),
            PathSegment::Param(i) => format!("{{{}}}", op.params[*i].rust_name),
        })
        .collect();
    let flags = [
        (op.idempotent, " idempotent"),
        (op.deprecated, " deprecated"),
    ];
    let flags: String = flags
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, f)| *f)
        .collect();
    let _ = writeln!(
        out,
        "op {} / {} ({}): {} {path}{flags}",
        op.fn_name, op.builder_name, op.id, op.method
    );
    for p in &op.params {
        let location = p.location.name();
        match &p.constant {
            Some(value) => {
                let _ = writeln!(out, "  {location} {:?} = {value:?}", p.wire_name);
            }
            None => {
                let mut notes = vec![if p.required { "required" } else { "optional" }.to_owned()];
                if p.dotted {
                    notes.push("dotted".to_owned());
                }
                notes.extend(constraints(&p.constraints));
                let _ = writeln!(
                    out,
                    "  {location} {} ({:?}): {} ({})",
                    p.rust_name,
                    p.wire_name,
                    ty(&p.ty),
                    notes.join(", ")
                );
            }
        }
    }
    if let Some(b) = &op.body {
        let required = if b.required { "required" } else { "optional" };
        let _ = writeln!(out, "  body: {} ({required}, {})", ty(&b.ty), b.media);
        if !b.also.is_empty() {
            let _ = writeln!(out, "    also as {}", b.also.join(", "));
        }
    }
    for s in &op.responses.success {
        let body = s.ty.as_ref().map_or("no body".to_owned(), ty);
        match &s.media {
            Some(media) => {
                let _ = writeln!(out, "  {}: {body} ({media})", s.status);
            }
            None => {
                let _ = writeln!(out, "  {}: {body}", s.status);
            }
        }
        if !s.also.is_empty() {
            let _ = writeln!(out, "    also as {}", s.also.join(", "));
        }
        if !s.other_kinds.is_empty() {
            let _ = writeln!(out, "    or as {}", s.other_kinds.join(", "));
        }
        for h in &s.headers {
            let _ = writeln!(
                out,
                "    header {} -> {}: {}",
                h.wire_name,
                h.rust_name,
                ty(&h.ty)
            );
        }
    }
    if let Some(h) = &op.responses.headers_name {
        let _ = writeln!(out, "  headers struct {h}");
    }
    if let Some(e) = &op.responses.enum_name {
        let _ = writeln!(out, "  returns enum {e}");
    }
    let accepted: Vec<String> = op.responses.accepted.iter().map(u16::to_string).collect();
    let errors: Vec<&str> = op
        .responses
        .errors
        .iter()
        .map(|(s, _)| s.as_str())
        .collect();
    let _ = writeln!(
        out,
        "  accepts {}; documents {}",
        accepted.join(" "),
        if errors.is_empty() {
            "no errors".to_owned()
        } else {
            errors.join(" ")
        }
    );
    for e in &op.examples {
        let response = match (&e.response, &e.media) {
            (Some(r), Some(media)) => format!("{r} ({media})"),
            (Some(r), None) => r.to_string(),
            (None, _) => "no body".to_owned(),
        };
        match &e.check {
            ExampleCheck::Replayed { params, body } => {
                let params: Vec<String> = params
                    .iter()
                    .map(|(i, v)| format!("{}={v}", op.params[*i].rust_name))
                    .collect();
                let body = body
                    .as_ref()
                    .map_or(String::new(), |b| format!(", body {b}"));
                let _ = writeln!(
                    out,
                    "  example {:?}: [{}]{body} -> {} {response}",
                    e.name,
                    params.join(", "),
                    e.status
                );
            }
            ExampleCheck::DecodedOnly { reason } => {
                let _ = writeln!(
                    out,
                    "  decoded example {:?}: {} {response}; not replayed: {reason}",
                    e.name, e.status
                );
            }
        }
    }
    for s in &op.skipped_examples {
        let body = if s.has_body { " (has a 2xx body)" } else { "" };
        let _ = writeln!(out, "  skipped example {:?}{body}: {}", s.name, s.reason);
    }
    if let Some(p) = &op.paging {
        let field = |f: &PageField| {
            let optional = if f.optional { ", optional" } else { "" };
            format!("field {} ({}{optional})", f.rust_name, ty(&f.ty))
        };
        let next = match &p.next {
            NextToken::Field(f) => field(f),
            NextToken::Header => "header".to_owned(),
        };
        let items = match &p.items {
            Some(PageItems::Field(f)) => field(f),
            Some(PageItems::Page(item)) => format!("the page ({})", ty(item)),
            None => "none".to_owned(),
        };
        let _ = writeln!(
            out,
            "  pages by {}; next token from {next}; items from {items}",
            p.token_param
        );
    }
}

fn ty(t: &TypeRef) -> String {
    match t {
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::Uuid => "Uuid".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Json => "Json".into(),
        TypeRef::Text => "Text".into(),
        TypeRef::Bytes => "Bytes".into(),
        TypeRef::Named(n) => n.clone(),
        TypeRef::Vec(inner) => format!("Vec<{}>", ty(inner)),
        TypeRef::Map(inner) => format!("Map<{}>", ty(inner)),
        TypeRef::Boxed(inner) => format!("Box<{}>", ty(inner)),
    }
}

fn constraints(c: &Constraints) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |name: &str, value: Option<String>| {
        if let Some(v) = value {
            out.push(format!("{name} {v}"));
        }
    };
    push("minItems", c.min_items.map(|v| v.to_string()));
    push("maxItems", c.max_items.map(|v| v.to_string()));
    push("minLength", c.min_length.map(|v| v.to_string()));
    push("maxLength", c.max_length.map(|v| v.to_string()));
    let ex = |e: bool| if e { " exclusive" } else { "" };
    push(
        "minimum",
        c.minimum.map(|v| format!("{v}{}", ex(c.exclusive_minimum))),
    );
    push(
        "maximum",
        c.maximum.map(|v| format!("{v}{}", ex(c.exclusive_maximum))),
    );
    push("pattern", c.pattern.clone());
    out
}

/// One operation `GET /x` with this response body schema (indented for `schema:`).
pub(super) fn returning(schema: &str) -> String {
    format!(
        "paths:
  /x:
    get:
      operationId: Things_Get
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
{schema}"
    )
}

// ----- info ----------------------------------------------------------------------------

#[test]
fn crate_name_version_and_base_url() {
    check_doc(
        "openapi: 3.0.3
info:
  title: My Service API
  version: 7.1-preview
servers:
  - url: https://dev.azure.com/
  - url: https://other.example.com
paths:
  /a:
    get:
      operationId: A_Get
      responses:
        '204':
          description: done
",
        expect![[r#"
            crate my-service-api 0.1.0 (lib my_service_api), api 7.1-preview, base https://dev.azure.com
            op get_a / GetA (A_Get): GET /a idempotent
              204: no body
              accepts 204; documents no errors
        "#]],
    );
    check_doc(
        "openapi: 3.0.3
info:
  title: T
  version: '1'
  x-crate-name: 9lives
  x-crate-version: '1.0'
servers:
  - url: https://{org}.example.com
paths: {}
",
        expect![[r#"
            2:1 /info: crate name "9lives" (from x-crate-name or title) is not a valid Cargo package name
            6:3 /info/x-crate-version: "1.0" is not a semantic version (x.y.z)
            8:5 /servers/0/url: server variable `org` is not declared under `variables`
        "#]],
    );
    // A crate named after one of Rust's own would shadow it (`#[test]` expands to paths
    // into `test`): refused, whether the name comes from the title or x-crate-name.
    check_doc(
        "openapi: 3.0.3
info:
  title: Tested
  version: '1'
paths: {}
",
        expect![[r#"
            1:1 /servers: at least one server with an absolute URL is required
        "#]],
    );
    check_doc(
        "openapi: 3.0.3
info:
  title: T
  version: '1'
  x-crate-name: proc-macro
paths: {}
",
        expect![[r#"
            2:1 /info: crate name "proc-macro" (from x-crate-name or title) is the name of Rust's own crate, which the library would shadow (tests and derives would not compile): set another with x-crate-name
            1:1 /servers: at least one server with an absolute URL is required
        "#]],
    );
    // Server variables take their defaults: the base URL a client starts with.
    check_doc(
        "openapi: 3.0.3
info:
  title: T
  version: '1'
servers:
  - url: https://{service}dev.azure.com/{organization}
    variables:
      service: {default: ''}
      organization: {default: my-org}
paths:
  /a:
    get:
      operationId: A_Get
      responses: {'204': {description: ok}}
",
        expect![[r#"
            crate t 0.1.0 (lib t), api 1, base https://dev.azure.com/my-org
            op get_a / GetA (A_Get): GET /a idempotent
              204: no body
              accepts 204; documents no errors
        "#]],
    );
}
