//! Where each node of an upgraded document came from, so that a problem found in the
//! OpenAPI 3.0 form (by the loader, `keys.rs` or lowering) is reported at the node of the
//! Swagger 2.0 file as written.

use std::collections::HashMap;

/// Converted pointer -> original pointer, for the nodes whose place changed. A pointer
/// that is not in the table takes the entry of its nearest ancestor and keeps the rest of
/// its path: `/components/schemas/Foo/properties/x` becomes `/definitions/Foo/properties/x`
/// through the one entry `/components/schemas` -> `/definitions` (the longest prefix wins).
/// Nodes outside every entry (`/info`, `/paths/~1a/get/operationId`) kept their place.
#[derive(Debug, Default, Clone)]
pub(crate) struct PointerMap {
    origins: HashMap<String, String>,
}

impl PointerMap {
    /// The node at `converted` (and everything below it, unless recorded otherwise) came
    /// from `original`.
    pub(crate) fn record(&mut self, converted: String, original: String) {
        self.origins.insert(converted, original);
    }

    /// The pointer in the original file of the node at `converted`.
    pub(crate) fn original(&self, converted: &str) -> String {
        let mut prefix = converted;
        loop {
            if let Some(origin) = self.origins.get(prefix) {
                return format!("{origin}{}", &converted[prefix.len()..]);
            }
            if prefix.is_empty() {
                return converted.to_owned();
            }
            prefix = &prefix[..prefix.rfind('/').unwrap_or(0)];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_recorded_prefix_wins() {
        let mut map = PointerMap::default();
        map.record("/components/schemas".into(), "/definitions".into());
        map.record(
            "/paths/~1a/post/parameters/0".into(),
            "/paths/~1a/post/parameters/1".into(),
        );
        map.record(
            "/paths/~1a/post/parameters/0/schema".into(),
            "/paths/~1a/post/parameters/1".into(),
        );
        assert_eq!(
            map.original("/components/schemas/Foo/properties/x"),
            "/definitions/Foo/properties/x"
        );
        assert_eq!(map.original("/components/schemas"), "/definitions");
        assert_eq!(
            map.original("/paths/~1a/post/parameters/0/schema/type"),
            "/paths/~1a/post/parameters/1/type"
        );
        assert_eq!(
            map.original("/paths/~1a/post/parameters/0/name"),
            "/paths/~1a/post/parameters/1/name"
        );
        // Only whole tokens are prefixes: `/components/schemasX` is not under `schemas`.
        assert_eq!(map.original("/components/schemasX"), "/components/schemasX");
        assert_eq!(map.original("/info/title"), "/info/title");
        assert_eq!(map.original(""), "");
    }
}
