//! [`Area`]: one part of the API, described by one spec (build, git, token
//! administration, ...), with the base URL its operations go to by default.

/// One area of the API: the operations of one spec, and where they are sent
/// unless the client is told otherwise.
///
/// Azure DevOps serves its areas from several hosts (`dev.azure.com`,
/// `vssps.dev.azure.com`, `vsrm.dev.azure.com`, ...). A generated crate of
/// several areas has one `AREA` constant per area module; its client sends
/// each operation to its area's base URL, which the client's builder can
/// change for all areas at once or for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Area {
    name: &'static str,
    base_url: &'static str,
}

impl Area {
    /// An area named `name` (its module in the generated crate) whose
    /// operations go to `base_url` by default. Written by the generator,
    /// which has checked the URL.
    #[doc(hidden)]
    pub const fn new(name: &'static str, base_url: &'static str) -> Area {
        Area { name, base_url }
    }

    /// The area's name: its module in the generated crate, and its cargo
    /// feature when the crate has several areas.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The base URL of the area's service, from the first server of its spec.
    pub const fn default_base_url(&self) -> &'static str {
        self.base_url
    }
}
