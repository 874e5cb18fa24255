//! The checks a generated client runs before it sends anything: the `Validate` impl of each
//! struct and enum of `models.rs` (the constraints of each field, then the field's own
//! `Validate`), and the checks that open each request builder's `request()` (parameters,
//! path parameters that are whole segments, the body). The runtime side is the template
//! `validation.rs`; [`request_has_checks`] tells the header of `operations.rs` whether to
//! import it.
//!
//! ```text
//! impl validation::Validate for Thing {
//!     fn validate(&self, path: &validation::Path<'_>) -> Result<(), crate::Error> {
//!         {
//!             let value = &self.name;
//!             let field = path.field("name");
//!             validation::max_length(&field, value, 64)?;
//!         }
//!         validation::Validate::validate(&self.owner, &path.field("owner"))?;
//!         Ok(())
//!     }
//! }
//!
//! // At the start of `request()`:
//! validation::path_segment(&validation::Path::root("organization"), &self.organization)?;
//! if let Some(value) = &self.top {
//!     let field = validation::Path::root("$top");
//!     validation::minimum(&field, f64::from(*value), 1.0, false)?;
//! }
//! validation::Validate::validate(self.body, &validation::Path::root("body"))?;
//! ```

use proc_macro2::Ident;

use super::{ident, int_lit, plain_ident, resolve, str_expr};
use crate::fragment;
use crate::model::{Api, Constraints, Field, Operation, Param, PathSegment, TypeRef, Variant};

/// True when values of `ty` hold a struct or enum whose `Validate` impl has something to check.
pub(crate) fn needs_validation(api: &Api, ty: &TypeRef) -> bool {
    match resolve(api, ty) {
        TypeRef::Named(_) => true,
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
            needs_validation(api, inner)
        }
        _ => false,
    }
}

/// `impl validation::Validate for Name`: the checks of each field, in order.
pub(crate) fn struct_impl(api: &Api, type_name: &str, fields: &[Field]) -> syn::Item {
    let checks: Vec<syn::Stmt> = fields.iter().filter_map(|f| field_checks(api, f)).collect();
    let path_arg = plain_ident(if checks.is_empty() { "_path" } else { "path" });
    syn::Item::Impl(fragment!(syn::ItemImpl {
        impl validation::Validate for __Name {
            fn validate(&self, __path: &validation::Path<'_>) -> Result<(), crate::Error> {
                __checks;
                Ok(())
            }
        }
    }, __Name = ident(type_name), __path = path_arg, __checks = checks))
}

/// `impl validation::Validate for Name` of an enum: the value is one the spec lists.
pub(crate) fn enum_impl(name: Ident, variants: &[Variant]) -> syn::Item {
    let wires: Vec<syn::Expr> = variants.iter().map(|v| str_expr(&v.wire_name)).collect();
    syn::Item::Impl(fragment!(syn::ItemImpl {
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

fn value_checks(api: &Api, ty: &TypeRef, c: &Constraints) -> ValueChecks {
    let mut body = constraint_checks(api, ty, c);
    let own = needs_validation(api, ty);
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
fn field_checks(api: &Api, f: &Field) -> Option<syn::Stmt> {
    let name = ident(&f.rust_name);
    let wire = &f.wire_name;
    match value_checks(api, &f.ty, &f.constraints) {
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
pub(crate) fn request_checks(api: &Api, op: &Operation) -> Vec<syn::Stmt> {
    let mut checks: Vec<syn::Stmt> = op
        .params
        .iter()
        .filter_map(|p| param_checks(api, p))
        .collect();
    for at in (0..op.path.len()).filter(|at| whole_segment(api, op, *at)) {
        if let PathSegment::Param(i) = &op.path[at] {
            let p = &op.params[*i];
            checks.push(fragment!(syn::Stmt {
                validation::path_segment(&validation::Path::root(__wire), &self.__name)?;
            }, __wire = &p.wire_name, __name = ident(&p.rust_name)));
        }
    }
    checks.extend(body_check(api, op));
    checks
}

/// Whether [`request_checks`] checks anything (and so `operations.rs` uses `validation`).
pub(crate) fn request_has_checks(api: &Api, op: &Operation) -> bool {
    op.params.iter().any(|p| {
        p.constant.is_none()
            && (has_constraint_checks(api, &p.ty, &p.constraints) || needs_validation(api, &p.ty))
    }) || (0..op.path.len()).any(|at| whole_segment(api, op, at))
        || op
            .body
            .as_ref()
            .is_some_and(|b| needs_validation(api, &b.ty))
}

/// The checks of one parameter the caller sets, or `None` when there is nothing to check.
fn param_checks(api: &Api, p: &Param) -> Option<syn::Stmt> {
    if p.constant.is_some() {
        return None;
    }
    let name = ident(&p.rust_name);
    let wire = &p.wire_name;
    match value_checks(api, &p.ty, &p.constraints) {
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
fn body_check(api: &Api, op: &Operation) -> Option<syn::Stmt> {
    let b = op.body.as_ref().filter(|b| needs_validation(api, &b.ty))?;
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

/// A string's `pattern`, compiled once, on first use; the generator already checked that
/// it compiles.
fn pattern_check(pattern: &str) -> syn::Stmt {
    fragment!(syn::Stmt {
        {
            static PATTERN: std::sync::LazyLock<Option<regex::Regex>> =
                std::sync::LazyLock::new(|| regex::Regex::new(__pattern).ok());
            validation::pattern(&field, PATTERN.as_ref().map(|re| re.is_match(value)), __pattern)?;
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
    if let Some(min) = c.minimum.map(float) {
        out.push(fragment!(syn::Stmt {
            validation::minimum(&field, __value, __min, __exclusive)?;
        }, __value = as_f64(), __min = min, __exclusive = c.exclusive_minimum));
    }
    if let Some(max) = c.maximum.map(float) {
        out.push(fragment!(syn::Stmt {
            validation::maximum(&field, __value, __max, __exclusive)?;
        }, __value = as_f64(), __max = max, __exclusive = c.exclusive_maximum));
    }
}
