//! How parameter values are written in the URL and in headers: [`ParamValue`]
//! for the value types a spec may give a parameter (string, number, boolean,
//! uuid, date, date-time, string enum), [`Param`] for how a request builder
//! holds one (required, optional, an array).

/// A parameter value as text on the wire, before any percent-encoding.
pub(crate) trait ParamValue {
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
pub(crate) trait Param {
    /// [`ParamValue::URL_SAFE`] of the values.
    const URL_SAFE: bool;

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

#[cfg(test)]
mod tests {
    use crate::params::{Param, ParamValue};

    fn sent(param: &impl Param) -> Vec<String> {
        let mut out = Vec::new();
        param.each(&mut |v| out.push(v.to_owned()));
        out
    }

    #[test]
    fn values_are_written_as_the_service_expects() {
        assert_eq!(sent(&"5.0-preview.1"), ["5.0-preview.1"]);
        assert_eq!(sent(&String::from("a b")), ["a b"]);
        assert_eq!(sent(&true), ["true"]);
        assert_eq!(sent(&-3i32), ["-3"]);
        assert_eq!(sent(&1.5f64), ["1.5"]);
        assert_eq!(
            sent(&uuid::Uuid::from_u128(1)),
            ["00000000-0000-0000-0000-000000000001"]
        );
        let id = uuid::Uuid::from_u128(0xABCD_EF01_2345_6789_ABCD_EF01_2345_6789);
        assert_eq!(sent(&id), [id.to_string()]);
        let date = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(sent(&date), ["2024-02-29"]);
        let at = date.and_hms_opt(8, 9, 10).unwrap().and_utc();
        assert_eq!(sent(&at), ["2024-02-29T08:09:10Z"]);
        let at = at + chrono::Duration::milliseconds(250);
        assert_eq!(sent(&at), ["2024-02-29T08:09:10.250Z"]);
    }

    /// What `URL_SAFE` promises, for values at the edges of each type.
    #[test]
    fn url_safe_values_need_no_encoding() {
        fn check<P: Param>(p: &P) {
            assert!(P::URL_SAFE);
            for v in sent(p) {
                assert!(
                    v.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-._*".contains(&b)),
                    "{v}"
                );
            }
        }
        check(&vec![true, false]);
        check(&vec![i32::MIN, i32::MAX]);
        check(&vec![i64::MIN, i64::MAX]);
        check(&vec![
            f32::MIN,
            f32::MAX,
            f32::MIN_POSITIVE,
            f32::NAN,
            f32::NEG_INFINITY,
        ]);
        check(&vec![
            f64::MIN,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            -0.0,
        ]);
        check(&uuid::Uuid::max());
        // Text, dates and date-times may hold anything: `:` and `+` at least.
        const { assert!(!<String as ParamValue>::URL_SAFE) };
        const { assert!(!<chrono::NaiveDate as ParamValue>::URL_SAFE) };
        assert_eq!(sent(&chrono::NaiveDate::MAX), ["+262142-12-31"]);
        const { assert!(!<chrono::DateTime<chrono::Utc> as ParamValue>::URL_SAFE) };
    }

    #[test]
    fn optional_and_array_parameters() {
        assert!(sent(&None::<i32>).is_empty());
        assert_eq!(sent(&Some(7i64)), ["7"]);
        assert_eq!(sent(&vec![1i32, 2, 3]), ["1", "2", "3"]);
        assert!(sent(&Vec::<String>::new()).is_empty());
        assert!(sent(&None::<Vec<bool>>).is_empty());
        assert_eq!(sent(&Some(vec![false, true])), ["false", "true"]);
    }
}
