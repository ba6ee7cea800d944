//! One row of the issue list: level, title and culprit, status, the servers it hit (top three
//! and "+N"), events and users, a sparkline, first and last seen.

use crate::api::issues::IssueExtras;
use crate::components::age::ago;
use crate::components::dom::{h, link_cut, untrusted, H};
use crate::components::sparkline;
use crate::i18n::{t, Msg};
use crate::state::view::{scoped_href, ViewScope};
use lookout_core::model::IssueDto;
use lookout_core::query::percent_encode;
use lookout_core::vocab::Status;

pub fn issue_href(scope: &ViewScope, id: &str) -> String {
    scoped_href(
        &crate::href(&format!("/issues/{}", percent_encode(id))),
        scope,
        &[],
    )
}

pub fn row(
    scope: &ViewScope,
    i: &IssueDto,
    // The second request's answer, once it is in.
    d: Option<&IssueExtras>,
    selected: bool,
    is_new: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> H {
    let spark: Vec<f64> = match d.and_then(|d| d.sparks.get(&i.id)) {
        Some(p) => p.iter().map(|p| p.1).collect(),
        None => i.sparkline().iter().map(|p| p.1).collect(),
    };
    // The whole list (every server, whole names) as the cell's title.
    let listed = d.and_then(|d| d.servers.get(&i.id));
    let servers_title = listed.map(|list| {
        let all: Vec<String> = list
            .iter()
            .map(|(s, n)| format!("{} ({n})", untrusted(s, 200)))
            .collect();
        crate::components::dom::bounded(&all.join(", "))
    });
    let servers = listed.map(|list| {
        let shown: Vec<String> = list
            .iter()
            .take(3)
            .map(|(s, n)| {
                format!(
                    "{} ({})",
                    untrusted(s, 40),
                    lookout_core::format::compact_count(*n as f64)
                )
            })
            .collect();
        let more = list.len().saturating_sub(3);
        if more > 0 {
            format!("{} +{more}", shown.join(", "))
        } else {
            shown.join(", ")
        }
    });
    let mut cls = String::new();
    if selected {
        cls.push_str("sel ");
    }
    if is_new {
        cls.push_str("new");
    }
    let mut title = h("div")
        .child(
            h("span")
                .class(format!("lvl lvl-{}", i.level.class()))
                .attr("title", untrusted(i.level.as_str(), 40)),
        )
        .child(link_cut(&issue_href(scope, &i.id), &i.title, 300).class("issue-title"));
    if is_new {
        title = title.child(
            h("span")
                .class("badge")
                .testid("new-badge")
                .text(t(Msg::NewSinceRefresh)),
        );
    }
    if i.is_unhandled {
        title = title.child(h("span").class("badge").text(t(Msg::Unhandled)));
    }
    if i.status != Status::Unresolved && !i.status.as_str().is_empty() {
        title = title.child(h("span").class("badge").cut(i.status.as_str(), 30));
    }
    h("tr")
        .testid("issue-row")
        .attr("data-id", i.id.clone())
        .attr_if(!cls.is_empty(), "class", cls)
        .children(vec![
            h("td").child(title).child(
                match i.culprit.as_deref().filter(|c| !c.trim().is_empty()) {
                    Some(c) => h("div")
                        .class("culprit")
                        .text(format!("{} · ", i.short_id))
                        .cut(c, 200),
                    // GlitchTip's lists send an empty culprit.
                    None => h("div").class("culprit").text(i.short_id.clone()),
                },
            ),
            h("td").child(sparkline::svg(&spark)),
            h("td")
                .class("num")
                .text(lookout_core::format::grouped_count(i.count)),
            h("td")
                .class("num")
                .text(lookout_core::format::grouped_count(
                    d.and_then(|d| d.users.get(&i.id).copied())
                        .unwrap_or(i.user_count),
                )),
            h("td")
                .class("servers-cell")
                .testid("issue-servers")
                .attr_if(
                    servers_title.is_some(),
                    "title",
                    servers_title.unwrap_or_default(),
                )
                // "…", marked, while the servers are being asked for; "–" when none.
                .attr_if(d.is_none(), "data-pending", "")
                .attr_if(d.is_none(), "aria-busy", "true")
                .text(match (servers, d) {
                    (Some(s), _) => s,
                    (None, Some(_)) => "–".into(),
                    (None, None) => "…".into(),
                }),
            h("td")
                .class("small")
                .child(ago(i.lifetime_last_seen(), now))
                .text(" / ")
                .child(ago(i.lifetime_first_seen(), now)),
        ])
}
