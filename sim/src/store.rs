//! The simulator's in-memory data: the fleet, issues, error events and transactions, generated
//! deterministically from a seed, plus whatever real SDKs send to the ingest endpoints.
//!
//! History events are compact records; their full JSON is rendered on request from the issue
//! kind's template and the event's own seed (see `render.rs`). Ingested events keep their payload.
//!
//! Over 400 lines because it holds every stored type with its indexes (time-sorted events and transactions, names, releases) and the insert paths that keep them sorted.

use crate::rng::{hash2, hash_str};

use serde_json::Value;

use std::collections::HashMap;

/// How many days of history the fleet has.
pub const HISTORY_DAYS: f64 = 14.0;

/// Environments, by index.
pub const ENVS: [&str; 2] = ["production", "staging"];

/// Simulated users.
pub const USERS: u32 = 6000;

/// Multiplies every kind's rate (tunes the fleet's overall volume).
pub(crate) const RATE_SCALE: f64 = 2.0;

/// What a server runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Api,
    Worker,
}

/// One server of the fleet.
#[derive(Clone, Debug)]
pub struct Server {
    pub name: String,
    pub cloud: &'static str,
    pub region: &'static str,
    pub env: u8,
    pub role: Role,
    /// Latency multiplier (some servers are slower).
    pub slowness: f64,
}

/// A project (one service / SDK).
#[derive(Clone, Debug)]
pub struct Project {
    pub id: u64,
    pub slug: String,
    pub name: String,
    pub platform: String,
    pub public_key: String,
    pub secret_key: String,
    pub next_short: u32,
}

/// A release and its production deploy.
#[derive(Clone, Debug)]
pub struct Release {
    pub project: usize,
    pub version: String,
    pub created: f64,
    pub deployed: f64,
}

/// An issue: events grouped by fingerprint, exception type and top in-app frame, or message.
#[derive(Clone, Debug)]
pub struct Issue {
    pub id: u64,
    pub project: usize,
    pub short_id: String,
    pub title: String,
    pub culprit: String,
    pub level: String,
    pub exc_type: String,
    pub value: String,
    pub status: String,
    pub substatus: String,
    pub kind: Option<usize>,
    pub group_key: String,
    pub is_unhandled: bool,
    pub annotations: Vec<(String, String)>,
    pub assigned: Option<(String, String)>,
    pub filename: String,
    pub function: String,
    pub priority: String,
    /// Event indices, ascending by time.
    pub events: Vec<u32>,
}

/// An ingested event's payload and what search needs from it.
#[derive(Clone, Debug)]
pub struct RawEvent {
    pub json: Value,
    pub tags: Vec<(String, String)>,
    pub level: String,
    pub transaction: String,
    pub message: String,
}

/// An error event.
#[derive(Clone, Debug)]
pub struct Event {
    pub id: u128,
    pub issue: u32,
    pub project: u8,
    pub ts: f64,
    pub server: Option<u16>,
    pub env: u8,
    pub release: Option<u16>,
    pub user: u32,
    pub trace: u128,
    pub span: u64,
    pub seed: u64,
    pub raw: Option<Box<RawEvent>>,
}

/// A transaction (one service's part of a trace).
#[derive(Clone, Debug)]
pub struct Txn {
    pub event_id: u128,
    pub trace: u128,
    pub span: u64,
    pub parent_span: Option<u64>,
    pub project: u8,
    pub server: Option<u16>,
    pub start: f64,
    pub dur_ms: f32,
    pub name: u16,
    pub op: &'static str,
    pub ok: bool,
    pub env: u8,
    pub release: Option<u16>,
    pub user: u32,
    pub seed: u64,
    /// Spans to generate beyond the usual handful (the big demo trace).
    pub extra_spans: u32,
    pub raw: Option<Box<Value>>,
}

/// Servers in the demo fleet unless asked for more.
pub const DEFAULT_SERVERS: usize = 30;

/// Everything the simulator serves.
#[derive(Default)]
pub struct Store {
    pub seed: u64,
    pub created_at: f64,
    pub servers: Vec<Server>,
    pub projects: Vec<Project>,
    pub releases: Vec<Release>,
    pub issues: Vec<Issue>,
    pub events: Vec<Event>,
    pub txns: Vec<Txn>,
    pub names: Vec<String>,
    /// Event indices ascending by time.
    pub events_by_time: Vec<u32>,
    /// Transaction indices ascending by start time.
    pub txns_by_time: Vec<u32>,
    pub event_index: HashMap<u128, u32>,
    pub txn_index: HashMap<u128, u32>,
    pub trace_txns: HashMap<u128, Vec<u32>>,
    pub trace_errors: HashMap<u128, Vec<u32>>,
    pub group_index: HashMap<String, u32>,
    pub(crate) name_index: HashMap<String, u16>,
    /// The trace with 10,000 spans (for the large-trace view and benchmark).
    pub big_trace: u128,
}

impl Store {
    /// The index of a project's release, created (first seen at `at`) when unknown; `None` once
    /// 10,000 releases exist (a bound on what events can make the simulator keep).
    pub fn release_index_or_add(&mut self, project: usize, version: &str, at: f64) -> Option<u16> {
        if let Some(i) = self.releases.iter().position(|r| r.version == version) {
            return Some(i as u16);
        }
        if self.releases.len() >= 10_000 {
            return None;
        }
        self.releases.push(Release {
            project,
            version: version.to_owned(),
            created: at,
            deployed: at,
        });
        Some((self.releases.len() - 1) as u16)
    }

    /// Creates an issue (not yet added) with the next id and short id of its project.
    #[allow(clippy::too_many_arguments)]
    pub fn new_issue(
        &mut self,
        project: usize,
        title: String,
        culprit: String,
        level: &str,
        exc_type: &str,
        value: &str,
        group_key: String,
    ) -> Issue {
        let p = &mut self.projects[project];
        let short_id = format!("{}-{}", p.slug.to_uppercase(), base36(p.next_short));
        p.next_short += 1;
        Issue {
            id: 4_001 + self.issues.len() as u64,
            project,
            short_id,
            title,
            culprit,
            level: level.into(),
            exc_type: exc_type.into(),
            value: value.into(),
            status: "unresolved".into(),
            substatus: "new".into(),
            kind: None,
            group_key,
            is_unhandled: false,
            annotations: Vec::new(),
            assigned: None,
            filename: String::new(),
            function: String::new(),
            priority: "medium".into(),
            events: Vec::new(),
        }
    }

    /// Appends a transaction, deriving its event id from its seed when not set.
    pub fn push_txn(&mut self, mut t: Txn) -> u32 {
        if t.event_id == 0 {
            t.event_id = (u128::from(hash2(t.seed, 11)) << 64) | u128::from(hash2(t.seed, 12));
        }
        self.txns.push(t);
        (self.txns.len() - 1) as u32
    }

    /// Rebuilds every index (after generation).
    pub fn reindex(&mut self) {
        for issue in &mut self.issues {
            let events = &self.events;
            issue
                .events
                .sort_by(|a, b| events[*a as usize].ts.total_cmp(&events[*b as usize].ts));
        }
        let mut by_time: Vec<u32> = (0..self.events.len() as u32).collect();
        by_time.sort_by(|a, b| {
            self.events[*a as usize]
                .ts
                .total_cmp(&self.events[*b as usize].ts)
        });
        self.events_by_time = by_time;
        let mut tb: Vec<u32> = (0..self.txns.len() as u32).collect();
        tb.sort_by(|a, b| {
            self.txns[*a as usize]
                .start
                .total_cmp(&self.txns[*b as usize].start)
        });
        self.txns_by_time = tb;
        self.event_index = self
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id, i as u32))
            .collect();
        self.txn_index = self
            .txns
            .iter()
            .enumerate()
            .map(|(i, t)| (t.event_id, i as u32))
            .collect();
        self.trace_txns.clear();
        for (i, t) in self.txns.iter().enumerate() {
            self.trace_txns.entry(t.trace).or_default().push(i as u32);
        }
        self.trace_errors.clear();
        for (i, e) in self.events.iter().enumerate() {
            if e.trace != 0 {
                self.trace_errors.entry(e.trace).or_default().push(i as u32);
            }
        }
        self.group_index = self
            .issues
            .iter()
            .enumerate()
            .map(|(i, is)| (format!("{}|{}", is.project, is.group_key), i as u32))
            .collect();
    }

    /// Adds one event that arrived after start-up, keeping every index current.
    pub fn insert_event(&mut self, e: Event) -> u32 {
        let idx = self.events.len() as u32;
        let ts = e.ts;
        self.event_index.insert(e.id, idx);
        if e.trace != 0 {
            self.trace_errors.entry(e.trace).or_default().push(idx);
        }
        let issue = &mut self.issues[e.issue as usize];
        let events = &self.events;
        let pos = issue
            .events
            .partition_point(|&i| events[i as usize].ts <= ts);
        issue.events.insert(pos, idx);
        let pos = self
            .events_by_time
            .partition_point(|&i| events[i as usize].ts <= ts);
        self.events_by_time.insert(pos, idx);
        self.events.push(e);
        idx
    }

    /// Adds one transaction that arrived after start-up, keeping every index current.
    pub fn insert_txn(&mut self, t: Txn) -> u32 {
        let start = t.start;
        let idx = self.push_txn(t);
        let txn = &self.txns[idx as usize];
        self.txn_index.insert(txn.event_id, idx);
        self.trace_txns.entry(txn.trace).or_default().push(idx);
        let txns = &self.txns;
        let pos = self
            .txns_by_time
            .partition_point(|&i| txns[i as usize].start <= start);
        self.txns_by_time.insert(pos, idx);
        idx
    }

    /// Interns a transaction name.
    pub fn intern(&mut self, name: &str) -> u16 {
        if let Some(&i) = self.name_index.get(name) {
            return i;
        }
        if self.names.len() >= u16::MAX as usize {
            return 0;
        }
        let i = self.names.len() as u16;
        self.names.push(name.to_owned());
        self.name_index.insert(name.to_owned(), i);
        i
    }

    /// A project's index by slug.
    pub fn project_index(&self, slug: &str) -> Option<usize> {
        self.projects.iter().position(|p| p.slug == slug)
    }

    /// A project's index by numeric id.
    pub fn project_by_id(&self, id: u64) -> Option<usize> {
        self.projects.iter().position(|p| p.id == id)
    }

    /// A server's index by name, adding it when new (SDK events may name any server).
    pub fn server_index_or_add(&mut self, name: &str, tags: &[(String, String)]) -> u16 {
        if let Some(i) = self.servers.iter().position(|s| s.name == name) {
            return i as u16;
        }
        let tag = |k: &str| {
            tags.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        let cloud: &'static str = match tag("cloud") {
            Some("aws") => "aws",
            Some("gcp") => "gcp",
            _ => "",
        };
        let region: &'static str = match tag("region") {
            Some("ap-northeast-2") => "ap-northeast-2",
            Some("asia-northeast3") => "asia-northeast3",
            _ => "",
        };
        self.servers.push(Server {
            name: name.to_owned(),
            cloud,
            region,
            env: 0,
            role: Role::Api,
            slowness: 1.0,
        });
        (self.servers.len() - 1) as u16
    }

    /// The release of a project in effect at `t` (the last one deployed before it).
    pub fn release_index_at(&self, project: usize, t: f64) -> Option<u16> {
        self.releases
            .iter()
            .enumerate()
            .filter(|(_, r)| r.project == project && r.deployed <= t)
            .max_by(|a, b| a.1.deployed.total_cmp(&b.1.deployed))
            .map(|(i, _)| i as u16)
    }

    pub fn latest_release(&self, project: usize, now: f64) -> Option<&Release> {
        self.release_index_at(project, now)
            .map(|i| &self.releases[i as usize])
    }

    /// The index range of `events_by_time` within `[start, end)`.
    pub fn event_range(&self, start: f64, end: f64) -> std::ops::Range<usize> {
        let ev = &self.events;
        let lo = self
            .events_by_time
            .partition_point(|&i| ev[i as usize].ts < start);
        let hi = self
            .events_by_time
            .partition_point(|&i| ev[i as usize].ts < end);
        lo..hi.max(lo)
    }

    /// The index range of `txns_by_time` within `[start, end)`.
    pub fn txn_range(&self, start: f64, end: f64) -> std::ops::Range<usize> {
        let tx = &self.txns;
        let lo = self
            .txns_by_time
            .partition_point(|&i| tx[i as usize].start < start);
        let hi = self
            .txns_by_time
            .partition_point(|&i| tx[i as usize].start < end);
        lo..hi.max(lo)
    }
}

/// Sentry's title: `Type: value` (or just the type when there is no value).
pub fn issue_title(exc_type: &str, value: &str) -> String {
    let first_line = value.lines().next().unwrap_or("");
    let t = if first_line.is_empty() {
        exc_type.to_owned()
    } else if exc_type.is_empty() {
        first_line.to_owned()
    } else {
        format!("{exc_type}: {first_line}")
    };
    truncate(&t, 200)
}

/// The culprit of a frame, by platform: Python `module in function`, others the function.
pub fn culprit_of(platform: &str, module: &str, func: &str, file: &str) -> String {
    match platform {
        "python" if !module.is_empty() => format!("{module} in {func}"),
        "javascript" => format!("{func}({file})"),
        _ => func.to_owned(),
    }
}

/// At most `max` characters, with an ellipsis when cut.
pub fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

/// Base-36 upper case (Sentry short ids: `API-1A`).
pub fn base36(mut n: u32) -> String {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

/// Seed-derived hash of a label, for derived values that must not shift when others are added.
pub fn label_hash(seed: u64, label: &str) -> u64 {
    hash2(seed, hash_str(label))
}
