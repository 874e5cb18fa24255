//! `$ref`s to components: `#/components/schemas/NAME` anywhere a schema may be, and
//! `#/components/{parameters,requestBodies,responses}/NAME` for those objects. Other
//! references (other files, JSON pointers into paths) are refused.

use indexmap::IndexMap;
use openapiv3::{Components, ReferenceOr};

use super::Lowerer;
use crate::diagnostics::join;
use crate::model::TypeRef;

/// The prefix of a reference to a component schema.
pub(super) const SCHEMAS: &str = "#/components/schemas/";

impl<'a> Lowerer<'a> {
    /// An object of the operation, or the component a `$ref` names
    /// (`#/components/{kind}/NAME`), with the pointer where it is written.
    pub(super) fn component<'p, T: 'a>(
        &mut self,
        item: &'p ReferenceOr<T>,
        pointer: &str,
        kind: &str,
        pick: impl FnOnce(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Option<(&'p T, String)>
    where
        'a: 'p,
    {
        let reference = match item {
            ReferenceOr::Item(item) => return Some((item, pointer.to_owned())),
            ReferenceOr::Reference { reference } => reference,
        };
        let prefix = format!("#/components/{kind}/");
        let Some(name) = reference.strip_prefix(&prefix) else {
            self.errs.report(
                pointer,
                format!("$ref {reference:?} is not supported here: only {prefix}NAME"),
            );
            return None;
        };
        match self
            .doc
            .components
            .as_ref()
            .map(pick)
            .and_then(|m| m.get(name))
        {
            Some(ReferenceOr::Item(found)) => {
                Some((found, join(&format!("/components/{kind}"), name)))
            }
            Some(ReferenceOr::Reference { .. }) => {
                self.errs.report(
                    pointer,
                    format!("{reference} is itself a $ref; chains of $refs are not supported here"),
                );
                None
            }
            None => {
                self.errs.report(
                    pointer,
                    format!("dangling $ref: {reference} does not exist"),
                );
                None
            }
        }
    }

    /// The named type a schema `$ref` stands for.
    pub(super) fn schema_ref_type(&mut self, reference: &str, pointer: &str) -> Option<TypeRef> {
        let Some(name) = reference.strip_prefix(SCHEMAS) else {
            self.errs.report(
                pointer,
                format!("$ref {reference:?} is not supported: only {SCHEMAS}NAME"),
            );
            return None;
        };
        let exists = self
            .doc
            .components
            .as_ref()
            .is_some_and(|c| c.schemas.contains_key(name));
        if !exists {
            self.errs.report(
                pointer,
                format!("dangling $ref: {reference} does not exist"),
            );
            return None;
        }
        match self.types.component(name) {
            Some(rust) => Some(TypeRef::Named(rust.clone())),
            None => {
                // The schema's own name was refused, and reported there.
                self.errs.reported_elsewhere();
                None
            }
        }
    }
}
