//! Syntax trees built from fixed Rust code with holes, without parsing per use.
//!
//! The code the generator writes is mostly fixed text around a few names, types and
//! lists from the spec. [`fragment!`](crate::fragment) parses each piece of fixed code once
//! into a `syn` node (kept in a thread-local: syn's nodes cannot be shared between
//! threads), and every use copies that node and fills its holes. The
//! syntax tree goes straight to prettyplease: no token stream is built and parsed per
//! item, which was half of the generator's time.
//!
//! A hole is an identifier starting with `__`, named in the `fragment!` call:
//!
//! - in any position, replaced by a [`Fill::Ident`]; where a type stands, by a
//!   [`Fill::Type`]; where an expression stands, by a [`Fill::Expr`]; where a pattern
//!   stands, by a [`Fill::Pat`];
//! - as an element of a list, replaced by the elements of a list fill: a statement
//!   `__x;` ([`Fill::Stmts`]), a match arm `__x => {}` ([`Fill::Arms`]), an element of an
//!   array or an argument of a call `f(__x)` ([`Fill::Exprs`]), a named field `__x: ()`
//!   ([`Fill::Fields`]), a unit variant `__x` ([`Fill::Variants`]), an item `__x!();` of
//!   an impl block ([`Fill::ImplItems`]), a parameter `__x: ()` ([`Fill::FnArgs`]) or a
//!   field `__x: ()` of a struct expression ([`Fill::FieldValues`]).
//!
//! The fixed code is visited before anything is filled in, so text from the spec is never
//! taken for a hole.

use proc_macro2::{Ident, Span};
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};

/// Parses fixed code into a `syn` node once, then returns a copy with the named
/// holes filled: `fragment!(syn::ItemImpl { impl X for __name {} }, __name = ident)`.
#[macro_export]
macro_rules! fragment {
    ($ty:ty { $($code:tt)* } $(, $hole:ident = $value:expr)* $(,)?) => {{
        ::std::thread_local! {
            static FRAGMENT: $ty = ::syn::parse_quote!($($code)*);
        }
        #[allow(unused_mut)]
        let mut node: $ty = FRAGMENT.with(<$ty as ::std::clone::Clone>::clone);
        $crate::emit::fragment::fill(
            &mut node,
            &mut [$((stringify!($hole), $crate::emit::fragment::Fill::from($value))),*],
        );
        node
    }};
}

/// What fills a hole.
pub enum Fill {
    Ident(Ident),
    Type(syn::Type),
    Expr(syn::Expr),
    Pat(syn::Pat),
    Stmts(Vec<syn::Stmt>),
    Arms(Vec<syn::Arm>),
    Exprs(Vec<syn::Expr>),
    Fields(Vec<syn::Field>),
    Variants(Vec<syn::Variant>),
    ImplItems(Vec<syn::ImplItem>),
    FnArgs(Vec<syn::FnArg>),
    FieldValues(Vec<syn::FieldValue>),
}

macro_rules! fill_from {
    ($($ty:ty => $variant:ident),* $(,)?) => {
        $(impl From<$ty> for Fill {
            fn from(value: $ty) -> Fill {
                Fill::$variant(value)
            }
        })*
    };
}

fill_from!(
    Ident => Ident,
    syn::Type => Type,
    syn::Expr => Expr,
    syn::Pat => Pat,
    Vec<syn::Stmt> => Stmts,
    Vec<syn::Arm> => Arms,
    Vec<syn::Expr> => Exprs,
    Vec<syn::Field> => Fields,
    Vec<syn::Variant> => Variants,
    Vec<syn::ImplItem> => ImplItems,
    Vec<syn::FnArg> => FnArgs,
    Vec<syn::FieldValue> => FieldValues,
);

impl From<syn::Lit> for Fill {
    fn from(lit: syn::Lit) -> Fill {
        Fill::Expr(syn::Expr::Lit(super::expr_lit(lit)))
    }
}

impl From<&str> for Fill {
    /// A string literal.
    fn from(text: &str) -> Fill {
        Fill::from(syn::Lit::Str(syn::LitStr::new(text, Span::call_site())))
    }
}

impl From<&String> for Fill {
    fn from(text: &String) -> Fill {
        Fill::from(text.as_str())
    }
}

impl From<bool> for Fill {
    fn from(value: bool) -> Fill {
        Fill::from(syn::Lit::Bool(syn::LitBool::new(value, Span::call_site())))
    }
}

/// A syntax node whose holes can be filled.
pub trait Node {
    fn accept(&mut self, filler: &mut Filler<'_>);
}

macro_rules! node {
    ($($ty:ty => $visit:ident),* $(,)?) => {
        $(impl Node for $ty {
            fn accept(&mut self, filler: &mut Filler<'_>) {
                filler.$visit(self);
            }
        })*
    };
}

node!(
    syn::Item => visit_item_mut,
    syn::ItemImpl => visit_item_impl_mut,
    syn::ItemStruct => visit_item_struct_mut,
    syn::ItemEnum => visit_item_enum_mut,
    syn::ItemType => visit_item_type_mut,
    syn::ImplItemFn => visit_impl_item_fn_mut,
    syn::ImplItemConst => visit_impl_item_const_mut,
    syn::ImplItemType => visit_impl_item_type_mut,
    syn::Stmt => visit_stmt_mut,
    syn::Expr => visit_expr_mut,
    syn::Arm => visit_arm_mut,
    syn::Field => visit_field_mut,
    syn::Variant => visit_variant_mut,
    syn::FnArg => visit_fn_arg_mut,
    syn::FieldValue => visit_field_value_mut,
    syn::Type => visit_type_mut,
    syn::Attribute => visit_attribute_mut,
);

impl Node for Vec<syn::Stmt> {
    fn accept(&mut self, filler: &mut Filler<'_>) {
        for stmt in self.iter_mut() {
            filler.visit_stmt_mut(stmt);
        }
        // The statements are a block's without the braces: holes among them too.
        filler.splice_vec(self, stmt_hole, stmts);
    }
}

/// Fills the holes of `node`. Every hole must occur in the fixed code: a fill left over is a
/// generator bug, caught by the tests (debug builds).
pub fn fill<N: Node>(node: &mut N, holes: &mut [(&'static str, Fill)]) {
    if holes.is_empty() {
        return;
    }
    let mut filler = Filler { holes, used: 0 };
    node.accept(&mut filler);
    debug_assert_eq!(
        filler.used,
        (1u64 << filler.holes.len()) - 1,
        "a hole of {:?} is not in the fragment",
        filler.holes.iter().map(|h| h.0).collect::<Vec<_>>()
    );
}

pub struct Filler<'a> {
    holes: &'a mut [(&'static str, Fill)],
    /// Bit `i` is set once hole `i` was found.
    used: u64,
}

impl Filler<'_> {
    fn find(&mut self, id: &Ident) -> Option<usize> {
        let i = self.holes.iter().position(|(name, _)| id == name)?;
        self.used |= 1 << i;
        Some(i)
    }

    /// [`Self::splice_vec`] for a punctuated list.
    fn splice<T, P: Default>(
        &mut self,
        list: &mut Punctuated<T, P>,
        hole: impl Fn(&T) -> Option<&Ident>,
        take: impl Fn(Fill) -> Option<Vec<T>>,
    ) {
        if !list
            .iter()
            .any(|e| hole(e).is_some_and(|id| self.is_list_hole(id)))
        {
            return;
        }
        let mut items: Vec<T> = std::mem::take(list).into_iter().collect();
        self.splice_vec(&mut items, hole, take);
        *list = items.into_iter().collect();
    }

    /// Replaces each element of `list` that is a list hole by the elements of its fill.
    fn splice_vec<T>(
        &mut self,
        list: &mut Vec<T>,
        hole: impl Fn(&T) -> Option<&Ident>,
        take: impl Fn(Fill) -> Option<Vec<T>>,
    ) {
        if !list
            .iter()
            .any(|e| hole(e).is_some_and(|id| self.is_list_hole(id)))
        {
            return;
        }
        let old = std::mem::take(list);
        for element in old {
            let fill = hole(&element).and_then(|id| self.take_list(id));
            match fill {
                Some(fill) => list
                    .extend(take(fill).expect("a list hole filled with a list of the wrong kind")),
                None => list.push(element),
            }
        }
    }

    fn is_list_hole(&self, id: &Ident) -> bool {
        self.holes.iter().any(|(name, fill)| {
            id == name
                && !matches!(
                    fill,
                    Fill::Ident(_) | Fill::Type(_) | Fill::Expr(_) | Fill::Pat(_)
                )
        })
    }

    /// The list filling hole `id`, taken out: a list is spliced in once.
    fn take_list(&mut self, id: &Ident) -> Option<Fill> {
        if !self.is_list_hole(id) {
            return None;
        }
        let i = self.find(id)?;
        Some(std::mem::replace(
            &mut self.holes[i].1,
            Fill::Stmts(Vec::new()),
        ))
    }
}

fn path_ident(path: &syn::Path) -> Option<&Ident> {
    path.get_ident()
}

fn expr_ident(expr: &syn::Expr) -> Option<&Ident> {
    match expr {
        syn::Expr::Path(p) if p.qself.is_none() && p.attrs.is_empty() => path_ident(&p.path),
        _ => None,
    }
}

fn pat_ident(pat: &syn::Pat) -> Option<&Ident> {
    match pat {
        syn::Pat::Ident(p) if p.subpat.is_none() && p.by_ref.is_none() => Some(&p.ident),
        _ => None,
    }
}

impl VisitMut for Filler<'_> {
    fn visit_ident_mut(&mut self, id: &mut Ident) {
        if let Some(i) = self.find(id)
            && let Fill::Ident(fill) = &self.holes[i].1
        {
            *id = fill.clone();
        }
    }

    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if let syn::Type::Path(p) = ty
            && p.qself.is_none()
            && let Some(id) = path_ident(&p.path)
            && let Some(i) = self.find(id)
            && let Fill::Type(fill) = &self.holes[i].1
        {
            *ty = fill.clone();
            return;
        }
        visit_mut::visit_type_mut(self, ty);
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let Some(id) = expr_ident(expr)
            && let Some(i) = self.find(id)
            && let Fill::Expr(fill) = &self.holes[i].1
        {
            *expr = fill.clone();
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_pat_mut(&mut self, pat: &mut syn::Pat) {
        if let Some(id) = pat_ident(pat)
            && let Some(i) = self.find(id)
            && let Fill::Pat(fill) = &self.holes[i].1
        {
            *pat = fill.clone();
            return;
        }
        visit_mut::visit_pat_mut(self, pat);
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        visit_mut::visit_block_mut(self, block);
        self.splice_vec(&mut block.stmts, stmt_hole, stmts);
    }

    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        visit_mut::visit_expr_match_mut(self, m);
        self.splice_vec(
            &mut m.arms,
            |a| pat_ident(&a.pat),
            |f| match f {
                Fill::Arms(v) => Some(v),
                _ => None,
            },
        );
    }

    fn visit_expr_array_mut(&mut self, a: &mut syn::ExprArray) {
        visit_mut::visit_expr_array_mut(self, a);
        self.splice(&mut a.elems, expr_ident, exprs);
    }

    fn visit_expr_call_mut(&mut self, c: &mut syn::ExprCall) {
        visit_mut::visit_expr_call_mut(self, c);
        self.splice(&mut c.args, expr_ident, exprs);
    }

    fn visit_expr_method_call_mut(&mut self, c: &mut syn::ExprMethodCall) {
        visit_mut::visit_expr_method_call_mut(self, c);
        self.splice(&mut c.args, expr_ident, exprs);
    }

    fn visit_fields_named_mut(&mut self, f: &mut syn::FieldsNamed) {
        visit_mut::visit_fields_named_mut(self, f);
        self.splice(
            &mut f.named,
            |f| f.ident.as_ref(),
            |f| match f {
                Fill::Fields(v) => Some(v),
                _ => None,
            },
        );
    }

    fn visit_item_enum_mut(&mut self, e: &mut syn::ItemEnum) {
        visit_mut::visit_item_enum_mut(self, e);
        self.splice(
            &mut e.variants,
            |v| matches!(v.fields, syn::Fields::Unit).then_some(&v.ident),
            |f| match f {
                Fill::Variants(v) => Some(v),
                _ => None,
            },
        );
    }

    fn visit_item_impl_mut(&mut self, i: &mut syn::ItemImpl) {
        visit_mut::visit_item_impl_mut(self, i);
        self.splice_vec(
            &mut i.items,
            |item| match item {
                syn::ImplItem::Macro(m) => path_ident(&m.mac.path),
                _ => None,
            },
            |f| match f {
                Fill::ImplItems(v) => Some(v),
                _ => None,
            },
        );
    }

    fn visit_signature_mut(&mut self, s: &mut syn::Signature) {
        visit_mut::visit_signature_mut(self, s);
        self.splice(
            &mut s.inputs,
            |a| match a {
                syn::FnArg::Typed(t) => pat_ident(&t.pat),
                _ => None,
            },
            |f| match f {
                Fill::FnArgs(v) => Some(v),
                _ => None,
            },
        );
    }

    fn visit_expr_struct_mut(&mut self, s: &mut syn::ExprStruct) {
        visit_mut::visit_expr_struct_mut(self, s);
        self.splice(
            &mut s.fields,
            |f| match &f.member {
                syn::Member::Named(id) => Some(id),
                syn::Member::Unnamed(_) => None,
            },
            |f| match f {
                Fill::FieldValues(v) => Some(v),
                _ => None,
            },
        );
    }
}

fn stmt_hole(stmt: &syn::Stmt) -> Option<&Ident> {
    match stmt {
        syn::Stmt::Expr(e, Some(_)) => expr_ident(e),
        _ => None,
    }
}

fn stmts(fill: Fill) -> Option<Vec<syn::Stmt>> {
    match fill {
        Fill::Stmts(v) => Some(v),
        _ => None,
    }
}

fn exprs(fill: Fill) -> Option<Vec<syn::Expr>> {
    match fill {
        Fill::Exprs(v) => Some(v),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    fn text(node: impl ToTokens) -> String {
        node.to_token_stream().to_string()
    }

    #[test]
    fn holes_are_filled_by_kind() {
        let ty: syn::Type = syn::parse_quote!(Vec<u8>);
        let f = crate::fragment!(syn::ImplItemFn {
            pub fn __name(&self, __args: ()) -> __Out {
                __checks;
                let value = [__list];
                match value { __arms => {} _ => __default }
            }
        },
            __name = proc_macro2::Ident::new("get", proc_macro2::Span::call_site()),
            __args = Vec::<syn::FnArg>::from([syn::parse_quote!(a: u8), syn::parse_quote!(b: u16)]),
            __Out = ty,
            __checks = Vec::<syn::Stmt>::from([syn::parse_quote!(check();), syn::parse_quote!(other();)]),
            __list = Vec::<syn::Expr>::from([syn::parse_quote!(1), syn::parse_quote!(2)]),
            __arms = Vec::<syn::Arm>::new(),
            __default = "text",
        );
        assert_eq!(
            text(f),
            text(quote::quote! {
                pub fn get(&self, a: u8, b: u16) -> Vec<u8> {
                    check();
                    other();
                    let value = [1, 2];
                    match value { _ => "text" }
                }
            })
        );
    }

    /// What fills a hole is not searched for holes: spec text cannot look like one.
    #[test]
    fn fills_are_not_filled_again() {
        let inner: syn::Expr = syn::parse_quote!(__b);
        let e = crate::fragment!(syn::Expr { (__a, __b) },
            __a = inner,
            __b = proc_macro2::Ident::new("x", proc_macro2::Span::call_site()),
        );
        assert_eq!(text(e), "(__b , x)");
    }
}
