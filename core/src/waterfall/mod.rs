//! Trace trees from both trace formats, and the waterfall layout (visible rows, bars, windows).
//!
//! Over 400 lines because both trace formats (span tree and legacy transactions with their events) build the same laid-out tree here; what is drawn of it is in `view`.

mod view;

pub use view::*;

use crate::model::event::{EventDto, SpanDto};
use crate::model::trace::{LegacyTraceDto, LegacyTransactionDto, TraceErrorDto, TraceNodeDto};
use std::collections::{HashMap, HashSet};

/// The most spans one trace may hold; beyond it the trace is cut and marked truncated.
pub const MAX_SPANS: usize = 50_000;

/// An error pinned on a span (or listed as an orphan).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpanError {
    pub event_id: String,
    pub issue_id: Option<String>,
    pub short_id: Option<String>,
    pub title: String,
    pub level: String,
    pub project: String,
}

/// One span of the waterfall, whichever format it came from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TraceSpan {
    pub id: String,
    pub parent_id: Option<String>,
    pub op: String,
    pub description: String,
    pub project: String,
    pub server: Option<String>,
    /// The transaction this span belongs to (its name).
    pub transaction: Option<String>,
    /// The event id of the transaction this span is the root of.
    pub transaction_event_id: Option<String>,
    pub is_transaction: bool,
    /// Epoch seconds.
    pub start: f64,
    pub end: f64,
    pub status: Option<String>,
    pub errors: Vec<SpanError>,
    pub tags: Vec<(String, String)>,
    pub data: Vec<(String, String)>,
}

impl TraceSpan {
    /// Milliseconds.
    pub fn duration_ms(&self) -> f64 {
        ((self.end - self.start) * 1000.0).max(0.0)
    }
}

/// A trace as a tree of spans.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Trace {
    pub spans: Vec<TraceSpan>,
    pub children: Vec<Vec<usize>>,
    pub roots: Vec<usize>,
    pub depth: Vec<u32>,
    /// Duration minus the time covered by children, in milliseconds.
    pub self_ms: Vec<f64>,
    pub orphan_errors: Vec<SpanError>,
    pub start: f64,
    pub end: f64,
    /// The server sent more than [`MAX_SPANS`] spans; the rest were dropped.
    pub truncated: bool,
}

impl Trace {
    /// Builds the tree. Spans whose parent is unknown become roots; cycles are broken.
    pub fn from_spans(mut spans: Vec<TraceSpan>, orphan_errors: Vec<SpanError>) -> Trace {
        let truncated = spans.len() > MAX_SPANS;
        spans.truncate(MAX_SPANS);
        // Duplicate ids (a transaction's root span also listed among its spans) keep the first.
        let mut index: HashMap<String, usize> = HashMap::with_capacity(spans.len());
        let mut keep = vec![true; spans.len()];
        for (i, s) in spans.iter().enumerate() {
            if index.contains_key(&s.id) {
                keep[i] = false;
            } else {
                index.insert(s.id.clone(), i);
            }
        }
        if keep.iter().any(|k| !k) {
            let mut it = keep.iter();
            spans.retain(|_| *it.next().unwrap());
            index = spans
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.clone(), i))
                .collect();
        }
        let n = spans.len();
        let mut children = vec![Vec::new(); n];
        let mut roots = Vec::new();
        for (i, s) in spans.iter().enumerate() {
            match s.parent_id.as_ref().and_then(|p| index.get(p)) {
                Some(&p) if p != i => children[p].push(i),
                _ => roots.push(i),
            }
        }
        let by_start = |a: &usize, b: &usize| spans[*a].start.total_cmp(&spans[*b].start);
        crate::sort::sort_by(&mut roots, by_start);
        for c in &mut children {
            crate::sort::sort_by(c, by_start);
        }
        // Depths by iterative DFS; anything not reached is in a cycle and becomes a root.
        let mut depth = vec![u32::MAX; n];
        let starts: Vec<usize> = roots.clone();
        for r in starts {
            assign_depths(&children, &mut depth, r);
        }
        for i in 0..n {
            if depth[i] == u32::MAX {
                // Detach from its cyclic parent.
                for c in children.iter_mut() {
                    c.retain(|&x| x != i);
                }
                roots.push(i);
                assign_depths(&children, &mut depth, i);
            }
        }
        let self_ms = (0..n).map(|i| self_time(&spans, &children[i], i)).collect();
        let start = spans.iter().map(|s| s.start).fold(f64::INFINITY, f64::min);
        let end = spans
            .iter()
            .map(|s| s.end)
            .fold(f64::NEG_INFINITY, f64::max);
        Trace {
            start: if start.is_finite() { start } else { 0.0 },
            end: if end.is_finite() { end } else { 0.0 },
            spans,
            children,
            roots,
            depth,
            self_ms,
            orphan_errors,
            truncated,
        }
    }

    /// From the new `trace/` format.
    pub fn from_nodes(nodes: &[TraceNodeDto]) -> Trace {
        let mut spans = Vec::new();
        let mut orphans = Vec::new();
        // Iterative walk: (node, parent span id, transaction name, transaction event id)
        let mut stack: Vec<Walk> = nodes.iter().rev().map(|n| (n, None, None, None)).collect();
        while let Some((node, parent, txn, txn_event)) = stack.pop() {
            if spans.len() > MAX_SPANS {
                break;
            }
            if !node.is_span() {
                orphans.push(SpanError {
                    event_id: node.event_id.clone(),
                    issue_id: node.issue_id.clone(),
                    short_id: None,
                    title: node
                        .description
                        .clone()
                        .or(node.transaction.clone())
                        .or(node.culprit.clone())
                        .unwrap_or_default(),
                    level: node.level.clone().unwrap_or_else(|| "error".into()),
                    project: node.project_slug.clone(),
                });
                continue;
            }
            let (txn, txn_event) = if node.is_transaction {
                (node.transaction.clone(), node.transaction_id.clone())
            } else {
                (
                    txn.or(node.transaction.clone()),
                    txn_event.or(node.transaction_id.clone()),
                )
            };
            let end = if node.end_timestamp > 0.0 {
                node.end_timestamp
            } else {
                node.start_timestamp + node.duration / 1000.0
            };
            spans.push(TraceSpan {
                id: node.event_id.clone(),
                parent_id: node.parent_span_id.clone().or(parent),
                op: node.op.clone().unwrap_or_default(),
                description: node
                    .description
                    .clone()
                    .or(node.transaction.clone())
                    .unwrap_or_default(),
                project: node.project_slug.clone(),
                server: node.server_name().map(str::to_owned),
                transaction: txn.clone(),
                transaction_event_id: if node.is_transaction {
                    node.transaction_id.clone()
                } else {
                    None
                },
                is_transaction: node.is_transaction,
                start: node.start_timestamp,
                end,
                status: None,
                errors: node
                    .errors
                    .iter()
                    .chain(node.occurrences.iter())
                    .map(span_error)
                    .collect(),
                tags: Vec::new(),
                data: node
                    .additional_attributes
                    .iter()
                    .map(|(k, v)| (k.clone(), crate::lenient::display_value(v)))
                    .collect(),
            });
            for c in node.children.iter().rev() {
                stack.push((
                    c,
                    Some(node.event_id.clone()),
                    txn.clone(),
                    txn_event.clone(),
                ));
            }
        }
        Trace::from_spans(spans, orphans)
    }

    /// From the legacy `events-trace/` format, plus the transaction events fetched so far (their
    /// `spans` entries fill in what happened inside each transaction).
    pub fn from_legacy(trace: &LegacyTraceDto, events: &HashMap<String, EventDto>) -> Trace {
        let mut spans = Vec::new();
        let mut pending_errors: Vec<(Option<String>, String, SpanError)> = Vec::new();
        let mut stack: Vec<&LegacyTransactionDto> = trace.transactions.iter().rev().collect();
        while let Some(t) = stack.pop() {
            if spans.len() > MAX_SPANS {
                break;
            }
            let event = events.get(&t.event_id);
            let server = event.and_then(|e| e.tag("server_name")).map(str::to_owned);
            let tags = event
                .map(|e| {
                    e.tags
                        .iter()
                        .map(|p| (p.key.clone(), p.value.clone()))
                        .collect()
                })
                .unwrap_or_default();
            spans.push(TraceSpan {
                id: t.span_id.clone(),
                parent_id: t.parent_span_id.clone(),
                op: t.op.clone().unwrap_or_default(),
                description: t.transaction.clone(),
                project: t.project_slug.clone(),
                server: server.clone(),
                transaction: Some(t.transaction.clone()),
                transaction_event_id: Some(t.event_id.clone()),
                is_transaction: true,
                start: t.start_timestamp,
                end: if t.timestamp > 0.0 {
                    t.timestamp
                } else {
                    t.start_timestamp + t.duration / 1000.0
                },
                status: event
                    .and_then(|e| e.contexts.get("trace"))
                    .and_then(|c| c.get("status"))
                    .and_then(|s| s.as_str())
                    .map(str::to_owned),
                errors: Vec::new(),
                tags,
                data: Vec::new(),
            });
            for e in t.errors.iter().chain(&t.performance_issues) {
                pending_errors.push((e.span.clone(), t.span_id.clone(), span_error(e)));
            }
            if let Some(ev) = event {
                for s in ev.spans() {
                    if s.span_id == t.span_id {
                        continue;
                    }
                    spans.push(span_from_event(s, t, server.clone()));
                }
            }
            for c in t.children.iter().rev() {
                stack.push(c);
            }
        }
        let mut trace_out =
            Trace::from_spans(spans, trace.orphan_errors.iter().map(span_error).collect());
        let index: HashMap<&str, usize> = trace_out
            .spans
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let mut placed = Vec::new();
        for (span, txn_span, err) in pending_errors {
            let target = span
                .as_deref()
                .and_then(|s| index.get(s))
                .or_else(|| index.get(txn_span.as_str()))
                .copied();
            placed.push((target, err));
        }
        for (target, err) in placed {
            match target {
                Some(i) => trace_out.spans[i].errors.push(err),
                None => trace_out.orphan_errors.push(err),
            }
        }
        trace_out
    }

    /// Rows to show in order, skipping the subtrees of collapsed spans.
    pub fn visible_rows(&self, collapsed: &HashSet<usize>) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.spans.len());
        let mut stack: Vec<usize> = self.roots.iter().rev().copied().collect();
        while let Some(i) = stack.pop() {
            out.push(i);
            if !collapsed.contains(&i) {
                stack.extend(self.children[i].iter().rev().copied());
            }
        }
        out
    }

    /// Spans whose text matches `needle` (case-insensitive), in tree order.
    pub fn search(&self, needle: &str) -> Vec<usize> {
        let needle = needle.trim().to_lowercase();
        if needle.is_empty() {
            return Vec::new();
        }
        self.visible_rows(&HashSet::new())
            .into_iter()
            .filter(|&i| {
                let s = &self.spans[i];
                [&s.op, &s.description, &s.project, &s.id]
                    .iter()
                    .any(|f| f.to_lowercase().contains(&needle))
                    || s.server
                        .as_ref()
                        .is_some_and(|v| v.to_lowercase().contains(&needle))
                    || s.errors
                        .iter()
                        .any(|e| e.title.to_lowercase().contains(&needle))
            })
            .collect()
    }

    /// The chain of ancestors of a span (nearest first).
    pub fn ancestors(&self, i: usize) -> Vec<usize> {
        let mut parent_of = vec![usize::MAX; self.spans.len()];
        for (p, cs) in self.children.iter().enumerate() {
            for &c in cs {
                parent_of[c] = p;
            }
        }
        let mut out = Vec::new();
        let mut cur = i;
        while parent_of[cur] != usize::MAX && out.len() < self.spans.len() {
            cur = parent_of[cur];
            out.push(cur);
        }
        out
    }

    /// Total number of errors pinned on spans plus orphans.
    pub fn error_count(&self) -> usize {
        self.spans.iter().map(|s| s.errors.len()).sum::<usize>() + self.orphan_errors.len()
    }
}

/// A node still to visit: the node, its parent span, and its transaction's name and event id.
type Walk<'a> = (
    &'a TraceNodeDto,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn assign_depths(children: &[Vec<usize>], depth: &mut [u32], root: usize) {
    let mut stack = vec![(root, 0u32)];
    while let Some((i, d)) = stack.pop() {
        if depth[i] != u32::MAX {
            continue;
        }
        depth[i] = d;
        for &c in children[i].iter().rev() {
            stack.push((c, d + 1));
        }
    }
}

fn span_error(e: &TraceErrorDto) -> SpanError {
    SpanError {
        event_id: e.event_id.clone(),
        issue_id: e.issue_id.clone(),
        short_id: e.short_id().map(str::to_owned),
        title: e.text().to_owned(),
        level: e.level.clone().unwrap_or_else(|| "error".into()),
        project: e.project_slug.clone(),
    }
}

fn span_from_event(s: &SpanDto, t: &LegacyTransactionDto, server: Option<String>) -> TraceSpan {
    let start = s.start_timestamp.unwrap_or(t.start_timestamp);
    let pairs = |v: &Option<serde_json::Value>| {
        v.clone()
            .map(crate::lenient::value_to_pairs)
            .unwrap_or_default()
    };
    TraceSpan {
        id: s.span_id.clone(),
        parent_id: s.parent_span_id.clone().or(Some(t.span_id.clone())),
        op: s.op.clone().unwrap_or_default(),
        description: s.description.clone().unwrap_or_default(),
        project: t.project_slug.clone(),
        server,
        transaction: Some(t.transaction.clone()),
        transaction_event_id: None,
        is_transaction: false,
        start,
        end: s.timestamp.unwrap_or(start),
        status: s.status.clone(),
        errors: Vec::new(),
        tags: pairs(&s.tags),
        data: pairs(&s.data),
    }
}

/// Duration minus the union of the children's intervals (clipped to the span).
fn self_time(spans: &[TraceSpan], children: &[usize], i: usize) -> f64 {
    let s = &spans[i];
    let mut iv: Vec<(f64, f64)> = children
        .iter()
        .map(|&c| (spans[c].start.max(s.start), spans[c].end.min(s.end)))
        .filter(|(a, b)| b > a)
        .collect();
    crate::sort::sort_by(&mut iv, |a, b| a.0.total_cmp(&b.0));
    let mut covered = 0.0;
    let mut cur: Option<(f64, f64)> = None;
    for (a, b) in iv {
        match cur {
            Some((ca, cb)) if a <= cb => cur = Some((ca, cb.max(b))),
            Some((ca, cb)) => {
                covered += cb - ca;
                cur = Some((a, b));
            }
            None => cur = Some((a, b)),
        }
    }
    if let Some((ca, cb)) = cur {
        covered += cb - ca;
    }
    ((s.end - s.start - covered) * 1000.0).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_steps_across_the_trace() {
        let t = ticks(100.0, 100.8);
        let labels: Vec<&str> = t.iter().map(|x| x.1.as_str()).collect();
        assert_eq!(
            labels,
            ["0ms", "100ms", "200ms", "300ms", "400ms", "500ms", "600ms", "700ms", "800ms"]
        );
        assert_eq!(t[8].0, 1.0);
        // 7 s: steps of 1 s, never past the end.
        let t = ticks(0.0, 7.0);
        assert_eq!(t.len(), 8);
        assert!(t.iter().all(|(f, _)| (0.0..=1.0).contains(f)));
        // A zero-length trace still gets its origin.
        assert_eq!(ticks(5.0, 5.0)[0].0, 0.0);
    }

    fn span(id: &str, parent: Option<&str>, start: f64, end: f64) -> TraceSpan {
        TraceSpan {
            id: id.into(),
            parent_id: parent.map(Into::into),
            start,
            end,
            ..Default::default()
        }
    }

    #[test]
    fn tree_depths_self_time_and_collapse() {
        let t = Trace::from_spans(
            vec![
                span("c", Some("a"), 1.5, 2.5),
                span("a", None, 0.0, 4.0),
                span("b", Some("a"), 1.0, 2.0),
                span("d", Some("b"), 1.2, 1.4),
                span("x", Some("missing"), 3.0, 3.5),
            ],
            Vec::new(),
        );
        let rows: Vec<&str> = t
            .visible_rows(&HashSet::new())
            .iter()
            .map(|&i| t.spans[i].id.as_str())
            .collect();
        assert_eq!(rows, ["a", "b", "d", "c", "x"]);
        let a = t.spans.iter().position(|s| s.id == "a").unwrap();
        assert_eq!(t.depth[a], 0);
        // a covers 0..4; children b (1..2) and c (1.5..2.5) cover 1..2.5 → self 2.5s
        assert!((t.self_ms[a] - 2500.0).abs() < 1e-6);
        let collapsed: HashSet<usize> = [t.spans.iter().position(|s| s.id == "b").unwrap()].into();
        assert_eq!(t.visible_rows(&collapsed).len(), 4);
        assert_eq!(t.start, 0.0);
        assert_eq!(t.end, 4.0);
    }

    #[test]
    fn cycles_do_not_hang_or_drop_spans() {
        let t = Trace::from_spans(
            vec![
                span("a", Some("b"), 0.0, 1.0),
                span("b", Some("a"), 0.0, 1.0),
            ],
            Vec::new(),
        );
        assert_eq!(t.visible_rows(&HashSet::new()).len(), 2);
    }

    #[test]
    fn new_format_from_example_shape() {
        let nodes: Vec<TraceNodeDto> = crate::json::parse(
            r#"[{"event_id":"aa","event_type":"span","project_slug":"web","is_transaction":true,"transaction":"GET /","transaction_id":"t1",
                 "start_timestamp":10,"end_timestamp":11,"duration":1000,
                 "errors":[{"event_id":"e1","issue_id":7,"short_id":"WEB-1","level":"error","description":"boom","project_slug":"web"}],
                 "children":[{"event_id":"bb","event_type":"span","project_slug":"web","op":"db","description":"SELECT","start_timestamp":10.1,"end_timestamp":10.2,"duration":100,"children":[]}]},
                {"event_id":"e2","event_type":"error","project_slug":"api","description":"orphan","start_timestamp":10.5}]"#,
        )
        .unwrap();
        let t = Trace::from_nodes(&nodes);
        assert_eq!(t.spans.len(), 2);
        assert_eq!(t.orphan_errors.len(), 1);
        assert_eq!(t.spans[0].errors[0].short_id.as_deref(), Some("WEB-1"));
        assert_eq!(t.spans[1].parent_id.as_deref(), Some("aa"));
        assert_eq!(t.spans[1].transaction.as_deref(), Some("GET /"));
        assert_eq!(t.error_count(), 2);
    }

    #[test]
    fn legacy_format_with_event_spans() {
        let legacy: LegacyTraceDto = crate::json::parse(
            r#"{"transactions":[{"event_id":"ev1","span_id":"s1","transaction":"GET /","transaction.duration":1000,"project_slug":"web",
                 "start_timestamp":10,"timestamp":11,"errors":[{"event_id":"e1","issue":"WEB-1","title":"boom","span":"s2","level":"error"}],
                 "children":[{"event_id":"ev2","span_id":"s3","parent_span_id":"s2","transaction":"POST /api","project_slug":"api","start_timestamp":10.2,"timestamp":10.6,"children":[]}]}],
                "orphan_errors":[]}"#,
        )
        .unwrap();
        let ev: EventDto = crate::json::parse(
            r#"{"eventID":"ev1","tags":[{"key":"server_name","value":"aws-1"}],"entries":[{"type":"spans","data":[{"span_id":"s2","parent_span_id":"s1","op":"http.client","start_timestamp":10.1,"timestamp":10.7}]}]}"#,
        )
        .unwrap();
        let events: HashMap<String, EventDto> = [("ev1".to_string(), ev)].into();
        let t = Trace::from_legacy(&legacy, &events);
        let ids: Vec<&str> = t
            .visible_rows(&HashSet::new())
            .iter()
            .map(|&i| t.spans[i].id.as_str())
            .collect();
        assert_eq!(ids, ["s1", "s2", "s3"]);
        let s2 = t.spans.iter().find(|s| s.id == "s2").unwrap();
        assert_eq!(s2.errors[0].short_id.as_deref(), Some("WEB-1"));
        assert_eq!(s2.server.as_deref(), Some("aws-1"));
        // Without the event, the error falls back to its transaction.
        let t2 = Trace::from_legacy(&legacy, &HashMap::new());
        assert_eq!(
            t2.spans.iter().find(|s| s.id == "s1").unwrap().errors.len(),
            1
        );
    }

    #[test]
    fn windows_bars_and_search() {
        assert_eq!(row_window(0.0, 100.0, 20.0, 1000, 5), (0, 11));
        assert_eq!(row_window(2000.0, 100.0, 20.0, 1000, 5), (95, 111));
        assert_eq!(row_window(1e9, 100.0, 20.0, 10, 5), (10, 10));
        let s = span("a", None, 1.0, 2.0);
        assert_eq!(bar(&s, 0.0, 4.0, 0.001), Some((0.25, 0.25)));
        assert_eq!(bar(&s, 3.0, 4.0, 0.001), None);
        let t = synthetic_trace(10_000);
        assert_eq!(t.spans.len(), 10_000);
        assert_eq!(t.roots.len(), 1);
        assert!(!t.search("span 9999").is_empty());
        assert!(t.search("   ").is_empty());
    }
}
