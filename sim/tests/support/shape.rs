//! The deep shape compare: a server's answer (`want`: an official example or a recorded answer)
//! against the simulator's (`got`), every key at every depth and every array element.
//!
//! - Keys: a key of `want` missing from `got` is reported, unless the published schema documents
//!   it as optional; a key of `got` that `want` lacks is reported unless the schema documents it.
//! - Arrays: every element of `got` is compared with the closest of `want`'s first elements, or
//!   in a typed list (event entries) with the element of `want` of the same `type`; a type `want`
//!   has no example of is reported. Arrays whose example elements are of mixed kinds are tuples (`[line, text]`,
//!   `[time, [{count}]]`) and are compared position by position. An empty `children` array takes
//!   the node that holds it as its template (a trace's children are nodes of the same shape).
//! - Null: `got` may be null only where `want` is null, the schema says `nullable`, or the rules
//!   name the place with the server code that sends null there. Where `want` is null and `got` is
//!   not, `got`'s kind is the schema's to judge (checked separately) when `lenient_nulls` is set.
//! - Maps whose keys are the SDK's or the event's own are compared by the keys both sides have.

use super::kind;
use super::schema;
use serde_json::Value;
use std::collections::BTreeSet;

/// How strict a comparison is. Places are path suffixes without indices: `.values.data` matches
/// `$.entries[1].data.values[0].data`.
pub struct Rules<'a> {
    /// Whose answer `want` is, for messages ("Sentry", "GlitchTip").
    pub server: &'a str,
    /// Maps whose keys are the event's or SDK's own (`vars`, breadcrumb `data`): the keys both
    /// sides have are compared by kind only; missing and extra keys are not reported.
    pub free_form: &'a [&'a str],
    /// Maps whose set of keys is the SDK's choice (`contexts`): missing and extra keys are not
    /// reported, the keys both sides have are compared deeply.
    pub partial: &'a [&'a str],
    /// Maps that must hold `want`'s keys but may hold more of the SDK's (`contexts.trace`).
    pub open: &'a [&'a str],
    /// Lists whose elements are of several kinds told apart by `type` (event entries): each
    /// element is compared with `want`'s element of its type.
    pub typed_lists: &'a [&'a str],
    /// Places the server's code sends null where the example does not show it (each with its
    /// source in a comment where the rules are made).
    pub nullable: &'a [&'a str],
    /// Optional keys the server's code documents where the sample does not show them (path
    /// suffixes of the key itself, e.g. `.frames.colNo`; each with its source where the rules are
    /// made): they may be there or not.
    pub documented: &'a [&'a str],
    /// Where `want` is a null sample, any kind of `got` may stand (the schema types it).
    pub lenient_nulls: bool,
}

/// `path` without array indices: `$.entries[1].data` → `$.entries.data`.
fn generic(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn matches(list: &[&str], path: &str) -> bool {
    let g = generic(path);
    list.iter().any(|p| g.ends_with(p))
}

/// Every difference of shape between `want` and `got`, as `<path>: <what>` lines.
pub fn diff(
    want: &Value,
    got: &Value,
    schema: Option<&Value>,
    rules: &Rules,
    path: &str,
) -> Vec<String> {
    let mut w = Walk {
        rules,
        out: Vec::new(),
    };
    w.walk(want, got, schema, None, path, "");
    w.out
}

/// The element of `want` an element of `got` is to be compared with: in a typed list, the one of
/// the same `type` (an error when `want` has none); elsewhere the first.
fn template<'a>(want: &'a [Value], g: &Value, typed: bool) -> Result<Option<&'a Value>, String> {
    if typed {
        if let Some(t) = g.get("type").and_then(Value::as_str) {
            return want
                .iter()
                .find(|w| w.get("type").and_then(Value::as_str) == Some(t))
                .map(Some)
                .ok_or_else(|| format!("no example of type {t:?}"));
        }
    }
    Ok(want.first())
}

/// Whether the schema of an object says `key` is always there.
fn required(s: &Value, key: &str) -> bool {
    let own = s
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|k| k == key));
    own || ["anyOf", "oneOf", "allOf"].iter().any(|k| {
        s.get(*k)
            .and_then(Value::as_array)
            .is_some_and(|bs| bs.iter().any(|b| required(b, key)))
    })
}

struct Walk<'r> {
    rules: &'r Rules<'r>,
    out: Vec<String>,
}

type Holder<'a> = Option<(&'a Value, Option<&'a Value>)>;

impl Walk<'_> {
    fn walk(
        &mut self,
        want: &Value,
        got: &Value,
        schema: Option<&Value>,
        holder: Holder,
        path: &str,
        key: &str,
    ) {
        let rules = self.rules;
        match (want, got) {
            (Value::Object(w), Value::Object(g)) => {
                let wk: BTreeSet<&String> = w.keys().collect();
                let gk: BTreeSet<&String> = g.keys().collect();
                let free = matches(rules.free_form, path);
                let partial = free || matches(rules.partial, path);
                let open = partial || matches(rules.open, path);
                if !partial {
                    for k in wk.difference(&gk) {
                        // The schema may document a key the example shows as optional.
                        let optional = schema
                            .is_some_and(|s| schema::property(s, k).is_some() && !required(s, k))
                            || matches(rules.documented, &format!("{path}.{k}"));
                        if !optional {
                            self.out.push(format!("{path}.{k}: missing"));
                        }
                    }
                }
                if !open {
                    for k in gk.difference(&wk) {
                        let documented = schema
                            .is_some_and(|s| schema::property(s, k).is_some() || schema::open(s))
                            || matches(rules.documented, &format!("{path}.{k}"));
                        if !documented {
                            self.out
                                .push(format!("{path}.{k}: {} has no such key", rules.server));
                        }
                    }
                }
                for k in wk.intersection(&gk) {
                    let p = format!("{path}.{k}");
                    let (wv, gv) = (&w[*k], &g[*k]);
                    if free {
                        if kind(wv) != kind(gv) && !wv.is_null() && !gv.is_null() {
                            self.out
                                .push(format!("{p}: {} instead of {}", kind(gv), kind(wv)));
                        }
                    } else {
                        let sub = schema.and_then(|s| schema::property(s, k));
                        self.walk(wv, gv, sub, Some((want, schema)), &p, k);
                    }
                }
            }
            (Value::Array(w), Value::Array(g)) => {
                let item_schema = schema.and_then(schema::items);
                if w.is_empty() {
                    // A trace node's children are nodes like the one that holds them.
                    if let (true, Some((h, hs))) = (key == "children", holder) {
                        for (i, gv) in g.iter().enumerate() {
                            self.walk(h, gv, hs, holder, &format!("{path}[{i}]"), key);
                        }
                    }
                    return;
                }
                let tuple = w.iter().any(|x| kind(x) != kind(&w[0]));
                if tuple {
                    if w.len() != g.len() {
                        self.out.push(format!(
                            "{path}: {} elements where {} sends {}",
                            g.len(),
                            rules.server,
                            w.len()
                        ));
                    }
                    for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                        self.walk(wv, gv, None, holder, &format!("{path}[{i}]"), key);
                    }
                    return;
                }
                let typed = matches(rules.typed_lists, path);
                for (i, gv) in g.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    match template(w, gv, typed) {
                        Ok(Some(t)) if typed => self.walk(t, gv, item_schema, holder, &p, key),
                        Ok(Some(_)) => {
                            // The example's elements differ among themselves (a null here, a
                            // value there): the closest of its first few is the template.
                            let best = w
                                .iter()
                                .take(8)
                                .map(|t| {
                                    let mut sub = Walk {
                                        rules,
                                        out: Vec::new(),
                                    };
                                    sub.walk(t, gv, item_schema, holder, &p, key);
                                    sub.out
                                })
                                .min_by_key(Vec::len)
                                .unwrap_or_default();
                            self.out.extend(best);
                        }
                        Ok(None) => {}
                        Err(e) => self
                            .out
                            .push(format!("{p}: {e} in {}'s example", rules.server)),
                    }
                }
            }
            (Value::Null, Value::Null) => {}
            (w, Value::Null) => {
                if !schema.is_some_and(schema::nullable) && !matches(rules.nullable, path) {
                    self.out.push(format!(
                        "{path}: null where {} sends {} (and the schema does not allow null)",
                        rules.server,
                        kind(w)
                    ));
                }
            }
            (Value::Null, g) => {
                if !rules.lenient_nulls {
                    self.out
                        .push(format!("{path}: {} instead of null", kind(g)));
                }
            }
            (w, g) if kind(w) == kind(g) => {}
            (w, g) => self
                .out
                .push(format!("{path}: {} instead of {}", kind(g), kind(w))),
        }
    }
}
