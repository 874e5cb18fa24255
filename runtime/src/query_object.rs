//! Query parameters whose value is an object or a list of objects
//! (`x-query-object: dotted`), sent as Azure DevOps's ASP.NET binds them: a
//! property as `name.property=value`, a list's item as `name[0]`, nested as
//! deep as the value goes (`name[0].property=value`). Null and absent
//! properties send nothing.

use crate::error::Error;
use crate::request::{Request, form_urlencode};

impl Request {
    /// Adds the pairs of `value` under `name`, the parameter's name as the
    /// spec writes it (encoded here with the rest of each key); nothing when
    /// it is `None`.
    pub fn query_object<T: serde::Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<&mut Request, Error> {
        let value = serde_json::to_value(value).map_err(|source| Error::Encode { source })?;
        let mut key = name.to_owned();
        pairs(&mut self.query, &mut key, &value);
        Ok(self)
    }
}

/// Appends `key=value` for every scalar in `value`, extending `key` with
/// `.property` and `[index]` on the way down (and cutting it back after).
fn pairs(query: &mut String, key: &mut String, value: &serde_json::Value) {
    use serde_json::Value;
    let text = match value {
        Value::Null => return,
        Value::String(s) => {
            push_pair(query, key, s);
            return;
        }
        Value::Object(properties) => {
            for (property, v) in properties {
                let len = key.len();
                key.push('.');
                key.push_str(property);
                pairs(query, key, v);
                key.truncate(len);
            }
            return;
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = key.len();
                key.push_str(&format!("[{i}]"));
                pairs(query, key, v);
                key.truncate(len);
            }
            return;
        }
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
    };
    push_pair(query, key, &text);
}

fn push_pair(query: &mut String, key: &str, value: &str) {
    if !query.is_empty() {
        query.push('&');
    }
    form_urlencode(query, key);
    query.push('=');
    form_urlencode(query, value);
}
