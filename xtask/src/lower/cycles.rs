//! Recursion in the type list: a struct that contains itself by value has no size, and a
//! type alias may not refer to itself at all.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::model::{TypeDef, TypeKind, TypeRef};

/// Boxes the struct fields that would otherwise make a type contain itself.
pub(super) fn box_recursive_fields(types: &mut [TypeDef]) {
    // Direct edges: a struct field (or alias) that holds another named type inline.
    let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in types.iter() {
        let targets = match &t.kind {
            TypeKind::Struct(fields) => fields
                .iter()
                .filter_map(|f| match &f.ty {
                    TypeRef::Named(n) => Some(n.clone()),
                    _ => None,
                })
                .collect(),
            TypeKind::Alias(TypeRef::Named(n)) => vec![n.clone()],
            _ => Vec::new(),
        };
        edges.insert(t.name.clone(), targets);
    }
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from.to_owned()];
        let mut seen = HashSet::new();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n.clone()) {
                stack.extend(edges.get(&n).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut to_box: Vec<(usize, usize)> = Vec::new();
    for (ti, t) in types.iter().enumerate() {
        if let TypeKind::Struct(fields) = &t.kind {
            for (fi, f) in fields.iter().enumerate() {
                if let TypeRef::Named(n) = &f.ty
                    && reaches(n, &t.name)
                {
                    to_box.push((ti, fi));
                }
            }
        }
    }
    for (ti, fi) in to_box {
        if let TypeKind::Struct(fields) = &mut types[ti].kind {
            let ty = std::mem::replace(&mut fields[fi].ty, TypeRef::Json);
            fields[fi].ty = TypeRef::Boxed(Box::new(ty));
        }
    }
}

/// The aliases that refer to themselves, sorted: a type alias cannot, not even through
/// `Vec` or a map (`A = B`, `B = allOf [A]`, or `A = array of A`); only a struct breaks
/// such a cycle.
pub(super) fn recursive_aliases(types: &[TypeDef]) -> Vec<String> {
    let aliases: HashMap<&str, &TypeRef> = types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Alias(ty) => Some((t.name.as_str(), ty)),
            _ => None,
        })
        .collect();
    fn named<'t>(ty: &'t TypeRef, out: &mut Vec<&'t str>) {
        match ty {
            TypeRef::Named(n) => out.push(n),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => named(inner, out),
            _ => {}
        }
    }
    let mut cyclic: Vec<String> = Vec::new();
    for (name, ty) in &aliases {
        let mut stack = Vec::new();
        named(ty, &mut stack);
        let mut seen: HashSet<&str> = HashSet::new();
        while let Some(n) = stack.pop() {
            if n == *name {
                cyclic.push((*name).to_owned());
                break;
            }
            if seen.insert(n)
                && let Some(next) = aliases.get(n)
            {
                named(next, &mut stack);
            }
        }
    }
    cyclic.sort();
    cyclic
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Docs, Field};

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.to_owned(),
            docs: Docs::default(),
            deprecated: false,
            kind,
        }
    }

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            wire_name: name.to_owned(),
            rust_name: name.to_owned(),
            ty,
            required: true,
            nullable: false,
            docs: Docs::default(),
            deprecated: false,
            read_only: false,
            default: None,
            constraints: Default::default(),
        }
    }

    fn named(n: &str) -> TypeRef {
        TypeRef::Named(n.to_owned())
    }

    #[test]
    fn fields_on_a_cycle_are_boxed_and_others_are_not() {
        // Node -> Node (direct), A -> B -> A (through another struct), Leaf not on a cycle,
        // Vec<Node> already has a size.
        let mut types = vec![
            def(
                "Node",
                TypeKind::Struct(vec![
                    field("next", named("Node")),
                    field("children", TypeRef::Vec(Box::new(named("Node")))),
                    field("leaf", named("Leaf")),
                ]),
            ),
            def("A", TypeKind::Struct(vec![field("b", named("B"))])),
            def("B", TypeKind::Struct(vec![field("a", named("AAlias"))])),
            def("AAlias", TypeKind::Alias(named("A"))),
            def("Leaf", TypeKind::Struct(vec![field("x", TypeRef::I32)])),
        ];
        box_recursive_fields(&mut types);
        let tys = |t: &TypeDef| match &t.kind {
            TypeKind::Struct(f) => f.iter().map(|f| f.ty.clone()).collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        let boxed = |ty: TypeRef| TypeRef::Boxed(Box::new(ty));
        assert_eq!(
            tys(&types[0]),
            [
                boxed(named("Node")),
                TypeRef::Vec(Box::new(named("Node"))),
                named("Leaf")
            ]
        );
        assert_eq!(tys(&types[1]), [boxed(named("B"))]);
        assert_eq!(tys(&types[2]), [boxed(named("AAlias"))]);
        assert_eq!(tys(&types[4]), [TypeRef::I32]);
    }

    #[test]
    fn aliases_that_refer_to_themselves_are_found() {
        let types = vec![
            def("A", TypeKind::Alias(named("B"))),
            def("B", TypeKind::Alias(TypeRef::Vec(Box::new(named("A"))))),
            def(
                "Self_",
                TypeKind::Alias(TypeRef::Map(Box::new(named("Self_")))),
            ),
            def("Fine", TypeKind::Alias(named("S"))),
            def("S", TypeKind::Struct(vec![field("f", named("Fine"))])),
        ];
        assert_eq!(recursive_aliases(&types), ["A", "B", "Self_"]);
    }
}
