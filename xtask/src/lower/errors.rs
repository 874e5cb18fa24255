//! The error collector of lowering: every problem is reported at its JSON pointer and
//! lowering goes on, so that one run reports all of them.
//!
//! Where a piece of the model is built from parts (a struct from its properties, an
//! operation from its parameters, body and responses), the builder takes a [`Mark`] first
//! and keeps the piece only when nothing failed since:
//!
//! ```text
//! let mark = cx.errs.mark();
//! ... lower the parts, each reporting its own problems ...
//! cx.errs.clean_since(mark).then_some(piece)
//! ```

use crate::diagnostics::Diagnostics;
use crate::load::Spec;

/// Every problem found so far.
pub(super) struct Errors<'s> {
    spec: &'s Spec,
    diags: Diagnostics,
    /// Failures whose reason was reported somewhere else (a `$ref` to a schema whose own
    /// name was refused): they report nothing new but still spoil what is built from them.
    reported_elsewhere: usize,
}

/// A point in the list of problems, to ask later whether anything failed since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Mark {
    reported: usize,
    elsewhere: usize,
}

impl<'s> Errors<'s> {
    pub(super) fn new(spec: &'s Spec) -> Self {
        Errors {
            spec,
            diags: Diagnostics::default(),
            reported_elsewhere: 0,
        }
    }

    /// Reports a problem with the node at `pointer`.
    pub(super) fn report(&mut self, pointer: &str, message: impl Into<String>) {
        let d = self.spec.error(pointer, message);
        self.diags.push(d);
    }

    /// Records a failure whose reason was already reported at another node.
    pub(super) fn reported_elsewhere(&mut self) {
        self.reported_elsewhere += 1;
    }

    pub(super) fn mark(&self) -> Mark {
        Mark {
            reported: self.diags.0.len(),
            elsewhere: self.reported_elsewhere,
        }
    }

    /// True when nothing failed since `mark`.
    pub(super) fn clean_since(&self, mark: Mark) -> bool {
        self.mark() == mark
    }

    /// `value` when no problem was reported, otherwise every problem.
    pub(super) fn finish<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.diags.is_empty() {
            Ok(value)
        } else {
            Err(self.diags)
        }
    }
}
