//! `/performance`: server × transaction latency of a window against the window before it.

use crate::series::natural_cmp;
use std::collections::HashMap;

/// One server's transaction over a window.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TxnFigures {
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
    /// Transactions per minute.
    pub tpm: f64,
    /// Share of transactions that did not end `ok` (0..=1).
    pub failure_rate: Option<f64>,
    pub count: u64,
}

/// A row of the table: a server's transaction now, and its p95 the window before.
#[derive(Debug, Clone, PartialEq)]
pub struct TxnRow {
    pub server: String,
    pub transaction: String,
    pub now: TxnFigures,
    pub before_p95: Option<f64>,
    /// Transactions the window before.
    pub before_count: u64,
}

/// The fewest transactions in each window for a change of p95 to mean anything (a p95 of three
/// requests is noise).
pub const MIN_COUNT: u64 = 5;

impl TxnRow {
    /// The p95's change against the window before (0.35 = 35 % slower), when both are known.
    pub fn change(&self) -> Option<f64> {
        let (now, before) = (self.now.p95?, self.before_p95?);
        (before > 0.0).then(|| now / before - 1.0)
    }

    /// Slower than the window before by more than `threshold` (0.2 = 20 %), with at least
    /// [`MIN_COUNT`] transactions in each window.
    pub fn slower(&self, threshold: f64) -> bool {
        self.now.count >= MIN_COUNT
            && self.before_count >= MIN_COUNT
            && self.change().is_some_and(|c| c > threshold)
    }
}

/// Joins the two windows' figures by (server, transaction); rows of the current window only.
pub fn rows(
    now: Vec<((String, String), TxnFigures)>,
    before: &HashMap<(String, String), (f64, u64)>,
) -> Vec<TxnRow> {
    now.into_iter()
        .map(|(key, f)| TxnRow {
            before_p95: before.get(&key).map(|b| b.0),
            before_count: before.get(&key).map_or(0, |b| b.1),
            server: key.0,
            transaction: key.1,
            now: f,
        })
        .collect()
}

/// How the table is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PerfSort {
    /// The largest p95 rise first: rows with enough transactions in both windows, then the
    /// others, then those without a before.
    #[default]
    Change,
    P95,
    Throughput,
    Failures,
    Server,
}

impl PerfSort {
    /// Parses the URL spelling.
    pub fn parse(s: &str) -> Self {
        match s {
            "p95" => PerfSort::P95,
            "tpm" => PerfSort::Throughput,
            "failures" => PerfSort::Failures,
            "server" => PerfSort::Server,
            _ => PerfSort::Change,
        }
    }

    /// The URL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PerfSort::Change => "change",
            PerfSort::P95 => "p95",
            PerfSort::Throughput => "tpm",
            PerfSort::Failures => "failures",
            PerfSort::Server => "server",
        }
    }
}

/// Sorts rows (ties: server, then transaction, in natural order).
pub fn sort(rows: &mut Vec<TxnRow>, by: PerfSort) {
    let key = |r: &TxnRow| -> f64 {
        match by {
            PerfSort::Change => r.change().unwrap_or(f64::NEG_INFINITY),
            PerfSort::P95 => r.now.p95.unwrap_or(f64::NEG_INFINITY),
            PerfSort::Throughput => r.now.tpm,
            PerfSort::Failures => r.now.failure_rate.unwrap_or(f64::NEG_INFINITY),
            PerfSort::Server => 0.0,
        }
    };
    // By change, the rows with enough transactions to judge come first.
    let judged = |r: &TxnRow| by == PerfSort::Change && r.slower(f64::NEG_INFINITY);
    crate::sort::sort_by(rows, |a, b| {
        judged(b)
            .cmp(&judged(a))
            .then(key(b).total_cmp(&key(a)))
            .then_with(|| natural_cmp(&a.server, &b.server))
            .then_with(|| a.transaction.cmp(&b.transaction))
    });
}

/// One server's move of a transaction's p95 from one release to the next.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerMove {
    pub server: String,
    /// p95 (ms) on the release before, and on this one.
    pub before: f64,
    pub now: f64,
}

impl ServerMove {
    /// 0.35 = 35 % slower.
    pub fn change(&self) -> f64 {
        self.now / self.before - 1.0
    }
}

/// A transaction whose p95 moved with a release, and where: servers slowest first.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseMove {
    pub transaction: String,
    pub servers: Vec<ServerMove>,
}

/// p95 (ms) and count per (release, server, transaction).
pub type ByRelease = HashMap<(String, String, String), (f64, u64)>;

/// How many of the latest releases the page compares with the release before each.
pub const RELEASES_COMPARED: usize = 3;

/// The latest releases, each with the release of its line before it, and the figures of all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReleasePerf {
    pub pairs: Vec<(crate::model::ReleaseDto, Option<crate::model::ReleaseDto>)>,
    pub figures: ByRelease,
}

/// The fewest transactions under each of two releases for their p95s to be compared: a
/// release's p95 on a server is read from days of traffic, and below this it is noise.
pub const MIN_RELEASE_COUNT: u64 = 30;

/// The transactions whose p95 rose by more than `threshold` from `previous` to `release` on a
/// server, with at least [`MIN_RELEASE_COUNT`] transactions under each release; the
/// transactions that got slower on the most servers first, then by the largest rise.
pub fn release_moves(
    figures: &ByRelease,
    release: &str,
    previous: &str,
    threshold: f64,
) -> Vec<ReleaseMove> {
    let mut by_txn: HashMap<&str, Vec<ServerMove>> = HashMap::new();
    for ((r, server, txn), &(now, count)) in figures {
        if r != release || count < MIN_RELEASE_COUNT || server.is_empty() {
            continue;
        }
        let key = (previous.to_owned(), server.clone(), txn.clone());
        let Some(&(before, n)) = figures.get(&key) else {
            continue;
        };
        if n < MIN_RELEASE_COUNT || before <= 0.0 || now / before - 1.0 <= threshold {
            continue;
        }
        by_txn.entry(txn).or_default().push(ServerMove {
            server: server.clone(),
            before,
            now,
        });
    }
    let mut out: Vec<ReleaseMove> = by_txn
        .into_iter()
        .map(|(txn, mut servers)| {
            crate::sort::sort_by(&mut servers, |a, b| {
                b.change()
                    .total_cmp(&a.change())
                    .then_with(|| natural_cmp(&a.server, &b.server))
            });
            ReleaseMove {
                transaction: txn.to_owned(),
                servers,
            }
        })
        .collect();
    // A release's regression shows on many servers at once; one server's rise may be its day.
    let top = |m: &ReleaseMove| m.servers[0].change();
    crate::sort::sort_by(&mut out, |a, b| {
        b.servers
            .len()
            .cmp(&a.servers.len())
            .then(top(b).total_cmp(&top(a)))
            .then_with(|| a.transaction.cmp(&b.transaction))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(p95: f64, tpm: f64) -> TxnFigures {
        TxnFigures {
            p95: Some(p95),
            tpm,
            count: 10,
            ..Default::default()
        }
    }

    #[test]
    fn rows_join_the_windows_and_the_slower_ones_are_marked() {
        let now = vec![
            (("api-1".to_owned(), "GET /a".to_owned()), f(600.0, 10.0)),
            (("api-2".to_owned(), "GET /a".to_owned()), f(100.0, 30.0)),
            (("api-10".to_owned(), "GET /b".to_owned()), f(50.0, 5.0)),
        ];
        let before: HashMap<(String, String), (f64, u64)> = [
            (("api-1".to_owned(), "GET /a".to_owned()), (100.0, 10)),
            (("api-2".to_owned(), "GET /a".to_owned()), (110.0, 10)),
        ]
        .into_iter()
        .collect();
        let mut r = rows(now, &before);
        sort(&mut r, PerfSort::Change);
        assert_eq!(r[0].server, "api-1");
        assert_eq!(r[0].change(), Some(5.0));
        assert!(r[0].slower(0.2));
        assert!(!r[1].slower(0.2), "faster");
        assert_eq!(r[2].change(), None, "nothing before");
        assert!(!r[2].slower(0.2));
        sort(&mut r, PerfSort::Throughput);
        assert_eq!(r[0].server, "api-2");
        sort(&mut r, PerfSort::Server);
        let names: Vec<&str> = r.iter().map(|r| r.server.as_str()).collect();
        assert_eq!(names, ["api-1", "api-2", "api-10"]);
        assert_eq!(PerfSort::parse("tpm").as_str(), "tpm");
        // Too few transactions before: not marked, however large the change.
        let few = TxnRow {
            before_count: 2,
            ..r.iter().find(|r| r.server == "api-1").unwrap().clone()
        };
        assert!(!few.slower(0.2));
    }

    #[test]
    fn release_moves_name_the_servers_that_moved() {
        let mut f = ByRelease::new();
        let mut put = |r: &str, s: &str, t: &str, p95: f64, n: u64| {
            f.insert((r.into(), s.into(), t.into()), (p95, n));
        };
        put("a@2", "gcp-1", "GET /s", 180.0, 50);
        put("a@1", "gcp-1", "GET /s", 100.0, 50);
        put("a@2", "gcp-2", "GET /s", 250.0, 50);
        put("a@1", "gcp-2", "GET /s", 100.0, 50);
        put("a@2", "aws-1", "GET /s", 110.0, 50);
        put("a@1", "aws-1", "GET /s", 100.0, 50);
        put("a@2", "aws-1", "GET /c", 50.0, 50);
        put("a@1", "aws-1", "GET /c", 100.0, 50);
        // Too few under the release before, and a server new with the release.
        put("a@2", "aws-2", "GET /c", 500.0, 50);
        put("a@1", "aws-2", "GET /c", 100.0, 29);
        put("a@2", "aws-3", "GET /c", 500.0, 50);
        let m = release_moves(&f, "a@2", "a@1", 0.2);
        assert_eq!(
            m.len(),
            1,
            "GET /c got faster on aws-1; aws-2 had too few before"
        );
        assert_eq!(m[0].transaction, "GET /s");
        let servers: Vec<&str> = m[0].servers.iter().map(|s| s.server.as_str()).collect();
        assert_eq!(servers, ["gcp-2", "gcp-1"], "aws-1 moved only 10 %");
        assert!((m[0].servers[0].change() - 1.5).abs() < 1e-9);
        assert!(release_moves(&f, "a@1", "a@0", 0.2).is_empty());
    }
}
