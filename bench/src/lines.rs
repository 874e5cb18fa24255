//! `bench lines [--before REV]`: the lines of generated files checked into the repository,
//! in the working tree and at `REV`, split into copies of the runtime and what the specs
//! make, with the runtime crate's own source for comparison.
//!
//! A generated file is a tracked file whose first line carries
//! [`xtask::write::GENERATED_MARKER`]; a crate is a folder with a generated `Cargo.toml`.
//! In a crate, the manifest, `src/lib.rs`, `src/models.rs`, `src/operations.rs`, an area's
//! `src/AREA/{mod,models,operations}.rs` and `tests/examples*.rs` come from the specs; every
//! other file (`src/client.rs`, `src/retry.rs`, `tests/example_server/mod.rs`, ...) is a copy
//! of the runtime, as generated crates carried before the runtime became a crate.

use std::path::Path;
use std::process::{Command, ExitCode};

use xtask::write::GENERATED_MARKER;

/// The last commit before the runtime became a crate of its own.
const BEFORE: &str = "a0c694d";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub files: usize,
    pub lines: usize,
}

impl Count {
    fn add(&mut self, lines: usize) {
        self.files += 1;
        self.lines += lines;
    }
}

/// The generated files of one tree.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// The folders of the crates, sorted.
    pub crates: Vec<String>,
    pub runtime_copies: Count,
    pub spec_derived: Count,
}

impl Tally {
    pub fn total(&self) -> Count {
        Count {
            files: self.runtime_copies.files + self.spec_derived.files,
            lines: self.runtime_copies.lines + self.spec_derived.lines,
        }
    }
}

/// `bench lines [--before REV]`.
pub fn command(root: &Path, args: &[String]) -> ExitCode {
    let before = match args {
        [] => BEFORE.to_owned(),
        [flag, rev] if flag == "--before" => rev.clone(),
        _ => {
            eprintln!("error: unexpected arguments {args:?} (bench lines [--before REV])");
            return ExitCode::from(2);
        }
    };
    match measure(root, &before) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The table of both trees and the runtime's lines, as Markdown.
fn measure(root: &Path, before: &str) -> Result<String, String> {
    let commit = git(
        root,
        &["rev-parse", "--short", &format!("{before}^{{commit}}")],
    )?;
    let commit = commit.trim();
    let then = tally(
        git(root, &["ls-tree", "-r", "--name-only", commit])?
            .lines()
            .map(|path| {
                let text = git(root, &["show", &format!("{commit}:{path}")]).unwrap_or_default();
                (path.to_owned(), text)
            }),
    );
    let now = tally(git(root, &["ls-files"])?.lines().filter_map(|path| {
        let bytes = std::fs::read(root.join(path)).ok()?;
        Some((
            path.to_owned(),
            String::from_utf8_lossy(&bytes).into_owned(),
        ))
    }));
    let runtime = runtime_lines(&root.join("runtime").join("src"))?;
    let label = if commit == before {
        format!("`{commit}`")
    } else {
        format!("{before} (`{commit}`)")
    };
    Ok(table(&label, &then, &now, runtime))
}

/// The generated files among `files` (path in the tree, text), counted.
fn tally(files: impl Iterator<Item = (String, String)>) -> Tally {
    let generated: Vec<(String, usize)> = files
        .filter(|(_, text)| {
            text.lines()
                .next()
                .is_some_and(|l| l.contains(GENERATED_MARKER))
        })
        .map(|(path, text)| (path, text.lines().count()))
        .collect();
    let mut crates: Vec<String> = generated
        .iter()
        .filter_map(|(path, _)| match path.rsplit_once('/') {
            Some((dir, "Cargo.toml")) => Some(dir.to_owned()),
            None if path == "Cargo.toml" => Some(String::new()),
            _ => None,
        })
        .collect();
    crates.sort();
    let mut t = Tally {
        crates,
        ..Tally::default()
    };
    for (path, lines) in &generated {
        // The innermost crate the file is in.
        let inside = t
            .crates
            .iter()
            .filter_map(|dir| {
                if dir.is_empty() {
                    Some(path.as_str())
                } else {
                    path.strip_prefix(dir.as_str())?.strip_prefix('/')
                }
            })
            .min_by_key(|rel| rel.len());
        match inside {
            Some(rel) if !from_spec(rel) => t.runtime_copies.add(*lines),
            _ => t.spec_derived.add(*lines),
        }
    }
    t
}

/// Whether a file of a crate (its path in the crate) is made from the specs.
fn from_spec(rel: &str) -> bool {
    if matches!(
        rel,
        "Cargo.toml" | "src/lib.rs" | "src/models.rs" | "src/operations.rs"
    ) {
        return true;
    }
    if let Some(name) = rel.strip_prefix("tests/") {
        return !name.contains('/') && name.starts_with("examples") && name.ends_with(".rs");
    }
    // An area of a crate of areas.
    match rel.strip_prefix("src/").and_then(|r| r.split_once('/')) {
        Some((_, file)) => matches!(file, "mod.rs" | "models.rs" | "operations.rs"),
        None => false,
    }
}

/// Files and lines of the `.rs` files under `dir` (the runtime's `src/`), its `tests/`
/// excluded.
fn runtime_lines(dir: &Path) -> Result<Count, String> {
    let mut count = Count::default();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                if path != dir.join("tests") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                count.add(text.lines().count());
            }
        }
    }
    Ok(count)
}

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .current_dir(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `12345` -> `12,345`; with a sign when `signed`.
fn number(n: i64, signed: bool) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    match (n < 0, signed) {
        (true, _) => format!("-{out}"),
        (false, true) => format!("+{out}"),
        (false, false) => out,
    }
}

fn table(before: &str, then: &Tally, now: &Tally, runtime: Count) -> String {
    let row = |label: &str, t: &Tally| {
        format!(
            "| {label} | {} | {} files, {} lines | {} files, {} lines | {} files, {} lines |\n",
            t.crates.len(),
            number(t.total().files as i64, false),
            number(t.total().lines as i64, false),
            number(t.runtime_copies.files as i64, false),
            number(t.runtime_copies.lines as i64, false),
            number(t.spec_derived.files as i64, false),
            number(t.spec_derived.lines as i64, false),
        )
    };
    let diff = |a: usize, b: usize| number(b as i64 - a as i64, true);
    let mut out = String::from(
        "| generated files checked in | crates | all | runtime copies | from the specs |\n\
         |---|---|---|---|---|\n",
    );
    out.push_str(&row(&format!("before: {before}"), then));
    out.push_str(&row("now: the working tree", now));
    out.push_str(&format!(
        "| change | {} | {} files, {} lines | {} files, {} lines | {} files, {} lines |\n",
        diff(then.crates.len(), now.crates.len()),
        diff(then.total().files, now.total().files),
        diff(then.total().lines, now.total().lines),
        diff(then.runtime_copies.files, now.runtime_copies.files),
        diff(then.runtime_copies.lines, now.runtime_copies.lines),
        diff(then.spec_derived.files, now.spec_derived.files),
        diff(then.spec_derived.lines, now.spec_derived.lines),
    ));
    let list = |t: &Tally| {
        t.crates
            .iter()
            .map(|c| if c.is_empty() { "." } else { c.as_str() })
            .collect::<Vec<_>>()
            .join(", ")
    };
    out.push_str(&format!(
        "\nThe runtime crate now (runtime/src/**/*.rs, runtime/src/tests/ excluded): {} files, {} lines.\n\
         \nCrates before: {}\nCrates now: {}\n",
        runtime.files,
        number(runtime.lines as i64, false),
        list(then),
        list(now),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, lines: usize) -> (String, String) {
        let mut text = format!("// {GENERATED_MARKER} from x.yaml.\n");
        for _ in 1..lines {
            text.push_str("x\n");
        }
        (path.to_owned(), text)
    }

    #[test]
    fn files_are_split_into_runtime_copies_and_what_the_specs_make() {
        let files = vec![
            file("generated/Cargo.toml", 10),
            file("generated/src/lib.rs", 5),
            file("generated/src/client.rs", 100),
            file("generated/tests/examples.rs", 7),
            file("generated/tests/example_server/mod.rs", 50),
            file("f/areas-crate/Cargo.toml", 3),
            file("f/areas-crate/src/build/models.rs", 20),
            file("f/areas-crate/tests/examples_build.rs", 4),
            file("xtask/src/stray.rs", 2),
            ("README.md".to_owned(), format!("# x\n{GENERATED_MARKER}\n")),
        ];
        let t = tally(files.into_iter());
        assert_eq!(t.crates, ["f/areas-crate", "generated"]);
        assert_eq!(
            t.runtime_copies,
            Count {
                files: 2,
                lines: 150
            }
        );
        assert_eq!(
            t.spec_derived,
            Count {
                files: 7,
                lines: 51
            }
        );
    }

    #[test]
    fn numbers_have_thousands_separators_and_signs() {
        assert_eq!(number(1234567, false), "1,234,567");
        assert_eq!(number(-1234, true), "-1,234");
        assert_eq!(number(12, true), "+12");
    }
}
