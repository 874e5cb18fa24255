//! Errors about the user's input: what is wrong, and where (file, JSON pointer, line:column).

use std::fmt;

/// A line and column, both 1-based, in the spec file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// How much a [`Diagnostic`] matters: an error refuses the input, a warning tells of a
/// repair, a note of something carried over otherwise than written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        })
    }
}

/// One problem found in an input, at a node of it: every stage (the upgrade of a Swagger
/// 2.0 file, import's repairs and checks, loading, lowering, rendering) reports these.
/// A stage that does not know the file makes one with a pointer and a message only;
/// `load::Source` places it in the file (its pointer as written, its line:column).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file the problem is in, as the user named it (empty until placed).
    pub file: String,
    /// JSON pointer of the offending node (`""` for the whole document).
    pub pointer: String,
    /// Where the node starts in the file, when it can be found.
    pub line_col: Option<LineCol>,
    pub message: String,
}

impl Diagnostic {
    fn new(severity: Severity, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            file: String::new(),
            pointer: pointer.into(),
            line_col: None,
            message: message.into(),
        }
    }

    /// What refuses the input, at the node at `pointer`.
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Error, pointer, message)
    }

    /// A repair, at the node at `pointer`.
    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Warning, pointer, message)
    }

    /// Something carried over otherwise than written, at the node at `pointer`.
    pub fn note(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Note, pointer, message)
    }

    /// An error about the whole of `file` (no node of it).
    pub fn about_file(file: &str, message: impl Into<String>) -> Self {
        Diagnostic::error("", message).in_file(file)
    }

    /// The same, in `file`.
    pub fn in_file(mut self, file: &str) -> Self {
        file.clone_into(&mut self.file);
        self
    }

    /// The same, found at `line_col` of its file.
    pub fn at(mut self, line_col: Option<LineCol>) -> Self {
        self.line_col = line_col;
        self
    }

    /// The same, told as a `severity`.
    pub fn as_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// The one line that tells it: `severity: file:line:column: at /pointer: message`.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity, self.file)?;
        if let Some(lc) = self.line_col {
            write!(f, ":{}:{}", lc.line, lc.column)?;
        }
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, ": at {pointer}: {}", self.message)
    }
}

/// Every problem found in one run; the generator reports them all rather than stopping at the first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

fn push_escaped(out: &mut String, token: &str) {
    if !token.contains(['~', '/']) {
        out.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Joins a pointer and one more token. (Lowering joins one for every node it visits:
/// one allocation of the right size, no formatting.)
pub(crate) fn join(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + 1 + token.len());
    out.push_str(pointer);
    out.push('/');
    push_escaped(&mut out, token);
    out
}

/// A JSON pointer built on the stack while walking a document and made into text only
/// when something is reported: a walk over every node then allocates nothing.
#[derive(Clone, Copy)]
pub(crate) enum Pointer<'a> {
    Root,
    Key(&'a Pointer<'a>, &'a str),
    Index(&'a Pointer<'a>, usize),
}

impl<'a> Pointer<'a> {
    pub(crate) fn key(&'a self, key: &'a str) -> Pointer<'a> {
        Pointer::Key(self, key)
    }

    pub(crate) fn index(&'a self, index: usize) -> Pointer<'a> {
        Pointer::Index(self, index)
    }

    /// The pointer as text, e.g. `/paths/~1a/get`.
    pub(crate) fn render(&self) -> String {
        match self {
            Pointer::Root => String::new(),
            Pointer::Key(parent, key) => join(&parent.render(), key),
            Pointer::Index(parent, i) => join(&parent.render(), &i.to_string()),
        }
    }
}

#[cfg(test)]
mod pointer_tests {
    use super::*;

    #[test]
    fn pointers_render_as_joined_text() {
        let root = Pointer::Root;
        assert_eq!(root.render(), "");
        let paths = root.key("paths");
        let path = paths.key("/a~b");
        let item = path.index(3);
        assert_eq!(item.render(), "/paths/~1a~0b/3");
        assert_eq!(item.render(), join(&join(&join("", "paths"), "/a~b"), "3"));
    }
}
