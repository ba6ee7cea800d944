//! Sentry search syntax (`is:`, `level:`, `has:`, `!key:value`, `key:[a,b]`, `firstSeen:-24h`,
//! comparisons, wildcards, free text) and time windows, as the simulator understands them.
//!
//! Over 400 lines because it is Sentry's search syntax in one place (tokens, terms, comparisons, and the fields of issues, events and transactions they match).
use crate::render::event_tags;
use crate::time::parse_period;
use crate::time::parse_time;

use crate::store::{Event, Issue, Store, Txn, ENVS};

/// A comparison in a filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Gt,
    Ge,
    Lt,
    Le,
}

/// One `key:value` filter.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub negated: bool,
    pub key: String,
    pub cmp: Cmp,
    pub values: Vec<String>,
}

/// A parsed search.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Search {
    pub terms: Vec<Term>,
    pub text: Vec<String>,
}

/// Keys that describe the issue rather than one event.
const ISSUE_KEYS: [&str; 12] = [
    "is",
    "status",
    "firstSeen",
    "first_seen",
    "lastSeen",
    "last_seen",
    "times_seen",
    "assigned",
    "issue.priority",
    "issue.category",
    "age",
    "bookmarks",
];

impl Search {
    /// Parses a query. Unbalanced quotes or brackets are an error, as on Sentry.
    pub fn parse(q: &str) -> Result<Search, String> {
        let mut out = Search::default();
        for tok in tokens(q)? {
            let (negated, body) = match tok.strip_prefix('!') {
                Some(rest) => (true, rest.to_owned()),
                None => (false, tok.clone()),
            };
            let split = body.find(':').filter(|&i| {
                i > 0
                    && body[..i]
                        .chars()
                        .all(|c| c.is_alphanumeric() || "._-[]()".contains(c))
            });
            let Some(i) = split else {
                out.text.push(unquote(&tok));
                continue;
            };
            let key = body[..i].to_owned();
            let mut raw = &body[i + 1..];
            let cmp = if let Some(r) = raw.strip_prefix(">=") {
                raw = r;
                Cmp::Ge
            } else if let Some(r) = raw.strip_prefix("<=") {
                raw = r;
                Cmp::Le
            } else if let Some(r) = raw.strip_prefix('>') {
                raw = r;
                Cmp::Gt
            } else if let Some(r) = raw.strip_prefix('<') {
                raw = r;
                Cmp::Lt
            } else {
                Cmp::Eq
            };
            let values = match raw.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                Some(list) => split_list(list).into_iter().map(|v| unquote(&v)).collect(),
                None => vec![unquote(raw)],
            };
            if key == "has" {
                out.terms.push(Term {
                    negated,
                    key: "has".into(),
                    cmp,
                    values,
                });
            } else {
                out.terms.push(Term {
                    negated,
                    key,
                    cmp,
                    values,
                });
            }
        }
        Ok(out)
    }

    /// Terms about the issue.
    pub fn issue_terms(&self) -> impl Iterator<Item = &Term> {
        self.terms.iter().filter(|t| {
            ISSUE_KEYS.contains(&t.key.as_str())
                || t.key == "level"
                || t.key == "issue"
                || t.key == "issue.id"
        })
    }

    /// Terms about events.
    pub fn event_terms(&self) -> impl Iterator<Item = &Term> {
        self.terms.iter().filter(|t| {
            !(ISSUE_KEYS.contains(&t.key.as_str())
                || t.key == "level"
                || t.key == "issue"
                || t.key == "issue.id")
        })
    }
}

fn tokens(q: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut quote, mut depth, mut esc) = (false, 0i32, false);
    for c in q.chars() {
        if esc {
            cur.push(c);
            esc = false;
            continue;
        }
        match c {
            '\\' if quote => {
                cur.push(c);
                esc = true;
            }
            '"' => {
                quote = !quote;
                cur.push(c);
            }
            '[' if !quote => {
                depth += 1;
                cur.push(c);
            }
            ']' if !quote => {
                depth -= 1;
                cur.push(c);
            }
            c if c.is_whitespace() && !quote && depth == 0 => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if quote {
        return Err("Parse error: unterminated quoted string".into());
    }
    if depth != 0 {
        return Err("Parse error: unbalanced brackets in list".into());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

fn split_list(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote = false;
    for c in s.chars() {
        match c {
            '"' => {
                quote = !quote;
                cur.push(c);
            }
            ',' if !quote => out.push(std::mem::take(&mut cur).trim().to_owned()),
            c => cur.push(c),
        }
    }
    out.push(cur.trim().to_owned());
    out.into_iter().filter(|v| !v.is_empty()).collect()
}

fn unquote(v: &str) -> String {
    match v.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
        Some(inner) => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => v.to_owned(),
    }
}

/// Shell-style `*` wildcard match, case-insensitive.
pub fn wildcard(pattern: &str, text: &str) -> bool {
    if !pattern.contains('*') {
        return pattern.eq_ignore_ascii_case(text);
    }
    let p = pattern.to_lowercase();
    let t = text.to_lowercase();
    let parts: Vec<&str> = p.split('*').collect();
    let mut pos = 0;
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            continue;
        }
        match t[pos..].find(part) {
            Some(found) if i > 0 || found == 0 => pos += found + part.len(),
            _ => return false,
        }
    }
    parts.last().is_none_or(|l| l.is_empty() || t.ends_with(l))
}

/// Parses a duration value such as `500ms`, `1.5s`, `2m` into milliseconds.
pub fn parse_duration_ms(v: &str) -> Option<f64> {
    let v = v.trim();
    for (suffix, mult) in [
        ("ms", 1.0),
        ("s", 1000.0),
        ("m", 60_000.0),
        ("h", 3_600_000.0),
    ] {
        if let Some(n) = v.strip_suffix(suffix) {
            return n.parse::<f64>().ok().map(|n| n * mult);
        }
    }
    v.parse().ok()
}

/// Does a time satisfy a term like `firstSeen:-24h`, `lastSeen:+7d`, `firstSeen:>2026-11-01`?
fn time_matches(t: f64, term: &Term, now: f64) -> bool {
    term.values.iter().any(|v| {
        if let Some(rel) = v.strip_prefix('-') {
            // Within the last period.
            return parse_period(rel).is_some_and(|p| t >= now - p);
        }
        if let Some(rel) = v.strip_prefix('+') {
            return parse_period(rel).is_some_and(|p| t < now - p);
        }
        let Some(at) = parse_time(v) else {
            return false;
        };
        match term.cmp {
            Cmp::Gt => t > at,
            Cmp::Ge | Cmp::Eq => t >= at,
            Cmp::Lt => t < at,
            Cmp::Le => t <= at,
        }
    })
}

fn num_matches(n: f64, term: &Term, parse: impl Fn(&str) -> Option<f64>) -> bool {
    term.values.iter().any(|v| {
        let Some(x) = parse(v) else { return false };
        match term.cmp {
            Cmp::Eq => (n - x).abs() < 1e-9,
            Cmp::Gt => n > x,
            Cmp::Ge => n >= x,
            Cmp::Lt => n < x,
            Cmp::Le => n <= x,
        }
    })
}

fn value_matches(value: Option<&str>, term: &Term) -> bool {
    match value {
        Some(v) => term.values.iter().any(|p| wildcard(p, v)),
        None => term.values.iter().any(|p| p.is_empty()),
    }
}

/// Whether an issue passes an issue-level term.
pub fn issue_term(store: &Store, issue: &Issue, term: &Term, now: f64) -> bool {
    let first = issue.events.first().map(|&i| store.events[i as usize].ts);
    let last = issue.events.last().map(|&i| store.events[i as usize].ts);
    let ok = match term.key.as_str() {
        "is" | "status" => term.values.iter().any(|v| match v.as_str() {
            "unresolved" => issue.status == "unresolved",
            "resolved" => issue.status == "resolved",
            "ignored" | "archived" => issue.status == "ignored",
            "for_review" => {
                issue.status == "unresolved"
                    && matches!(issue.substatus.as_str(), "new" | "regressed" | "escalating")
            }
            "new" | "regressed" | "escalating" | "ongoing" => issue.substatus == *v,
            "assigned" => issue.assigned.is_some(),
            "unassigned" => issue.assigned.is_none(),
            "linked" => !issue.annotations.is_empty(),
            "unlinked" => issue.annotations.is_empty(),
            "bookmarked" => false,
            _ => false,
        }),
        "level" => value_matches(Some(&issue.level), term),
        "issue" => value_matches(Some(&issue.short_id), term),
        "issue.id" => value_matches(Some(&issue.id.to_string()), term),
        "firstSeen" | "first_seen" | "age" => first.is_some_and(|t| time_matches(t, term, now)),
        "lastSeen" | "last_seen" => last.is_some_and(|t| time_matches(t, term, now)),
        "times_seen" => num_matches(issue.events.len() as f64, term, |v| v.parse().ok()),
        "assigned" => match &issue.assigned {
            Some((name, email)) => term
                .values
                .iter()
                .any(|v| v == "me" || wildcard(v, name) || wildcard(v, email)),
            None => false,
        },
        "issue.priority" => value_matches(Some(&issue.priority), term),
        "issue.category" => value_matches(Some("error"), term),
        _ => true,
    };
    ok != term.negated
}

/// Whether an issue matches the free text (title, culprit, short id).
pub fn issue_text(issue: &Issue, text: &[String]) -> bool {
    text.iter().all(|t| {
        let t = t.to_lowercase();
        let t = t.trim_matches('*');
        issue.title.to_lowercase().contains(t)
            || issue.culprit.to_lowercase().contains(t)
            || issue.short_id.to_lowercase() == t
    })
}

/// A field of an error event (tags and built-in fields).
pub fn event_field(store: &Store, e: &Event, key: &str) -> Option<String> {
    let issue = &store.issues[e.issue as usize];
    let tag_key = key
        .strip_prefix("tags[")
        .and_then(|k| k.strip_suffix(']'))
        .unwrap_or(key);
    let direct = match tag_key {
        "server_name" => {
            return e
                .server
                .map(|s| store.servers[s as usize].name.clone())
                .or_else(|| raw_tag(e, "server_name"))
        }
        "environment" => return Some(crate::render::event_env(e)),
        "release" => {
            return e
                .release
                .map(|r| store.releases[r as usize].version.clone())
                .or_else(|| raw_tag(e, "release"))
        }
        "project" | "project.name" => Some(store.projects[e.project as usize].slug.clone()),
        "project.id" => Some(store.projects[e.project as usize].id.to_string()),
        "issue" => Some(issue.short_id.clone()),
        "issue.id" => Some(issue.id.to_string()),
        "event.type" => Some(if issue.exc_type.is_empty() {
            "default".into()
        } else {
            "error".into()
        }),
        "id" => Some(crate::rng::hex128(e.id)),
        "trace" => Some(crate::rng::hex128(e.trace)),
        "title" => Some(issue.title.clone()),
        "message" => Some(
            e.raw
                .as_ref()
                .map_or_else(|| issue.title.clone(), |r| r.message.clone()),
        ),
        "user" | "user.id" => Some(e.user.to_string()),
        "user.email" => Some(format!("user{}@shop.example", e.user)),
        "user.display" => Some(format!("user{}@shop.example", e.user)),
        "timestamp" => Some(crate::time::iso(e.ts)),
        "error.type" => Some(issue.exc_type.clone()),
        "error.unhandled" => Some(issue.is_unhandled.to_string()),
        "culprit" => Some(issue.culprit.clone()),
        "level" => Some(
            e.raw
                .as_ref()
                .map_or_else(|| issue.level.clone(), |r| r.level.clone()),
        ),
        "platform" => Some(store.projects[e.project as usize].platform.clone()),
        _ => None,
    };
    if direct.is_some() {
        return direct;
    }
    event_tags(store, e)
        .into_iter()
        .find(|(k, _)| k == tag_key)
        .map(|(_, v)| v)
}

fn raw_tag(e: &Event, key: &str) -> Option<String> {
    e.raw
        .as_ref()?
        .tags
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
}

/// Whether an error event passes every term and the free text.
pub fn event_matches(store: &Store, e: &Event, search: &Search, now: f64) -> bool {
    let issue = &store.issues[e.issue as usize];
    for term in &search.terms {
        let ok = if ISSUE_KEYS.contains(&term.key.as_str()) {
            // Applies to the event's issue.
            issue_term(store, issue, term, now) != term.negated
        } else if term.key == "has" {
            term.values
                .iter()
                .all(|k| event_field(store, e, k).is_some_and(|v| !v.is_empty()))
        } else if term.key == "timestamp" {
            time_matches(e.ts, term, now)
        } else {
            value_matches(event_field(store, e, &term.key).as_deref(), term)
        };
        if ok == term.negated {
            return false;
        }
    }
    search.text.iter().all(|t| {
        let t = t.to_lowercase();
        let t = t.trim_matches('*');
        issue.title.to_lowercase().contains(t)
            || issue.culprit.to_lowercase().contains(t)
            || e.raw
                .as_ref()
                .is_some_and(|r| r.message.to_lowercase().contains(t))
    })
}

/// A field of a transaction.
pub fn txn_field(store: &Store, t: &Txn, key: &str) -> Option<String> {
    let key = key
        .strip_prefix("tags[")
        .and_then(|k| k.strip_suffix(']'))
        .unwrap_or(key);
    match key {
        "server_name" => t.server.map(|s| store.servers[s as usize].name.clone()),
        "cloud" => t
            .server
            .map(|s| store.servers[s as usize].cloud.to_owned())
            .filter(|c| !c.is_empty()),
        "region" => t
            .server
            .map(|s| store.servers[s as usize].region.to_owned())
            .filter(|c| !c.is_empty()),
        "environment" => Some(ENVS[t.env as usize].to_owned()),
        "release" => t
            .release
            .map(|r| store.releases[r as usize].version.clone()),
        "transaction" | "title" => Some(store.names[t.name as usize].clone()),
        "transaction.op" | "span.op" => Some(t.op.to_owned()),
        "transaction.status" | "span.status" => {
            Some(if t.ok { "ok" } else { "internal_error" }.to_owned())
        }
        "project" | "project.name" => Some(store.projects[t.project as usize].slug.clone()),
        "project.id" => Some(store.projects[t.project as usize].id.to_string()),
        "event.type" => Some("transaction".into()),
        "id" => Some(crate::rng::hex128(t.event_id)),
        "trace" => Some(crate::rng::hex128(t.trace)),
        "user" | "user.id" => Some(t.user.to_string()),
        "user.display" => Some(format!("user{}@shop.example", t.user)),
        "transaction.duration" | "span.duration" => Some(f64::from(t.dur_ms).to_string()),
        "timestamp" => Some(crate::time::iso(t.start + f64::from(t.dur_ms) / 1000.0)),
        "is_transaction" => Some("true".into()),
        _ => None,
    }
}

/// Whether a transaction passes every term and the free text.
pub fn txn_matches(store: &Store, t: &Txn, search: &Search, now: f64) -> bool {
    for term in &search.terms {
        let ok = match term.key.as_str() {
            "has" => term.values.iter().all(|k| txn_field(store, t, k).is_some()),
            "transaction.duration" | "span.duration" => {
                num_matches(f64::from(t.dur_ms), term, parse_duration_ms)
            }
            "timestamp" => time_matches(t.start, term, now),
            "is_transaction" => true,
            key => value_matches(txn_field(store, t, key).as_deref(), term),
        };
        if ok == term.negated {
            return false;
        }
    }
    search.text.iter().all(|x| {
        store.names[t.name as usize]
            .to_lowercase()
            .contains(&x.to_lowercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sentry_syntax() {
        let s = Search::parse(r#"is:unresolved !level:info server_name:[aws-1,"gcp 2"] has:user firstSeen:-24h times_seen:>10 boom"#).unwrap();
        assert_eq!(s.terms.len(), 6);
        assert_eq!(s.terms[2].values, vec!["aws-1", "gcp 2"]);
        assert!(s.terms[1].negated);
        assert_eq!(s.terms[5].cmp, Cmp::Gt);
        assert_eq!(s.text, vec!["boom"]);
        assert!(Search::parse(r#"message:"open"#).is_err());
        assert!(Search::parse("server_name:[a,b").is_err());
    }

    #[test]
    fn wildcards_and_periods() {
        assert!(wildcard("aws-*", "aws-apne2-api-1"));
        assert!(wildcard("*-api-1", "aws-apne2-api-1"));
        assert!(!wildcard("*-api-1", "aws-apne2-api-10"));
        assert!(wildcard("AWS-APNE2-API-1", "aws-apne2-api-1"));
        assert_eq!(parse_period("24h"), Some(86_400.0));
        assert_eq!(parse_period("172800s"), Some(172_800.0));
        assert_eq!(parse_period("3600"), Some(3600.0));
        assert_eq!(parse_period("1y"), None);
        assert_eq!(parse_duration_ms("1.5s"), Some(1500.0));
    }
}
