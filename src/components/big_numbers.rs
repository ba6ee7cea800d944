//! The big numbers of the overview and the wall: errors, affected servers, new issues, users
//! (each against the previous window) and the worst server now.

use crate::components::dom::{h, link_cut, H};
use crate::i18n::{t, tf, Msg};
use crate::state::view::{issues_href, ViewScope};
use lookout_core::format::{change_ratio, compact_count, grouped_count, percent_change};
use lookout_core::series::SeriesSet;

fn big(testid: &'static str, label: Msg, value: String, delta: Option<String>) -> H {
    h("div")
        .class("bignum")
        .testid(testid)
        .child(h("div").class("label").text(t(label)))
        .child(h("div").class("value").text(value))
        .child_opt(delta.map(|d| h("div").class("delta").text(d)))
}

fn change(now: f64, before: f64) -> String {
    match change_ratio(now, before) {
        Some(r) => tf(Msg::VsPrevious, &[&percent_change(r)]),
        None => t(Msg::NoPrevious).to_owned(),
    }
}

/// The big numbers: errors, affected servers, new issues, users, the worst server now.
pub fn big_numbers(
    scope: &ViewScope,
    cur: Option<&(SeriesSet, SeriesSet)>,
    new: Option<(u64, u64)>,
    users: Option<(u64, u64)>,
) -> H {
    let dash = || "–".to_owned();
    let errors = cur.map(|(a, b)| (a.grand_total(), b.grand_total()));
    let hit = |s: &SeriesSet| s.series.iter().filter(|x| x.total() > 0.0).count();
    let servers = cur.map(|(a, b)| (hit(a), hit(b), a.series.len()));
    let worst = cur.and_then(|(a, _)| {
        let recent = a.recent((a.buckets.len() / 8).max(1));
        let (i, n) = recent
            .iter()
            .enumerate()
            .max_by(|x, y| x.1.total_cmp(y.1))?;
        (*n > 0.0).then(|| (&a.series[i], *n))
    });
    let worst_el = match worst {
        Some((series, n)) => h("div")
            .class("bignum")
            .testid("big-worst")
            .child(h("div").class("label").text(t(Msg::BigWorst)))
            .child(
                link_cut(
                    &issues_href(scope, "server_name", std::slice::from_ref(&series.name)),
                    &series.label(),
                    40,
                )
                .class("value small-value"),
            )
            .child(h("div").class("delta").text(compact_count(n))),
        None => big("big-worst", Msg::BigWorst, dash(), None),
    };
    h("div")
        .class("bignums")
        .testid("big-numbers")
        .children(vec![
            big(
                "big-errors",
                Msg::BigErrors,
                errors.map_or_else(dash, |(a, _)| grouped_count(a as u64)),
                errors.map(|(a, b)| change(a, b)),
            ),
            big(
                "big-servers",
                Msg::BigServers,
                servers.map_or_else(dash, |(a, _, _)| a.to_string()),
                servers.map(|(a, b, n)| {
                    format!(
                        "{} · {}",
                        tf(Msg::BigServersOf, &[&n.to_string()]),
                        change(a as f64, b as f64)
                    )
                }),
            ),
            big(
                "big-new",
                Msg::BigNewIssues,
                new.map_or_else(dash, |(a, _)| a.to_string()),
                new.map(|(a, b)| change(a as f64, b as f64)),
            ),
            big(
                "big-users",
                Msg::BigUsers,
                users.map_or_else(dash, |(a, _)| compact_count(a as f64)),
                users.map(|(a, b)| change(a as f64, b as f64)),
            ),
            worst_el,
        ])
}
