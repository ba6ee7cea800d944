//! Tags of an issue: keys with their top values, one key, all of a key's values.

use crate::api::filters::env_filter;
use crate::api::filters::issue_events_in;
use crate::api::paging::{paginate, per_page};
use crate::api::reply::not_found;
use crate::app::App;
use crate::http::Req;
use crate::http::Resp;
use crate::render::event_tags;
use crate::store::Store;
use crate::time::iso_s;
use crate::time::now;
use serde_json::{json, Value};
use std::collections::HashMap;

/// key → value → (count, first, last), over the given events; keys in a stable order.
/// Per tag value: (count, first seen, last seen).
pub type ValueCounts = HashMap<String, (u64, f64, f64)>;

pub fn tag_counts(s: &Store, events: &[u32]) -> Vec<(String, ValueCounts)> {
    let mut keys: Vec<String> = Vec::new();
    let mut map: HashMap<String, HashMap<String, (u64, f64, f64)>> = HashMap::new();
    for &i in events {
        let e = &s.events[i as usize];
        for (k, v) in event_tags(s, e) {
            let entry = map.entry(k.clone()).or_insert_with(|| {
                keys.push(k.clone());
                HashMap::new()
            });
            let c = entry.entry(v).or_insert((0, e.ts, e.ts));
            c.0 += 1;
            c.1 = c.1.min(e.ts);
            c.2 = c.2.max(e.ts);
        }
    }
    keys.sort();
    keys.into_iter()
        .map(|k| {
            let v = map.remove(&k).unwrap_or_default();
            (k, v)
        })
        .collect()
}

pub fn tag_name(key: &str) -> String {
    match key {
        "server_name" => "Server".into(),
        "os.name" => "OS".into(),
        "url" => "URL".into(),
        "browser.name" => "Browser Name".into(),
        "runtime.name" => "Runtime Name".into(),
        k => {
            let mut c = k.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
    }
}

pub fn sorted_values(vals: &HashMap<String, (u64, f64, f64)>) -> Vec<(&String, &(u64, f64, f64))> {
    let mut v: Vec<_> = vals.iter().collect();
    v.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    v
}

pub fn value_json(key: &str, value: &str, c: &(u64, f64, f64)) -> Value {
    json!({"key": key, "name": value, "value": value, "count": c.0, "lastSeen": iso_s(c.2), "firstSeen": iso_s(c.1)})
}

pub fn key_json(key: &str, vals: &HashMap<String, (u64, f64, f64)>, top: usize) -> Value {
    let sorted = sorted_values(vals);
    json!({
        "key": key, "name": tag_name(key), "uniqueValues": vals.len(),
        "totalValues": vals.values().map(|v| v.0).sum::<u64>(),
        "topValues": sorted.iter().take(top).map(|(v, c)| value_json(key, v, c)).collect::<Vec<_>>(),
    })
}

pub fn issue_tags(s: &Store, req: &Req, issue: usize, gt: bool) -> Resp {
    let envs = env_filter(req);
    let events = issue_events_in(s, issue, &envs, now());
    let wanted: Vec<&str> = req.params("key");
    let out: Vec<Value> = tag_counts(s, &events)
        .iter()
        .filter(|(k, _)| wanted.is_empty() || wanted.contains(&k.as_str()))
        .map(|(k, vals)| key_json(k, vals, if gt { 100 } else { 9 }))
        .collect();
    Resp::json(200, &json!(out))
}

pub fn issue_tag(s: &Store, req: &Req, issue: usize, key: &str) -> Resp {
    let envs = env_filter(req);
    let events = issue_events_in(s, issue, &envs, now());
    match tag_counts(s, &events).into_iter().find(|(k, _)| k == key) {
        Some((k, vals)) => Resp::json(200, &key_json(&k, &vals, 9)),
        None => not_found(),
    }
}

pub fn issue_tag_values(app: &App, s: &Store, req: &Req, issue: usize, key: &str) -> Resp {
    let envs = env_filter(req);
    let events = issue_events_in(s, issue, &envs, now());
    let Some((k, vals)) = tag_counts(s, &events).into_iter().find(|(k, _)| k == key) else {
        return not_found();
    };
    let sorted = sorted_values(&vals);
    let page = paginate(req, &sorted, per_page(req, 100));
    let list: Vec<Value> = page
        .items
        .iter()
        .map(|(v, c)| value_json(&k, v, c))
        .collect();
    page.answer(app, req, &json!(list))
}
