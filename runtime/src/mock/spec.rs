//! What a mock knows of the operations of a spec ([`OperationSpec`], a table a generated
//! crate writes), and the checks every request it receives goes through: the operation
//! it is (method and path), its query (required, unknown and constant parameters, the form
//! of each value), its headers and its body (media type, and the body decoded as the
//! operation's type and its constraints checked).

use std::fmt::Write as _;

use super::request::ReceivedRequest;

/// One operation of the spec, as the mock checks requests to it.
#[derive(Debug)]
pub struct OperationSpec {
    /// The spec's `operationId`.
    pub id: &'static str,
    /// The method, upper case.
    pub method: &'static str,
    /// The path template, in parts.
    pub path: &'static [PathPart],
    /// The query parameters.
    pub query: &'static [QuerySpec],
    /// The header parameters.
    pub headers: &'static [HeaderSpec],
    /// The request body, if the operation takes one.
    pub body: Option<BodySpec>,
    /// The examples of the spec, which a mock can answer with.
    pub examples: &'static [ExampleAnswer],
}

/// A part of a path template: text, or a parameter (`{name}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPart {
    /// Text as it is sent, percent-encoded.
    Literal(&'static str),
    /// A parameter, by its name in the spec.
    Param(&'static str),
}

/// A query parameter.
#[derive(Debug, Clone, Copy)]
pub struct QuerySpec {
    /// Its name in the spec.
    pub name: &'static str,
    /// Whether a request must send it.
    pub required: bool,
    /// What its values must look like.
    pub kind: ValueKind,
    /// The only value the client sends, for a constant (`api-version`).
    pub constant: Option<&'static str>,
}

/// A header parameter.
#[derive(Debug, Clone, Copy)]
pub struct HeaderSpec {
    /// Its name.
    pub name: &'static str,
    /// Whether a request must send it.
    pub required: bool,
}

/// What the text of a parameter's value must be.
#[derive(Debug, Clone, Copy)]
pub enum ValueKind {
    /// Any text.
    Text,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A uuid.
    Uuid,
    /// A date (`2024-03-01`).
    Date,
    /// A date-time (RFC 3339).
    DateTime,
    /// One of the listed values (in any letter case), or several joined by commas.
    Enum(&'static [&'static str]),
    /// An object sent as ASP.NET binds it: `name.property=value`, `name[0].property`.
    Object,
}

/// The request body of an operation.
#[derive(Debug, Clone, Copy)]
pub struct BodySpec {
    /// Whether a request must send one.
    pub required: bool,
    /// The media types it may be sent as.
    pub media: &'static [&'static str],
    /// Decodes a JSON body as the operation's type and checks its constraints; `None` for
    /// a body that is not JSON.
    pub check: Option<BodyCheck>,
}

impl HeaderSpec {
    /// A header a request must send.
    pub const fn required(name: &'static str) -> HeaderSpec {
        HeaderSpec {
            name,
            required: true,
        }
    }

    /// A header a request may send.
    pub const fn optional(name: &'static str) -> HeaderSpec {
        HeaderSpec {
            name,
            required: false,
        }
    }
}

impl BodySpec {
    /// A body a request must send, as one of `media`, checked by `check`.
    pub const fn required(media: &'static [&'static str], check: Option<BodyCheck>) -> BodySpec {
        BodySpec {
            required: true,
            media,
            check,
        }
    }

    /// A body a request may send, as one of `media`, checked by `check`.
    pub const fn optional(media: &'static [&'static str], check: Option<BodyCheck>) -> BodySpec {
        BodySpec {
            required: false,
            media,
            check,
        }
    }
}

impl ExampleAnswer {
    /// The example `name`: `status` with `body` as `content_type` (both empty without a
    /// body).
    pub const fn new(
        name: &'static str,
        status: u16,
        content_type: &'static str,
        body: &'static str,
    ) -> ExampleAnswer {
        ExampleAnswer {
            name,
            status,
            content_type,
            body,
        }
    }
}

/// Decodes a request body as its operation's type and checks its constraints: why the
/// service would refuse it, if it would.
pub type BodyCheck = fn(&[u8]) -> Result<(), String>;

/// An example of the spec that a mock can answer with.
#[derive(Debug, Clone, Copy)]
pub struct ExampleAnswer {
    /// The example's name.
    pub name: &'static str,
    /// The status of its response.
    pub status: u16,
    /// The media type of its body (empty without a body).
    pub content_type: &'static str,
    /// Its body (empty without one).
    pub body: &'static str,
}

/// Decodes `body` as `T` (as the service would read it) and checks `T`'s constraints:
/// the check of a JSON request body whose type has constraints.
pub fn check_json<T>(body: &[u8]) -> Result<(), String>
where
    T: serde::de::DeserializeOwned + crate::validation::Validate,
{
    let value: T = decode_json(body)?;
    value
        .validate(&crate::validation::Path::root("body"))
        .map_err(|e| match e {
            crate::Error::InvalidRequest(invalid) => {
                format!("{} {}", invalid.field(), invalid.rule())
            }
            other => other.to_string(),
        })
}

/// Decodes `body` as `T`: the check of a JSON request body whose type has no constraints.
pub fn check_json_decodes<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<(), String> {
    decode_json::<T>(body).map(drop)
}

fn decode_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("the body does not decode: {e}"))
}

impl OperationSpec {
    /// Whether `other` is this operation: the same `operationId`, method and path (a
    /// generated crate's tables name each operation by a constant, which need not have one
    /// address).
    pub(crate) fn is(&self, other: &OperationSpec) -> bool {
        std::ptr::eq(self, other)
            || (self.id == other.id && self.method == other.method && self.path == other.path)
    }

    /// The values of the path's parameters when `path` (percent-encoded, without the
    /// query) is one of this operation, by name, decoded.
    pub(crate) fn match_path(&self, path: &str) -> Option<Vec<(&'static str, String)>> {
        let mut rest = path;
        let mut values = Vec::new();
        for (i, part) in self.path.iter().enumerate() {
            match part {
                PathPart::Literal(text) => rest = rest.strip_prefix(text)?,
                PathPart::Param(name) => {
                    // Up to the next text of the template (within one segment), else to
                    // the end of the segment.
                    let end = match self.path.get(i + 1) {
                        Some(PathPart::Literal(next)) => {
                            let segment_end = rest.find('/').unwrap_or(rest.len());
                            rest[..segment_end]
                                .find(next)
                                .or_else(|| next.starts_with('/').then_some(segment_end))?
                        }
                        _ => rest.find('/').unwrap_or(rest.len()),
                    };
                    if end == 0 {
                        return None;
                    }
                    values.push((*name, decode_component(&rest[..end])));
                    rest = &rest[end..];
                }
            }
        }
        (rest.is_empty() || rest == "/").then_some(values)
    }

    /// The path template as the spec writes it, for messages.
    pub(crate) fn template(&self) -> String {
        let mut out = String::new();
        for part in self.path {
            match part {
                PathPart::Literal(text) => out.push_str(text),
                PathPart::Param(name) => {
                    let _ = write!(out, "{{{name}}}");
                }
            }
        }
        out
    }

    /// What `request`, a request to this operation, breaks of the spec: one message each.
    pub(crate) fn check(&self, request: &ReceivedRequest) -> Vec<String> {
        let mut problems = Vec::new();
        for (name, values) in request.query_by_name() {
            let spec = self.query.iter().find(|q| q.names(name));
            let Some(spec) = spec else {
                problems.push(format!(
                    "the query parameter `{name}` is not one of the operation's ({})",
                    list(self.query.iter().map(|q| q.name))
                ));
                continue;
            };
            for value in values {
                if let Some(constant) = spec.constant
                    && value != constant
                {
                    problems.push(format!(
                        "the query parameter `{name}` must be `{constant}`, not `{value}`"
                    ));
                } else if let Some(form) = spec.kind.refuses(value) {
                    problems.push(format!(
                        "the query parameter `{name}` must be {form}, not `{value}`"
                    ));
                }
            }
        }
        for q in self.query.iter().filter(|q| q.required) {
            let sent = request.query.iter().any(|(n, _)| q.names(n));
            if !sent {
                problems.push(format!(
                    "the required query parameter `{}` is missing",
                    q.name
                ));
            }
        }
        for h in self.headers.iter().filter(|h| h.required) {
            if request.header(h.name).is_none() {
                problems.push(format!("the required header `{}` is missing", h.name));
            }
        }
        match &self.body {
            None if !request.body.is_empty() => {
                problems.push("the operation takes no request body, and one was sent".into());
            }
            None => {}
            Some(body) if request.body.is_empty() && body.required => {
                problems.push("the request body is required, and none was sent".into());
            }
            Some(_) if request.body.is_empty() => {}
            Some(body) => {
                let sent = request
                    .header("content-type")
                    .map(|c| c.split(';').next().unwrap_or_default().trim().to_owned());
                match sent {
                    Some(media) if body.media.iter().any(|m| m.eq_ignore_ascii_case(&media)) => {
                        if let Some(check) = body.check
                            && let Err(problem) = check(&request.body)
                        {
                            problems.push(format!("the request body: {problem}"));
                        }
                    }
                    other => problems.push(format!(
                        "the request body is sent as {}, which is not one of the operation's \
                         media types ({})",
                        other.map_or_else(|| "no media type".to_owned(), |m| format!("`{m}`")),
                        list(body.media.iter().copied())
                    )),
                }
            }
        }
        problems
    }
}

impl QuerySpec {
    /// A query parameter a request must send.
    pub const fn required(name: &'static str, kind: ValueKind) -> QuerySpec {
        QuerySpec {
            name,
            required: true,
            kind,
            constant: None,
        }
    }

    /// A query parameter a request may send.
    pub const fn optional(name: &'static str, kind: ValueKind) -> QuerySpec {
        QuerySpec {
            name,
            required: false,
            kind,
            constant: None,
        }
    }

    /// A query parameter a request must send with this one value (`api-version`).
    pub const fn constant(name: &'static str, value: &'static str) -> QuerySpec {
        QuerySpec {
            name,
            required: true,
            kind: ValueKind::Text,
            constant: Some(value),
        }
    }

    /// Whether the query's `name` is this parameter: its name in any letter case, as the
    /// service binds it, or for an object one of its properties (`name.property`,
    /// `name[0].property`).
    pub(crate) fn names(&self, name: &str) -> bool {
        let Some(rest) = name
            .get(..self.name.len())
            .filter(|start| start.eq_ignore_ascii_case(self.name))
            .map(|_| &name[self.name.len()..])
        else {
            return false;
        };
        rest.is_empty()
            || (matches!(self.kind, ValueKind::Object)
                && (rest.starts_with('.') || rest.starts_with('[')))
    }
}

impl ValueKind {
    /// What `value` should have been, when it is not of this kind.
    pub(crate) fn refuses(&self, value: &str) -> Option<String> {
        let ok = match self {
            ValueKind::Text | ValueKind::Object => true,
            ValueKind::Integer => value.parse::<i64>().is_ok(),
            ValueKind::Number => value.parse::<f64>().is_ok(),
            ValueKind::Boolean => {
                value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false")
            }
            ValueKind::Uuid => uuid::Uuid::parse_str(value).is_ok(),
            ValueKind::Date => chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok(),
            ValueKind::DateTime => chrono::DateTime::parse_from_rfc3339(value).is_ok(),
            ValueKind::Enum(listed) => value
                .split(',')
                .all(|part| listed.iter().any(|l| l.eq_ignore_ascii_case(part.trim()))),
        };
        if ok {
            return None;
        }
        Some(match self {
            ValueKind::Integer => "an integer".into(),
            ValueKind::Number => "a number".into(),
            ValueKind::Boolean => "`true` or `false`".into(),
            ValueKind::Uuid => "a uuid".into(),
            ValueKind::Date => "a date (`2024-03-01`)".into(),
            ValueKind::DateTime => "a date-time (RFC 3339)".into(),
            ValueKind::Enum(listed) => format!("one of {}", list(listed.iter().copied())),
            ValueKind::Text | ValueKind::Object => String::new(),
        })
    }
}

/// `a`, `b`, `c`; `none` when empty.
fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

/// A percent-encoded component (`+` is a space in a query) as text.
pub(crate) fn decode_component(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}
