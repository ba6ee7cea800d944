//! Which servers an issue hit: every server's count and share, grouped by cloud and region.

use super::issues_with;
use crate::api::issue::ServerShare;
use crate::components::dom::{h, link_titled, untrusted, H};
use crate::i18n::{tf, Msg};
use crate::state::app::use_app;
use crate::state::view::ViewScope;
use leptos::prelude::*;
use lookout_core::format::{compact_count, grouped_count};

pub fn distribution_view(list: &[ServerShare], scope: &ViewScope) -> H {
    let cfg = use_app().config.get_untracked();
    let total: u64 = list.iter().map(|s| s.count).sum::<u64>().max(1);
    let max = list.iter().map(|s| s.count).max().unwrap_or(1).max(1) as f64;
    let mut groups: Vec<(String, Vec<&ServerShare>)> = Vec::new();
    for s in list {
        let g = cfg
            .group_of(&s.server)
            .map(str::to_owned)
            .unwrap_or_else(|| {
                if s.group.is_empty() {
                    "—".into()
                } else {
                    s.group.clone()
                }
            });
        match groups.iter_mut().find(|x| x.0 == g) {
            Some(x) => x.1.push(s),
            None => groups.push((g, vec![s])),
        }
    }
    lookout_core::sort::sort_by(&mut groups, |a, b| {
        lookout_core::series::natural_cmp(&a.0, &b.0)
    });
    let mut kids = vec![h("h2").text(tf(Msg::AllServersOf, &[&list.len().to_string()]))];
    for (g, servers) in groups {
        let sum: u64 = servers.iter().map(|s| s.count).sum();
        kids.push(h("h3").class("small").text(format!(
            "{} — {}",
            untrusted(&g, 60),
            grouped_count(sum)
        )));
        kids.extend(servers.into_iter().map(|s| {
            let pct = s.count as f64 * 100.0 / total as f64;
            h("div").class("dist-bar").testid("dist-row").children(vec![
                link_titled(&issues_with(scope, "server_name", &s.server), &s.server, 60),
                h("div").class("bar").child(h("span").attr(
                    "style",
                    format!("width:{:.1}%", s.count as f64 * 100.0 / max),
                )),
                h("div")
                    .class("num")
                    .text(format!("{} · {pct:.0}%", compact_count(s.count as f64))),
            ])
        }));
    }
    h("section")
        .class("panel")
        .testid("distribution")
        .children(kids)
}
