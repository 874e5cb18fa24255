//! Schemas into types, and recursion.

use expect_test::expect;

use super::{check, returning};

// ----- schemas -------------------------------------------------------------------------

#[test]
fn object_schemas_become_structs() {
    check(
        &format!(
            "{}components:
  schemas:
    Thing:
      type: object
      required: [id, parent]
      properties:
        id: {{type: string, format: uuid}}
        display-name: {{type: string, minLength: 1, maxLength: 10, pattern: '^[a-z]+$'}}
        count: {{type: integer, format: int32, minimum: 0, maximum: 9, exclusiveMaximum: true}}
        size: {{type: integer}}
        ratio: {{type: number, format: float}}
        weight: {{type: number, default: 1.5}}
        flag: {{type: boolean, deprecated: true}}
        when: {{type: string, format: date-time}}
        day: {{type: string, format: date}}
        tags: {{type: array, minItems: 1, items: {{type: string}}}}
        extra: {{type: object, additionalProperties: {{type: integer}}}}
        anything: {{}}
        free: {{type: object}}
        parent: {{$ref: '#/components/schemas/Thing', nullable: true}}
",
            returning("                $ref: '#/components/schemas/Thing'\n")
        ),
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            struct Thing
              id: Uuid (required)
              display_name: String (wire "display-name", optional, minLength 1, maxLength 10, pattern ^[a-z]+$)
              count: i32 (optional, minimum 0, maximum 9 exclusive)
              size: i64 (optional)
              ratio: f32 (optional)
              weight: f64 (optional, default 1.5)
              flag: bool (optional, deprecated)
              when: DateTime (optional)
              day: Date (optional)
              tags: Vec<String> (optional, minItems 1)
              extra: Map<i64> (optional)
              anything: Json (optional)
              free: Json (optional)
              parent: Box<Thing> (required)
            op get_things / GetThings (Things_Get): GET /x idempotent
              200: Thing (application/json)
              accepts 200; documents no errors
        "#]],
    );
}

#[test]
fn inline_objects_and_enums_are_named_after_where_they_are() {
    check(
        &format!(
            "{}components:
  schemas:
    Outer:
      type: object
      properties:
        inner:
          type: object
          properties:
            color: {{type: string, enum: [red, dark-green, null]}}
        items:
          type: array
          items:
            type: object
            properties:
              n: {{type: integer}}
    Alias:
      $ref: '#/components/schemas/Outer'
    List:
      type: array
      items: {{$ref: '#/components/schemas/Alias'}}
",
            returning("                $ref: '#/components/schemas/List'\n")
        ),
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            enum OuterInnerColor: Red="red" DarkGreen="dark-green"
            struct OuterInner
              color: OuterInnerColor (optional, nullable)
            struct OuterItemsItem
              n: i64 (optional)
            struct Outer
              inner: OuterInner (optional)
              items: Vec<OuterItemsItem> (optional)
            alias Alias = Outer
            alias List = Vec<Alias>
            op get_things / GetThings (Things_Get): GET /x idempotent
              200: List (application/json)
              accepts 200; documents no errors
        "#]],
    );
}

#[test]
fn all_of_merges_the_properties_of_its_parts() {
    check(
        &format!(
            "{}components:
  schemas:
    Base:
      type: object
      required: [id]
      properties:
        id: {{type: string}}
    Derived:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [extra]
          properties:
            extra: {{type: boolean}}
    Documented:
      type: object
      properties:
        base:
          description: A reference with its own description.
          allOf:
            - $ref: '#/components/schemas/Base'
",
            returning("                $ref: '#/components/schemas/Derived'\n")
        ),
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            struct Base
              id: String (required)
            struct Derived
              id: String (required)
              extra: bool (required)
            struct Documented
              base: Base (optional)
            op get_things / GetThings (Things_Get): GET /x idempotent
              200: Derived (application/json)
              accepts 200; documents no errors
        "#]],
    );
}

#[test]
fn schema_problems_are_all_reported() {
    check(
        &format!(
            "{}components:
  schemas:
    Twice:
      allOf:
        - type: object
          properties:
            a: {{type: string}}
        - type: object
          properties:
            a: {{type: string}}
    Clash:
      type: object
      properties:
        aB: {{type: string}}
        a_b: {{type: string}}
    Unsupported:
      type: object
      properties:
        one: {{oneOf: [{{type: string}}]}}
        odd: {{type: integer, multipleOf: 2}}
        look: {{type: string, pattern: '(?=x)'}}
        arr: {{type: array}}
    Variants:
      type: string
      enum: [a-b, a_b]
    thing:
      type: object
    Thing:
      type: object
",
            returning("                $ref: '#/components/schemas/Nope'\n")
        ),
        expect![[r#"
            45:5 /components/schemas/Thing: type name `Thing` collides with the one generated for /components/schemas/thing
            32:9 /components/schemas/Clash/properties/a_b: properties "aB" and "a_b" both become field `a_b`
            36:15 /components/schemas/Unsupported/properties/one/oneOf: oneOf is not supported
            37:30 /components/schemas/Unsupported/properties/odd/multipleOf: multipleOf is not supported
            38:30 /components/schemas/Unsupported/properties/look/pattern: pattern "(?=x)" is not supported by the Rust regex engine: error: look-around, including look-ahead and look-behind, is not supported
            39:9 /components/schemas/Unsupported/properties/arr: an array schema needs `items`
            42:19 /components/schemas/Variants/enum/1: enum values "a-b" and "a_b" both become variant `AB`
            16:15 /paths/~1x/get/responses/200/content/application~1json/schema: dangling $ref: #/components/schemas/Nope does not exist
        "#]],
    );
}

// ----- cycles --------------------------------------------------------------------------

#[test]
fn recursion_is_boxed_and_alias_loops_are_errors() {
    check(
        &format!(
            "{}components:
  schemas:
    Node:
      type: object
      properties:
        next: {{$ref: '#/components/schemas/Node'}}
        children: {{type: array, items: {{$ref: '#/components/schemas/Node'}}}}
",
            returning("                $ref: '#/components/schemas/Node'\n")
        ),
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            struct Node
              next: Box<Node> (optional)
              children: Vec<Node> (optional)
            op get_things / GetThings (Things_Get): GET /x idempotent
              200: Node (application/json)
              accepts 200; documents no errors
        "#]],
    );
    check(
        &format!(
            "{}components:
  schemas:
    A:
      type: array
      items: {{$ref: '#/components/schemas/B'}}
    B:
      $ref: '#/components/schemas/A'
    C:
      $ref: '#/components/schemas/D'
    D:
      $ref: '#/components/schemas/C'
",
            returning("                $ref: '#/components/schemas/A'\n")
        ),
        expect![[r#"
            25:5 /components/schemas/C: cyclic $ref: C refers back to itself through #/components/schemas/D
            27:5 /components/schemas/D: cyclic $ref: D refers back to itself through #/components/schemas/C
            20:5 /components/schemas/A: cyclic $ref: `A` is defined in terms of itself with no object schema in between
            23:5 /components/schemas/B: cyclic $ref: `B` is defined in terms of itself with no object schema in between
        "#]],
    );
}

// ----- as Microsoft's descriptions write them --------------------------------------------

/// Enums without `type`, named by `x-ms-enum` (one enum for every place that names it, its
/// value descriptions as variant docs); inheritance as `type: object` + `allOf` +
/// `properties` (the parts' properties first); `type: object` with a format of its own.
#[test]
fn enums_without_type_x_ms_enum_and_inheritance_with_own_properties() {
    check(
        &format!(
            "{}components:
  schemas:
    Base:
      type: object
      required: [id, url]
      properties:
        id: {{type: integer, format: int32}}
        url: {{type: string, readOnly: true}}
    Thing:
      type: object
      allOf:
        - $ref: '#/components/schemas/Base'
      properties:
        state:
          enum: [active, deleted]
          x-ms-enum:
            name: ThingState
            values:
              - {{value: active, description: In use.}}
              - {{value: deleted, description: Gone.}}
        previous:
          enum: [active, deleted]
          x-ms-enum: {{name: ThingState}}
        plain:
          enum: [a, b, null]
        payload: {{type: object, format: JToken}}
        span: {{type: string, format: TimeSpan}}
",
            returning("                $ref: '#/components/schemas/Thing'\n")
        ),
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            struct Base
              id: i32 (required)
              url: String (optional, read-only)
            enum ThingState: Active="active" (In use.) Deleted="deleted" (Gone.)
            enum ThingPlain: A="a" B="b"
            struct Thing
              id: i32 (required)
              url: String (optional, read-only)
              state: ThingState (optional)
              previous: ThingState (optional)
              plain: ThingPlain (optional, nullable)
              payload: Json (optional)
              span: String (optional)
            op get_things / GetThings (Things_Get): GET /x idempotent
              200: Thing (application/json)
              accepts 200; documents no errors
        "#]],
    );
}

/// The catch-all variant is `Other` in every enum, so a value added to a spec never renames
/// it: a listed value spelled `other` is `OtherValue`, whatever the other values are.
#[test]
fn a_value_named_other_never_takes_the_catch_all_name() {
    check(
        &format!(
            "{}components:
  schemas:
    Kind:
      type: string
      enum: [other, plain]
    Thing:
      type: object
      properties:
        kind: {{$ref: '#/components/schemas/Kind'}}
",
            returning("                $ref: '#/components/schemas/Thing'\n")
        ),
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            enum Kind: OtherValue="other" Plain="plain"
            struct Thing
              kind: Kind (optional)
            op get_things / GetThings (Things_Get): GET /x idempotent
              200: Thing (application/json)
              accepts 200; documents no errors
        "#]],
    );
}

#[test]
fn an_x_ms_enum_name_with_other_values_and_enums_of_other_values_are_errors() {
    check(
        &format!(
            "{}components:
  schemas:
    Thing:
      type: object
      properties:
        state:
          enum: [active, deleted]
          x-ms-enum: {{name: ThingState}}
        other:
          enum: [active]
          x-ms-enum: {{name: ThingState}}
        level:
          enum: [1, 2]
",
            returning("                $ref: '#/components/schemas/Thing'\n")
        ),
        expect![[r#"
            28:23 /components/schemas/Thing/properties/other/x-ms-enum/name: x-ms-enum `ThingState` is also defined at /components/schemas/Thing/properties/state with other values: one name, one enum
            30:11 /components/schemas/Thing/properties/level/enum: only enums of strings are supported (these values are not all strings, or `type` says otherwise)
        "#]],
    );
}

/// A property inherited through `allOf` keeps the type it has in its parent: an inline enum
/// or object is one type, named after the schema that declares it, not a copy per heir.
#[test]
fn inherited_inline_types_are_shared_with_the_parent() {
    check(
        &format!(
            "{}components:
  schemas:
    Derived:
      type: object
      allOf:
        - $ref: '#/components/schemas/Base'
      properties:
        extra: {{type: string}}
    Base:
      type: object
      properties:
        color: {{type: string, enum: [red, blue]}}
        owner:
          type: object
          properties:
            name: {{type: string}}
",
            returning("                $ref: '#/components/schemas/Derived'\n")
        ),
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            enum BaseColor: Red="red" Blue="blue"
            struct BaseOwner
              name: String (optional)
            struct Derived
              color: BaseColor (optional)
              owner: BaseOwner (optional)
              extra: String (optional)
            struct Base
              color: BaseColor (optional)
              owner: BaseOwner (optional)
            op get_things / GetThings (Things_Get): GET /x idempotent
              200: Derived (application/json)
              accepts 200; documents no errors
        "#]],
    );
}

/// A type that is a list or a map, written as Microsoft writes it (`type: object` + a sole
/// `allOf` part that is the list or map + no properties), is that list or map; a property a
/// type restates replaces the one it inherits (in its place), the same one restated twice
/// is one, and parts that disagree are an error.
#[test]
fn types_that_are_lists_or_maps_and_restated_properties() {
    check(
        &format!(
            "{}components:
  schemas:
    Patch:
      type: object
      allOf:
        - type: array
          items: {{$ref: '#/components/schemas/Change'}}
      properties: {{}}
    Bag:
      type: object
      allOf:
        - type: object
          additionalProperties: {{type: integer}}
      properties: {{}}
    Change:
      type: object
      properties:
        op: {{type: string}}
    Ref:
      type: object
      properties:
        id: {{type: string}}
        url: {{type: string}}
    Identity:
      type: object
      allOf:
        - $ref: '#/components/schemas/Ref'
        - type: object
          properties:
            url: {{type: string}}
      properties:
        id: {{type: string, format: uuid, description: The identity's id.}}
        patch: {{$ref: '#/components/schemas/Patch'}}
        bag: {{$ref: '#/components/schemas/Bag'}}
",
            returning("                $ref: '#/components/schemas/Identity'\n")
        ),
        expect![[r#"
            crate tested 0.1.0 (lib tested), api 1, base https://example.com
            alias Patch = Vec<Change>
            alias Bag = Map<i64>
            struct Change
              op: String (optional)
            struct Ref
              id: String (optional)
              url: String (optional)
            struct Identity
              id: Uuid (optional)
              url: String (optional)
              patch: Patch (optional)
              bag: Bag (optional)
            op get_things / GetThings (Things_Get): GET /x idempotent
              200: Identity (application/json)
              accepts 200; documents no errors
        "#]],
    );
    check(
        &format!(
            "{}components:
  schemas:
    A:
      type: object
      properties:
        id: {{type: string}}
    B:
      type: object
      properties:
        id: {{type: integer}}
    C:
      allOf:
        - $ref: '#/components/schemas/A'
        - $ref: '#/components/schemas/B'
",
            returning("                $ref: '#/components/schemas/C'\n")
        ),
        expect![[r#"
            27:9 /components/schemas/B/properties/id: property "id" is defined twice across allOf parts, differently
        "#]],
    );
}
