//! The headers a success response declares (`x-ms-continuationtoken`, `ETag`, ...): each
//! becomes a field of the operation's headers struct, typed when its schema is a scalar
//! (string, integer, number, boolean, uuid), else the text as sent.

use openapiv3::{
    Header, ParameterSchemaOrContent, ReferenceOr, SchemaKind, Type, VariantOrUnknownOrEmpty,
};

use super::Lowerer;
use crate::diagnostics::join;
use crate::model::{ResponseHeader, TypeRef};

impl<'a> Lowerer<'a> {
    /// The headers a response declares, in the spec's order; a problem is reported (and
    /// checked by the caller).
    pub(super) fn response_headers(
        &mut self,
        headers: &'a indexmap::IndexMap<String, ReferenceOr<Header>>,
        pointer: &str,
    ) -> Vec<ResponseHeader> {
        let mut out = Vec::new();
        for (name, header) in headers {
            let hpointer = join(&join(pointer, "headers"), name);
            let Some((header, _)) = self.component(header, &hpointer, "headers", |c| &c.headers)
            else {
                continue;
            };
            let Some(rust_name) = self.names.snake(name) else {
                self.errs.report(
                    &hpointer,
                    format!("header name {name:?} gives no Rust identifier"),
                );
                continue;
            };
            out.push(ResponseHeader {
                wire_name: name.clone(),
                rust_name,
                ty: scalar_type(&header.format),
                description: header.description.clone(),
            });
        }
        out
    }
}

/// The Rust type of a header's value: a scalar when its inline schema is one, else the text
/// as sent.
fn scalar_type(format: &ParameterSchemaOrContent) -> TypeRef {
    let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = format else {
        return TypeRef::String;
    };
    let format_is = |f: &VariantOrUnknownOrEmpty<_>, name: &str| matches!(f, VariantOrUnknownOrEmpty::Unknown(u) if u == name);
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) if format_is(&s.format, "uuid") => TypeRef::Uuid,
        // As schemas read them: `int32` when it says so, else 64 bits.
        SchemaKind::Type(Type::Integer(i)) => match i.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => TypeRef::I32,
            _ => TypeRef::I64,
        },
        SchemaKind::Type(Type::Number(n)) => match n.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => TypeRef::F32,
            _ => TypeRef::F64,
        },
        SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
        _ => TypeRef::String,
    }
}
