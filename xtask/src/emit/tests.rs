//! What the emitters write, one concern a test: a small spec in, the items of `models.rs`
//! and `operations.rs` out (without the files' headers), compared with the expected text.
//! `UPDATE_EXPECT=1 cargo test -p xtask emit::tests` rewrites the expectations after an
//! intended change; review the diff. The module docs of the emitters point here for
//! examples of what they write.

use expect_test::{Expect, expect};

use super::{Context, ident, models, operations};
use crate::lower::tests::HEADER;

/// Generates from `body` (the `paths` and `components` of a spec; the rest is filled in)
/// and compares the printed items, models first, with `expect`.
fn check_emit(body: &str, expect: Expect) {
    let text = format!("{HEADER}{body}");
    let spec = crate::load::load("t.yaml", &text).unwrap_or_else(|d| panic!("{d}"));
    let api = crate::lower::lower(&spec).unwrap_or_else(|d| panic!("{d}"));
    let cx = Context::new(&api);
    let mut items = models::items(&api, &cx, &api.types);
    if !api.operations.is_empty() {
        items.push(operations::methods(&api, &cx, &api.operations));
        items.extend(operations::items(&api, &cx, &api.operations));
    }
    let printed = crate::render::items(items, "t").unwrap_or_else(|d| panic!("{d}"));
    expect.assert_eq(&printed);
}

/// The generated file at `path` (`src/lib.rs`, `src/mock.rs`, ...) of the crate of `body`
/// (as [`check_emit`] takes it), compared whole with `expect`.
fn check_file(body: &str, path: &str, expect: Expect) {
    let text = format!("{HEADER}{body}");
    let runtime = super::manifest::RuntimeDependency::path("../runtime");
    let generated = crate::generate("t.yaml", &text, &runtime).unwrap_or_else(|d| panic!("{d}"));
    let file = generated
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"));
    expect.assert_eq(&file.contents);
}

#[test]
fn keywords_become_raw_identifiers() {
    assert_eq!(ident("type").to_string(), "r#type");
    assert_eq!(ident("self").to_string(), "self_");
    assert_eq!(ident("kind").to_string(), "kind");
}

/// A struct: required and optional properties; its JSON form through the runtime's `json`
/// (a struct only ever received has no `Validate`, see [`a_validated_body`]).
#[test]
fn a_struct() {
    check_emit(
        "paths: {}
components:
  schemas:
    Pet:
      type: object
      description: A pet.
      required: [name]
      properties:
        name:
          type: string
        age:
          type: integer
          format: int32
",
        expect![[r#"
            /// A pet.
            #[derive(Debug, Clone, Default)]
            pub struct Pet {
                /// The `name` property.
                pub name: String,
                /// The `age` property.
                pub age: Option<i32>,
            }

            impl PartialEq for Pet {
                fn eq(&self, other: &Self) -> bool {
                    self.name == other.name && self.age == other.age
                }
            }

            impl Eq for Pet {}

            impl std::hash::Hash for Pet {
                fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                    self.name.hash(state);
                    self.age.hash(state);
                }
            }

            impl serde::Serialize for Pet {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    let mut map = json::writer(serializer)?;
                    map.required("name", &self.name)?;
                    map.optional("age", &self.age)?;
                    map.end()
                }
            }

            impl<'de> serde::Deserialize<'de> for Pet {
                fn deserialize<D: serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Self, D::Error> {
                    json::read(deserializer)
                }
            }

            impl<'de> json::FromObject<'de> for Pet {
                fn from_object<A: serde::de::MapAccess<'de>>(
                    mut object: json::Object<'de, A>,
                ) -> Result<Self, A::Error> {
                    let mut name = None;
                    let mut age = None;
                    while let Some(key) = object.next_key()? {
                        match key {
                            "name" => object.required(&mut name),
                            "age" => object.optional(&mut age),
                            _ => object.skip(),
                        }?;
                    }
                    Ok(Self {
                        name: object.present(name, "name")?,
                        age,
                    })
                }
            }
        "#]],
    );
}

/// A string enum: its variants, wire values and how it reads and writes them.
#[test]
fn a_string_enum() {
    check_emit(
        "paths: {}
components:
  schemas:
    Status:
      type: string
      enum: [active, on-hold]
",
        expect![[r#"
            /// The `Status` schema.
            ///
            /// Values this version of the crate does not know deserialize into `Other`, so a
            /// value the service adds later does not break decoding.
            #[derive(Debug, Clone, Eq)]
            pub enum Status {
                /// `active`
                Active,
                /// `on-hold`
                OnHold,
                /// A value the spec does not list.
                Other(String),
            }

            impl Status {
                /// The value as sent on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        Self::Active => "active",
                        Self::OnHold => "on-hold",
                        Self::Other(value) => value,
                    }
                }
            }

            impl std::fmt::Display for Status {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl PartialEq for Status {
                fn eq(&self, other: &Self) -> bool {
                    self.as_str() == other.as_str()
                }
            }

            impl std::hash::Hash for Status {
                fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                    self.as_str().hash(state);
                }
            }

            impl serde::Serialize for Status {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> serde::Deserialize<'de> for Status {
                fn deserialize<D: serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Self, D::Error> {
                    let value = json::enum_value(deserializer, &["active", "on-hold"])?;
                    let variant = match &*value {
                        "active" => Self::Active,
                        "on-hold" => Self::OnHold,
                        _ => Self::Other(value.into_owned()),
                    };
                    Ok(variant)
                }
            }
        "#]],
    );
}

/// An operation: its method on `Client`, the request builder and its parameters, the
/// `Endpoint` impl that builds the request and reads the response.
#[test]
fn an_operation() {
    check_emit(
        "paths:
  /items/{id}:
    get:
      operationId: Items_Get
      summary: Gets an item.
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: integer
            format: int64
        - name: expand
          in: query
          schema:
            type: boolean
      responses:
        '200':
          description: The item's name.
          content:
            application/json:
              schema:
                type: string
",
        expect![[r#"
            impl Client {
                /// Gets an item.
                ///
                /// `GET /items/{id}` (operation `Items_Get`). Idempotent: retried after every failure the
                /// client's [`RetryPolicy`](crate::RetryPolicy) retries.
                ///
                /// # Arguments
                ///
                /// * `id` (`id`, path)
                ///
                /// # Responses
                ///
                /// * 200: The item's name.
                ///
                /// # Errors
                ///
                /// Any other status is an [`Error`] that keeps the status and the service's error body.
                ///
                /// # Example
                ///
                /// ```no_run
                /// # async fn example(
                /// #     client: &tested::Client,
                /// #     id: i64,
                /// # ) -> Result<(), tested::Error> {
                /// let response = client.get_items(id).send().await?;
                /// # Ok(())
                /// # }
                /// ```
                pub fn get_items<'a>(&'a self, id: i64) -> GetItems<'a> {
                    RequestBuilder::new(self, GetItemsParams { id, expand: None })
                }
            }

            /// Request builder for [`Client::get_items`]: set optional parameters, then `.send().await` or
            /// `.await` it.
            pub type GetItems<'a> = RequestBuilder<'a, GetItemsParams>;

            /// The parameters of [`Client::get_items`], set through its request builder [`GetItems`].
            pub struct GetItemsParams {
                id: i64,
                expand: Option<bool>,
            }

            impl GetItems<'_> {
                /// Sets `expand`.
                ///
                /// Sent as the query parameter `expand`.
                pub fn expand(mut self, value: bool) -> Self {
                    self.call.params.expand = Some(value);
                    self
                }
            }

            impl Endpoint for GetItemsParams {
                type Output = String;

                const OPERATION: Operation = Operation {
                    id: "Items_Get",
                    method: Method::GET,
                    success: &[200],
                    idempotent: true,
                    area: &AREA,
                };

                fn build(&self, request: &mut Request) -> Result<(), Error> {
                    request.path("/items/").path_param(&self.id).query("expand", &self.expand);
                    Ok(())
                }

                fn decode(response: &RawResponse) -> Result<String, Error> {
                    response.json()
                }
            }
        "#]],
    );
}

/// An operation that pages: `Paged` and `PagedItems`, the token from a header (the page
/// has no token property) and the page itself a list.
#[test]
fn paging() {
    check_emit(
        "paths:
  /items:
    get:
      operationId: Items_List
      parameters:
        - name: continuationToken
          in: query
          schema:
            type: string
      responses:
        '200':
          description: A page of names.
          content:
            application/json:
              schema:
                type: array
                items:
                  type: string
",
        expect![[r#"
            impl Client {
                /// `GET /items` (operation `Items_List`). Idempotent: retried after every failure the client's
                /// [`RetryPolicy`](crate::RetryPolicy) retries.
                ///
                /// Pages by `continuationToken`: `.send()` reads one page,
                /// [`.pages()`](crate::RequestBuilder::pages) every page, one request each, and
                /// [`.items()`](crate::RequestBuilder::items) every entry of every page.
                ///
                /// # Responses
                ///
                /// * 200: A page of names.
                ///
                /// # Errors
                ///
                /// Any other status is an [`Error`] that keeps the status and the service's error body.
                ///
                /// # Example
                ///
                /// ```no_run
                /// # async fn example(
                /// #     client: &tested::Client,
                /// # ) -> Result<(), tested::Error> {
                /// let response = client.list_items().send().await?;
                /// # Ok(())
                /// # }
                /// ```
                pub fn list_items<'a>(&'a self) -> ListItems<'a> {
                    RequestBuilder::new(
                        self,
                        ListItemsParams {
                            continuation_token: None,
                        },
                    )
                }
            }

            /// Request builder for [`Client::list_items`]: set optional parameters, then `.send().await` or
            /// `.await` it.
            pub type ListItems<'a> = RequestBuilder<'a, ListItemsParams>;

            /// The parameters of [`Client::list_items`], set through its request builder [`ListItems`].
            pub struct ListItemsParams {
                continuation_token: Option<String>,
            }

            impl ListItems<'_> {
                /// Sets `continuationToken`.
                ///
                /// Sent as the query parameter `continuationToken`.
                pub fn continuation_token(mut self, value: impl Into<String>) -> Self {
                    self.call.params.continuation_token = Some(value.into());
                    self
                }
            }

            impl Endpoint for ListItemsParams {
                type Output = Vec<String>;

                const OPERATION: Operation = Operation {
                    id: "Items_List",
                    method: Method::GET,
                    success: &[200],
                    idempotent: true,
                    area: &AREA,
                };

                fn build(&self, request: &mut Request) -> Result<(), Error> {
                    request.path("/items").query("continuationToken", &self.continuation_token);
                    Ok(())
                }

                fn decode(response: &RawResponse) -> Result<Vec<String>, Error> {
                    response.json()
                }
            }

            impl Paged for ListItemsParams {
                fn continue_from(&mut self, token: String) {
                    self.continuation_token = Some(token);
                }

                fn start_token(&self) -> Option<&str> {
                    self.continuation_token.as_deref()
                }
            }

            impl PagedItems for ListItemsParams {
                type Item = String;

                fn items(page: Vec<String>) -> Vec<String> {
                    page
                }
            }
        "#]],
    );
}

/// A body other than JSON: bytes, sent as an `UploadBody`.
#[test]
fn a_binary_body() {
    check_emit(
        "paths:
  /files/{name}:
    put:
      operationId: Files_Upload
      parameters:
        - name: name
          in: path
          required: true
          schema:
            type: string
      requestBody:
        required: true
        content:
          application/octet-stream:
            schema:
              type: string
              format: binary
      responses:
        '204':
          description: Stored.
",
        expect![[r#"
            impl Client {
                /// `PUT /files/{name}` (operation `Files_Upload`). Idempotent: retried after every failure the
                /// client's [`RetryPolicy`](crate::RetryPolicy) retries.
                ///
                /// # Arguments
                ///
                /// * `name` (`name`, path)
                /// * `body`: the request's body.
                ///
                /// # Responses
                ///
                /// * 204: Stored.
                ///
                /// The body is bytes in memory or a stream (a file, say): see
                /// [`UploadBody`](crate::UploadBody); a streamed body is sent once, never retried.
                ///
                /// # Errors
                ///
                /// Any other status is an [`Error`] that keeps the status and the service's error body.
                ///
                /// # Example
                ///
                /// ```no_run
                /// # async fn example(
                /// #     client: &tested::Client,
                /// #     name: String,
                /// #     body: &[u8],
                /// # ) -> Result<(), tested::Error> {
                /// client.upload_files(name, body).send().await?;
                /// # Ok(())
                /// # }
                /// ```
                pub fn upload_files<'a>(
                    &'a self,
                    name: impl Into<String>,
                    body: impl Into<crate::UploadBody<'a>>,
                ) -> UploadFiles<'a> {
                    RequestBuilder::new(
                        self,
                        UploadFilesParams {
                            name: name.into(),
                            body: body.into(),
                        },
                    )
                }
            }

            /// Request builder for [`Client::upload_files`]: set optional parameters, then `.send().await` or
            /// `.await` it.
            pub type UploadFiles<'a> = RequestBuilder<'a, UploadFilesParams<'a>>;

            /// The parameters of [`Client::upload_files`], set through its request builder [`UploadFiles`].
            pub struct UploadFilesParams<'a> {
                name: String,
                body: crate::UploadBody<'a>,
            }

            impl Endpoint for UploadFilesParams<'_> {
                type Output = ();

                const OPERATION: Operation = Operation {
                    id: "Files_Upload",
                    method: Method::PUT,
                    success: &[204],
                    idempotent: true,
                    area: &AREA,
                };

                fn build(&self, request: &mut Request) -> Result<(), Error> {
                    validation::path_segment(&validation::Path::root("name"), &self.name)?;
                    request
                        .path("/files/")
                        .path_param(&self.name)
                        .header_text("Content-Type", "application/octet-stream");
                    request.upload(&self.body)
                }

                fn decode(_response: &RawResponse) -> Result<(), Error> {
                    Ok(())
                }
            }
        "#]],
    );
}

/// What a request checks before it is sent: the `Validate` impl of a struct a request
/// carries (each constrained field, then its own `Validate`), and the checks that open
/// `build` (a path parameter that must stay one segment, a constrained parameter, the
/// body).
#[test]
fn a_validated_body() {
    check_emit(
        "paths:
  /{organization}/things:
    post:
      operationId: Things_Create
      parameters:
        - name: organization
          in: path
          required: true
          schema:
            type: string
        - name: $top
          in: query
          schema:
            type: integer
            format: int32
            minimum: 1
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Thing'
      responses:
        '204':
          description: Created.
components:
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        name:
          type: string
          maxLength: 64
",
        expect![[r#"
            /// The `Thing` schema.
            #[derive(Debug, Clone, Default)]
            pub struct Thing {
                /// The `name` property.
                pub name: String,
            }

            impl PartialEq for Thing {
                fn eq(&self, other: &Self) -> bool {
                    self.name == other.name
                }
            }

            impl Eq for Thing {}

            impl std::hash::Hash for Thing {
                fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                    self.name.hash(state);
                }
            }

            impl serde::Serialize for Thing {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    let mut map = json::writer(serializer)?;
                    map.required("name", &self.name)?;
                    map.end()
                }
            }

            impl<'de> serde::Deserialize<'de> for Thing {
                fn deserialize<D: serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Self, D::Error> {
                    json::read(deserializer)
                }
            }

            impl<'de> json::FromObject<'de> for Thing {
                fn from_object<A: serde::de::MapAccess<'de>>(
                    mut object: json::Object<'de, A>,
                ) -> Result<Self, A::Error> {
                    let mut name = None;
                    while let Some(key) = object.next_key()? {
                        match key {
                            "name" => object.required(&mut name),
                            _ => object.skip(),
                        }?;
                    }
                    Ok(Self {
                        name: object.present(name, "name")?,
                    })
                }
            }

            #[doc(hidden)]
            impl validation::Validate for Thing {
                fn validate(&self, path: &validation::Path<'_>) -> Result<(), crate::Error> {
                    {
                        let value = &self.name;
                        let field = path.field("name");
                        validation::max_length(&field, value, 64)?;
                    }
                    Ok(())
                }
            }

            impl Client {
                /// `POST /{organization}/things` (operation `Things_Create`). Not idempotent: retried only when
                /// the service cannot have acted on it (see [`RetryPolicy`](crate::RetryPolicy)).
                ///
                /// # Arguments
                ///
                /// * `organization` (`organization`, path)
                /// * `body`: the request's body.
                ///
                /// # Responses
                ///
                /// * 204: Created.
                ///
                /// # Errors
                ///
                /// Any other status is an [`Error`] that keeps the status and the service's error body.
                ///
                /// # Example
                ///
                /// ```no_run
                /// # async fn example(
                /// #     client: &tested::Client,
                /// #     organization: String,
                /// #     body: &tested::models::Thing,
                /// # ) -> Result<(), tested::Error> {
                /// client.create_things(organization, body).send().await?;
                /// # Ok(())
                /// # }
                /// ```
                pub fn create_things<'a>(
                    &'a self,
                    organization: impl Into<String>,
                    body: &'a models::Thing,
                ) -> CreateThings<'a> {
                    RequestBuilder::new(
                        self,
                        CreateThingsParams {
                            organization: organization.into(),
                            top: None,
                            body,
                        },
                    )
                }
            }

            /// Request builder for [`Client::create_things`]: set optional parameters, then `.send().await` or
            /// `.await` it.
            pub type CreateThings<'a> = RequestBuilder<'a, CreateThingsParams<'a>>;

            /// The parameters of [`Client::create_things`], set through its request builder [`CreateThings`].
            pub struct CreateThingsParams<'a> {
                organization: String,
                top: Option<i32>,
                body: &'a models::Thing,
            }

            impl CreateThings<'_> {
                /// Sets `$top`.
                ///
                /// Sent as the query parameter `$top`.
                pub fn top(mut self, value: i32) -> Self {
                    self.call.params.top = Some(value);
                    self
                }
            }

            impl Endpoint for CreateThingsParams<'_> {
                type Output = ();

                const OPERATION: Operation = Operation {
                    id: "Things_Create",
                    method: Method::POST,
                    success: &[204],
                    idempotent: false,
                    area: &AREA,
                };

                fn build(&self, request: &mut Request) -> Result<(), Error> {
                    if let Some(value) = &self.top {
                        let field = validation::Path::root("$top");
                        validation::minimum(&field, f64::from(*value), 1.0)?;
                    }
                    validation::path_segment(
                        &validation::Path::root("organization"),
                        &self.organization,
                    )?;
                    validation::Validate::validate(self.body, &validation::Path::root("body"))?;
                    request
                        .path("/")
                        .path_param(&self.organization)
                        .path("/things")
                        .query("%24top", &self.top);
                    request.json(self.body)
                }

                fn decode(_response: &RawResponse) -> Result<(), Error> {
                    Ok(())
                }
            }
        "#]],
    );
}

/// Success responses with different bodies: `send()` yields the response enum, `decode`
/// picks its variant by status.
#[test]
fn responses_by_status() {
    check_emit(
        "paths:
  /things/{id}:
    put:
      operationId: Things_Upsert
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
      responses:
        '200':
          description: Replaced; the previous name.
          content:
            application/json:
              schema:
                type: string
        '201':
          description: Created; its number.
          content:
            application/json:
              schema:
                type: integer
                format: int64
        '204':
          description: Nothing changed.
",
        expect![[r#"
            impl Client {
                /// `PUT /things/{id}` (operation `Things_Upsert`). Idempotent: retried after every failure the
                /// client's [`RetryPolicy`](crate::RetryPolicy) retries.
                ///
                /// # Arguments
                ///
                /// * `id` (`id`, path)
                ///
                /// # Responses
                ///
                /// * 200: Replaced; the previous name.
                /// * 201: Created; its number.
                /// * 204: Nothing changed.
                ///
                /// # Errors
                ///
                /// Any other status is an [`Error`] that keeps the status and the service's error body.
                ///
                /// # Example
                ///
                /// ```no_run
                /// # async fn example(
                /// #     client: &tested::Client,
                /// #     id: String,
                /// # ) -> Result<(), tested::Error> {
                /// let response = client.upsert_things(id).send().await?;
                /// # Ok(())
                /// # }
                /// ```
                pub fn upsert_things<'a>(&'a self, id: impl Into<String>) -> UpsertThings<'a> {
                    RequestBuilder::new(
                        self,
                        UpsertThingsParams {
                            id: id.into(),
                        },
                    )
                }
            }

            /// Request builder for [`Client::upsert_things`]: set optional parameters, then `.send().await` or
            /// `.await` it.
            pub type UpsertThings<'a> = RequestBuilder<'a, UpsertThingsParams>;

            /// The parameters of [`Client::upsert_things`], set through its request builder [`UpsertThings`].
            pub struct UpsertThingsParams {
                id: String,
            }

            impl Endpoint for UpsertThingsParams {
                type Output = UpsertThingsResponse;

                const OPERATION: Operation = Operation {
                    id: "Things_Upsert",
                    method: Method::PUT,
                    success: &[200, 201, 204],
                    idempotent: true,
                    area: &AREA,
                };

                fn build(&self, request: &mut Request) -> Result<(), Error> {
                    validation::path_segment(&validation::Path::root("id"), &self.id)?;
                    request.path("/things/").path_param(&self.id);
                    Ok(())
                }

                fn decode(response: &RawResponse) -> Result<UpsertThingsResponse, Error> {
                    match response.status().as_u16() {
                        200 => response.json().map(UpsertThingsResponse::Status200),
                        201 => response.json().map(UpsertThingsResponse::Status201),
                        204 => Ok(UpsertThingsResponse::Status204),
                        _ => Err(response.unexpected()),
                    }
                }
            }

            /// The success responses of [`Client::upsert_things`], by status.
            #[derive(Debug, Clone, PartialEq)]
            #[allow(
                clippy::large_enum_variant,
                reason = "a response is decoded once and taken apart"
            )]
            pub enum UpsertThingsResponse {
                /// Replaced; the previous name.
                Status200(String),
                /// Created; its number.
                Status201(i64),
                /// Nothing changed.
                Status204,
            }
        "#]],
    );
}

/// `src/lib.rs`: the crate's docs, modules, the runtime's API re-exported, the constants
/// the client is built with and the call of the runtime's `client!` macro.
#[test]
fn the_crate_root() {
    check_file(
        "paths:
  /items:
    get:
      operationId: Items_List
      summary: Lists the items.
      responses:
        '204':
          description: None.
",
        "src/lib.rs",
        expect![[r#"
            // @generated by `cargo xtask codegen` from t.yaml. Do not edit by hand.
            //! Tested: a typed async client for the API, generated from its OpenAPI spec.
            //!
            //! Client for Tested.
            //!
            //! API version `1`; default base URL `https://example.com`.
            //!
            //! # Operations
            //!
            //! - [`Client::list_items`]: Lists the items. (`Items_List`)
            //!
            //! # Usage
            //!
            //! Build one [`Client`] with a [`Credential`] (a personal access token, a bearer token, or
            //! tokens that expire, from your own provider or the Azure CLI) and reuse it: it holds a
            //! connection pool and the token.
            //! Each operation is a method on the client that returns a request builder; required
            //! parameters are arguments, optional ones are setters, and the builder is sent with
            //! `.send().await` (or by awaiting it directly). Request bodies are checked against the
            //! spec's constraints before anything is sent; failures, throttling and retries are
            //! described on [`Error`] and [`RetryPolicy`].
            //!
            //! # Testing
            //!
            //! The cargo feature `mock` (for `[dev-dependencies]`) adds the module `mock`: a mock of the
            //! service on 127.0.0.1 for the tests of crates that use the client, with a method per operation
            //! named like the client's, whose typed builder matches requests by their parameters and body and
            //! answers with a typed value, an error, a throttle, an example of the spec, a delay or a dropped
            //! connection. Every request the mock receives is checked against the spec.
            //!
            //! Everything this crate does beyond its spec's models and operations is the runtime crate
            //! `azure-devops-runtime` (generated for version 0.1.0), whose public API is re-exported here.

            #![deny(missing_docs)]
            #![forbid(unsafe_code)]

            pub mod models;
            mod operations;

            #[cfg(feature = "mock")]
            pub mod mock;

            pub use azure_devops_runtime::{
                AccessToken, AcceptTypes, ApiError, ApiResponse, Checkpoint, ContentTypes,
                Correlation, Credential, Download, Endpoint, Error, InvalidRequest, Items, Paged,
                PagedItems, Pages, RateLimit, RequestPreview, ResponseHeaders, RetryPolicy,
                StreamedResponse, UploadBody,
            };
            pub use operations::*;

            /// The service's base URL, from the first server of the spec.
            pub const DEFAULT_BASE_URL: &str = "https://example.com";

            /// The `User-Agent` header this crate sends.
            pub const USER_AGENT: &str = "tested/0.1.0";

            /// The spec's area: where its operations go.
            const AREA: azure_devops_runtime::Area = azure_devops_runtime::Area::new(
                "tested",
                DEFAULT_BASE_URL,
            );

            /// What the client is built with.
            const CLIENT: azure_devops_runtime::__private::ClientDefaults = azure_devops_runtime::__private::ClientDefaults {
                base_url: DEFAULT_BASE_URL,
                user_agent: USER_AGENT,
                areas: &[AREA],
            };

            azure_devops_runtime::__private::client! {
                lib: "tested",
                title: "Tested",
                defaults: CLIENT,
            }
        "#]],
    );
}

/// `src/mock.rs`: the mock server's method per operation, its matchers, the operation's
/// `OperationSpec` and how a value is answered.
#[test]
fn the_mock() {
    check_file(
        "paths:
  /items/{id}:
    delete:
      operationId: Items_Delete
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: integer
            format: int64
        - name: force
          in: query
          schema:
            type: boolean
      responses:
        '204':
          description: Deleted.
",
        "src/mock.rs",
        expect![[r#"
            // @generated by `cargo xtask codegen` from t.yaml. Do not edit by hand.
            //! A mock of the service for tests (the cargo feature `mock`): a server on
            //! 127.0.0.1 with a method per operation, named like the client's, that
            //! returns a typed builder of what to expect and how to answer. Every
            //! request it receives is checked against the spec.

            use azure_devops_runtime::mock::{
                MockAnswer, OperationSpec, PathPart, QuerySpec, ValueKind,
            };

            azure_devops_runtime::__private::mock! {
                lib: "tested",
                areas: [OPERATIONS],
            }

            /// The operations of the spec, as the mock checks requests to them.
            pub(crate) static OPERATIONS: &[&OperationSpec] = &[
                <super::DeleteItemsParams as MockAnswer>::SPEC,
            ];

            impl MockServer {
                /// Expects requests to [`Client::delete_items`](crate::Client::delete_items) (`DELETE
                /// /items/{id}`): narrow them with the builder's matchers, then mount the expectation with one
                /// of its `respond…` methods.
                pub fn delete_items(&self) -> DeleteItemsMock<'_> {
                    MockBuilder::new(self)
                }
            }

            /// What the mock expects of requests to `Items_Delete` and how it answers them: from
            /// [`MockServer::delete_items`].
            pub type DeleteItemsMock<'a> = MockBuilder<'a, super::DeleteItemsParams>;

            impl DeleteItemsMock<'_> {
                /// Matches only requests whose path parameter `id` is `value` (as the client sends it).
                pub fn id(self, value: i64) -> Self {
                    self.with(|e| e.path_param("id", &value))
                }

                /// Matches only requests whose query parameter `force` is `value` (as the client sends it).
                pub fn force(self, value: bool) -> Self {
                    self.with(|e| e.query("force", &value))
                }
            }

            impl MockAnswer for super::DeleteItemsParams {
                const SPEC: &'static OperationSpec = &OperationSpec {
                    id: "Items_Delete",
                    method: "DELETE",
                    path: &[PathPart::Literal("/items/"), PathPart::Param("id")],
                    query: &[QuerySpec::optional("force", ValueKind::Boolean)],
                    headers: &[],
                    body: None,
                    examples: &[],
                };

                fn answer(_value: &()) -> Response {
                    Response::status(204)
                }
            }
        "#]],
    );
}
