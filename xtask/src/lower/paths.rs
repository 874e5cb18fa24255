//! Path templates: `/items/{id}/children` is cut into literal text and parameter names
//! ([`parse_template`]), and each name is bound to the operation's path parameter of that
//! name, every path parameter appearing in the path.

use std::collections::HashSet;

use super::Lowerer;
use crate::model::{Param, ParamLocation, PathSegment};

/// One piece of a path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part<'t> {
    Literal(&'t str),
    /// The name between braces.
    Param(&'t str),
}

/// Cuts a path template into literal text and parameter names; an error says what is
/// wrong with the template.
pub(super) fn parse_template(path: &str) -> Result<Vec<Part<'_>>, String> {
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(Part::Literal(&rest[..open]));
        }
        let Some(close) = rest[open..].find('}') else {
            return Err(format!("unclosed '{{' in path {path:?}"));
        };
        parts.push(Part::Param(&rest[open + 1..open + close]));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        parts.push(Part::Literal(rest));
    }
    Ok(parts)
}

impl Lowerer<'_> {
    /// The segments of `path` with each parameter bound to its index in `params`.
    /// `declared` names the path parameters the operation declares, valid or not: one
    /// that did not lower was reported already.
    pub(super) fn path_segments(
        &mut self,
        path: &str,
        params: &[Param],
        declared: &HashSet<&str>,
        pointer: &str,
    ) -> Option<Vec<PathSegment>> {
        let parts = match parse_template(path) {
            Ok(parts) => parts,
            Err(message) => {
                self.errs.report(pointer, message);
                return None;
            }
        };
        let mark = self.errs.mark();
        let mut segments = Vec::with_capacity(parts.len());
        let mut used: HashSet<usize> = HashSet::new();
        for part in parts {
            let name = match part {
                Part::Literal(text) => {
                    segments.push(PathSegment::Literal(text.to_owned()));
                    continue;
                }
                Part::Param(name) => name,
            };
            match params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
            {
                Some(i) => {
                    used.insert(i);
                    segments.push(PathSegment::Param(i));
                }
                None if declared.contains(name) => self.errs.reported_elsewhere(),
                None => self.errs.report(
                    pointer,
                    format!("path {path:?} has {{{name}}} but the operation declares no path parameter {name:?}"),
                ),
            }
        }
        for (i, p) in params.iter().enumerate() {
            if p.location == ParamLocation::Path && !used.contains(&i) {
                self.errs.report(
                    pointer,
                    format!(
                        "path parameter {:?} does not appear in the path {path:?}",
                        p.wire_name
                    ),
                );
            }
        }
        self.errs.clean_since(mark).then_some(segments)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Part::{Literal, Param};

    #[test]
    fn templates_are_cut_into_text_and_names() {
        assert_eq!(parse_template("/a/b"), Ok(vec![Literal("/a/b")]));
        assert_eq!(
            parse_template("/items/{id}/children"),
            Ok(vec![Literal("/items/"), Param("id"), Literal("/children")])
        );
        assert_eq!(
            parse_template("{a}{b}.json"),
            Ok(vec![Param("a"), Param("b"), Literal(".json")])
        );
        assert_eq!(parse_template("/x/{}"), Ok(vec![Literal("/x/"), Param("")]));
        assert_eq!(parse_template(""), Ok(vec![]));
    }

    #[test]
    fn an_unclosed_brace_is_an_error() {
        assert_eq!(
            parse_template("/a/{id"),
            Err("unclosed '{' in path \"/a/{id\"".to_owned())
        );
        assert!(parse_template("/a/{id}/{x").is_err());
    }
}
