//! Traces: the span tree, the legacy events-trace, trace meta, and GlitchTip's transaction groups.

use crate::api::filters::project_filter;
use crate::api::paging::paginate;
use crate::app::App;
use crate::app::Flavor;
use crate::http::Req;
use crate::http::Resp;
use crate::render::spans;
use crate::render::SpanRec;
use crate::rng::hex128;
use crate::rng::hex64;
use crate::rng::parse_hex128;
use crate::store::Store;
use crate::time::now;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};

/// The transactions and error events of a trace.
pub fn trace_parts(s: &Store, id: &str) -> Option<(Vec<u32>, Vec<u32>)> {
    let tid = parse_hex128(id)?;
    let txns = s.trace_txns.get(&tid).cloned().unwrap_or_default();
    let errs = s.trace_errors.get(&tid).cloned().unwrap_or_default();
    Some((txns, errs))
}

pub fn error_node_json(s: &Store, i: u32) -> Value {
    let e = &s.events[i as usize];
    let is = &s.issues[e.issue as usize];
    let p = &s.projects[e.project as usize];
    json!({
        "event_id": hex128(e.id), "issue_id": is.id, "short_id": is.short_id, "level": is.level,
        "culprit": is.culprit, "description": is.title, "title": is.title, "project_id": p.id, "project_slug": p.slug,
        "start_timestamp": e.ts, "transaction": is.culprit, "event_type": "error",
    })
}

/// `GET …/trace/{trace_id}/` (the new format: an array of root nodes).
pub fn trace(_app: &App, s: &Store, req: &Req, id: &str) -> Resp {
    let Some((txns, errs)) = trace_parts(s, id) else {
        return Resp::json(400, &json!({"detail": "Invalid trace id"}));
    };
    let limit = req
        .param("limit")
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000usize)
        .min(10_000);
    let want_server = req
        .params("additional_attributes")
        .iter()
        .any(|a| a.contains("server_name"));
    // Every span of every transaction, with the transaction it belongs to.
    let mut nodes: Vec<(SpanRec, u32, bool)> = Vec::new();
    for &ti in &txns {
        for (k, sp) in spans(s, &s.txns[ti as usize]).into_iter().enumerate() {
            if nodes.len() >= limit {
                break;
            }
            nodes.push((sp, ti, k == 0));
        }
    }
    let index: HashMap<u64, usize> = nodes.iter().enumerate().map(|(i, n)| (n.0.id, i)).collect();
    let mut errors_on: HashMap<usize, Vec<Value>> = HashMap::new();
    let mut orphans = Vec::new();
    for &ei in &errs {
        match index.get(&s.events[ei as usize].span) {
            Some(&n) => errors_on.entry(n).or_default().push(error_node_json(s, ei)),
            None => orphans.push(ei),
        }
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    let mut roots = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        match n.0.parent.and_then(|p| index.get(&p)) {
            Some(&p) if p != i => children[p].push(i),
            _ => roots.push(i),
        }
    }
    fn build(
        i: usize,
        s: &Store,
        nodes: &[(SpanRec, u32, bool)],
        children: &[Vec<usize>],
        errors_on: &mut HashMap<usize, Vec<Value>>,
        want_server: bool,
        depth: usize,
    ) -> Value {
        let (sp, ti, is_txn) = &nodes[i];
        let t = &s.txns[*ti as usize];
        let p = &s.projects[t.project as usize];
        let kids: Vec<Value> = if depth > 200 {
            Vec::new()
        } else {
            children[i]
                .iter()
                .map(|&c| build(c, s, nodes, children, errors_on, want_server, depth + 1))
                .collect()
        };
        let mut v = json!({
            "event_id": hex64(sp.id), "event_type": "span", "transaction_id": hex128(t.event_id),
            "project_id": p.id, "project_slug": p.slug, "transaction": s.names[t.name as usize],
            "description": sp.description, "op": sp.op, "name": sp.op, "parent_span_id": sp.parent.map(hex64),
            "profile_id": "", "profiler_id": "", "sdk_name": format!("sentry.{}", p.platform),
            "is_transaction": is_txn, "start_timestamp": sp.start, "end_timestamp": sp.end,
            "duration": ((sp.end - sp.start) * 1000.0 * 1000.0).round() / 1000.0,
            "measurements": {}, "browser_web_vital": {}, "mobile_app_vital": {}, "children": kids,
            "errors": errors_on.remove(&i).unwrap_or_default(), "occurrences": [],
        });
        if want_server {
            v["additional_attributes"] =
                json!({"server_name": t.server.map(|x| s.servers[x as usize].name.clone())});
        }
        v
    }
    let mut out: Vec<Value> = roots
        .iter()
        .map(|&r| build(r, s, &nodes, &children, &mut errors_on, want_server, 0))
        .collect();
    for ei in orphans {
        out.push(error_node_json(s, ei));
    }
    Resp::json(200, &json!(out))
}

/// `GET …/events-trace/{trace_id}/` (the legacy format: transactions only).
pub fn legacy_trace(_app: &App, s: &Store, _req: &Req, id: &str) -> Resp {
    let Some((txns, errs)) = trace_parts(s, id) else {
        return Resp::json(400, &json!({"detail": "Invalid trace id"}));
    };
    // Which transaction owns each span, to place errors and nest child transactions.
    let mut span_owner: HashMap<u64, u32> = HashMap::new();
    for &ti in &txns {
        for sp in spans(s, &s.txns[ti as usize]) {
            span_owner.insert(sp.id, ti);
        }
    }
    let mut errs_of: HashMap<u32, Vec<Value>> = HashMap::new();
    let mut orphans = Vec::new();
    for &ei in &errs {
        let e = &s.events[ei as usize];
        let is = &s.issues[e.issue as usize];
        let p = &s.projects[e.project as usize];
        // `serialize_error` (organization_events_trace.py): no short id; `generation` is always 0.
        let v = json!({"event_id": hex128(e.id), "issue_id": is.id, "span": hex64(e.span), "project_id": p.id, "project_slug": p.slug, "title": is.title, "level": is.level, "timestamp": e.ts, "event_type": "error", "generation": 0});
        match span_owner.get(&e.span) {
            Some(&ti) => errs_of.entry(ti).or_default().push(v),
            None => orphans.push(v),
        }
    }
    let mut kids: HashMap<u32, Vec<u32>> = HashMap::new();
    let mut roots = Vec::new();
    for &ti in &txns {
        let t = &s.txns[ti as usize];
        match t
            .parent_span
            .and_then(|p| span_owner.get(&p))
            .filter(|&&o| o != ti)
        {
            Some(&owner) => kids.entry(owner).or_default().push(ti),
            None => roots.push(ti),
        }
    }
    fn build(
        ti: u32,
        s: &Store,
        kids: &HashMap<u32, Vec<u32>>,
        errs_of: &mut HashMap<u32, Vec<Value>>,
        gen: usize,
        parent_event: Option<u128>,
    ) -> Value {
        let t = &s.txns[ti as usize];
        let p = &s.projects[t.project as usize];
        let children: Vec<Value> = if gen > 100 {
            Vec::new()
        } else {
            kids.get(&ti)
                .into_iter()
                .flatten()
                .map(|&c| build(c, s, kids, errs_of, gen + 1, Some(t.event_id)))
                .collect()
        };
        json!({
            "event_id": hex128(t.event_id), "span_id": hex64(t.span), "transaction": s.names[t.name as usize],
            "transaction.duration": f64::from(t.dur_ms).round(), "transaction.op": t.op,
            "project_id": p.id, "project_slug": p.slug, "parent_event_id": parent_event.map(hex128),
            "parent_span_id": t.parent_span.map(hex64), "start_timestamp": t.start,
            "timestamp": t.start + f64::from(t.dur_ms) / 1000.0, "generation": gen,
            "errors": errs_of.remove(&ti).unwrap_or_default(), "performance_issues": [],
            "children": children,
        })
    }
    let transactions: Vec<Value> = roots
        .iter()
        .map(|&r| build(r, s, &kids, &mut errs_of, 0, None))
        .collect();
    Resp::json(
        200,
        &json!({"transactions": transactions, "orphan_errors": orphans}),
    )
}

/// `GET …/trace-meta/{trace_id}/` (camelCase on current Sentry, snake_case on older).
pub fn trace_meta(app: &App, s: &Store, id: &str) -> Resp {
    let Some((txns, errs)) = trace_parts(s, id) else {
        return Resp::json(400, &json!({"detail": "Invalid trace id"}));
    };
    let mut span_count = 0usize;
    let mut by_op: HashMap<String, usize> = HashMap::new();
    let mut child_map = Vec::new();
    for &ti in &txns {
        let sp = spans(s, &s.txns[ti as usize]);
        span_count += sp.len();
        for x in &sp {
            *by_op.entry(x.op.clone()).or_default() += 1;
        }
        child_map.push(json!({"transaction.event_id": hex128(s.txns[ti as usize].event_id), "count()": sp.len()}));
    }
    let projects: HashSet<u8> = txns.iter().map(|&t| s.txns[t as usize].project).collect();
    if app.opts.flavor == Flavor::SentryLegacy {
        return Resp::json(
            200,
            &json!({"projects": projects.len(), "transactions": txns.len(), "errors": errs.len(), "performance_issues": 0, "span_count": span_count, "transaction_child_count_map": child_map, "span_count_map": by_op}),
        );
    }
    Resp::json(
        200,
        &json!({"errorsCount": errs.len(), "logsCount": 0, "metricsCount": 0, "performanceIssuesCount": 0, "spansCount": span_count, "transactionChildCountMap": child_map, "spansCountMap": by_op}),
    )
}

/// GlitchTip's `transaction-groups/`: average duration and count per transaction name.
pub fn transaction_groups(app: &App, s: &Store, req: &Req) -> Resp {
    let t = now();
    let start = req
        .param("start")
        .and_then(crate::time::parse_time)
        .unwrap_or(t - 86_400.0);
    let end = req
        .param("end")
        .and_then(crate::time::parse_time)
        .unwrap_or(t + 1.0);
    let projects = project_filter(s, req);
    let mut groups: HashMap<(u16, u8), (f64, usize, &'static str)> = HashMap::new();
    for &i in &s.txns_by_time[s.txn_range(start, end)] {
        let x = &s.txns[i as usize];
        if projects.as_ref().is_some_and(|p| !p.contains(&x.project)) {
            continue;
        }
        let g = groups.entry((x.name, x.project)).or_insert((0.0, 0, x.op));
        g.0 += f64::from(x.dur_ms);
        g.1 += 1;
    }
    let mut list: Vec<Value> = groups
        .into_iter()
        .map(|((name, project), (sum, n, op))| {
            let label = &s.names[name as usize];
            json!({
                "transaction": label, "project": s.projects[project as usize].id, "op": op,
                "method": label.split(' ').next().filter(|m| m.chars().all(|c| c.is_ascii_uppercase())),
                "avgDuration": (sum / n as f64).round(), "transactionCount": n,
            })
        })
        .collect();
    list.sort_by(|a, b| {
        b["avgDuration"]
            .as_f64()
            .unwrap_or(0.0)
            .total_cmp(&a["avgDuration"].as_f64().unwrap_or(0.0))
    });
    let limit = req
        .param("limit")
        .or(req.param("per_page"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(50usize)
        .clamp(1, 100);
    let page = paginate(req, &list, limit);
    page.answer(app, req, &json!(page.items))
}
