//! Reading authorization IDs: files, standard input and command-line arguments.
//!
//! Every line is checked before anything is sent. Blank lines and everything after `#`
//! are ignored; surrounding whitespace (and a UTF-8 byte-order mark on the first line)
//! is removed. Duplicates are dropped, keeping the first occurrence's position.

use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;

use uuid::Uuid;

/// How many characters of a bad value a diagnostic shows.
const SHOWN_CHARS: usize = 60;

/// Where IDs come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input (`-`).
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Source {
    /// `-` is standard input, anything else a path.
    pub fn from_arg(arg: &OsStr) -> Source {
        if arg == "-" {
            Source::Stdin
        } else {
            Source::File(PathBuf::from(arg))
        }
    }

    /// The name used in diagnostics: the path as given, or `<stdin>`.
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => String::from("<stdin>"),
            Source::File(path) => path.display().to_string(),
        }
    }
}

/// Where a bad value was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// Line `line` (1-based) of the named source.
    Line {
        /// Source name (path or `<stdin>`).
        source: String,
        /// 1-based line number.
        line: usize,
    },
    /// The `position`-th (1-based) positional ID argument.
    Argument {
        /// 1-based position among the ID arguments.
        position: usize,
    },
}

/// A value that is not an authorization ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// Where it is.
    pub location: Location,
    /// What is wrong, ready to print (e.g. `not a UUID: "abc"`).
    pub problem: String,
}

impl fmt::Display for BadLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Location::Line { source, line } => write!(f, "{source}:{line}: {}", self.problem),
            Location::Argument { position } => {
                write!(f, "argument {position}: {}", self.problem)
            }
        }
    }
}

/// Why the input could not be used.
#[derive(Debug)]
pub enum InputError {
    /// A source could not be read.
    Io {
        /// Source name.
        source: String,
        /// The error.
        error: io::Error,
    },
    /// `-` was given more than once.
    StdinTwice,
    /// Some values are not authorization IDs (all of them are listed).
    BadLines(Vec<BadLine>),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Io { source, error } => write!(f, "cannot read {source}: {error}"),
            InputError::StdinTwice => f.write_str("standard input ('-') can be read only once"),
            InputError::BadLines(lines) => {
                let n = lines.len();
                write!(f, "{n} bad line{}", if n == 1 { "" } else { "s" })
            }
        }
    }
}

/// The IDs to revoke, deduplicated, in first-seen order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ids {
    /// Unique IDs, in the order first seen.
    pub unique: Vec<Uuid>,
    /// How many IDs were read, duplicates included.
    pub read: usize,
    /// How many duplicates were dropped.
    pub duplicates: usize,
}

impl Ids {
    /// The IDs a listing gave (such as `--user`'s), duplicates removed.
    pub fn from_listed(listed: impl IntoIterator<Item = Uuid>) -> Ids {
        let mut seen = HashSet::new();
        let mut ids = Ids::default();
        for id in listed {
            ids.read += 1;
            if seen.insert(id) {
                ids.unique.push(id);
            } else {
                ids.duplicates += 1;
            }
        }
        ids
    }
}

/// Collects IDs from several sources, remembering every bad value.
#[derive(Debug, Default)]
pub struct Collector {
    seen: HashSet<Uuid>,
    ids: Ids,
    bad: Vec<BadLine>,
    secrets: Vec<String>,
}

impl Collector {
    /// A collector that never echoes any of `secrets` (e.g. a token pasted into the ID
    /// file by mistake) in its diagnostics.
    pub fn new(secrets: Vec<String>) -> Collector {
        Collector {
            secrets: secrets.into_iter().filter(|s| !s.is_empty()).collect(),
            ..Collector::default()
        }
    }

    /// Reads one source; `stdin` is used for [`Source::Stdin`].
    pub fn read_source(&mut self, source: &Source, stdin: impl Read) -> Result<(), InputError> {
        let name = source.name();
        let result = match source {
            Source::Stdin => self.read_lines(&name, stdin),
            Source::File(path) => File::open(path).and_then(|file| self.read_lines(&name, file)),
        };
        result.map_err(|error| InputError::Io {
            source: name,
            error,
        })
    }

    /// Reads lines from `reader`, naming them `name` in diagnostics.
    pub fn read_lines(&mut self, name: &str, reader: impl Read) -> io::Result<()> {
        let mut reader = BufReader::new(reader);
        let mut buf = Vec::new();
        let mut line = 0;
        loop {
            buf.clear();
            if reader.read_until(b'\n', &mut buf)? == 0 {
                return Ok(());
            }
            line += 1;
            let location = || Location::Line {
                source: name.to_owned(),
                line,
            };
            match std::str::from_utf8(&buf) {
                Ok(text) => {
                    let text = if line == 1 {
                        text.strip_prefix('\u{feff}').unwrap_or(text)
                    } else {
                        text
                    };
                    let content = text.split('#').next().unwrap_or_default().trim();
                    if !content.is_empty() {
                        self.add(content, location);
                    }
                }
                Err(_) => self.bad.push(BadLine {
                    location: location(),
                    problem: String::from("not valid UTF-8"),
                }),
            }
        }
    }

    /// Adds the positional ID arguments.
    pub fn add_arguments(&mut self, args: &[String]) {
        for (i, arg) in args.iter().enumerate() {
            self.add(arg.trim(), || Location::Argument { position: i + 1 });
        }
    }

    fn add(&mut self, value: &str, location: impl FnOnce() -> Location) {
        match Uuid::try_parse(value) {
            Ok(id) => {
                self.ids.read += 1;
                if self.seen.insert(id) {
                    self.ids.unique.push(id);
                } else {
                    self.ids.duplicates += 1;
                }
            }
            Err(_) => {
                let shown = self.show(value);
                self.bad.push(BadLine {
                    location: location(),
                    problem: format!("not a UUID: {shown}"),
                });
            }
        }
    }

    /// A bad value as shown in a diagnostic: quoted and escaped, cut at
    /// [`SHOWN_CHARS`] characters, and never a secret.
    fn show(&self, value: &str) -> String {
        if self
            .secrets
            .iter()
            .any(|secret| value.contains(secret.as_str()))
        {
            return String::from("<redacted: this line holds the credential>");
        }
        let mut shown: String = value.chars().take(SHOWN_CHARS).collect();
        let cut = shown.len() < value.len();
        if cut {
            shown.push_str("...");
        }
        format!("{shown:?}")
    }

    /// The IDs, or every bad value found.
    pub fn finish(self) -> Result<Ids, InputError> {
        if self.bad.is_empty() {
            Ok(self.ids)
        } else {
            Err(InputError::BadLines(self.bad))
        }
    }
}

/// Reads all sources (in order) and then the positional IDs.
///
/// `secrets` are values never to echo back (see [`Collector::new`]).
pub fn collect(
    from_files: &[OsString],
    args: &[String],
    stdin: impl Read,
    secrets: Vec<String>,
) -> Result<Ids, InputError> {
    let sources: Vec<Source> = from_files.iter().map(|f| Source::from_arg(f)).collect();
    if sources.iter().filter(|s| **s == Source::Stdin).count() > 1 {
        return Err(InputError::StdinTwice);
    }
    let mut collector = Collector::new(secrets);
    let mut stdin = Some(stdin);
    for source in &sources {
        match source {
            Source::Stdin => {
                let input = stdin.take().ok_or(InputError::StdinTwice)?;
                collector.read_source(source, input)?;
            }
            Source::File(_) => collector.read_source(source, io::empty())?,
        }
    }
    collector.add_arguments(args);
    collector.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "0b7c3a5e-1f2d-4e6a-8b9c-0d1e2f3a4b5c";
    const B: &str = "1c8d4b6f-2a3e-4f7b-9cad-1e2f3a4b5c6d";

    fn read(text: &[u8]) -> Result<Ids, InputError> {
        let mut c = Collector::new(vec![String::from("sekrit")]);
        c.read_lines("ids.txt", text).unwrap();
        c.finish()
    }

    #[test]
    fn comments_blank_lines_whitespace_and_crlf() {
        let text = format!("\u{feff}# header\n\n  {A}  \r\n{B} # trailing comment\n\t\n");
        let ids = read(text.as_bytes()).unwrap();
        assert_eq!(ids.read, 2);
        assert_eq!(ids.duplicates, 0);
        assert_eq!(
            ids.unique,
            vec![Uuid::parse_str(A).unwrap(), Uuid::parse_str(B).unwrap()]
        );
    }

    #[test]
    fn duplicates_keep_first_seen_order() {
        let upper = B.to_uppercase();
        let text = format!("{B}\n{A}\n{upper}\n{{{A}}}\n");
        let ids = read(text.as_bytes()).unwrap();
        assert_eq!(ids.read, 4);
        assert_eq!(ids.duplicates, 2);
        assert_eq!(
            ids.unique,
            vec![Uuid::parse_str(B).unwrap(), Uuid::parse_str(A).unwrap()]
        );
    }

    #[test]
    fn every_bad_line_is_reported_with_its_number() {
        let long = "x".repeat(200);
        let text = format!("{A}\nnope\n# fine\n{long}\nsekrit-token\n\"q\"\n");
        let mut bytes = text.into_bytes();
        bytes.extend_from_slice(b"\xff\xfe\n");
        let Err(InputError::BadLines(bad)) = read(&bytes) else {
            panic!("expected bad lines");
        };
        let shown: Vec<String> = bad.iter().map(ToString::to_string).collect();
        assert_eq!(shown[0], "ids.txt:2: not a UUID: \"nope\"");
        assert_eq!(
            shown[1],
            format!("ids.txt:4: not a UUID: \"{}...\"", "x".repeat(60))
        );
        assert_eq!(
            shown[2],
            "ids.txt:5: not a UUID: <redacted: this line holds the credential>"
        );
        assert_eq!(shown[3], "ids.txt:6: not a UUID: \"\\\"q\\\"\"");
        assert_eq!(shown[4], "ids.txt:7: not valid UTF-8");
        assert_eq!(shown.len(), 5);
    }

    #[test]
    fn arguments_and_stdin_once() {
        let err = collect(
            &[OsString::from("-"), OsString::from("-")],
            &[],
            io::empty(),
            vec![],
        )
        .unwrap_err();
        assert!(matches!(err, InputError::StdinTwice));

        let ids = collect(
            &[OsString::from("-")],
            &[A.to_owned(), "bad".to_owned()],
            format!("{B}\n").as_bytes(),
            vec![],
        );
        let Err(InputError::BadLines(bad)) = ids else {
            panic!("expected bad lines");
        };
        assert_eq!(bad[0].to_string(), "argument 2: not a UUID: \"bad\"");

        let ids = collect(
            &[OsString::from("-")],
            &[A.to_owned()],
            B.as_bytes(),
            vec![],
        )
        .unwrap();
        assert_eq!(ids.unique.len(), 2);
        assert_eq!(ids.unique[0], Uuid::parse_str(B).unwrap());
    }

    #[test]
    fn missing_file_is_an_io_error_naming_it() {
        let err = collect(
            &[OsString::from("/nonexistent/ids.txt")],
            &[],
            io::empty(),
            vec![],
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot read /nonexistent/ids.txt: "),
            "{err}"
        );
    }
}
