//! `runtime/src/params.rs`: parameter values as wire text.

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
