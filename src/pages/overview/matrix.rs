//! Which server has which error: the top issues × servers matrix.

use crate::api::overview::Extras;
use crate::components::dom::{h, link, link_cut, H};
use crate::i18n::{t, Msg};
use crate::state::view::{issues_href, scoped_href, ViewScope};
use lookout_core::format::compact_count;
use std::collections::HashMap;

/// Which server has which error: top issues × servers.
pub fn matrix(scope: &ViewScope, e: &Extras) -> H {
    let mut per: HashMap<&str, u64> = HashMap::new();
    for ((_, s), n) in &e.matrix {
        *per.entry(s.as_str()).or_default() += n;
    }
    let mut servers: Vec<(&str, u64)> = per.into_iter().collect();
    lookout_core::sort::sort_by(&mut servers, |a, b| {
        b.1.cmp(&a.1)
            .then_with(|| lookout_core::series::natural_cmp(a.0, b.0))
    });
    let max = e.matrix.values().copied().max().unwrap_or(1).max(1) as f64;
    let head = h("tr")
        .child(h("th").class("sticky").text(t(Msg::ColIssue)))
        .children(
            servers
                .iter()
                .map(|(s, _)| {
                    h("th").class("vert").child(link_cut(
                        &issues_href(scope, "server_name", &[(*s).to_owned()]),
                        s,
                        40,
                    ))
                })
                .collect(),
        );
    let rows = e
        .top_issues
        .iter()
        .map(|i| {
            let href = scoped_href(
                &crate::href(&format!(
                    "/issues/{}",
                    lookout_core::query::percent_encode(&i.id)
                )),
                scope,
                &[],
            );
            h("tr")
                .testid("matrix-row")
                .child(
                    h("th")
                        .class("sticky")
                        .child(link(&href, format!("{} ", i.short_id)).cut(&i.title, 80)),
                )
                .children(
                    servers
                        .iter()
                        .map(|(s, _)| {
                            let n = e
                                .matrix
                                .get(&(i.id.clone(), (*s).to_owned()))
                                .copied()
                                .unwrap_or(0);
                            let a = if n == 0 {
                                0.0
                            } else {
                                0.12 + 0.88 * (n as f64).ln_1p() / max.ln_1p()
                            };
                            h("td")
                                .class("cell")
                                .attr("style", format!("--a:{a:.2}"))
                                .text(if n > 0 {
                                    compact_count(n as f64)
                                } else {
                                    String::new()
                                })
                        })
                        .collect(),
                )
        })
        .collect();
    h("div").class("matrix-wrap").child(
        h("table")
            .class("matrix")
            .testid("matrix")
            .child(h("thead").child(head))
            .child(h("tbody").children(rows)),
    )
}
