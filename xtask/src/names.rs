//! Every identifier rule in one place: case conversion (heck), keywords, invalid characters.

use heck::{ToPascalCase, ToSnakeCase};

/// Words that are reserved in Rust 2024 (strict and reserved keywords).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
/// Rust's own crates: a library of one of these names shadows it (`#[test]` expands to
/// paths into `test`, derives to paths into `core`), so a generated crate may not be one.
pub(crate) const RUST_CRATES: &[&str] = &["alloc", "core", "proc_macro", "std", "test"];

const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Identifiers the generated code itself uses where spec-derived names also appear.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option", "Result", "String", "Vec", "Box", "Some", "None", "Ok", "Err", "Self",
];

/// Methods `Client` has or once had (its internals, before the runtime was a crate of its
/// own): an operation may not take them, and none of them is freed, so that no operation's
/// method name moves. `xtask/tests/strict.rs` checks that it holds every method the runtime's
/// `__client!` macro gives `Client`.
pub const CLIENT_METHODS: &[&str] = &[
    "attempt",
    "base_url",
    "builder",
    "execute",
    "execute_with_retries",
    "new",
    "note_throttle",
    "parts",
    "prepare",
    "preview",
    "retry_policy",
    "throttle_wait",
];

/// Methods of `RequestBuilder` (written by the runtime's `__client!` macro), the type of every
/// request builder, or once its: an operation's setters may not take them.
/// `xtask/tests/strict.rs` checks that it holds every method the macro gives it.
pub const BUILDER_METHODS: &[&str] = &[
    "accept",
    "content_type",
    "header",
    "into_future",
    "items",
    "items_from",
    "new",
    "pages",
    "pages_from",
    "preview",
    "request",
    "request_id",
    "send",
    "send_streamed",
    "send_with_response",
    "timeout",
];

/// Methods of a generated crate's `mock::MockServer` (written by the runtime's `__mock!`):
/// the server's method of an operation of the same name, or the accessor of an area of that
/// name, gets a suffix instead ([`mock_method_name`], [`mock_area_name`]). Never shortened,
/// so that no mock method's name moves; `xtask/tests/strict.rs` checks that it holds every
/// method the macro gives the server.
pub const MOCK_SERVER_METHODS: &[&str] = &[
    "client",
    "client_builder",
    "problems",
    "received",
    "server",
    "start",
    "take_problems",
    "url",
    "verify",
];

/// Methods of a generated crate's `mock::MockBuilder` (written by the runtime's `__mock!`),
/// and `body`, the matcher of a request body: the matcher of a parameter of that name gets
/// a suffix instead ([`mock_matcher_name`]). `xtask/tests/strict.rs` checks that it holds
/// every method the macro gives the builder.
pub const MOCK_BUILDER_METHODS: &[&str] = &[
    "body",
    "delay",
    "drop_connection",
    "expect",
    "matching",
    "mount",
    "new",
    "respond",
    "respond_error",
    "respond_raw",
    "respond_throttled",
    "respond_with",
    "respond_with_example",
    "up_to",
    "with",
    "with_header",
];

/// `name`, or when `reserved` holds it, `name` with `suffix` (and underscores after that
/// until `taken` does not hold it either).
fn unreserved(name: &str, reserved: &[&str], suffix: &str, taken: impl Fn(&str) -> bool) -> String {
    if !reserved.contains(&name) {
        return name.to_owned();
    }
    let mut out = format!("{name}{suffix}");
    while taken(&out) || reserved.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// The mock server's method of the operation whose client method is `fn_name`: the same
/// name, or `{fn_name}_operation` when the server has a method `fn_name` itself. `taken`
/// tells the names of the other operations.
pub fn mock_method_name(fn_name: &str, taken: impl Fn(&str) -> bool) -> String {
    unreserved(fn_name, MOCK_SERVER_METHODS, "_operation", taken)
}

/// The mock server's accessor of an area: the area's module, or `{module}_area`.
pub fn mock_area_name(module: &str) -> String {
    unreserved(module, MOCK_SERVER_METHODS, "_area", |_| false)
}

/// A mock builder's matcher of the parameter `rust_name`: the same name, or
/// `{rust_name}_param` when the builder has a method of that name. `taken` tells the names
/// of the operation's other parameters.
pub fn mock_matcher_name(rust_name: &str, taken: impl Fn(&str) -> bool) -> String {
    unreserved(rust_name, MOCK_BUILDER_METHODS, "_param", taken)
}

/// Type and trait names `operations.rs` uses unqualified or the crate root re-exports: a
/// request builder or response enum of that name would shadow them.
const RUNTIME_NAMES: &[&str] = &[
    "AcceptTypes",
    "ApiError",
    "ApiResponse",
    "Box",
    "Checkpoint",
    "Client",
    "ClientBuilder",
    "Clone",
    "ContentTypes",
    "Correlation",
    "Cow",
    "Credential",
    "Debug",
    "Default",
    "Download",
    "Endpoint",
    "Err",
    "Error",
    "InvalidRequest",
    "Items",
    "Method",
    "None",
    "Ok",
    "Operation",
    "Option",
    "Paged",
    "PagedItems",
    "Pages",
    "PartialEq",
    "RateLimit",
    "RawResponse",
    "Request",
    "RequestBuilder",
    "RequestPreview",
    "ResponseHeaders",
    "Result",
    "RetryPolicy",
    "Self",
    "Send",
    "Some",
    "StreamedResponse",
    "String",
    "Sync",
    "UploadBody",
    "Vec",
];

/// Names an area's module may not have in a crate of several areas: the module is also a
/// method of `Client` (the area's view) and a cargo feature, and sits at the crate's root
/// beside the crates the generated code names.
const MODULE_RESERVED: &[&str] = &[
    "azure_devops_runtime",
    "base_url_of",
    "bytes",
    "chrono",
    "clone",
    "fmt",
    "into",
    "regex",
    "reqwest",
    "serde",
    "serde_json",
    "tokio",
    "to_owned",
    "tracing",
    "uuid",
];

/// The module of an area titled `title` in a crate of several areas: the title in snake
/// case, with `_area` after a name Rust, `Client` or the crate's dependencies already have
/// (`Core` -> `core_area`); `None` when nothing of the title survives.
pub(crate) fn module_name(title: &str) -> Option<String> {
    let name = snake(title)?;
    Some(if is_reserved_module(&name) {
        format!("{name}_area")
    } else {
        name
    })
}

/// Whether `name` may be an area's module as `x-module-name` gives it: snake case, as the
/// generator would write it, and not reserved.
pub(crate) fn is_module_name(name: &str) -> bool {
    snake(name).as_deref() == Some(name) && !is_reserved_module(name)
}

fn is_reserved_module(name: &str) -> bool {
    is_keyword(name)
        || needs_suffix(name)
        || RUST_CRATES.contains(&name)
        || is_client_method(name)
        || MODULE_RESERVED.contains(&name)
}

/// True when an operation's method cannot be called `name`.
pub(crate) fn is_client_method(name: &str) -> bool {
    CLIENT_METHODS.contains(&name)
}

/// True when a type of `operations.rs` cannot be called `name`.
pub(crate) fn is_runtime_name(name: &str) -> bool {
    RUNTIME_NAMES.contains(&name)
}

/// The request builder's name for a method: PascalCase, with `Request` appended when that
/// would shadow a name the generated code uses (`send` -> `SendRequest`).
pub(crate) fn builder_name(fn_name: &str) -> String {
    let s = escape_leading_digit(clean(fn_name).to_pascal_case(), "V");
    if is_runtime_name(&s) {
        format!("{s}Request")
    } else {
        s
    }
}

/// The catch-all variant of every string enum, which holds a value the spec does not list. It
/// is the same in every enum whatever its values are, so that a value added to a spec never
/// renames it (a listed value spelled `Other` becomes [`OTHER_VALUE`] instead).
pub(crate) const CATCH_ALL_VARIANT: &str = "Other";

/// The variant of a listed enum value whose name would be the catch-all's.
pub(crate) const OTHER_VALUE: &str = "OtherValue";

/// The variant name of a listed enum value, from the value alone: PascalCase, `OtherValue` for
/// a value that would take the catch-all's name; `None` when nothing of the value survives.
pub(crate) fn enum_variant(names: &Cache, value: &str) -> Option<String> {
    let rust = names.pascal(value)?;
    Some(if rust == CATCH_ALL_VARIANT {
        OTHER_VALUE.to_owned()
    } else {
        rust
    })
}

/// A snake_case identifier for a field, parameter or method; `None` when nothing of the name
/// survives (e.g. `"$"`).
pub(crate) fn snake(name: &str) -> Option<String> {
    let s = clean(name).to_snake_case();
    if s.is_empty() {
        return None;
    }
    Some(escape_leading_digit(s, "_"))
}

/// [`snake`] and [`pascal`] with their results kept: a spec repeats the same names (`id`,
/// `name`, `createdAt`, ...) across its schemas and parameters, and the case conversions
/// were a quarter of the lowering time.
#[derive(Default)]
pub(crate) struct Cache {
    snake: std::cell::RefCell<std::collections::HashMap<String, Option<String>>>,
    pascal: std::cell::RefCell<std::collections::HashMap<String, Option<String>>>,
}

impl Cache {
    pub(crate) fn snake(&self, name: &str) -> Option<String> {
        Self::get(&self.snake, name, snake)
    }

    pub(crate) fn pascal(&self, name: &str) -> Option<String> {
        Self::get(&self.pascal, name, pascal)
    }

    fn get(
        cache: &std::cell::RefCell<std::collections::HashMap<String, Option<String>>>,
        name: &str,
        convert: fn(&str) -> Option<String>,
    ) -> Option<String> {
        if let Some(found) = cache.borrow().get(name) {
            return found.clone();
        }
        let converted = convert(name);
        cache
            .borrow_mut()
            .insert(name.to_owned(), converted.clone());
        converted
    }
}

/// A PascalCase identifier for a type or variant.
pub(crate) fn pascal(name: &str) -> Option<String> {
    let s = clean(name).to_pascal_case();
    if s.is_empty() {
        return None;
    }
    let s = escape_leading_digit(s, "V");
    Some(if RESERVED_TYPE_NAMES.contains(&s.as_str()) {
        format!("{s}Model")
    } else {
        s
    })
}

/// How an identifier is written in Rust source: keywords become raw identifiers
/// (`r#type`), or get a trailing underscore where a raw identifier is not allowed.
pub(crate) fn is_keyword(ident: &str) -> bool {
    KEYWORDS.contains(&ident)
}

/// True when `ident` must be written with a trailing underscore instead of `r#`.
pub(crate) fn needs_suffix(ident: &str) -> bool {
    NOT_RAW.contains(&ident)
}

/// The method name for an operation id. Azure DevOps ids are `Resource_Method`; the
/// resource part is dropped (`TokenRevocations_RevokeAuthorizations` -> `revoke_authorizations`)
/// unless that makes two names equal, see `full_method_name`.
/// The method name of an operation, from its `operationId` alone, so that adding an
/// operation to a spec never renames another one (two operations that would get the same
/// name are an error, mended with `x-method-name`):
///
/// - `Resource_Action` where the action has several words: the action
///   (`TokenRevocations_RevokeAuthorizations` -> `revoke_authorizations`);
/// - `Resource_Verb`, a one-word action: the verb, then the resource
///   (`Builds_List` -> `list_builds`, `Builds_Get` -> `get_builds`);
/// - anything else: the whole id (`listThings` -> `list_things`);
/// - a name `Client` already has (`new`, `builder`, ...): the whole id.
pub(crate) fn method_name(operation_id: &str) -> Option<String> {
    let name = match operation_id.split_once('_') {
        Some((resource, action)) if snake(action).is_some() => {
            let action = snake(action)?;
            match snake(resource) {
                Some(resource) if !action.contains('_') => format!("{action}_{resource}"),
                _ => action,
            }
        }
        _ => snake(operation_id)?,
    };
    if is_client_method(&name) {
        snake(operation_id)
    } else {
        Some(name)
    }
}

/// Whether `name` is usable as a method name given by `x-method-name`: snake case, as the
/// generator would write it.
pub(crate) fn is_method_name(name: &str) -> bool {
    snake(name).as_deref() == Some(name)
}

/// Replaces characters heck would keep but Rust does not allow with word breaks.
fn clean(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

fn escape_leading_digit(s: String, prefix: &str) -> String {
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{prefix}{s}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_gives_what_the_conversions_give() {
        let cache = Cache::default();
        for _ in 0..2 {
            for name in ["createdAt", "$top", "", "--", "2fa", "HTTPServer", "type"] {
                assert_eq!(cache.snake(name), snake(name), "{name:?}");
                assert_eq!(cache.pascal(name), pascal(name), "{name:?}");
            }
        }
    }

    #[test]
    fn converts_wire_names() {
        assert_eq!(
            snake("authorizationIds").as_deref(),
            Some("authorization_ids")
        );
        assert_eq!(snake("api-version").as_deref(), Some("api_version"));
        assert_eq!(snake("$top").as_deref(), Some("top"));
        assert_eq!(snake("2fa").as_deref(), Some("_2fa"));
        assert_eq!(snake("$"), None);
        assert_eq!(
            pascal("token administration").as_deref(),
            Some("TokenAdministration")
        );
        assert_eq!(pascal("Option").as_deref(), Some("OptionModel"));
        assert_eq!(pascal("1st").as_deref(), Some("V1st"));
    }

    #[test]
    fn method_names_come_from_the_operation_id_alone() {
        for (id, method) in [
            (
                "TokenRevocations_RevokeAuthorizations",
                "revoke_authorizations",
            ),
            ("Area_Op Name", "op_name"),
            ("Builds_List", "list_builds"),
            ("Builds_Get", "get_builds"),
            ("OtherThings_Ping", "ping_other_things"),
            ("listThings", "list_things"),
            ("trees-echo", "trees_echo"),
            ("Things_", "things"),
            ("_List", "list"),
            ("Client_New", "new_client"),
        ] {
            assert_eq!(method_name(id).as_deref(), Some(method), "{id}");
        }
        assert!(is_method_name("list_my_things"));
        assert!(!is_method_name("listMyThings"));
        assert!(!is_method_name("list things"));
    }

    #[test]
    fn builder_names_avoid_runtime_names() {
        assert_eq!(
            builder_name("revoke_authorizations"),
            "RevokeAuthorizations"
        );
        assert_eq!(builder_name("send"), "SendRequest");
        assert_eq!(builder_name("client"), "ClientRequest");
    }

    #[test]
    fn keywords() {
        assert!(is_keyword("type"));
        assert!(needs_suffix("self"));
        assert!(!is_keyword("kind"));
    }
}
