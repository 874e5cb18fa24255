//! The registry of named types: the types of `models.rs` in the order they are emitted
//! (spec order, inline types after their parent), and where each name came from, so that
//! two schemas that would give one name are reported rather than merged.

use std::collections::HashMap;

use crate::model::{TypeDef, TypeKind};

#[derive(Default)]
pub(super) struct Types {
    list: Vec<TypeDef>,
    /// Rust type name -> pointer of the schema that defined it.
    origins: HashMap<String, String>,
    /// Rust type name -> position in `list`.
    at: HashMap<String, usize>,
    /// Component schema name -> Rust type name.
    components: HashMap<String, String>,
}

impl Types {
    /// Takes `name` for the schema at `pointer`; when another schema already took it,
    /// returns the pointer of that one.
    pub(super) fn claim(&mut self, name: &str, pointer: &str) -> Result<(), String> {
        if let Some(other) = self.origins.get(name) {
            return Err(other.clone());
        }
        self.origins.insert(name.to_owned(), pointer.to_owned());
        Ok(())
    }

    /// Where the schema that took `name` is.
    pub(super) fn origin(&self, name: &str) -> Option<&str> {
        self.origins.get(name).map(String::as_str)
    }

    /// Records the Rust name of a component schema.
    pub(super) fn name_component(&mut self, component: &str, rust: String) {
        self.components.insert(component.to_owned(), rust);
    }

    /// The Rust name of a component schema, when it has a valid one.
    pub(super) fn component(&self, component: &str) -> Option<&String> {
        self.components.get(component)
    }

    /// Adds a type (its name was claimed before).
    pub(super) fn push(&mut self, def: TypeDef) {
        self.at.insert(def.name.clone(), self.list.len());
        self.list.push(def);
    }

    pub(super) fn len(&self) -> usize {
        self.list.len()
    }

    /// The kind of the named type, once it is defined.
    pub(super) fn kind(&self, name: &str) -> Option<&TypeKind> {
        self.at
            .get(name)
            .and_then(|&i| self.list.get(i))
            .map(|t| &t.kind)
    }

    pub(super) fn list(&self) -> &[TypeDef] {
        &self.list
    }

    pub(super) fn list_mut(&mut self) -> &mut [TypeDef] {
        &mut self.list
    }

    /// The types in order, and each one's position by name.
    pub(super) fn into_parts(self) -> (Vec<TypeDef>, HashMap<String, usize>) {
        (self.list, self.at)
    }
}
