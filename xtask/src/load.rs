//! Reading the spec: YAML (or JSON) text -> `openapiv3::OpenAPI`, with positions for every
//! node. A Swagger 2.0 document is upgraded to OpenAPI 3.0 first (`crate::swagger2`); its
//! problems are still reported at the nodes of the file as written.

use openapiv3::OpenAPI;
use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, LineCol, Pointer};
use crate::source_map::SourceMap;
use crate::swagger2::PointerMap;

/// A parsed spec and what is needed to point into it.
pub struct Spec {
    /// How the file is named in messages and in the generated preamble.
    pub file: String,
    pub document: OpenAPI,
    source: Source,
}

impl Spec {
    /// A document read whose text is not at hand yet (import's, while it is being
    /// printed): its problems have a pointer but no file or line:column until [`place`]d.
    pub(crate) fn unplaced(document: OpenAPI) -> Spec {
        Spec {
            file: String::new(),
            document,
            source: Source::new("", ""),
        }
    }

    /// A diagnostic about the node at `pointer` of the document.
    pub(crate) fn error(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        self.source.error(pointer, message)
    }
}

/// The file as written, to point into: its text (the map of positions is built only when a
/// problem is reported: a second parse of the whole file, a tenth of the time of a large
/// generation) and, for an upgraded Swagger 2.0 document, where each node came from.
pub(crate) struct Source {
    pub(crate) file: String,
    text: String,
    source_map: std::cell::OnceCell<SourceMap>,
    pointers: Option<PointerMap>,
}

impl Source {
    fn new(file: &str, text: &str) -> Source {
        Source {
            file: file.to_owned(),
            text: text.to_owned(),
            source_map: std::cell::OnceCell::new(),
            pointers: None,
        }
    }

    /// An error about the node at `pointer` of the document as read: [`Source::place`]d.
    pub(crate) fn error(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        self.place(Diagnostic::error(pointer, message))
    }

    /// `found`, about the node at its pointer of the document as read (upgraded, for a
    /// Swagger 2.0 file), in the file as written: the pointer and position of that node
    /// there.
    pub(crate) fn place(&self, mut found: Diagnostic) -> Diagnostic {
        if self.pointers.is_some() {
            // A `$ref` quoted in the message, as the file writes it.
            found.message = crate::swagger2::original_refs(&found.message);
        }
        found.pointer = self.original(&found.pointer);
        self.place_original(found)
    }

    /// `found`, about the node at its pointer of the file as written, in that file.
    pub(crate) fn place_original(&self, found: Diagnostic) -> Diagnostic {
        let line_col = self.locate(&found.pointer);
        found.in_file(&self.file).at(line_col)
    }

    /// The pointer in the file as written of the node at `pointer` of the document as read.
    pub(crate) fn original(&self, pointer: &str) -> String {
        match &self.pointers {
            Some(map) => map.original(pointer),
            None => pointer.to_owned(),
        }
    }

    /// Where the node at `pointer` of the file as written starts.
    pub(crate) fn locate(&self, pointer: &str) -> Option<LineCol> {
        self.source_map
            .get_or_init(|| SourceMap::build(&self.text))
            .locate(&self.text, pointer)
    }
}

/// Parses `text` (the contents of `file`). Syntax errors and nodes of the wrong shape are
/// reported with their JSON pointer and line:column.
pub fn load(file: &str, text: &str) -> Result<Spec, Diagnostics> {
    let Parsed {
        document: value,
        source,
        original,
    } = parse(file, text)?;
    drop(original);
    let document = read(&value, &source)?;
    drop(value);
    Ok(Spec {
        file: file.to_owned(),
        document,
        source,
    })
}

/// Problems of [`Spec::unplaced`] (of lowering it) in `text`, the contents of
/// `file`.
pub(crate) fn place(file: &str, text: &str, problems: &Diagnostics) -> Diagnostics {
    let source = Source::new(file, text);
    Diagnostics(
        problems
            .0
            .iter()
            .map(|p| source.place_original(p.clone()))
            .collect(),
    )
}

/// A document parsed, before it is checked and read.
pub(crate) struct Parsed {
    /// The YAML tree of an OpenAPI 3.0 document (a Swagger 2.0 one upgraded).
    pub(crate) document: serde_yaml::Value,
    /// What is needed to point into the file as written.
    pub(crate) source: Source,
    /// The Swagger 2.0 document as written, when it was upgraded.
    pub(crate) original: Option<serde_yaml::Value>,
}

/// The text as a YAML tree of an OpenAPI 3.0 document (a Swagger 2.0 one upgraded); the
/// version checked, nothing else.
pub(crate) fn parse(file: &str, text: &str) -> Result<Parsed, Diagnostics> {
    parse_mended(file, text, &mut |_| Vec::new()).map(|(parsed, _)| parsed)
}

/// A mend of a Swagger 2.0 document before it is upgraded: what it repaired, a warning
/// each at its pointer into the file as written.
pub(crate) type Mend<'m> = dyn FnMut(&mut serde_yaml::Value) -> Vec<Diagnostic> + 'm;

/// [`parse`], with `mend` run on a Swagger 2.0 document before it is upgraded (import's
/// repairs of defects the upgrade would refuse); its repairs come back as diagnostics.
pub(crate) fn parse_mended(
    file: &str,
    text: &str,
    mend: &mut Mend<'_>,
) -> Result<(Parsed, Vec<Diagnostic>), Diagnostics> {
    // A byte order mark (Microsoft's published files start with one) is no content; the
    // YAML parsers would take it for some.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut source = Source::new(file, text);
    let start = Some(LineCol { line: 1, column: 1 });
    let at_start = |message: String| Diagnostic::about_file(file, message).at(start);
    // First as plain YAML, so that a syntax error is told apart from a schema error.
    let mut value: serde_yaml::Value = crate::yaml::parse(text).map_err(|e| {
        let message = format!("invalid YAML: {}", strip_location(&e.to_string()));
        Diagnostic::about_file(file, message).at(e.location().map(|l| LineCol {
            line: l.line(),
            column: l.column(),
        }))
    })?;
    if !value.is_mapping() {
        return Err(at_start("the document must be a mapping (an OpenAPI object)".into()).into());
    }
    if crate::swagger2::is_swagger(&value) {
        let mended: Vec<Diagnostic> = mend(&mut value)
            .into_iter()
            .map(|mended| source.place_original(mended))
            .collect();
        let upgraded = crate::swagger2::upgrade(&value).map_err(|problems| {
            Diagnostics(
                problems
                    .into_iter()
                    .map(|p| source.place_original(p))
                    .collect(),
            )
        })?;
        source.pointers = Some(upgraded.pointers);
        return Ok((
            Parsed {
                document: upgraded.document,
                source,
                original: Some(value),
            },
            mended,
        ));
    }
    let version = value
        .get("openapi")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    if !version.starts_with("3.0.") {
        let message =
            format!("only OpenAPI 3.0.x and Swagger 2.0 are supported, found openapi: {version:?}");
        return Err(if value.get("openapi").is_some() {
            source.error("/openapi", message)
        } else {
            Diagnostic::error("/openapi", message)
                .in_file(file)
                .at(start)
        }
        .into());
    }
    Ok((
        Parsed {
            document: value,
            source,
            original: None,
        },
        Vec::new(),
    ))
}

/// The checks and the reading of the document, in order: any non-finite number, then
/// unknown keys, then nodes of the wrong shape; each problem with its pointer.
pub(crate) fn read(value: &serde_yaml::Value, source: &Source) -> Result<OpenAPI, Diagnostics> {
    // JSON, which OpenAPI documents map to, has no infinity or NaN; `openapiv3` even
    // panics on some (it round-trips failed nodes through serde_json).
    let non_finite = |v: &serde_yaml::Value| v.as_f64().is_some_and(|f| !f.is_finite());
    if let Some(pointer) = find_scalar(value, Pointer::Root, true, &non_finite) {
        return Err(source
            .error(
                &pointer,
                "not a finite number: .inf and .nan have no JSON form",
            )
            .into());
    }
    let unknown = crate::keys::unknown_keys(value);
    if !unknown.is_empty() {
        return Err(Diagnostics(
            unknown.into_iter().map(|d| source.place(d)).collect(),
        ));
    }
    // Without path tracking first (it costs a quarter of the time); only a document that
    // fails is read again to find where.
    let document = match OpenAPI::deserialize(value) {
        Ok(document) => Ok(document),
        Err(_) => serde_path_to_error::deserialize::<_, OpenAPI>(value),
    };
    let document: OpenAPI = document.map_err(|e| {
        let message = describe(e.inner());
        let mut pointer = path_to_pointer(e.path());
        // openapiv3 flattens extensions into most objects, and serde loses the path inside
        // a flattened map: find the offending scalar below the reported node.
        if let Some(found) = refine(value, &pointer, &message) {
            pointer = found;
        }
        source.error(&pointer, message)
    })?;
    Ok(document)
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
pub(crate) fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
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
