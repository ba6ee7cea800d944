//! The demo fleet: servers over two clouds, projects, releases with deploys, issues of every
//! kind, fourteen days of errors and transactions (with their traces), shaped by time of day.
//! Generation only; the storage it fills is `store`.
//!
//! Over 400 lines because it is one generator: every part of the demo fleet depends on the parts before it (servers → releases → issues → history → traces).

use crate::kinds::{Kind, Shape, Where, KINDS};
use crate::rng::{hash2, Rng};
use crate::store::*;

/// Endpoints of the API service: (transaction name, median ms).
const API_ENDPOINTS: [(&str, f64); 9] = [
    ("GET /v1/catalog", 120.0),
    ("GET /v1/cart", 70.0),
    ("POST /v1/orders", 240.0),
    ("POST /v1/checkout", 420.0),
    ("GET /v1/me", 35.0),
    ("GET /v1/search", 650.0),
    ("GET /v1/orders/{id}", 90.0),
    ("POST /v1/media", 380.0),
    ("POST /v1/shipping/quote", 300.0),
];

const WORKER_JOBS: [(&str, f64); 5] = [
    ("job.invoice", 800.0),
    ("job.capture", 450.0),
    ("job.ledger", 300.0),
    ("job.export", 2500.0),
    ("job.reconcile", 1200.0),
];

const WEB_PAGES: [&str; 5] = ["/", "/catalog", "/cart", "/checkout", "/orders"];

impl Store {
    /// Generates the demo fleet and its history ending at `now` (epoch seconds).
    pub fn generate(seed: u64, now: f64) -> Store {
        Store::generate_fleet(seed, now, DEFAULT_SERVERS)
    }

    /// A fleet of `servers` servers (at least the default 30): the extra ones are more API
    /// servers, half on each cloud, with the same kinds of errors and traffic.
    pub fn generate_fleet(seed: u64, now: f64, servers: usize) -> Store {
        let mut s = Store {
            seed,
            created_at: now,
            ..Store::default()
        };
        s.build_fleet();
        s.grow_fleet(servers);
        s.build_releases(now);
        s.build_issues();
        s.build_error_history(now);
        s.build_sampled_transactions(now);
        let mut rng = Rng::new(seed);
        s.build_big_trace(&mut rng, now);
        s.reindex();
        s
    }

    fn grow_fleet(&mut self, servers: usize) {
        let mut i = 13;
        while self.servers.len() < servers {
            for (cloud, region, prefix, slowness) in [
                ("aws", "ap-northeast-2", "aws-apne2", 1.0),
                ("gcp", "asia-northeast3", "gcp-ane3", 1.1),
            ] {
                if self.servers.len() < servers {
                    self.servers.push(Server {
                        name: format!("{prefix}-api-{i}"),
                        cloud,
                        region,
                        env: 0,
                        role: Role::Api,
                        slowness,
                    });
                }
            }
            i += 1;
        }
    }

    fn build_fleet(&mut self) {
        for i in 1..=12 {
            self.servers.push(Server {
                name: format!("aws-apne2-api-{i}"),
                cloud: "aws",
                region: "ap-northeast-2",
                env: 0,
                role: Role::Api,
                slowness: if i == 5 { 1.6 } else { 1.0 },
            });
        }
        for i in 1..=12 {
            self.servers.push(Server {
                name: format!("gcp-ane3-api-{i}"),
                cloud: "gcp",
                region: "asia-northeast3",
                env: 0,
                role: Role::Api,
                slowness: if i == 9 { 1.4 } else { 1.1 },
            });
        }
        for (cloud, region, prefix) in [
            ("aws", "ap-northeast-2", "aws-apne2"),
            ("gcp", "asia-northeast3", "gcp-ane3"),
        ] {
            for i in 1..=2 {
                self.servers.push(Server {
                    name: format!("{prefix}-worker-{i}"),
                    cloud,
                    region,
                    env: 0,
                    role: Role::Worker,
                    slowness: 1.0,
                });
            }
        }
        for (cloud, region, prefix) in [
            ("aws", "ap-northeast-2", "aws-apne2"),
            ("gcp", "asia-northeast3", "gcp-ane3"),
        ] {
            self.servers.push(Server {
                name: format!("{prefix}-stg-api-1"),
                cloud,
                region,
                env: 1,
                role: Role::Api,
                slowness: 1.2,
            });
        }
        for (id, slug, name, platform) in [
            (2u64, "api", "API", "python"),
            (3, "worker", "Worker", "rust"),
            (4, "web", "Web", "javascript"),
        ] {
            let key = hash2(self.seed, id);
            self.projects.push(Project {
                id,
                slug: slug.into(),
                name: name.into(),
                platform: platform.into(),
                public_key: format!("{:016x}{:016x}", key, hash2(key, 1)),
                secret_key: format!("{:016x}{:016x}", hash2(key, 2), hash2(key, 3)),
                next_short: 1,
            });
        }
    }

    fn build_releases(&mut self, now: f64) {
        // Deploy times count from the hour the simulator started in (as the error history's
        // ages do), so same-seed simulators of one hour agree on them.
        let now = (now / 3600.0).floor() * 3600.0;
        // (project, first version minor, every n days, latest deploy days ago)
        for (project, base, every, latest) in [
            (0usize, 40u32, 2.0, 1.9),
            (1, 12, 7.0, 1.4),
            (2, 88, 3.0, 1.7),
        ] {
            let slug = self.projects[project].slug.clone();
            let count = (HISTORY_DAYS / every).ceil() as u32 + 1;
            for i in 0..count {
                let days_ago = latest + every * f64::from(count - 1 - i);
                let deployed = now - days_ago * 86_400.0;
                self.releases.push(Release {
                    project,
                    version: format!("{slug}@1.{}.0", base + i),
                    created: deployed - 3600.0,
                    deployed,
                });
            }
        }
    }

    fn build_issues(&mut self) {
        for (k, kind) in KINDS.iter().enumerate() {
            let project = self.project_index(kind.project).expect("kind project");
            let top = kind.frames.iter().rev().find(|f| f.in_app);
            let (title, culprit) = if kind.message_only {
                (kind.value.to_owned(), kind.transaction.to_owned())
            } else {
                (
                    issue_title(kind.exc_type, kind.value),
                    top.map_or_else(
                        || kind.transaction.to_owned(),
                        |f| culprit_of(&self.projects[project].platform, f.module, f.func, f.file),
                    ),
                )
            };
            let group_key = match kind.fingerprint {
                Some(fp) => format!("fp:{fp}"),
                None if kind.message_only => format!("msg:{}", kind.value),
                None => format!("exc:{}:{}", kind.exc_type, top.map_or("", |f| f.func)),
            };
            let mut issue = self.new_issue(
                project,
                title,
                culprit,
                kind.level,
                kind.exc_type,
                kind.value,
                group_key,
            );
            issue.kind = Some(k);
            issue.status = kind.status.into();
            issue.substatus = match kind.status {
                "resolved" => "",
                "ignored" => "archived_forever",
                _ if kind.shape == Shape::SinceLatestRelease => "new",
                _ if matches!(kind.shape, Shape::Incident { .. }) => "escalating",
                _ => "ongoing",
            }
            .into();
            issue.is_unhandled = !kind.handled;
            if let Some(f) = top {
                issue.filename = f.file.into();
                issue.function = f.func.into();
            }
            issue.priority = match kind.level {
                "fatal" => "high",
                "warning" => "low",
                _ if matches!(kind.shape, Shape::Incident { .. }) => "high",
                _ => "medium",
            }
            .into();
            if kind.key == "py-pool-exhausted" {
                issue.annotations.push((
                    "OPS-1423".into(),
                    "https://acme.atlassian.net/browse/OPS-1423".into(),
                ));
                issue.assigned = Some(("Min-jun Kim".into(), "minjun@acme.example".into()));
            }
            if kind.key == "rs-ledger-mismatch" {
                issue.annotations.push((
                    "PAY-88".into(),
                    "https://acme.atlassian.net/browse/PAY-88".into(),
                ));
            }
            self.issues.push(issue);
        }
    }

    fn build_error_history(&mut self, now: f64) {
        // Each 10-minute slot draws from its own generator, seeded by the absolute slot: the same
        // seed gives the same events at the same times, whenever the simulator starts.
        let slot = 600.0;
        let from = now - HISTORY_DAYS * 86_400.0;
        let (first, last) = ((from / slot).floor() as i64, (now / slot).floor() as i64);
        // Ages ("first seen 5 days ago", "stopped 2 days ago") count from the hour the simulator
        // started in: two simulators of one seed started within the same hour agree on every
        // event, not only on those away from such a boundary.
        let anchor = (now / 3600.0).floor() * 3600.0;
        for (k, kind) in KINDS.iter().enumerate() {
            let places = self.places(kind.place);
            let project = self.project_index(kind.project).unwrap();
            let latest_release = self
                .latest_release(project, anchor)
                .map_or(anchor, |r| r.deployed);
            for (pos, &server) in places.iter().enumerate() {
                let place_key = hash2(
                    self.seed,
                    hash2(k as u64, u64::from(server.unwrap_or(u16::MAX))),
                );
                // An incident starts on one server and spreads to the others over minutes: the
                // first of its places at its start, the next 40 s later, then a minute apart.
                let onset = match kind.shape {
                    Shape::Incident { minutes, burst } => {
                        let pos = match kind.place {
                            Where::Only(names) => server
                                .and_then(|s| {
                                    names
                                        .iter()
                                        .position(|n| *n == self.servers[s as usize].name)
                                })
                                .unwrap_or(pos),
                            _ => pos,
                        };
                        let lag = match pos {
                            0 => 0.0,
                            1 => 40.0,
                            p => 60.0 * (p + 1) as f64,
                        }
                        .min(minutes as f64 * 30.0);
                        Some((now - minutes as f64 * 60.0 + lag, burst))
                    }
                    _ => None,
                };
                for si in first..=last {
                    let t0 = si as f64 * slot;
                    let mid = t0 + slot / 2.0;
                    if let Some((onset, burst)) = onset {
                        if t0 + slot > onset {
                            // The slot the incident starts in and those after: drawn at the
                            // burst's rate, the part before the onset thinned to the usual rate.
                            let (base, hi) = (kind.rate, burst.max(kind.rate));
                            let mut rng = Rng::new(hash2(place_key, si as u64));
                            let n = rng.poisson(hi * diurnal(mid) * RATE_SCALE * slot / 3600.0);
                            for _ in 0..n {
                                let ts = t0 + rng.f64() * slot;
                                let keep = ts >= onset || rng.f64() < base / hi;
                                if keep && ts >= from && ts < now - 1.0 {
                                    self.add_generated_error(&mut rng, k, project, server, ts);
                                }
                            }
                            continue;
                        }
                    }
                    let per_hour = if onset.is_some() {
                        // Before its onset on this server, an incident's issue is at its usual
                        // rate (from when it was first seen).
                        if anchor - mid > kind.first_seen_days * 86_400.0 {
                            0.0
                        } else {
                            kind.rate * diurnal(mid)
                        }
                    } else {
                        kind_rate(kind, anchor - mid, now - mid, mid, latest_release) * diurnal(mid)
                    };
                    if per_hour <= 0.0 {
                        continue;
                    }
                    let mut rng = Rng::new(hash2(place_key, si as u64));
                    let n = rng.poisson(per_hour * RATE_SCALE * slot / 3600.0);
                    for _ in 0..n {
                        let ts = t0 + rng.f64() * slot;
                        if ts >= from && ts < now - 1.0 {
                            self.add_generated_error(&mut rng, k, project, server, ts);
                        }
                    }
                }
            }
        }
    }

    /// Server slots for a placement (`None` = a browser, no server).
    fn places(&self, place: Where) -> Vec<Option<u16>> {
        let pick = |f: &dyn Fn(&Server) -> bool| -> Vec<Option<u16>> {
            self.servers
                .iter()
                .enumerate()
                .filter(|(_, s)| f(s))
                .map(|(i, _)| Some(i as u16))
                .collect()
        };
        match place {
            Where::AllApi => pick(&|s| s.role == Role::Api && s.env == 0),
            Where::AwsApi => pick(&|s| s.role == Role::Api && s.env == 0 && s.cloud == "aws"),
            Where::GcpApi => pick(&|s| s.role == Role::Api && s.env == 0 && s.cloud == "gcp"),
            Where::Workers => pick(&|s| s.role == Role::Worker),
            Where::Staging => pick(&|s| s.env == 1),
            Where::Only(names) => pick(&|s| names.contains(&s.name.as_str())),
            Where::Browser => vec![None],
        }
    }

    fn add_generated_error(
        &mut self,
        rng: &mut Rng,
        kind: usize,
        project: usize,
        server: Option<u16>,
        ts: f64,
    ) {
        let k = &KINDS[kind];
        let env = server.map_or(0, |s| self.servers[s as usize].env);
        let user = zipf_user(rng);
        // The failing request: a transaction in a trace that crosses services.
        let (trace, txn_idx) = match k.project {
            "web" => {
                let api = self.random_server(rng, Role::Api);
                self.add_trace(rng, ts - 0.4, api, true, false, user, true)
            }
            "worker" => {
                let api = self.random_server(rng, Role::Api);
                let with_web = rng.chance(0.5);
                let (trace, _) = self.add_trace(rng, ts - 1.0, api, with_web, false, user, false);
                let t = self.add_worker_txn(
                    rng,
                    trace,
                    None,
                    server,
                    ts - 0.3,
                    k.transaction,
                    false,
                    user,
                );
                (trace, t)
            }
            _ => {
                let name = self.intern(k.transaction);
                let with_web = rng.chance(0.6);
                self.add_api_trace_named(rng, ts - 0.2, server, with_web, name, false, user)
            }
        };
        let seed = rng.next_u64();
        let txn = &self.txns[txn_idx as usize];
        let span = crate::render::error_span_of(txn);
        let release = self.release_index_at(project, ts);
        let idx = self.events.len() as u32;
        self.events.push(Event {
            id: (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64()),
            issue: kind as u32,
            project: project as u8,
            ts,
            server,
            env,
            release,
            user,
            trace,
            span,
            seed,
            raw: None,
        });
        self.issues[kind].events.push(idx);
    }

    fn random_server(&self, rng: &mut Rng, role: Role) -> Option<u16> {
        let candidates: Vec<u16> = self
            .servers
            .iter()
            .enumerate()
            .filter(|(_, s)| s.role == role && s.env == 0)
            .map(|(i, _)| i as u16)
            .collect();
        Some(*rng.pick(&candidates))
    }

    /// Adds a trace rooted in the API (optionally under a web page load, optionally with a worker
    /// job); returns the trace id and the API (or web) transaction index.
    #[allow(clippy::too_many_arguments)]
    fn add_trace(
        &mut self,
        rng: &mut Rng,
        t: f64,
        api_server: Option<u16>,
        with_web: bool,
        with_worker: bool,
        user: u32,
        web_is_target: bool,
    ) -> (u128, u32) {
        let (name, median) = *rng.pick(&API_ENDPOINTS);
        let name = self.intern(name);
        let _ = median;
        let (trace, api) = self.add_api_trace_named(
            rng,
            t,
            api_server,
            with_web || web_is_target,
            name,
            true,
            user,
        );
        if with_worker {
            let job = rng.pick(&WORKER_JOBS).0;
            let parent = crate::render::child_link_span(&self.txns[api as usize]);
            let w = self.random_server(rng, Role::Worker);
            let start = crate::render::child_start(&self.txns[api as usize]);
            self.add_worker_txn(rng, trace, Some(parent), w, start, job, true, user);
        }
        if web_is_target {
            // The web transaction is the parent of the API one.
            let web = self
                .trace_txns_tmp(trace)
                .into_iter()
                .find(|&i| self.txns[i as usize].project == 2);
            return (trace, web.unwrap_or(api));
        }
        (trace, api)
    }

    fn trace_txns_tmp(&self, trace: u128) -> Vec<u32> {
        // Before `reindex`, scan the recent tail (a trace's transactions are added together).
        let from = self.txns.len().saturating_sub(4);
        (from..self.txns.len())
            .filter(|&i| self.txns[i].trace == trace)
            .map(|i| i as u32)
            .collect()
    }

    /// The latency regression that arrived with the API's latest release: its search got 1.8×
    /// slower on the first four GCP servers (a query plan that needs an index they lack), and
    /// only there — the release's other servers and endpoints answer as before.
    fn release_slowdown(&self, server: Option<u16>, name: u16, t: f64) -> f64 {
        let Some(server) = server else { return 1.0 };
        let regressed = [
            "gcp-ane3-api-1",
            "gcp-ane3-api-2",
            "gcp-ane3-api-3",
            "gcp-ane3-api-4",
        ];
        if self.names[name as usize] != "GET /v1/search"
            || !regressed.contains(&self.servers[server as usize].name.as_str())
        {
            return 1.0;
        }
        let latest = self
            .releases
            .iter()
            .filter(|r| r.project == 0)
            .map(|r| r.deployed)
            .fold(f64::NEG_INFINITY, f64::max);
        if t >= latest {
            1.8
        } else {
            1.0
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn add_api_trace_named(
        &mut self,
        rng: &mut Rng,
        t: f64,
        server: Option<u16>,
        with_web: bool,
        name: u16,
        ok: bool,
        user: u32,
    ) -> (u128, u32) {
        let trace = (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64());
        let median = API_ENDPOINTS
            .iter()
            .find(|(n, _)| *n == self.names[name as usize])
            .map_or(150.0, |e| e.1);
        let slowness = server.map_or(1.0, |s| self.servers[s as usize].slowness)
            * self.release_slowdown(server, name, t);
        let mut dur = rng.lognormal(median * slowness, 0.45);
        if !ok {
            dur *= 2.5;
        }
        let mut parent = None;
        if with_web {
            let page = WEB_PAGES[rng.below(WEB_PAGES.len())];
            let page = self.intern(page);
            let web_dur = dur + 800.0 + rng.range(0.0, 600.0);
            let web = self.push_txn(Txn {
                event_id: 0,
                trace,
                span: rng.next_u64(),
                parent_span: None,
                project: 2,
                server: None,
                start: t - 0.3,
                dur_ms: web_dur as f32,
                name: page,
                op: "pageload",
                ok: true,
                env: 0,
                release: self.release_index_at(2, t),
                user,
                seed: rng.next_u64(),
                extra_spans: 0,
                raw: None,
            });
            parent = Some(crate::render::child_link_span(&self.txns[web as usize]));
        }
        let env = server.map_or(0, |s| self.servers[s as usize].env);
        let api = self.push_txn(Txn {
            event_id: 0,
            trace,
            span: rng.next_u64(),
            parent_span: parent,
            project: 0,
            server,
            start: t,
            dur_ms: dur as f32,
            name,
            op: "http.server",
            ok,
            env,
            release: self.release_index_at(0, t),
            user,
            seed: rng.next_u64(),
            extra_spans: 0,
            raw: None,
        });
        (trace, api)
    }

    #[allow(clippy::too_many_arguments)]
    fn add_worker_txn(
        &mut self,
        rng: &mut Rng,
        trace: u128,
        parent: Option<u64>,
        server: Option<u16>,
        start: f64,
        job: &str,
        ok: bool,
        user: u32,
    ) -> u32 {
        let median = WORKER_JOBS
            .iter()
            .find(|(n, _)| *n == job)
            .map_or(500.0, |j| j.1);
        let name = self.intern(job);
        let parent = parent.or_else(|| {
            // Attach under the trace's API transaction when there is one.
            self.trace_txns_tmp(trace)
                .into_iter()
                .find(|&i| self.txns[i as usize].project == 0)
                .map(|i| crate::render::child_link_span(&self.txns[i as usize]))
        });
        self.push_txn(Txn {
            event_id: 0,
            trace,
            span: rng.next_u64(),
            parent_span: parent,
            project: 1,
            server,
            start,
            dur_ms: rng.lognormal(median, 0.5) as f32 * if ok { 1.0 } else { 1.8 },
            name,
            op: "queue.task",
            ok,
            env: 0,
            release: self.release_index_at(1, start),
            user,
            seed: rng.next_u64(),
            extra_spans: 0,
            raw: None,
        })
    }

    fn build_sampled_transactions(&mut self, now: f64) {
        let from = now - HISTORY_DAYS * 86_400.0;
        let slot = 600.0;
        let (first, last) = ((from / slot).floor() as i64, (now / slot).floor() as i64);
        let servers: Vec<(u16, Role, u8)> = self
            .servers
            .iter()
            .enumerate()
            .map(|(i, s)| (i as u16, s.role, s.env))
            .collect();
        for (idx, role, env) in servers {
            for si in first..=last {
                let mut rng = Rng::new(hash2(hash2(self.seed, 0x7A7A + u64::from(idx)), si as u64));
                let slot_start = si as f64 * slot;
                let recent = now - slot_start < 86_400.0;
                let step = match (role, env) {
                    (_, 1) => 600.0,
                    (Role::Worker, _) => 300.0,
                    (Role::Api, _) if recent => 60.0,
                    (Role::Api, _) => 180.0,
                };
                let mut t = slot_start + rng.range(0.0, step);
                while t < slot_start + slot {
                    if t >= from && t < now - 1.0 {
                        self.add_sampled_transaction(&mut rng, idx, role, t, now);
                    }
                    t += step * rng.range(0.7, 1.3);
                }
            }
        }
    }

    fn add_sampled_transaction(&mut self, rng: &mut Rng, idx: u16, role: Role, t: f64, now: f64) {
        let user = zipf_user(rng);
        match role {
            Role::Api => {
                let (name, _) = *rng.pick(&API_ENDPOINTS);
                let name = self.intern(name);
                let with_web = rng.chance(0.2);
                let (trace, api) =
                    self.add_api_trace_named(rng, t, Some(idx), with_web, name, true, user);
                // The incident servers are slow while their pool is exhausted.
                let incident = ["aws-apne2-api-3", "aws-apne2-api-5", "aws-apne2-api-8"];
                if now - t < 50.0 * 60.0
                    && incident.contains(&self.servers[idx as usize].name.as_str())
                {
                    self.txns[api as usize].dur_ms *= 6.0;
                }
                if rng.chance(0.2) {
                    let job = rng.pick(&WORKER_JOBS).0;
                    let parent = crate::render::child_link_span(&self.txns[api as usize]);
                    let w = self.random_server(rng, Role::Worker);
                    let st = crate::render::child_start(&self.txns[api as usize]);
                    self.add_worker_txn(rng, trace, Some(parent), w, st, job, true, user);
                }
            }
            Role::Worker => {
                let trace = (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64());
                let job = rng.pick(&WORKER_JOBS).0;
                self.add_worker_txn(rng, trace, None, Some(idx), t, job, true, user);
            }
        }
    }

    fn build_big_trace(&mut self, rng: &mut Rng, now: f64) {
        let trace = (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64());
        let server = self
            .servers
            .iter()
            .position(|s| s.name == "aws-apne2-worker-2")
            .map(|i| i as u16);
        let idx = self.add_worker_txn(
            rng,
            trace,
            None,
            server,
            now - 3.0 * 3600.0,
            "job.reindex-catalog",
            true,
            1,
        );
        self.txns[idx as usize].extra_spans = 9_999;
        self.txns[idx as usize].dur_ms = 95_000.0;
        self.big_trace = trace;
    }
}

/// A kind's events per server-hour at time `t` (age = now − t), before the daily curve.
/// Errors per hour of a kind at time `t`. `age` is how long ago `t` was, counted from the hour
/// the fleet was made (days-long shapes: first seen, stopped, spikes), `recent` the same counted
/// from now (an incident of the last minutes).
pub(crate) fn kind_rate(kind: &Kind, age: f64, recent: f64, t: f64, latest_release: f64) -> f64 {
    let first = kind.first_seen_days * 86_400.0;
    match kind.shape {
        Shape::SinceLatestRelease => {
            if t >= latest_release {
                kind.rate
            } else {
                0.0
            }
        }
        _ if age > first => 0.0,
        Shape::Steady => kind.rate,
        Shape::Incident { minutes, burst } => {
            if recent <= minutes as f64 * 60.0 {
                burst
            } else {
                kind.rate
            }
        }
        Shape::StoppedDaysAgo(d) => {
            if age >= d * 86_400.0 {
                kind.rate
            } else {
                0.0
            }
        }
        Shape::Spike {
            days_ago,
            hours,
            burst,
        } => {
            let from = days_ago * 86_400.0;
            if age <= from && age >= from - hours * 3600.0 {
                burst
            } else {
                kind.rate
            }
        }
    }
}

/// Traffic through the day in Korea (UTC+9): lowest around 04:00, highest around 16:00.
pub fn diurnal(t: f64) -> f64 {
    let hour = ((t / 3600.0) + 9.0).rem_euclid(24.0);
    0.35 + 0.65 * (0.5 - 0.5 * (2.0 * std::f64::consts::PI * (hour - 4.0) / 24.0).cos())
}

fn zipf_user(rng: &mut Rng) -> u32 {
    // Heavy users come back often: a skewed pick over the pool.
    let u = rng.f64();
    ((u * u * u) * f64::from(USERS)) as u32 + 1
}
