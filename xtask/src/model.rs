//! The intermediate model: what the generated crate contains, in Rust terms, with no
//! OpenAPI and no tokens. `lower` builds it; `emit` reads it.

/// The whole crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Cargo package name, e.g. `token-administration`.
    pub package_name: String,
    /// Rust library name, e.g. `token_administration`.
    pub lib_name: String,
    /// Version of the generated crate.
    pub crate_version: String,
    pub title: String,
    pub description: Option<String>,
    /// `info.version` of the spec.
    pub api_version: String,
    /// The first server's URL.
    pub base_url: String,
    pub operations: Vec<Operation>,
    /// Named types in the order they are emitted (spec order, then inline types after
    /// their parent).
    pub types: Vec<TypeDef>,
    /// Position of each type in `types`, by name.
    pub type_index: std::collections::HashMap<String, usize>,
    /// The recursion limit the crate (and a crate that sends its requests) needs, when its
    /// models nest deeper than rustc's default allows (see [`Api::nesting_depth`]).
    pub recursion_limit: Option<usize>,
    /// The module the spec's items go in when it is one area of a crate of several:
    /// `x-module-name`, else the title in snake case (`names::module_name`).
    pub module_name: String,
    /// Set when the spec is one area of a crate of several: its items are in a module of
    /// their own, and its operations are methods of the area's view of the client. `None`
    /// for a crate of one spec, whose items are at the crate's root.
    pub area: Option<AreaPlace>,
}

/// Where an area's items go in a crate of several areas.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaPlace {
    /// The module, also the cargo feature and the client's method that returns the area's
    /// view, e.g. `build`.
    pub module: String,
    /// The view's type, whose methods the operations are, e.g. `BuildClient`.
    pub client_type: String,
}

impl Api {
    /// The type whose methods the operations are: `Client`, or the area's view.
    pub fn client_type(&self) -> &str {
        self.area.as_ref().map_or("Client", |a| &a.client_type)
    }

    /// The path of the spec's items from outside the crate: `lib` or `lib::module`.
    pub fn items_path(&self) -> String {
        match &self.area {
            Some(area) => format!("{}::{}", self.lib_name, area.module),
            None => self.lib_name.clone(),
        }
    }

    /// How code outside the crate reaches the operations from a `client`: `client`, or
    /// `client.module()` for an area.
    pub fn receiver(&self) -> String {
        match &self.area {
            Some(area) => format!("client.{}()", area.module),
            None => "client".to_owned(),
        }
    }

    /// The kind of the named type, if there is one.
    pub fn type_kind(&self, name: &str) -> Option<&TypeKind> {
        self.type_index
            .get(name)
            .and_then(|&i| self.types.get(i))
            .map(|t| &t.kind)
    }

    /// The recursion limit models nested `depth` deep need, if the default (128) is not
    /// enough. Measured: a chain of 300 structs through optional fields (depth 600) needs
    /// more than 500 and less than 600; the drop check's own levels take the rest.
    pub fn recursion_limit_for(depth: usize) -> Option<usize> {
        (depth >= DEEP_MODELS).then(|| (depth + 128).next_multiple_of(64))
    }

    /// How deep the models nest by value, counting each type a value is made of (a struct,
    /// the `Option` of an optional field, a `Vec`, a map) as one level. rustc's drop check
    /// walks that deep, and stops at its recursion limit (128 by default).
    pub fn nesting_depth(&self) -> usize {
        let mut depths: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        self.types
            .iter()
            .map(|t| self.type_depth(&t.name, &mut depths))
            .max()
            .unwrap_or(0)
    }

    fn type_depth<'a>(
        &'a self,
        name: &'a str,
        depths: &mut std::collections::HashMap<&'a str, usize>,
    ) -> usize {
        if let Some(&d) = depths.get(name) {
            return d;
        }
        // A placeholder while this type is walked: a cycle is broken by a `Box`, which the
        // drop check sees through once.
        depths.insert(name, 1);
        let depth = match self.type_kind(name) {
            Some(TypeKind::Struct(fields)) => {
                1 + fields
                    .iter()
                    .map(|f| {
                        let option = usize::from(!f.required || f.nullable);
                        option + self.ref_depth(&f.ty, depths)
                    })
                    .max()
                    .unwrap_or(0)
            }
            Some(TypeKind::Alias(to)) => self.ref_depth(to, depths),
            Some(TypeKind::Enum(_)) | None => 1,
        };
        depths.insert(name, depth);
        depth
    }

    fn ref_depth<'a>(
        &'a self,
        ty: &'a TypeRef,
        depths: &mut std::collections::HashMap<&'a str, usize>,
    ) -> usize {
        match ty {
            TypeRef::Named(name) => self.type_depth(name, depths),
            TypeRef::Vec(inner) | TypeRef::Map(inner) => 1 + self.ref_depth(inner, depths),
            // A `Box` only breaks a cycle: its type is on the walk already.
            _ => 1,
        }
    }

    /// Whether any operation has an example to check (replayed or decoded only): the crate
    /// then gets `tests/examples.rs`.
    pub fn has_examples(&self) -> bool {
        self.operations.iter().any(|o| !o.examples.is_empty())
    }

    /// Whether any field or parameter has a `pattern`: the generated crate then needs a
    /// regular expression engine.
    pub fn uses_patterns(&self) -> bool {
        let fields = self.types.iter().flat_map(|t| match &t.kind {
            TypeKind::Struct(fields) => fields.as_slice(),
            _ => &[],
        });
        fields
            .map(|f| &f.constraints)
            .chain(
                self.operations
                    .iter()
                    .flat_map(|o| o.params.iter().map(|p| &p.constraints)),
            )
            .any(|c| c.pattern.is_some())
    }
}

/// From this nesting depth of the models on, the generated crate raises rustc's recursion
/// limit.
const DEEP_MODELS: usize = 96;

/// Documentation taken from the spec.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    pub summary: Option<String>,
    pub description: Option<String>,
}

/// The HTTP method an operation is sent with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// The method of a path item's key (`get`, `put`, ... as OpenAPI writes them).
    pub fn from_key(key: &str) -> Option<HttpMethod> {
        Some(match key {
            "get" => HttpMethod::Get,
            "put" => HttpMethod::Put,
            "post" => HttpMethod::Post,
            "delete" => HttpMethod::Delete,
            "options" => HttpMethod::Options,
            "head" => HttpMethod::Head,
            "patch" => HttpMethod::Patch,
            "trace" => HttpMethod::Trace,
            _ => return None,
        })
    }

    /// The method as HTTP writes it (`GET`), which is also its constant's name in
    /// `reqwest::Method`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// Whether sending a request twice has the effect of sending it once, by HTTP's rules.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, HttpMethod::Post | HttpMethod::Patch)
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId` as written in the spec.
    pub id: String,
    /// Method on `Client`, snake_case.
    pub fn_name: String,
    /// Request builder type, PascalCase: an alias of `RequestBuilder<'a, {params_name}>`.
    pub builder_name: String,
    /// The type of the operation's parameters (`{builder_name}Params`).
    pub params_name: String,
    pub method: HttpMethod,
    pub path: Vec<PathSegment>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Responses,
    pub docs: Docs,
    pub deprecated: bool,
    pub tags: Vec<String>,
    /// Sending the request twice has the effect of sending it once: by HTTP method, or
    /// `x-idempotent: true` in the spec. Decides which failures the client retries.
    pub idempotent: bool,
    /// Set when the operation pages by continuation token.
    pub paging: Option<Paging>,
    /// The spec's examples of this operation that the generated crate checks as tests:
    /// replayed through the client, or (when the request cannot be) their response decoded.
    pub examples: Vec<Example>,
    /// The examples that cannot be checked at all, with why (the crate's example tests list
    /// them).
    pub skipped_examples: Vec<SkippedExample>,
}

/// One example of an operation: the 2xx response and the request parts that share its name
/// in the spec (`lower/examples.rs` says how they pair), and how its test checks it.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The name shared by its parts (`example` for the unnamed `example` of a part).
    pub name: String,
    /// The status of the response it answers with.
    pub status: u16,
    /// The response body; none for a response without content.
    pub response: Option<serde_json::Value>,
    /// The media type of the response body (the one the client reads); none without a body.
    pub media: Option<String>,
    pub check: ExampleCheck,
}

/// How an example's test checks it.
#[derive(Debug, Clone, PartialEq)]
pub enum ExampleCheck {
    /// Its request is sent through the client to the example server, which answers with
    /// its response: the call must succeed.
    Replayed {
        /// The values of the parameters it gives, by index into [`Operation::params`]:
        /// every required one, and the optional ones it names.
        params: Vec<(usize, serde_json::Value)>,
        /// The request body, when it gives one.
        body: Option<serde_json::Value>,
    },
    /// Its request cannot be sent (`reason`, as [`SkippedExample::reason`]), but it has a
    /// JSON response body: the body is decoded into the type of its status, encoded again
    /// and compared with the example.
    DecodedOnly { reason: String },
}

impl Operation {
    /// The path template as the spec writes it (`/things/{thingId}`): wire names in braces.
    pub fn path_template(&self) -> String {
        self.path
            .iter()
            .map(|s| match s {
                PathSegment::Literal(l) => l.clone(),
                PathSegment::Param(i) => format!("{{{}}}", self.params[*i].wire_name),
            })
            .collect()
    }
}

impl Example {
    /// Why the request is not replayed, for an example that is only decoded.
    pub fn not_replayed(&self) -> Option<&str> {
        match &self.check {
            ExampleCheck::Replayed { .. } => None,
            ExampleCheck::DecodedOnly { reason } => Some(reason),
        }
    }
}

/// An example that is not checked at all.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedExample {
    pub name: String,
    /// Why, as a sentence fragment: `no 2xx response has an example of this name`.
    pub reason: String,
    /// Whether it answers with a 2xx body (one that could not be read or decoded): such an
    /// example counts among those that could have been checked.
    pub has_body: bool,
}

/// How an operation pages: it takes a `continuationToken` query parameter and each page
/// names the next one.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// The Rust name of the `continuationToken` parameter (an optional string).
    pub token_param: String,
    /// Where a page's response names the next page.
    pub next: NextToken,
    /// The page's list of entries, when it has one.
    pub items: Option<PageItems>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NextToken {
    /// The page's `continuationToken` property.
    Field(PageField),
    /// The `x-ms-continuationtoken` response header.
    Header,
}

/// A property of the page type.
#[derive(Debug, Clone, PartialEq)]
pub struct PageField {
    pub rust_name: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// The field's type (in `NextToken`, a scalar; in `PageItems`, the entry's type).
    pub ty: TypeRef,
}

/// Where the entries of a page are.
#[derive(Debug, Clone, PartialEq)]
pub enum PageItems {
    /// The page's `value` property, a list.
    Field(PageField),
    /// The page is the list itself, of entries of this type.
    Page(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathSegment {
    Literal(String),
    /// Index into `Operation::params`.
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

impl ParamLocation {
    /// The location as the spec's `in` says it (and the docs repeat it).
    pub fn name(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire_name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    /// A required parameter whose schema allows exactly one value is sent by the client
    /// itself (e.g. `api-version`) and is not an argument.
    pub constant: Option<String>,
    pub constraints: Constraints,
    pub docs: Docs,
    pub deprecated: bool,
    /// A query parameter whose value is an object or a list of objects
    /// (`x-query-object: dotted`), sent as `name.property=value` pairs.
    pub dotted: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The body's type: a model type for JSON, [`TypeRef::Text`] or [`TypeRef::Bytes`].
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Docs,
    /// The declared media type, sent as `Content-Type` (e.g. `application/json-patch+json`).
    pub media: String,
    /// The other media types declared for the same value (of the same kind, and for JSON
    /// the same schema), which the caller may choose instead.
    pub also: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Responses {
    /// Declared 2xx responses, in status order.
    pub success: Vec<SuccessResponse>,
    /// Set when the operation has several success responses with different bodies:
    /// the name of the enum the operation returns.
    pub enum_name: Option<String>,
    /// The statuses accepted as success: the declared 2xx, or the usual ones when the spec
    /// declares none.
    pub accepted: Vec<u16>,
    /// Declared non-success responses (status or `default`, description), for the docs.
    pub errors: Vec<(String, String)>,
    /// The name of the struct of the headers the success responses declare, if any do.
    pub headers_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SuccessResponse {
    pub status: u16,
    /// The body's type (a model type for JSON, [`TypeRef::Text`] or [`TypeRef::Bytes`]);
    /// none without a body.
    pub ty: Option<TypeRef>,
    pub description: String,
    /// The declared media type of the body, asked for with `Accept` when it is not JSON.
    pub media: Option<String>,
    /// The other media types declared for the body of the same kind (JSON, text or bytes),
    /// asked for with `Accept` too when it is not JSON.
    pub also: Vec<String>,
    /// The media types declared for the body of another kind, which the caller may ask for
    /// (and read as a stream).
    pub other_kinds: Vec<String>,
    /// The headers the response declares.
    pub headers: Vec<ResponseHeader>,
}

/// A header a success response declares, read into the operation's headers struct.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// The name as declared (e.g. `x-ms-continuationtoken`).
    pub wire_name: String,
    /// The field of the headers struct.
    pub rust_name: String,
    /// A scalar type ([`TypeRef::String`] for any other schema: the text as sent).
    pub ty: TypeRef,
    pub description: Option<String>,
}

/// What a field, parameter or body is in Rust.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    Uuid,
    DateTime,
    Date,
    /// Free-form JSON.
    Json,
    /// A whole body that is text (`text/plain`): a `String` (`&str` to send).
    Text,
    /// A whole body that is neither JSON nor text (`application/octet-stream`, a zip, an
    /// image): `bytes::Bytes` (`&[u8]` to send).
    Bytes,
    /// A type of `models`, by its Rust name.
    Named(String),
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// Breaks a recursive chain of structs.
    Boxed(Box<TypeRef>),
}

/// Validation rules from the spec, checked before a request is sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub pattern: Option<String>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub docs: Docs,
    pub deprecated: bool,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Vec<Field>),
    /// A string enum; values the spec does not list deserialize into a catch-all variant.
    Enum(Vec<Variant>),
    /// A named schema that is not an object or enum, e.g. an array.
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub docs: Docs,
    pub deprecated: bool,
    /// `readOnly`: set by the service, never required of a caller.
    pub read_only: bool,
    pub default: Option<String>,
    pub constraints: Constraints,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub wire_name: String,
    pub rust_name: String,
    /// What the value means (`x-ms-enum` value descriptions).
    pub description: Option<String>,
}
