//! The checks a generated client runs before it sends anything: the `Validate` impl of each
//! struct and enum of `models.rs` (the constraints of each field, then the field's own
//! `Validate`), and the checks that open each request builder's `request()` (parameters,
//! path parameters that are whole segments, the body). The runtime side is
//! `runtime/src/validation.rs`; [`request_has_checks`] tells the header of `operations.rs` whether to
//! import it.
//!
//! What it writes: the expect test `emit::tests::a_validated_body` (a struct's `Validate`
//! impl, and the checks that open `build`).

use std::collections::HashSet;

use proc_macro2::Ident;

use super::{ident, int_lit, plain_ident, resolve, str_expr};
use crate::fragment;
use crate::model::{
    Api, Constraints, Field, Operation, Param, PathSegment, TypeDef, TypeKind, TypeRef, Variant,
};

/// The model types that implement `Validate`: those with something to check (a
/// constraint, or an enum's list of values; in the type or in a field) that a request can
/// carry (in a parameter or the body, at any depth). A type that is only ever received
/// has nothing to check before sending, and gets no impl.
#[derive(Debug, Default)]
pub struct Checks {
    validated: HashSet<String>,
}

impl Checks {
    pub fn new(api: &Api) -> Checks {
        let with_checks = types_with_checks(api);
        let validated = types_sent(api)
            .into_iter()
            .filter(|t| with_checks.contains(t))
            .collect();
        Checks { validated }
    }

    /// Whether the named type implements `Validate`.
    pub(crate) fn has_impl(&self, name: &str) -> bool {
        self.validated.contains(name)
    }

    /// Whether values of `ty` hold a value whose `Validate` impl has something to check.
    pub(crate) fn validates(&self, api: &Api, ty: &TypeRef) -> bool {
        match resolve(api, ty) {
            TypeRef::Named(n) => self.validated.contains(n),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
                self.validates(api, inner)
            }
            _ => false,
        }
    }
}

/// The types with something to check, in them or in a field (a fixed point: fields may
/// refer to types defined later, or to their own type).
fn types_with_checks(api: &Api) -> HashSet<String> {
    fn holds(set: &HashSet<String>, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(n) => set.contains(n),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => holds(set, inner),
            _ => false,
        }
    }
    let checks = |set: &HashSet<String>, t: &TypeDef| match &t.kind {
        TypeKind::Enum(_) => true,
        TypeKind::Alias(ty) => holds(set, ty),
        TypeKind::Struct(fields) => fields
            .iter()
            .any(|f| has_constraint_checks(api, &f.ty, &f.constraints) || holds(set, &f.ty)),
    };
    let mut set = HashSet::new();
    loop {
        let before = set.len();
        for t in &api.types {
            if !set.contains(&t.name) && checks(&set, t) {
                set.insert(t.name.clone());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

/// The types a request can carry: those of parameters and bodies, and of their fields.
fn types_sent(api: &Api) -> HashSet<String> {
    fn visit<'a>(ty: &'a TypeRef, pending: &mut Vec<&'a str>) {
        match ty {
            TypeRef::Named(n) => pending.push(n),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
                visit(inner, pending)
            }
            _ => {}
        }
    }
    let mut pending: Vec<&str> = Vec::new();
    for op in &api.operations {
        for p in op.params.iter().filter(|p| p.constant.is_none()) {
            visit(&p.ty, &mut pending);
        }
        if let Some(b) = &op.body {
            visit(&b.ty, &mut pending);
        }
    }
    let mut sent = HashSet::new();
    while let Some(name) = pending.pop() {
        if !sent.insert(name.to_owned()) {
            continue;
        }
        match api.type_kind(name) {
            Some(TypeKind::Struct(fields)) => {
                for f in fields {
                    visit(&f.ty, &mut pending);
                }
            }
            Some(TypeKind::Alias(ty)) => visit(ty, &mut pending),
            _ => {}
        }
    }
    sent
}

/// `impl validation::Validate for Name`: the checks of each field, in order (a type of
/// [`Checks`] has at least one).
pub(crate) fn struct_impl(
    api: &Api,
    checks: &Checks,
    type_name: &str,
    fields: &[Field],
) -> syn::Item {
    let statements: Vec<syn::Stmt> = fields
        .iter()
        .filter_map(|f| field_checks(api, checks, f))
        .collect();
    // The trait is the runtime's, for generated code only: not part of the type's docs.
    syn::Item::Impl(fragment!(syn::ItemImpl {
        #[doc(hidden)]
        impl validation::Validate for __Name {
            fn validate(&self, path: &validation::Path<'_>) -> Result<(), crate::Error> {
                __checks;
                Ok(())
            }
        }
    }, __Name = ident(type_name), __checks = statements))
}

/// `impl validation::Validate for Name` of an enum: the value is one the spec lists.
pub(crate) fn enum_impl(name: Ident, variants: &[Variant]) -> syn::Item {
    let wires: Vec<syn::Expr> = variants.iter().map(|v| str_expr(&v.wire_name)).collect();
    syn::Item::Impl(fragment!(syn::ItemImpl {
        #[doc(hidden)]
        impl validation::Validate for __Name {
            fn validate(&self, path: &validation::Path<'_>) -> Result<(), crate::Error> {
                validation::known(path, self.as_str(), &[__wires])
            }
        }
    }, __Name = name, __wires = wires))
}

/// What there is to check of one value (a field or a parameter).
enum ValueChecks {
    Nothing,
    /// Only the value's own `Validate`.
    Own,
    /// Checks of `value`, reported at `field`: the constraints, then the value's own
    /// `Validate` if it has one.
    Statements(Vec<syn::Stmt>),
}

fn value_checks(api: &Api, checks: &Checks, ty: &TypeRef, c: &Constraints) -> ValueChecks {
    let mut body = constraint_checks(api, ty, c);
    let own = checks.validates(api, ty);
    if body.is_empty() {
        return if own {
            ValueChecks::Own
        } else {
            ValueChecks::Nothing
        };
    }
    if own {
        body.push(fragment!(syn::Stmt { validation::Validate::validate(value, &field)?; }));
    }
    ValueChecks::Statements(body)
}

/// The checks of one field, or `None` when there is nothing to check.
fn field_checks(api: &Api, checks: &Checks, f: &Field) -> Option<syn::Stmt> {
    let name = ident(&f.rust_name);
    let wire = &f.wire_name;
    match value_checks(api, checks, &f.ty, &f.constraints) {
        ValueChecks::Nothing => None,
        // `Validate` for `Option` skips a value that is absent.
        ValueChecks::Own => Some(fragment!(syn::Stmt {
            validation::Validate::validate(&self.__name, &path.field(__wire))?;
        }, __name = name, __wire = wire)),
        ValueChecks::Statements(body) if !f.required || f.nullable => Some(fragment!(syn::Stmt {
            if let Some(value) = &self.__name {
                let field = path.field(__wire);
                __body;
            }
        }, __name = name, __wire = wire, __body = body)),
        ValueChecks::Statements(body) => Some(fragment!(syn::Stmt {
            {
                let value = &self.__name;
                let field = path.field(__wire);
                __body;
            }
        }, __name = name, __wire = wire, __body = body)),
    }
}

/// The checks that open `request()`: parameters, path parameters that are whole segments,
/// the body. Empty exactly when [`request_has_checks`] is false.
pub(crate) fn request_checks(api: &Api, checks: &Checks, op: &Operation) -> Vec<syn::Stmt> {
    let mut statements: Vec<syn::Stmt> = op
        .params
        .iter()
        .filter_map(|p| param_checks(api, checks, p))
        .collect();
    for at in (0..op.path.len()).filter(|at| whole_segment(api, op, *at)) {
        if let PathSegment::Param(i) = &op.path[at] {
            let p = &op.params[*i];
            statements.push(fragment!(syn::Stmt {
                validation::path_segment(&validation::Path::root(__wire), &self.__name)?;
            }, __wire = &p.wire_name, __name = ident(&p.rust_name)));
        }
    }
    statements.extend(body_check(api, checks, op));
    statements
}

/// Whether [`request_checks`] checks anything (and so `operations.rs` uses `validation`).
pub(crate) fn request_has_checks(api: &Api, checks: &Checks, op: &Operation) -> bool {
    op.params.iter().any(|p| {
        p.constant.is_none()
            && (has_constraint_checks(api, &p.ty, &p.constraints) || checks.validates(api, &p.ty))
    }) || (0..op.path.len()).any(|at| whole_segment(api, op, at))
        || op
            .body
            .as_ref()
            .is_some_and(|b| checks.validates(api, &b.ty))
}

/// The checks of one parameter the caller sets, or `None` when there is nothing to check.
fn param_checks(api: &Api, checks: &Checks, p: &Param) -> Option<syn::Stmt> {
    if p.constant.is_some() {
        return None;
    }
    let name = ident(&p.rust_name);
    let wire = &p.wire_name;
    match value_checks(api, checks, &p.ty, &p.constraints) {
        ValueChecks::Nothing => None,
        // `Validate` for `Option` skips a parameter not set.
        ValueChecks::Own => Some(fragment!(syn::Stmt {
            validation::Validate::validate(&self.__name, &validation::Path::root(__wire))?;
        }, __name = name, __wire = wire)),
        ValueChecks::Statements(body) if p.required => Some(fragment!(syn::Stmt {
            {
                let value = &self.__name;
                let field = validation::Path::root(__wire);
                __body;
            }
        }, __name = name, __wire = wire, __body = body)),
        ValueChecks::Statements(body) => Some(fragment!(syn::Stmt {
            if let Some(value) = &self.__name {
                let field = validation::Path::root(__wire);
                __body;
            }
        }, __name = name, __wire = wire, __body = body)),
    }
}

/// The body's own `Validate`, if it has one.
fn body_check(api: &Api, checks: &Checks, op: &Operation) -> Option<syn::Stmt> {
    let b = op.body.as_ref().filter(|b| checks.validates(api, &b.ty))?;
    Some(if b.required {
        fragment!(syn::Stmt {
            validation::Validate::validate(self.body, &validation::Path::root("body"))?;
        })
    } else {
        fragment!(syn::Stmt {
            if let Some(body) = self.body {
                validation::Validate::validate(body, &validation::Path::root("body"))?;
            }
        })
    })
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

/// Whether [`constraint_checks`] emits anything for `ty` and `c`.
fn has_constraint_checks(api: &Api, ty: &TypeRef, c: &Constraints) -> bool {
    !checked(api, ty, c).is_empty()
}

/// The constraints that are checked for a value of type `ty`: bounds only on numbers.
fn checked(api: &Api, ty: &TypeRef, c: &Constraints) -> Constraints {
    let number = matches!(
        resolve(api, ty),
        TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64
    );
    let minimum = c.minimum.filter(|_| number);
    let maximum = c.maximum.filter(|_| number);
    Constraints {
        minimum,
        maximum,
        exclusive_minimum: c.exclusive_minimum && minimum.is_some(),
        exclusive_maximum: c.exclusive_maximum && maximum.is_some(),
        ..c.clone()
    }
}

/// Checks of `constraints` against `value` (a reference to a value of type `ty`), reported
/// at `field` (a `validation::Path`).
fn constraint_checks(api: &Api, ty: &TypeRef, c: &Constraints) -> Vec<syn::Stmt> {
    let mut out = Vec::new();
    let c = &checked(api, ty, c);
    length_checks(c, &mut out);
    if let Some(pattern) = &c.pattern {
        out.push(pattern_check(pattern));
    }
    bound_checks(api, ty, c, &mut out);
    out
}

/// The bounds on the number of items of an array and on the length of a string.
fn length_checks(c: &Constraints, out: &mut Vec<syn::Stmt>) {
    let count = |n: usize| int_lit(n as u64);
    if let Some(min) = c.min_items.map(count) {
        out.push(fragment!(syn::Stmt { validation::min_items(&field, value.len(), __min)?; }, __min = min));
    }
    if let Some(max) = c.max_items.map(count) {
        out.push(fragment!(syn::Stmt { validation::max_items(&field, value.len(), __max)?; }, __max = max));
    }
    if let Some(min) = c.min_length.map(count) {
        out.push(
            fragment!(syn::Stmt { validation::min_length(&field, value, __min)?; }, __min = min),
        );
    }
    if let Some(max) = c.max_length.map(count) {
        out.push(
            fragment!(syn::Stmt { validation::max_length(&field, value, __max)?; }, __max = max),
        );
    }
}

/// A string's `pattern`, compiled once, on first use (by the runtime's `regex` feature,
/// which the crate's manifest turns on); the generator already checked that it compiles.
fn pattern_check(pattern: &str) -> syn::Stmt {
    fragment!(syn::Stmt {
        {
            static PATTERN: validation::Pattern = validation::Pattern::new(__pattern);
            PATTERN.check(&field, value)?;
        }
    }, __pattern = pattern)
}

/// The bounds of a number (`c` has them only for numbers, see [`checked`]).
fn bound_checks(api: &Api, ty: &TypeRef, c: &Constraints, out: &mut Vec<syn::Stmt>) {
    // The value as f64, without a cast clippy would flag.
    let as_f64 = || match resolve(api, ty) {
        TypeRef::F64 => fragment!(syn::Expr { *value }),
        TypeRef::I64 => fragment!(syn::Expr { *value as f64 }),
        _ => fragment!(syn::Expr { f64::from(*value) }),
    };
    let float = |x: f64| syn::Lit::new(proc_macro2::Literal::f64_unsuffixed(x));
    // One helper per rule, named for it: no flag at the call.
    if let Some(min) = c.minimum.map(float) {
        let check = if c.exclusive_minimum {
            "exclusive_minimum"
        } else {
            "minimum"
        };
        out.push(fragment!(syn::Stmt {
            validation::__check(&field, __value, __min)?;
        }, __check = plain_ident(check), __value = as_f64(), __min = min));
    }
    if let Some(max) = c.maximum.map(float) {
        let check = if c.exclusive_maximum {
            "exclusive_maximum"
        } else {
            "maximum"
        };
        out.push(fragment!(syn::Stmt {
            validation::__check(&field, __value, __max)?;
        }, __check = plain_ident(check), __value = as_f64(), __max = max));
    }
}
