//! How a model struct is written and read as a JSON object, for the
//! `Serialize` and `Deserialize` impls a generated crate writes out (a derived
//! impl per struct costs every build of the crate several times as much to
//! compile): the few generic pieces those impls call.
//!
//! Writing: [`write`] opens a map and each field adds its property
//! ([`Writer::required`]; [`Writer::optional`] leaves out a field that is not
//! set).
//!
//! Reading streams, as serde's derive does: no tree of the object is built.
//! [`read`] hands the struct's [`FromObject`] impl an [`Object`], whose
//! [`next_key`](Object::next_key) gives the name of each property in turn;
//! the impl matches it and reads the value into the field's slot with the
//! method of its kind ([`Object::required`], [`Object::optional`]; arrays and
//! maps item by item, [`Object::required_list`], [`Object::optional_map`],
//! ...; date-times leniently, [`Object::optional_date_time`], ...) or skips a
//! property it does not know ([`Object::skip`]). At the end
//! [`Object::present`] says which required property did not come. A failure
//! names the property's path, nested objects and the items of arrays and maps
//! included (`at .value[3].owner.id: missing property`).
//!
//! ```
//! use azure_devops_runtime::__private::json;
//!
//! /// As generated for a struct of a required `id` and an optional list `tags`.
//! #[derive(Debug)]
//! struct Thing {
//!     id: String,
//!     tags: Option<Vec<String>>,
//! }
//!
//! impl<'de> serde::Deserialize<'de> for Thing {
//!     fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
//!         json::read(deserializer)
//!     }
//! }
//!
//! impl<'de> json::FromObject<'de> for Thing {
//!     fn from_object<A: serde::de::MapAccess<'de>>(
//!         mut object: json::Object<'de, A>,
//!     ) -> Result<Self, A::Error> {
//!         let mut id = None;
//!         let mut tags = None;
//!         while let Some(key) = object.next_key()? {
//!             match key {
//!                 "id" => object.required(&mut id),
//!                 "tags" => object.optional_list(&mut tags),
//!                 _ => object.skip(),
//!             }?;
//!         }
//!         Ok(Self {
//!             id: object.present(id, "id")?,
//!             tags,
//!         })
//!     }
//! }
//!
//! let thing: Thing = serde_json::from_str(r#"{"tags": ["a"], "id": "x", "new": 1}"#).unwrap();
//! assert_eq!(thing.tags.unwrap(), ["a"]);
//! let error = serde_json::from_str::<Thing>(r#"{"id": "x", "tags": ["a", 2]}"#).unwrap_err();
//! assert!(error.to_string().starts_with("at .tags[1]: invalid type: integer `2`"));
//! let error = serde_json::from_str::<Thing>("{}").unwrap_err();
//! assert!(error.to_string().starts_with("at .id: missing property"));
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, FixedOffset, Utc};
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer, UnitDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;

/// Starts writing a struct as a map, to which each field adds its property.
///
/// # Errors
///
/// The serializer's.
#[inline]
pub fn writer<S: serde::Serializer>(serializer: S) -> Result<Writer<S::SerializeMap>, S::Error> {
    Ok(Writer {
        map: serializer.serialize_map(None)?,
    })
}

/// The map a struct's properties are written to.
pub struct Writer<M> {
    map: M,
}

impl<M: SerializeMap> Writer<M> {
    /// Writes property `name`, whatever its value (`null` included).
    ///
    /// # Errors
    ///
    /// The serializer's.
    #[inline]
    pub fn required<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        self.map.serialize_entry(name, value)
    }

    /// Writes property `name` when the field is set.
    ///
    /// # Errors
    ///
    /// The serializer's.
    #[inline]
    pub fn optional<T: serde::Serialize>(
        &mut self,
        name: &'static str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        match value {
            Some(value) => self.map.serialize_entry(name, value),
            None => Ok(()),
        }
    }

    /// Writes property `name`, a date-time, as chrono writes one (RFC 3339 in
    /// UTC with `Z`, a fraction of a second in 3, 6 or 9 digits when it has
    /// one) without going through `fmt`.
    ///
    /// # Errors
    ///
    /// The serializer's.
    #[inline]
    pub fn required_date_time(
        &mut self,
        name: &'static str,
        value: &DateTime<Utc>,
    ) -> Result<(), M::Error> {
        self.map.serialize_entry(name, &Rfc3339(value))
    }

    /// Writes property `name`, a date-time, when the field is set, as
    /// [`required_date_time`](Self::required_date_time) does.
    ///
    /// # Errors
    ///
    /// The serializer's.
    #[inline]
    pub fn optional_date_time(
        &mut self,
        name: &'static str,
        value: &Option<DateTime<Utc>>,
    ) -> Result<(), M::Error> {
        match value {
            Some(value) => self.map.serialize_entry(name, &Rfc3339(value)),
            None => Ok(()),
        }
    }

    /// Closes the map.
    ///
    /// # Errors
    ///
    /// The serializer's.
    #[inline]
    pub fn end(self) -> Result<M::Ok, M::Error> {
        self.map.end()
    }
}

/// A date-time written as chrono's `Serialize` writes it (its `AutoSi`
/// seconds, `Z`), but into a buffer and handed to the serializer as one
/// string rather than through `fmt`, which writes it a character at a time.
/// A year outside 0 to 9999 and a leap second go through chrono.
struct Rfc3339<'a>(&'a DateTime<Utc>);

impl serde::Serialize for Rfc3339<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut text = [0; 30];
        match rfc3339(self.0, &mut text).and_then(|len| std::str::from_utf8(&text[..len]).ok()) {
            Some(text) => serializer.serialize_str(text),
            None => serde::Serialize::serialize(self.0, serializer),
        }
    }
}

/// `at` as RFC 3339 text in `out`, as chrono writes it: `YYYY-MM-DDTHH:MM:SS`,
/// the fraction of a second (if any) in 3, 6 or 9 digits, the fewest that
/// hold it, then `Z`. Its length, or `None` for a year outside 0 to 9999 or
/// a leap second.
fn rfc3339(at: &DateTime<Utc>, out: &mut [u8; 30]) -> Option<usize> {
    use chrono::{Datelike, Timelike};
    let year = u32::try_from(at.year()).ok().filter(|y| *y <= 9999)?;
    let nano = at.nanosecond();
    if nano >= 1_000_000_000 {
        return None;
    }
    let mut put = |at: usize, value: u32, digits: u32| {
        for i in 0..digits {
            let digit = value / 10u32.pow(digits - 1 - i) % 10;
            out[at + i as usize] = b'0' + digit as u8;
        }
    };
    put(0, year, 4);
    put(5, at.month(), 2);
    put(8, at.day(), 2);
    put(11, at.hour(), 2);
    put(14, at.minute(), 2);
    put(17, at.second(), 2);
    let (fraction, digits) = match nano {
        0 => (0, 0),
        n if n % 1_000_000 == 0 => (n / 1_000_000, 3),
        n if n % 1_000 == 0 => (n / 1_000, 6),
        n => (n, 9),
    };
    let mut len = 19;
    if digits > 0 {
        put(20, fraction, digits);
        len += 1 + digits as usize;
    }
    for (i, byte) in [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'.'),
    ] {
        out[i] = byte;
    }
    out[len] = b'Z';
    Some(len + 1)
}

/// A struct read from the properties of a JSON object, by [`read`]: the
/// impl a generated crate writes for each of its structs.
pub trait FromObject<'de>: Sized {
    /// Reads the struct from `object`, property by property.
    ///
    /// # Errors
    ///
    /// The first property that does not read, named by its path.
    fn from_object<A: MapAccess<'de>>(object: Object<'de, A>) -> Result<Self, A::Error>;
}

/// Reads a `T` from the JSON object `deserializer` holds, as it streams.
///
/// # Errors
///
/// The deserializer's error: the value is not an object, or a property of
/// it does not read (named by its path).
pub fn read<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromObject<'de>,
{
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// Hands the properties of an object to `T`'s [`FromObject`].
struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: FromObject<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_object(Object {
            map,
            key: Some(""),
            copied: String::new(),
        })
    }
}

/// The properties of a JSON object as they stream by, for a struct's
/// [`FromObject`] impl: each name, then its value, read into the field's
/// slot or skipped. Every method that reads a value names the property in
/// its error (`at .name: ...`, or `at .name[2].id: ...` inside it).
pub struct Object<'de, A> {
    map: A,
    /// The name of the property being read, for errors: borrowed from the
    /// input, or `None` when it is in `copied`.
    key: Option<&'de str>,
    /// The name of the property being read when the input cannot lend it
    /// (it has escapes, or the deserializer owns its names).
    copied: String,
}

impl<'de, A: MapAccess<'de>> Object<'de, A> {
    /// The name of the next property, or `None` after the last; its value
    /// must be read or skipped before the next name.
    ///
    /// # Errors
    ///
    /// The input is not a well-formed object.
    #[inline]
    pub fn next_key(&mut self) -> Result<Option<&str>, A::Error> {
        match self.map.next_key_seed(KeySeed {
            copied: &mut self.copied,
        })? {
            Some(key) => {
                self.key = key;
                Ok(Some(key.unwrap_or(&self.copied)))
            }
            None => Ok(None),
        }
    }

    /// Skips the value of a property the struct does not have.
    ///
    /// # Errors
    ///
    /// The value is not well-formed JSON.
    #[inline]
    pub fn skip(&mut self) -> Result<(), A::Error> {
        self.map.next_value::<IgnoredAny>().map(drop)
    }

    /// Skips every property: the reading of a struct that has none.
    ///
    /// # Errors
    ///
    /// The object is not well-formed JSON.
    pub fn skip_all(mut self) -> Result<(), A::Error> {
        while self.next_key()?.is_some() {
            self.skip()?;
        }
        Ok(())
    }

    /// The value of a required property, read after the last property: an
    /// error naming it when it did not come.
    ///
    /// # Errors
    ///
    /// `at .name: missing property`.
    #[inline]
    pub fn present<T>(&self, slot: Option<T>, name: &'static str) -> Result<T, A::Error> {
        match slot {
            Some(value) => Ok(value),
            None => Err(missing(name)),
        }
    }

    /// Reads the value of a required property into `slot`: `null` is a value
    /// for a type that takes it, and an error for any other.
    ///
    /// # Errors
    ///
    /// The value is not a `T`, named by the property's path.
    #[inline]
    pub fn required<T: serde::Deserialize<'de>>(
        &mut self,
        slot: &mut Option<T>,
    ) -> Result<(), A::Error> {
        self.read(slot, PhantomData::<T>)
    }

    /// Reads the value of an optional property into `slot`: `null` leaves it
    /// unset.
    ///
    /// # Errors
    ///
    /// The value is neither `null` nor a `T`, named by the property's path.
    #[inline]
    pub fn optional<T: serde::Deserialize<'de>>(
        &mut self,
        slot: &mut Option<T>,
    ) -> Result<(), A::Error> {
        self.read_optional(slot, PhantomData::<T>)
    }

    /// Reads the array of a required property into `slot`, item by item.
    ///
    /// # Errors
    ///
    /// The value is not an array of `T`, named by the path of the property
    /// and item (`at .tags[2]: ...`).
    #[inline]
    pub fn required_list<T: serde::Deserialize<'de>>(
        &mut self,
        slot: &mut Option<Vec<T>>,
    ) -> Result<(), A::Error> {
        self.read(slot, List(PhantomData::<T>))
    }

    /// Reads the array of an optional property into `slot`, item by item:
    /// `null` leaves it unset.
    ///
    /// # Errors
    ///
    /// As [`required_list`](Self::required_list), but for `null`.
    #[inline]
    pub fn optional_list<T: serde::Deserialize<'de>>(
        &mut self,
        slot: &mut Option<Vec<T>>,
    ) -> Result<(), A::Error> {
        self.read_optional(slot, List(PhantomData::<T>))
    }

    /// Reads the map of a required property into `slot`, entry by entry.
    /// Lenient where the service is: a `null` entry of a map whose values
    /// cannot be `null` is left out (Azure DevOps blanks secrets so, e.g. a
    /// service endpoint's `"password": null`).
    ///
    /// # Errors
    ///
    /// The value is not a map of `T`, named by the path of the property and
    /// key (`at .labels["team"]: ...`).
    #[inline]
    pub fn required_map<T: serde::Deserialize<'de>>(
        &mut self,
        slot: &mut Option<BTreeMap<String, T>>,
    ) -> Result<(), A::Error> {
        self.read(slot, Entries(PhantomData::<T>))
    }

    /// Reads the map of an optional property into `slot`, as
    /// [`required_map`](Self::required_map) does: `null` leaves it unset.
    ///
    /// # Errors
    ///
    /// As [`required_map`](Self::required_map), but for `null`.
    #[inline]
    pub fn optional_map<T: serde::Deserialize<'de>>(
        &mut self,
        slot: &mut Option<BTreeMap<String, T>>,
    ) -> Result<(), A::Error> {
        self.read_optional(slot, Entries(PhantomData::<T>))
    }

    /// Reads the date-time of a required property into `slot`. Lenient
    /// where the service is: a date-time without an offset
    /// (`2018-07-19T00:00:00`, as Azure DevOps writes some, and Microsoft's
    /// examples many) is read as UTC, and so is a date in the .NET JSON form
    /// some areas write (`/Date(1565715592526)/`, milliseconds since 1970 in
    /// UTC, which Json.NET reads too).
    ///
    /// # Errors
    ///
    /// The value is no date-time of these forms, named by the property's
    /// path.
    #[inline]
    pub fn required_date_time(&mut self, slot: &mut Option<DateTime<Utc>>) -> Result<(), A::Error> {
        self.read(slot, UtcDateTime)
    }

    /// Reads the date-time of an optional property into `slot`, as
    /// [`required_date_time`](Self::required_date_time) does: `null` leaves it
    /// unset.
    ///
    /// # Errors
    ///
    /// As [`required_date_time`](Self::required_date_time), but for `null`.
    #[inline]
    pub fn optional_date_time(&mut self, slot: &mut Option<DateTime<Utc>>) -> Result<(), A::Error> {
        self.read_optional(slot, UtcDateTime)
    }

    /// Reads the array of date-times of a required property into `slot`,
    /// each as [`required_date_time`](Self::required_date_time) reads one.
    ///
    /// # Errors
    ///
    /// As [`required_list`](Self::required_list).
    #[inline]
    pub fn required_date_time_list(
        &mut self,
        slot: &mut Option<Vec<DateTime<Utc>>>,
    ) -> Result<(), A::Error> {
        self.read(slot, List(UtcDateTime))
    }

    /// Reads the array of date-times of an optional property into `slot`:
    /// `null` leaves it unset.
    ///
    /// # Errors
    ///
    /// As [`required_list`](Self::required_list), but for `null`.
    #[inline]
    pub fn optional_date_time_list(
        &mut self,
        slot: &mut Option<Vec<DateTime<Utc>>>,
    ) -> Result<(), A::Error> {
        self.read_optional(slot, List(UtcDateTime))
    }

    /// Reads the map of date-times of a required property into `slot`, each
    /// as [`required_date_time`](Self::required_date_time) reads one, `null`
    /// entries left out.
    ///
    /// # Errors
    ///
    /// As [`required_map`](Self::required_map).
    #[inline]
    pub fn required_date_time_map(
        &mut self,
        slot: &mut Option<BTreeMap<String, DateTime<Utc>>>,
    ) -> Result<(), A::Error> {
        self.read(slot, Entries(UtcDateTime))
    }

    /// Reads the map of date-times of an optional property into `slot`:
    /// `null` leaves it unset.
    ///
    /// # Errors
    ///
    /// As [`required_map`](Self::required_map), but for `null`.
    #[inline]
    pub fn optional_date_time_map(
        &mut self,
        slot: &mut Option<BTreeMap<String, DateTime<Utc>>>,
    ) -> Result<(), A::Error> {
        self.read_optional(slot, Entries(UtcDateTime))
    }

    /// The value as `seed` reads it, into `slot`.
    #[inline]
    fn read<S: DeserializeSeed<'de>>(
        &mut self,
        slot: &mut Option<S::Value>,
        seed: S,
    ) -> Result<(), A::Error> {
        match self.map.next_value_seed(seed) {
            Ok(value) => {
                *slot = Some(value);
                Ok(())
            }
            Err(error) => Err(at_property(self.key.unwrap_or(&self.copied), &error)),
        }
    }

    /// The value as `seed` reads it, or `None` for `null`, into `slot`.
    #[inline]
    fn read_optional<S: DeserializeSeed<'de>>(
        &mut self,
        slot: &mut Option<S::Value>,
        seed: S,
    ) -> Result<(), A::Error> {
        match self.map.next_value_seed(Nullable(seed)) {
            Ok(value) => {
                *slot = value;
                Ok(())
            }
            Err(error) => Err(at_property(self.key.unwrap_or(&self.copied), &error)),
        }
    }
}

/// Reads a property name: `Some` when borrowed from the input, else `None`
/// and copied into `copied`.
struct KeySeed<'a> {
    copied: &'a mut String,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Option<&'de str>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Option<&'de str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    #[inline]
    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Some(key))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        self.copied.clear();
        self.copied.push_str(key);
        Ok(None)
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Self::Value, E> {
        *self.copied = key;
        Ok(None)
    }
}

/// `null` as `None`, anything else as `S` reads it.
struct Nullable<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Nullable<S> {
    type Value = Option<S::Value>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for Nullable<S> {
    type Value = Option<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an optional value")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(deserializer).map(Some)
    }
}

/// An array read item by item as `S` reads one; an error names the item.
#[derive(Clone, Copy)]
struct List<S>(S);

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for List<S> {
    type Value = Vec<S::Value>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for List<S> {
    type Value = Vec<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<Q: SeqAccess<'de>>(self, mut seq: Q) -> Result<Self::Value, Q::Error> {
        // As serde's own `Vec` does: trust a size hint only so far.
        let room = 1024 * 1024 / std::mem::size_of::<S::Value>().max(1);
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(room));
        loop {
            match seq.next_element_seed(self.0) {
                Ok(Some(item)) => items.push(item),
                Ok(None) => return Ok(items),
                Err(error) => return Err(at_index(items.len(), &error)),
            }
        }
    }
}

/// A map read entry by entry as `S` reads a value; an error names the key.
/// Lenient where the service is: a `null` entry that `S` does not read is
/// left out.
#[derive(Clone, Copy)]
struct Entries<S>(S);

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for Entries<S> {
    type Value = BTreeMap<String, S::Value>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for Entries<S> {
    type Value = BTreeMap<String, S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut entries = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            match map.next_value_seed(Entry(self.0)) {
                Ok(Some(value)) => {
                    entries.insert(key, value);
                }
                Ok(None) => {}
                Err(error) => return Err(at_key(&key, &error)),
            }
        }
        Ok(entries)
    }
}

/// A map's value as `S` reads it; `None` for a `null` that `S` does not
/// read.
struct Entry<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Entry<S> {
    type Value = Option<S::Value>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for Entry<S> {
    type Value = Option<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map's value")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.0.deserialize(UnitDeserializer::<E>::new()).ok())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visit_none()
    }

    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(deserializer).map(Some)
    }
}

/// A date-time, read as chrono reads one and, where that fails, as UTC when
/// it has no offset or is a .NET JSON date (see
/// [`Object::required_date_time`]); the first error is kept when that does
/// not help either.
#[derive(Clone, Copy)]
struct UtcDateTime;

impl<'de> DeserializeSeed<'de> for UtcDateTime {
    type Value = DateTime<Utc>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for UtcDateTime {
    type Value = DateTime<Utc>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // As chrono's own `Deserialize` says it.
        f.write_str("an RFC 3339 formatted date and time string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        if let Some(at) = rfc3339_utc(text) {
            return Ok(at);
        }
        match text.parse::<DateTime<FixedOffset>>() {
            Ok(at) => Ok(at.with_timezone(&Utc)),
            Err(error) => lenient_utc(text).ok_or_else(|| E::custom(error)),
        }
    }
}

/// `text` as chrono reads it (`DateTime<FixedOffset>`'s `FromStr`) in UTC,
/// for the form services write (`2024-03-01T09:00:00Z`, 1 to 9 digits of a
/// second after a `.`, `Z` or `+HH:MM`) without chrono's general parser;
/// `None` for any other text, which goes to chrono.
fn rfc3339_utc(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let (head, rest) = b.split_at_checked(19)?;
    if [head[4], head[7], head[10], head[13], head[16]] != *b"--T::" {
        return None;
    }
    let year = number(&head[0..4])?;
    let (month, day) = (number(&head[5..7])?, number(&head[8..10])?);
    let (hour, minute) = (number(&head[11..13])?, number(&head[14..16])?);
    // A leap second (`:60`) is chrono's to read.
    let second = number(&head[17..19]).filter(|s| *s < 60)?;
    let (nano, zone) = match rest {
        [b'.', fraction @ ..] => {
            let digits = fraction.iter().take_while(|d| d.is_ascii_digit()).count();
            if !(1..=9).contains(&digits) {
                return None;
            }
            let scale = 10u32.pow(9 - digits as u32);
            (number(&fraction[..digits])? * scale, &fraction[digits..])
        }
        _ => (0, rest),
    };
    let offset = match zone {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (hours, minutes) = (number(&[*h1, *h2])?, number(&[*m1, *m2])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = i32::try_from((hours * 60 + minutes) * 60).ok()?;
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    let local = chrono::NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?
        .and_hms_nano_opt(hour, minute, second, nano)?;
    let utc = local.checked_sub_offset(FixedOffset::east_opt(offset)?)?;
    Some(utc.and_utc())
}

/// `text` as UTC when it is a date-time without an offset, or a .NET JSON
/// date.
#[cold]
fn lenient_utc(text: &str) -> Option<DateTime<Utc>> {
    if let Some(at) = dotnet_date(text) {
        return Some(at);
    }
    let (date, time) = text.split_once('T')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let date_ok = date.len() == 10 && date.split('-').filter(|p| digits(p)).count() == 3;
    let (clock, fraction) = time.split_once('.').unwrap_or((time, "0"));
    let time_ok = clock.len() == 8 && clock.split(':').filter(|p| digits(p)).count() == 3;
    if !(date_ok && time_ok && digits(fraction)) {
        return None;
    }
    let at: DateTime<FixedOffset> = format!("{text}Z").parse().ok()?;
    Some(at.with_timezone(&Utc))
}

/// `/Date(MILLISECONDS)/` (with an optional `+HHMM` or `-HHMM`, which only
/// says where it was written: the milliseconds count in UTC).
fn dotnet_date(text: &str) -> Option<DateTime<Utc>> {
    let inner = text.strip_prefix("/Date(")?.strip_suffix(")/")?;
    let digits_end = inner
        .char_indices()
        .skip(1)
        .find(|(_, c)| !c.is_ascii_digit())
        .map_or(inner.len(), |(i, _)| i);
    let (millis, zone) = inner.split_at(digits_end);
    let zone_ok = zone.is_empty()
        || (zone.len() == 5
            && zone.starts_with(['+', '-'])
            && zone[1..].bytes().all(|b| b.is_ascii_digit()));
    if !zone_ok {
        return None;
    }
    DateTime::from_timestamp_millis(millis.parse().ok()?)
}

/// The error of a required property that did not come.
#[cold]
fn missing<E: de::Error>(name: &str) -> E {
    E::custom(format_args!("at .{name}: missing property"))
}

/// `error`, from the value of property `name`, with the property before its
/// path.
#[cold]
#[inline(never)]
fn at_property<E: de::Error>(name: &str, error: &E) -> E {
    nested(&format!(".{name}"), error)
}

/// `error`, from item `index` of an array, with the index before its path.
#[cold]
#[inline(never)]
fn at_index<E: de::Error>(index: usize, error: &E) -> E {
    nested(&format!("[{index}]"), error)
}

/// `error`, from the value of key `key` of a map, with the key before its
/// path.
#[cold]
#[inline(never)]
fn at_key<E: de::Error>(key: &str, error: &E) -> E {
    nested(&format!("[{key:?}]"), error)
}

/// `error` (from the value at `step`) with `step` before any path it has
/// already. The position serde_json gives an error (`at line 1 column 9`) is
/// dropped from the inner message: the outer error gets it again.
fn nested<E: de::Error>(step: &str, error: &E) -> E {
    let message = error.to_string();
    let message = without_position(&message);
    match message.strip_prefix("at ") {
        Some(rest) if rest.starts_with(['.', '[']) => E::custom(format_args!("at {step}{rest}")),
        _ => E::custom(format_args!("at {step}: {message}")),
    }
}

/// `message` without the position serde_json ends it with.
fn without_position(message: &str) -> &str {
    let Some(at) = message.rfind(" at line ") else {
        return message;
    };
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match message[at + " at line ".len()..].split_once(" column ") {
        Some((line, column)) if number(line) && number(column) => &message[..at],
        _ => message,
    }
}

/// The wire value of a string enum whose listed values are `listed`, for its
/// `Deserialize` impl: one of `listed` (not copied), or a value the spec does
/// not list. Lenient where the service is: Azure DevOps reads enum values
/// without regard to letter case, and some of its answers (and many of
/// Microsoft's examples) spell a value otherwise than the description lists
/// it (`OneLevel` for `oneLevel`), so a value that is one listed value but
/// for ASCII case reads as that value. Some areas send an enum as its .NET
/// number (`"status": 1`); the description gives no numbers, so the number is
/// kept as its text, a value the spec does not list.
///
/// # Errors
///
/// The value is neither a string nor an integer.
pub fn enum_value<'de, D>(
    deserializer: D,
    listed: &'static [&'static str],
) -> Result<Cow<'static, str>, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_any(EnumText { listed })
}

/// Reads an enum's value: a string, or an integer as its decimal text.
struct EnumText {
    listed: &'static [&'static str],
}

impl EnumText {
    /// The listed value `value` is, exactly or but for ASCII case.
    fn listed_as(&self, value: &str) -> Option<&'static str> {
        if let Some(listed) = self.listed.iter().find(|l| **l == value) {
            return Some(listed);
        }
        let mut same_but_case = self.listed.iter().filter(|l| l.eq_ignore_ascii_case(value));
        match (same_but_case.next(), same_but_case.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }
}

impl Visitor<'_> for EnumText {
    type Value = Cow<'static, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(match self.listed_as(v) {
            Some(listed) => Cow::Borrowed(listed),
            None => Cow::Owned(v.to_owned()),
        })
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(match self.listed_as(&v) {
            Some(listed) => Cow::Borrowed(listed),
            None => Cow::Owned(v),
        })
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.visit_string(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.visit_string(v.to_string())
    }
}

/// A body Azure DevOps wraps as a collection, `{"count": n, "value": ...}`,
/// read as its `value` (an array or an object) into `T` as it streams.
pub(crate) fn read_wrapped<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: serde::Deserialize<'de>,
    D: Deserializer<'de>,
{
    deserializer.deserialize_map(Wrapper(PhantomData))
}

/// Reads a collection wrapper's properties: `count` a number, `value` an
/// array or object read as a `T`, nothing else.
struct Wrapper<T>(PhantomData<T>);

impl<'de, T: serde::Deserialize<'de>> Visitor<'de> for Wrapper<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a collection wrapper, {\"count\": n, \"value\": [..]}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let (mut counted, mut value, mut copied) = (false, None, String::new());
        while let Some(key) = map.next_key_seed(KeySeed {
            copied: &mut copied,
        })? {
            match key.unwrap_or(&copied) {
                "count" => {
                    map.next_value::<serde_json::Number>()?;
                    counted = true;
                }
                "value" => value = Some(map.next_value_seed(Container(PhantomData))?),
                _ => return Err(de::Error::custom("not a collection wrapper")),
            }
        }
        match value {
            Some(value) if counted => Ok(value),
            _ => Err(de::Error::custom("not a collection wrapper")),
        }
    }
}

/// An array or an object, read as a `T`; anything else is an error.
struct Container<T>(PhantomData<T>);

impl<'de, T: serde::Deserialize<'de>> DeserializeSeed<'de> for Container<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, T: serde::Deserialize<'de>> Visitor<'de> for Container<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array or an object")
    }

    fn visit_seq<Q: SeqAccess<'de>>(self, seq: Q) -> Result<T, Q::Error> {
        T::deserialize(SeqAccessDeserializer::new(seq))
    }

    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<T, M::Error> {
        T::deserialize(MapAccessDeserializer::new(map))
    }
}
