//! Sentry's published response schemas (`testdata/sentry-openapi/responses.json`, vendored from
//! getsentry/sentry-api-schema by `cargo xtask openapi`) as JSON-schema validators.
//!
//! OpenAPI 3.0 is not quite JSON Schema: `nullable: true` there means "or null". It is mapped to
//! `anyOf: [{type: null}, <the schema without nullable>]`, which is exactly that; the other OpenAPI
//! words (`example`, `discriminator`, `readOnly`) are annotations a validator ignores.

use super::testdata_json;
use serde_json::{json, Map, Value};

/// Every vendored endpoint: `path template → {schema, examples}`.
pub fn endpoints() -> Map<String, Value> {
    testdata_json("sentry-openapi/responses.json")["endpoints"]
        .as_object()
        .expect("responses.json has endpoints")
        .clone()
}

/// The OpenAPI schema of one endpoint's 200 answer, as published.
pub fn openapi(path: &str) -> Value {
    endpoints()
        .get(path)
        .unwrap_or_else(|| panic!("{path} is not vendored in testdata/sentry-openapi/"))["schema"]
        .clone()
}

/// The schema's own examples of one endpoint.
pub fn examples(path: &str) -> Vec<Value> {
    endpoints()[path]["examples"]
        .as_object()
        .map(|m| m.values().cloned().collect())
        .unwrap_or_default()
}

/// OpenAPI 3.0 → JSON Schema: `nullable: true` becomes "or null", at every depth.
pub fn to_json_schema(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, x) in m {
                if k == "nullable" {
                    continue;
                }
                // Keys under `properties` are names, not keywords: map their values only.
                out.insert(k.clone(), to_json_schema(x));
            }
            if m.get("nullable") == Some(&Value::Bool(true)) {
                json!({"anyOf": [{"type": "null"}, Value::Object(out)]})
            } else {
                Value::Object(out)
            }
        }
        Value::Array(a) => Value::Array(a.iter().map(to_json_schema).collect()),
        other => other.clone(),
    }
}

/// A validator for one endpoint's answer (formats such as `date-time` are checked too).
pub fn validator(path: &str) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&to_json_schema(&openapi(path)))
        .unwrap_or_else(|e| panic!("{path}: the schema does not build: {e}"))
}

/// Every way `answer` breaks the endpoint's schema, one line each (`<where>: <what>`), at most 50.
pub fn violations(path: &str, answer: &Value) -> Vec<String> {
    let v = validator(path);
    v.iter_errors(answer)
        .take(50)
        .map(|e| {
            let at = e.instance_path().to_string();
            let mut msg = e.to_string();
            if msg.len() > 300 {
                msg.truncate(300);
                msg.push('…');
            }
            format!("{}: {msg}", if at.is_empty() { "/" } else { &at })
        })
        .collect()
}

/// The schemas a node's sub-schemas may come from: itself and its `anyOf` / `oneOf` / `allOf` branches.
fn branches(s: &Value) -> Vec<&Value> {
    let mut out = vec![s];
    for k in ["anyOf", "oneOf", "allOf"] {
        if let Some(a) = s.get(k).and_then(Value::as_array) {
            for b in a {
                out.extend(branches(b));
            }
        }
    }
    out
}

/// The schema of property `key` of an object schema, if it documents one.
pub fn property<'a>(s: &'a Value, key: &str) -> Option<&'a Value> {
    branches(s)
        .into_iter()
        .find_map(|b| b.get("properties").and_then(|p| p.get(key)))
}

/// Whether an object schema allows keys it does not name (a free-form map).
pub fn open(s: &Value) -> bool {
    branches(s)
        .into_iter()
        .any(|b| match b.get("additionalProperties") {
            Some(Value::Bool(true)) | Some(Value::Object(_)) => true,
            Some(_) => false,
            // JSON Schema's default is open, but the published schemas name their keys: a schema
            // without any `properties` is a free-form map.
            None => b.get("type") == Some(&json!("object")) && b.get("properties").is_none(),
        })
}

/// The schema of an array's items, if documented.
pub fn items(s: &Value) -> Option<&Value> {
    branches(s).into_iter().find_map(|b| b.get("items"))
}

/// Whether the schema allows `null` here.
pub fn nullable(s: &Value) -> bool {
    branches(s).into_iter().any(|b| {
        b.get("nullable") == Some(&Value::Bool(true))
            || b.get("type") == Some(&json!("null"))
            || b.get("type")
                .and_then(Value::as_array)
                .is_some_and(|t| t.contains(&json!("null")))
    })
}
