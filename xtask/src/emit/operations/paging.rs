//! What a paging operation adds (see `lower/paging.rs` for which operations page): how its
//! parameters ask for the next page and where a page names it (`Paged`; without a token
//! property, the runtime reads the `x-ms-continuationtoken` header), and where its
//! entries are (`PagedItems`). `.pages()`, `.items()` and the loop are the runtime's
//! (runtime/src/paging.rs), written once.
//!
//! What it writes: the `Paged` and `PagedItems` impls of the expect test
//! `emit::tests::paging`.

use super::{Lifetime, Op};
use crate::emit::{Scope, ident, rust_type};
use crate::fragment;
use crate::model::{NextToken, PageField, PageItems, Paging, TypeRef};

/// The `Paged` and `PagedItems` impls of a paging operation; nothing for the others.
pub(super) fn impls(cx: &Op) -> Vec<syn::Item> {
    let Some(paging) = &cx.op.paging else {
        return Vec::new();
    };
    let mut out = vec![paged_impl(cx, paging)];
    out.extend(paging.items.as_ref().map(|items| items_impl(cx, items)));
    out
}

/// `impl Paged for BuilderParams<'_> { continue_from, start_token, next_token }`.
fn paged_impl(cx: &Op, paging: &Paging) -> syn::Item {
    let continue_from = fragment!(syn::ImplItemFn {
        fn continue_from(&mut self, token: String) {
            self.__token = Some(token);
        }
    }, __token = ident(&paging.token_param));
    let start_token = fragment!(syn::ImplItemFn {
        fn start_token(&self) -> Option<&str> {
            self.__token.as_deref()
        }
    }, __token = ident(&paging.token_param));
    let mut items = vec![
        syn::ImplItem::Fn(continue_from),
        syn::ImplItem::Fn(start_token),
    ];
    // Without a token property, the trait's default leaves it to the response header.
    if let NextToken::Field(field) = &paging.next {
        items.push(syn::ImplItem::Fn(fragment!(syn::ImplItemFn {
            fn next_token(page: &__Output) -> Option<String> {
                __token
            }
        }, __Output = cx.output.clone(), __token = token_from_field(field))));
    }
    syn::Item::Impl(fragment!(syn::ItemImpl {
        impl Paged for __Params {
            __items!();
        }
    }, __Params = cx.params_type(Lifetime::Elided), __items = items))
}

/// The next page's token from the page's property, as text.
fn token_from_field(field: &PageField) -> syn::Expr {
    let name = ident(&field.rust_name);
    match (field.ty == TypeRef::String, field.optional) {
        (true, true) => fragment!(syn::Expr { page.__name.clone() }, __name = name),
        (true, false) => fragment!(syn::Expr { Some(page.__name.clone()) }, __name = name),
        (false, true) => fragment!(syn::Expr {
            page.__name.map(|token| token.to_string())
        }, __name = name),
        (false, false) => fragment!(syn::Expr { Some(page.__name.to_string()) }, __name = name),
    }
}

/// `impl PagedItems for BuilderParams<'_> { type Item; items }`.
fn items_impl(cx: &Op, items: &PageItems) -> syn::Item {
    let (item, entries) = match items {
        PageItems::Field(field) => {
            let name = ident(&field.rust_name);
            let entries = if field.optional {
                fragment!(syn::Expr { page.__name.unwrap_or_default() }, __name = name)
            } else {
                fragment!(syn::Expr { page.__name }, __name = name)
            };
            (&field.ty, entries)
        }
        PageItems::Page(item) => (item, fragment!(syn::Expr { page })),
    };
    let item = rust_type(item, Scope::Operations);
    let members = vec![
        syn::ImplItem::Type(fragment!(syn::ImplItemType { type Item = __Item; },
            __Item = item.clone(),
        )),
        syn::ImplItem::Fn(fragment!(syn::ImplItemFn {
            fn items(page: __Output) -> Vec<__Item> {
                __entries
            }
        }, __Output = cx.output.clone(), __Item = item, __entries = entries)),
    ];
    syn::Item::Impl(fragment!(syn::ItemImpl {
        impl PagedItems for __Params {
            __items!();
        }
    }, __Params = cx.params_type(Lifetime::Elided), __items = members))
}
