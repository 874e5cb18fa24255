//! Parameters: where they go (path, query, header), their Rust names and types, and the
//! constants the client sends itself (a required parameter that allows one value, such as
//! `api-version`).

use openapiv3::{
    Parameter, ParameterData, ParameterSchemaOrContent, ReferenceOr, SchemaKind, Type,
};

use super::Lowerer;
use crate::diagnostics::join;
use crate::keys::QUERY_OBJECT;
use crate::model::{Constraints, Docs, Param, ParamLocation, TypeKind, TypeRef};

/// Whether a parameter's type may be an array (of what it may be otherwise).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arrays {
    Allowed,
    Refused,
}

impl<'a> Lowerer<'a> {
    /// A parameter of the operation, or the component its `$ref` names, with the pointer
    /// where it is written.
    pub(super) fn resolve_parameter(
        &mut self,
        p: &'a ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Option<(&'a Parameter, String)> {
        self.component(p, pointer, "parameters", |c| &c.parameters)
    }

    /// Lowers one parameter; `builder_name` names its inline enums.
    pub(super) fn parameter(
        &mut self,
        param: &Parameter,
        pointer: &str,
        builder_name: &str,
    ) -> Option<Param> {
        let data = param.parameter_data_ref();
        let location = self.location(param, pointer)?;
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(s) => s,
            ParameterSchemaOrContent::Content(_) => {
                self.errs.report(
                    &join(pointer, "content"),
                    "parameters with `content` are not supported; use `schema`",
                );
                return None;
            }
        };
        let Some(rust_name) = self.names.snake(&data.name) else {
            self.errs.report(
                &join(pointer, "name"),
                format!("parameter name {:?} gives no Rust identifier", data.name),
            );
            return None;
        };
        let dotted = self.dotted(data, location, pointer)?;
        let mut out = Param {
            wire_name: data.name.clone(),
            rust_name,
            location,
            required: data.required,
            ty: TypeRef::String,
            constant: None,
            constraints: Constraints::default(),
            docs: Docs {
                summary: None,
                description: data.description.clone(),
            },
            deprecated: data.deprecated.unwrap_or(false),
            dotted,
        };
        if data.required
            && let Some(value) = constant(schema)
        {
            out.constant = Some(value.to_owned());
            out.dotted = false;
            return Some(out);
        }
        let spointer = join(pointer, "schema");
        let hint = format!(
            "{builder_name}{}",
            self.names.pascal(&data.name).unwrap_or_default()
        );
        let lowered = self.schema_ref(schema, &spointer, &hint)?;
        self.check_param_type(param, &lowered.ty, dotted, &spointer)?;
        if let Some(d) = &lowered.default {
            let note = format!("Default on the service: `{d}`.");
            let description = &mut out.docs.description;
            *description = Some(match description.take() {
                Some(text) => format!("{text}\n\n{note}"),
                None => note,
            });
        }
        out.ty = lowered.ty;
        out.constraints = lowered.constraints;
        Some(out)
    }

    /// Where the parameter goes; a path parameter must be required, and cookies are not
    /// supported.
    fn location(&mut self, param: &Parameter, pointer: &str) -> Option<ParamLocation> {
        let data = param.parameter_data_ref();
        let location = match param {
            Parameter::Query { .. } => ParamLocation::Query,
            Parameter::Path { .. } => ParamLocation::Path,
            Parameter::Header { .. } => ParamLocation::Header,
            Parameter::Cookie { .. } => {
                self.errs
                    .report(pointer, "cookie parameters are not supported");
                return None;
            }
        };
        if location == ParamLocation::Path && !data.required {
            self.errs.report(
                &join(pointer, "required"),
                format!("path parameter {:?} must be required", data.name),
            );
            return None;
        }
        Some(location)
    }

    /// Whether the parameter is an object sent property by property (`x-query-object:
    /// dotted`, on a query parameter only).
    fn dotted(
        &mut self,
        data: &ParameterData,
        location: ParamLocation,
        pointer: &str,
    ) -> Option<bool> {
        match data.extensions.get(QUERY_OBJECT) {
            None => Some(false),
            Some(serde_json::Value::String(s))
                if s == "dotted" && location == ParamLocation::Query =>
            {
                Some(true)
            }
            Some(_) => {
                self.errs.report(
                    &join(pointer, QUERY_OBJECT),
                    format!("`{QUERY_OBJECT}` is `dotted`, on a query parameter only"),
                );
                None
            }
        }
    }

    /// Whether the parameter's type can be sent where it goes: an object (or a list of
    /// them) when `dotted`, else a value written as text (a list of them, in a query).
    fn check_param_type(
        &mut self,
        param: &Parameter,
        ty: &TypeRef,
        dotted: bool,
        spointer: &str,
    ) -> Option<()> {
        if dotted && !self.is_object_param_type(ty, Arrays::Allowed) {
            self.errs.report(
                spointer,
                format!("with `{QUERY_OBJECT}: dotted`, a parameter must be an object, or an array of objects"),
            );
            return None;
        }
        let (arrays, or_arrays) = match param {
            Parameter::Query { .. } => (Arrays::Allowed, ", or an array of those"),
            _ => (Arrays::Refused, ""),
        };
        if !dotted && !self.is_simple_param_type(ty, arrays) {
            self.errs.report(
                spointer,
                format!(
                    "a {} parameter must be a string, number, boolean, uuid, date, date-time or string enum{or_arrays}",
                    location_name(param)
                ),
            );
            return None;
        }
        Some(())
    }

    /// Whether `ty` is a struct (through aliases), or an array of structs when `arrays`
    /// are allowed: what a `dotted` query parameter sends property by property.
    fn is_object_param_type(&self, ty: &TypeRef, arrays: Arrays) -> bool {
        match ty {
            TypeRef::Named(n) => match self.types.kind(n) {
                Some(TypeKind::Struct(_)) => true,
                Some(TypeKind::Alias(inner)) => self.is_object_param_type(inner, arrays),
                _ => false,
            },
            TypeRef::Vec(inner) if arrays == Arrays::Allowed => {
                self.is_object_param_type(inner, Arrays::Refused)
            }
            _ => false,
        }
    }

    /// Whether a parameter of type `ty` can be written as text (an array too, in a query).
    fn is_simple_param_type(&self, ty: &TypeRef, arrays: Arrays) -> bool {
        match ty {
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Uuid
            | TypeRef::DateTime
            | TypeRef::Date => true,
            TypeRef::Named(n) => match self.types.kind(n) {
                Some(TypeKind::Enum(_)) => true,
                Some(TypeKind::Alias(inner)) => self.is_simple_param_type(inner, arrays),
                _ => false,
            },
            TypeRef::Vec(inner) if arrays == Arrays::Allowed => {
                self.is_simple_param_type(inner, Arrays::Refused)
            }
            _ => false,
        }
    }
}

/// The one value a parameter's schema allows (a string enum of one value), which the
/// client then sends itself.
fn constant<S: std::borrow::Borrow<openapiv3::Schema>>(schema: &ReferenceOr<S>) -> Option<&str> {
    let ReferenceOr::Item(s) = schema else {
        return None;
    };
    match &s.borrow().schema_kind {
        SchemaKind::Type(Type::String(st)) if st.enumeration.len() == 1 => {
            st.enumeration.first()?.as_deref()
        }
        _ => None,
    }
}

/// Where a parameter goes, as the spec says it (`in`).
pub(super) fn location_name(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Path { .. } => "path",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}
