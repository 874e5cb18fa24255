//! Checks of the spec's constraints, run before a request is sent. The generated models
//! implement [`Validate`]; the helpers here build the error, naming the field by its wire
//! path (e.g. `body.authorizationIds`) and the rule it breaks.

use std::collections::BTreeMap;
use std::fmt;

use crate::Error;

/// Where a value sits in a request, built without allocating: the text is only made when a
/// check fails.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// A parameter or the body, by its name.
    Root(&'static str),
    /// A property of an object, by its wire name.
    Field(&'a Path<'a>, &'static str),
    /// An item of a list.
    Index(&'a Path<'a>, usize),
    /// An entry of a map.
    Key(&'a Path<'a>, &'a str),
}

impl<'a> Path<'a> {
    /// The parameter or body named `name`.
    pub fn root(name: &'static str) -> Self {
        Path::Root(name)
    }

    /// The property `name` of the object at this path.
    pub fn field(&'a self, name: &'static str) -> Path<'a> {
        Path::Field(self, name)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root(name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
            Path::Key(parent, key) => write!(f, "{parent}[{key:?}]"),
        }
    }
}

/// A value whose constraints can be checked.
pub trait Validate {
    /// Checks the value, found at `path`, and everything it holds.
    fn validate(&self, path: &Path<'_>) -> Result<(), Error>;
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate(&self, path: &Path<'_>) -> Result<(), Error> {
        (**self).validate(path)
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self, path: &Path<'_>) -> Result<(), Error> {
        (**self).validate(path)
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, path: &Path<'_>) -> Result<(), Error> {
        match self {
            Some(value) => value.validate(path),
            None => Ok(()),
        }
    }
}

impl<T: Validate> Validate for [T] {
    fn validate(&self, path: &Path<'_>) -> Result<(), Error> {
        for (i, item) in self.iter().enumerate() {
            item.validate(&Path::Index(path, i))?;
        }
        Ok(())
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, path: &Path<'_>) -> Result<(), Error> {
        self.as_slice().validate(path)
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, path: &Path<'_>) -> Result<(), Error> {
        for (key, value) in self {
            value.validate(&Path::Key(path, key))?;
        }
        Ok(())
    }
}

/// The error of a value at `path` that breaks `rule`.
pub fn invalid(path: &Path<'_>, rule: String) -> Error {
    Error::invalid_request(path.to_string(), rule)
}

/// A string enum's value must be one the spec lists: a value the crate does
/// not know may be decoded from a response, but is not sent. A combination of
/// listed values separated by commas (`workItems,iterations`) is one too:
/// Azure DevOps reads many enums as .NET flags, combined so, in any letter
/// case, and Microsoft's own examples send them that way.
pub fn known(path: &Path<'_>, value: &str, allowed: &[&str]) -> Result<(), Error> {
    if allowed.contains(&value) || is_combination(value, allowed) {
        return Ok(());
    }
    let allowed: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
    Err(invalid(
        path,
        format!("must be one of {} (got {value:?})", allowed.join(", ")),
    ))
}

/// Whether `value` is two or more listed values joined by commas.
fn is_combination(value: &str, allowed: &[&str]) -> bool {
    value.contains(',')
        && value.split(',').all(|part| {
            let part = part.trim();
            allowed.iter().any(|a| a.eq_ignore_ascii_case(part))
        })
}

/// `minItems`: a list of `len` items has at least `min`.
pub fn min_items(path: &Path<'_>, len: usize, min: usize) -> Result<(), Error> {
    if len < min {
        return Err(invalid(
            path,
            format!("must have at least {min} item(s), has {len}"),
        ));
    }
    Ok(())
}

/// `maxItems`: a list of `len` items has at most `max`.
pub fn max_items(path: &Path<'_>, len: usize, max: usize) -> Result<(), Error> {
    if len > max {
        return Err(invalid(
            path,
            format!("must have at most {max} item(s), has {len}"),
        ));
    }
    Ok(())
}

/// `minLength`, in characters.
pub fn min_length(path: &Path<'_>, value: &str, min: usize) -> Result<(), Error> {
    let len = value.chars().count();
    if len < min {
        return Err(invalid(
            path,
            format!("must be at least {min} character(s) long, is {len}"),
        ));
    }
    Ok(())
}

/// `maxLength`, in characters.
pub fn max_length(path: &Path<'_>, value: &str, max: usize) -> Result<(), Error> {
    let len = value.chars().count();
    if len > max {
        return Err(invalid(
            path,
            format!("must be at most {max} character(s) long, is {len}"),
        ));
    }
    Ok(())
}

/// `value >= min`.
pub fn minimum(path: &Path<'_>, value: f64, min: f64) -> Result<(), Error> {
    if value < min {
        return Err(invalid(path, format!("must be >= {min}, is {value}")));
    }
    Ok(())
}

/// `value > min` (`exclusiveMinimum`).
pub fn exclusive_minimum(path: &Path<'_>, value: f64, min: f64) -> Result<(), Error> {
    if value <= min {
        return Err(invalid(path, format!("must be > {min}, is {value}")));
    }
    Ok(())
}

/// `value <= max`.
pub fn maximum(path: &Path<'_>, value: f64, max: f64) -> Result<(), Error> {
    if value > max {
        return Err(invalid(path, format!("must be <= {max}, is {value}")));
    }
    Ok(())
}

/// `value < max` (`exclusiveMaximum`).
pub fn exclusive_maximum(path: &Path<'_>, value: f64, max: f64) -> Result<(), Error> {
    if value >= max {
        return Err(invalid(path, format!("must be < {max}, is {value}")));
    }
    Ok(())
}

/// A path parameter must stay one path segment: `""`, `.` and `..` would change which
/// resource the request addresses once the URL is normalized.
pub fn path_segment(path: &Path<'_>, value: &str) -> Result<(), Error> {
    match value {
        "" => Err(invalid(
            path,
            "must not be empty (it is a path segment)".to_owned(),
        )),
        "." | ".." => Err(invalid(
            path,
            format!("must not be {value:?} (it is a path segment)"),
        )),
        _ => Ok(()),
    }
}

/// `matched` is whether the value matches `pattern`; `None` when the pattern
/// could not be compiled (the generator checks that it can, so this is only
/// defensive).
pub fn pattern(path: &Path<'_>, matched: Option<bool>, pattern: &str) -> Result<(), Error> {
    match matched {
        Some(true) => Ok(()),
        Some(false) => Err(invalid(path, format!("must match the pattern {pattern:?}"))),
        None => Err(invalid(
            path,
            format!("cannot be checked: the pattern {pattern:?} does not compile"),
        )),
    }
}

/// A `pattern` constraint of the spec, compiled on first use, as a generated
/// model writes it: `static PATTERN: Pattern = Pattern::new("^[a-z]+$");`.
#[cfg(feature = "regex")]
pub struct Pattern {
    source: &'static str,
    compiled: std::sync::OnceLock<Option<regex::Regex>>,
}

#[cfg(feature = "regex")]
impl Pattern {
    /// The pattern `source` (the generator has checked that it compiles).
    pub const fn new(source: &'static str) -> Pattern {
        Pattern {
            source,
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// Whether `value` matches, as [`pattern`] reports it.
    pub fn check(&self, path: &Path<'_>, value: &str) -> Result<(), Error> {
        let matched = self
            .compiled
            .get_or_init(|| regex::Regex::new(self.source).ok())
            .as_ref()
            .map(|re| re.is_match(value));
        pattern(path, matched, self.source)
    }
}
