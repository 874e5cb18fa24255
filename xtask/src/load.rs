//! Reading the spec: YAML text -> `openapiv3::OpenAPI`, with positions for every node.

use openapiv3::OpenAPI;
use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, LineCol, Pointer};
use crate::source_map::SourceMap;

/// A parsed spec and what is needed to point into it.
pub struct Spec {
    /// How the file is named in messages and in the generated preamble.
    pub file: String,
    pub document: OpenAPI,
    /// The text, kept to find positions: the map is built only when a problem is reported
    /// (a second parse of the whole file, a tenth of the time of a large generation).
    text: String,
    source_map: std::cell::OnceCell<SourceMap>,
}

impl Spec {
    /// A diagnostic about the node at `pointer`.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: self.file.clone(),
            pointer: pointer.to_owned(),
            line_col: self
                .source_map
                .get_or_init(|| SourceMap::build(&self.text))
                .locate(pointer),
            message: message.into(),
        }
    }
}

/// Parses `text` (the contents of `file`). Syntax errors and nodes of the wrong shape are
/// reported with their JSON pointer and line:column.
pub fn load(file: &str, text: &str) -> Result<Spec, Diagnostics> {
    let error = |pointer: String, line_col: Option<LineCol>, message: String| Diagnostic {
        file: file.to_owned(),
        pointer,
        line_col,
        message,
    };
    // First as plain YAML, so that a syntax error is told apart from a schema error.
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let lc = e.location().map(|l| LineCol {
            line: l.line(),
            column: l.column(),
        });
        error(
            String::new(),
            lc,
            format!("invalid YAML: {}", strip_location(&e.to_string())),
        )
    })?;
    if !value.is_mapping() {
        return Err(error(
            String::new(),
            Some(LineCol { line: 1, column: 1 }),
            "the document must be a mapping (an OpenAPI object)".into(),
        )
        .into());
    }
    let source_map = std::cell::OnceCell::new();
    let locate = |pointer: &str| {
        source_map
            .get_or_init(|| SourceMap::build(text))
            .locate(pointer)
    };
    let version = value
        .get("openapi")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    if !version.starts_with("3.0.") {
        let line_col = if value.get("openapi").is_some() {
            locate("/openapi")
        } else {
            Some(LineCol { line: 1, column: 1 })
        };
        return Err(error(
            "/openapi".into(),
            line_col,
            format!("only OpenAPI 3.0.x is supported, found openapi: {version:?}"),
        )
        .into());
    }
    // JSON, which OpenAPI documents map to, has no infinity or NaN; `openapiv3` even
    // panics on some (it round-trips failed nodes through serde_json).
    let non_finite = |v: &serde_yaml::Value| v.as_f64().is_some_and(|f| !f.is_finite());
    if let Some(pointer) = find_scalar(&value, Pointer::Root, true, &non_finite) {
        let line_col = locate(&pointer);
        return Err(error(
            pointer,
            line_col,
            "not a finite number: .inf and .nan have no JSON form".into(),
        )
        .into());
    }
    let unknown = crate::keys::unknown_keys(&value);
    if !unknown.is_empty() {
        return Err(Diagnostics(
            unknown
                .into_iter()
                .map(|(pointer, message)| {
                    let line_col = locate(&pointer);
                    error(pointer, line_col, message)
                })
                .collect(),
        ));
    }
    // Without path tracking first (it costs a quarter of the time); only a document that
    // fails is read again to find where.
    let document = match OpenAPI::deserialize(&value) {
        Ok(document) => Ok(document),
        Err(_) => serde_path_to_error::deserialize::<_, OpenAPI>(&value),
    };
    let document: OpenAPI = document.map_err(|e| {
        let message = describe(e.inner());
        let mut pointer = path_to_pointer(e.path());
        // openapiv3 flattens extensions into most objects, and serde loses the path inside
        // a flattened map: find the offending scalar below the reported node.
        if let Some(found) = refine(&value, &pointer, &message) {
            pointer = found;
        }
        let line_col = locate(&pointer);
        error(pointer, line_col, message)
    })?;
    Ok(Spec {
        file: file.to_owned(),
        document,
        text: text.to_owned(),
        source_map,
    })
}

/// The pointer of the first scalar, in document order, for which `wanted` holds; with
/// `keys`, a mapping's keys are tried too (before their values). Keys that are neither
/// strings, numbers nor booleans are not entered.
fn find_scalar(
    value: &serde_yaml::Value,
    at: Pointer<'_>,
    keys: bool,
    wanted: &dyn Fn(&serde_yaml::Value) -> bool,
) -> Option<String> {
    use serde_yaml::Value;
    match value {
        Value::Mapping(m) => m.iter().find_map(|(k, child)| {
            let text;
            let key = match k {
                Value::String(s) => s.as_str(),
                Value::Number(n) => {
                    text = n.to_string();
                    text.as_str()
                }
                Value::Bool(b) => {
                    text = b.to_string();
                    text.as_str()
                }
                _ => return None,
            };
            let at = at.key(key);
            if keys && wanted(k) {
                return Some(at.render());
            }
            find_scalar(child, at, keys, wanted)
        }),
        Value::Sequence(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, child)| find_scalar(child, at.index(i), keys, wanted)),
        Value::Tagged(t) => find_scalar(&t.value, at, keys, wanted),
        scalar => wanted(scalar).then(|| at.render()),
    }
}

/// serde_path_to_error's dotted path (`paths./a.post.responses`) as a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        let token = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => continue,
        };
        pointer = crate::diagnostics::join(&pointer, &token);
    }
    pointer
}

/// serde's message, made readable for the untagged enums `openapiv3` uses everywhere.
fn describe(e: &serde_yaml::Error) -> String {
    let msg = strip_location(&e.to_string());
    // `RefOrInner` is what openapiv3 calls `ReferenceOr` inside its deserializer.
    if msg.contains("did not match any variant of untagged enum ReferenceOr")
        || msg.contains("did not match any variant of untagged enum RefOrInner")
    {
        "not a valid object here, nor a `$ref`".to_owned()
    } else if let Some(rest) = msg.strip_prefix("data did not match any variant of untagged enum ")
    {
        format!("not a valid {rest}")
    } else {
        msg
    }
}

/// serde_yaml appends " at line L column C"; the position is reported separately.
fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

/// The pointer of the node an "invalid type/value" error is about, searched below `pointer`
/// when serde reported only an ancestor: the first scalar (in document order) that is the
/// offending value. `None` when the message names no scalar or none is found.
fn refine(root: &serde_yaml::Value, pointer: &str, message: &str) -> Option<String> {
    use serde_yaml::Value;
    let rest = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))?;
    let (kind, rest) = rest.split_once(' ')?;
    let wanted = |v: &Value| -> bool {
        match (kind, v) {
            ("string", Value::String(s)) => rest.starts_with(&format!("{s:?},")),
            ("integer", Value::Number(n)) => rest.starts_with(&format!("`{n}`,")),
            ("floating", Value::Number(n)) => rest.starts_with(&format!("point `{n}`,")),
            ("boolean", Value::Bool(b)) => rest.starts_with(&format!("`{b}`,")),
            _ => false,
        }
    };
    let mut node = root;
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        node = match node {
            Value::Mapping(m) => m.get(token.as_str())?,
            Value::Sequence(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    let found = format!(
        "{pointer}{}",
        find_scalar(node, Pointer::Root, false, &wanted)?
    );
    (found != pointer).then_some(found)
}
