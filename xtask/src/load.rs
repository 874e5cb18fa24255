//! Reading the spec: YAML text -> `openapiv3::OpenAPI`, with positions for every node.

use openapiv3::OpenAPI;

use crate::diagnostics::{Diagnostic, LineCol};
use crate::source_map::SourceMap;

/// A parsed spec and what is needed to point into it.
pub struct Spec {
    /// How the file is named in messages and in the generated preamble.
    pub file: String,
    pub document: OpenAPI,
    pub source_map: SourceMap,
}

impl Spec {
    /// A diagnostic about the node at `pointer`.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: self.file.clone(),
            pointer: pointer.to_owned(),
            line_col: self.source_map.locate(pointer),
            message: message.into(),
        }
    }
}

/// Parses `text` (the contents of `file`). Syntax errors and nodes of the wrong shape are
/// reported with their JSON pointer and line:column.
pub fn load(file: &str, text: &str) -> Result<Spec, Diagnostic> {
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
        ));
    }
    let source_map = SourceMap::build(text);
    let version = value
        .get("openapi")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    if !version.starts_with("3.0.") {
        return Err(error(
            "/openapi".into(),
            source_map.locate("/openapi"),
            format!("only OpenAPI 3.0.x is supported, found openapi: {version:?}"),
        ));
    }
    let document: OpenAPI = serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let line_col = source_map.locate(&pointer);
        error(pointer, line_col, describe(e.inner()))
    })?;
    Ok(Spec {
        file: file.to_owned(),
        document,
        source_map,
    })
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
    if msg.contains("did not match any variant of untagged enum ReferenceOr") {
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
