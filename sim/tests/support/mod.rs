//! What the contract tests share: starting a simulator, asking it, and comparing shapes.

#![allow(dead_code)]

pub mod schema;
pub mod shape;

use lookout_sim::{Flavor, Sim, SimOptions};
use serde_json::Value;
use std::path::PathBuf;

/// The repository's `testdata/`, found at run time (a test binary in a shared target dir may come
/// from another clone).
pub fn testdata() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("../testdata")
}

/// A JSON file under `testdata/`.
pub fn testdata_json(rel: &str) -> Value {
    let p = testdata().join(rel);
    serde_json::from_str(
        &std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A simulator of a flavor, without live traffic.
pub fn start(flavor: Flavor) -> Sim {
    Sim::start(SimOptions {
        port: 0,
        flavor,
        live_interval_ms: 0,
        ..Default::default()
    })
    .expect("start simulator")
}

/// A web API GET (`path` after `/api/0/`) with the demo token; a non-2xx answer fails the test.
pub fn get(sim: &Sim, path: &str) -> Value {
    let r = reqwest::blocking::Client::new()
        .get(format!("{}/api/0/{}", sim.url, path))
        .bearer_auth("lookout-demo")
        .send()
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.json().unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The id of the first issue of a list answer that `ok` accepts (fleets have browser issues
/// without servers or traces: a test picks one that has what it looks at).
pub fn first_issue(list: &Value, ok: impl FnMut(&String) -> bool) -> Option<String> {
    list.as_array()?
        .iter()
        .filter_map(|i| i["id"].as_str().map(str::to_owned))
        .find(ok)
}

/// The JSON kind of a value, for messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
