//! The golden areas: Microsoft's published descriptions vendored under
//! `xtask/tests/data/azure-devops-specs/`, imported into `tests/fixtures/areas/NAME.yaml`,
//! the specs of one crate of several areas (`tests/fixtures/areas-crate/`, `fixture-areas`,
//! a module and a cargo feature per area), which the workspace compiles. So the whole road,
//! published file -> `import` -> spec -> `codegen` -> crate, is checked by
//! `cargo xtask codegen --check --fixtures` and the fixture tests, without `../shared`.

use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::import::{Imported, Options, import};

/// One vendored description and the fixture made of it.
pub struct Area {
    /// The description, relative to the workspace root.
    pub description: &'static str,
    /// The spec: `tests/fixtures/areas/{name}.yaml`.
    pub name: &'static str,
}

/// The areas of the golden crate of areas: this repository's operation's area as
/// published, a large 7.1 area with examples (`build`: 91 operations), and a small one with
/// many examples that defines some of the same schemas (`core`: 19 operations; both have a
/// `TeamProjectReference`).
pub const AREAS: &[Area] = &[
    Area {
        description: "xtask/tests/data/azure-devops-specs/build/7.1/build.json",
        name: "build-7-1",
    },
    Area {
        description: "xtask/tests/data/azure-devops-specs/core/7.1/core.json",
        name: "core-7-1",
    },
    Area {
        description: "xtask/tests/data/azure-devops-specs/tokenAdministration/5.0/tokenAdministration.json",
        name: "token-administration-5-0",
    },
];

impl Area {
    /// Where the imported spec is kept, relative to the workspace root.
    pub fn spec(&self) -> String {
        format!("tests/fixtures/areas/{}.yaml", self.name)
    }

    /// The area imported whole, as `cargo xtask import DESCRIPTION` makes it.
    pub fn import(&self, root: &Path) -> Result<Imported, Diagnostics> {
        let path = root.join(self.description);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostics(vec![crate::diagnostics::Diagnostic::about_file(
                self.description,
                format!("cannot read the description: {e}"),
            )])
        })?;
        import(&Options {
            file: self.description,
            text: &text,
            base_dir: path.parent().unwrap_or(root),
            operations: &[],
            tags: &[],
            crate_name: None,
        })
    }
}
