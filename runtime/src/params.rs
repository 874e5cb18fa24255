//! How parameter values are written in the URL and in headers: [`ParamValue`]
//! for the value types a spec may give a parameter (string, number, boolean,
//! uuid, date, date-time, string enum), [`Param`] for how a request builder
//! holds one (required, optional, an array).

/// A parameter value as text on the wire, before any percent-encoding.
pub trait ParamValue {
    /// Whether the wire text of every value is only letters, digits and
    /// `-._*`, which a URL query keeps as they are: no need to look for
    /// bytes to encode.
    const URL_SAFE: bool = false;

    /// Hands the wire text to `f`; values that are text already (strings,
    /// enums) or fit on the stack (uuids) cost no allocation.
    fn with_param(&self, f: &mut dyn FnMut(&str));
}

impl ParamValue for String {
    fn with_param(&self, f: &mut dyn FnMut(&str)) {
        f(self);
    }
}

/// Constants, such as `api-version`.
impl ParamValue for &'static str {
    fn with_param(&self, f: &mut dyn FnMut(&str)) {
        f(self);
    }
}

/// Types whose `Display` text is their wire text.
macro_rules! display_params {
    ($url_safe:literal: $($ty:ty),*) => {
        $(
            impl ParamValue for $ty {
                const URL_SAFE: bool = $url_safe;

                fn with_param(&self, f: &mut dyn FnMut(&str)) {
                    f(&self.to_string());
                }
            }
        )*
    };
}

// Only letters, digits and `-.`: `true`, `-3`, `1.5e-7`, `NaN`, `-inf`.
display_params!(true: bool, i32, i64, f32, f64);
// A year past 9999 is written with a `+`.
display_params!(false: chrono::NaiveDate);

/// Lower-case and hyphenated.
impl ParamValue for uuid::Uuid {
    const URL_SAFE: bool = true;

    fn with_param(&self, f: &mut dyn FnMut(&str)) {
        f(self
            .hyphenated()
            .encode_lower(&mut uuid::Uuid::encode_buffer()));
    }
}

/// RFC 3339 in UTC with a `Z`, and only as many fractional digits as needed.
impl ParamValue for chrono::DateTime<chrono::Utc> {
    fn with_param(&self, f: &mut dyn FnMut(&str)) {
        f(&self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
    }
}

/// A request builder's field for a parameter: the values it sends, in order.
pub trait Param {
    /// [`ParamValue::URL_SAFE`] of the values.
    const URL_SAFE: bool;

    /// Hands the wire text of each value to `f`, in order; none when unset.
    fn each(&self, f: &mut dyn FnMut(&str));
}

impl<T: ParamValue> Param for T {
    const URL_SAFE: bool = T::URL_SAFE;

    fn each(&self, f: &mut dyn FnMut(&str)) {
        self.with_param(f);
    }
}

/// An optional parameter that was not set sends nothing.
impl<T: ParamValue> Param for Option<T> {
    const URL_SAFE: bool = T::URL_SAFE;

    fn each(&self, f: &mut dyn FnMut(&str)) {
        if let Some(value) = self {
            value.with_param(f);
        }
    }
}

/// Arrays are sent the OpenAPI default way (style form, explode): the name
/// repeated once per item.
impl<T: ParamValue> Param for Vec<T> {
    const URL_SAFE: bool = T::URL_SAFE;

    fn each(&self, f: &mut dyn FnMut(&str)) {
        for value in self {
            value.with_param(f);
        }
    }
}

impl<T: ParamValue> Param for Option<Vec<T>> {
    const URL_SAFE: bool = T::URL_SAFE;

    fn each(&self, f: &mut dyn FnMut(&str)) {
        if let Some(values) = self {
            values.each(f);
        }
    }
}
