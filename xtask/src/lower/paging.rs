//! Paging by continuation token: which operations page, where their pages name the next
//! one and where their entries are. A pass over the lowered model, once the types are
//! final, because it looks into the page type's fields.
//!
//! An operation pages when it has an optional `continuationToken` query parameter of type
//! string and a single success response with a body (the page). The next page's token is
//! the page's `continuationToken` property when it has a scalar one, else the
//! `x-ms-continuationtoken` response header. The entries are the page's `value` property
//! when it is a list, or the page itself when it is a list.

use crate::model::{
    Api, Field, NextToken, Operation, PageField, PageItems, Paging, ParamLocation, TypeDef,
    TypeKind, TypeRef,
};

/// The query parameter and the page property that carry the token.
const TOKEN: &str = "continuationToken";

/// The page property that holds the entries.
const ITEMS: &str = "value";

/// Sets `paging` on every operation that pages.
pub(super) fn detect(api: &mut Api) {
    let Api {
        operations,
        types,
        type_index,
        ..
    } = api;
    let type_def = |name: &str| type_index.get(name).and_then(|&i| types.get(i));
    for op in operations.iter_mut() {
        op.paging = paging(op, &type_def);
    }
}

fn paging<'t>(op: &Operation, type_def: &impl Fn(&str) -> Option<&'t TypeDef>) -> Option<Paging> {
    let token_param = op.params.iter().find(|p| {
        p.wire_name == TOKEN
            && p.location == ParamLocation::Query
            && !p.required
            && p.constant.is_none()
            && p.ty == TypeRef::String
    })?;
    if op.responses.enum_name.is_some() {
        return None;
    }
    let [page] = op.responses.success.as_slice() else {
        return None;
    };
    let page = page.ty.as_ref()?;
    let fields = match page {
        TypeRef::Named(name) => match &type_def(name)?.kind {
            TypeKind::Struct(fields) => fields.as_slice(),
            TypeKind::Alias(TypeRef::Vec(item)) => {
                return Some(Paging {
                    token_param: token_param.rust_name.clone(),
                    next: NextToken::Header,
                    items: Some(PageItems::Page((**item).clone())),
                });
            }
            _ => &[],
        },
        _ => &[],
    };
    let next = match fields.iter().find(|f| f.wire_name == TOKEN) {
        Some(f) if is_scalar(&f.ty) => NextToken::Field(page_field(f, f.ty.clone())),
        // A token property of another type cannot be sent back as the parameter.
        Some(_) => return None,
        None => NextToken::Header,
    };
    let items = match page {
        TypeRef::Vec(item) => Some(PageItems::Page((**item).clone())),
        _ => fields
            .iter()
            .find(|f| f.wire_name == ITEMS)
            .and_then(|f| match &f.ty {
                TypeRef::Vec(item) => Some(PageItems::Field(page_field(f, (**item).clone()))),
                _ => None,
            }),
    };
    Some(Paging {
        token_param: token_param.rust_name.clone(),
        next,
        items,
    })
}

/// A type whose value is written back as text: what a token can be.
fn is_scalar(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::String | TypeRef::Uuid | TypeRef::I32 | TypeRef::I64
    )
}

fn page_field(f: &Field, ty: TypeRef) -> PageField {
    PageField {
        rust_name: f.rust_name.clone(),
        // As the struct declares it (emit/serde.rs: `is_optional`).
        optional: !f.required || f.nullable,
        ty,
    }
}
