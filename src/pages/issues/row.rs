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

/// What the second request's answer decides in a row: the sparkline's values, the users, and the
/// Servers cell (its text, its whole list as the title, whether it is still being asked for).
pub struct Extra {
    spark: Vec<f64>,
    users: u64,
    servers: String,
    servers_title: Option<String>,
    pending: bool,
}

pub fn extra(i: &IssueDto, d: Option<&IssueExtras>) -> Extra {
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
    Extra {
        spark,
        users: d
            .and_then(|d| d.users.get(&i.id).copied())
            .unwrap_or(i.user_count),
        // "…", marked, while the servers are being asked for; "–" when none.
        servers: match (servers, d) {
            (Some(s), _) => s,
            (None, Some(_)) => "–".into(),
            (None, None) => "…".into(),
        },
        servers_title,
        pending: d.is_none(),
    }
}

/// Writes the second request's answer into a drawn row (`tr`): its sparkline, users and Servers
/// cells, in place. Drawing the whole list again for it was a second full render of 100 rows,
/// and it usually landed before the first paint.
pub fn patch(tr: &web_sys::Element, x: &Extra) {
    let cells: Vec<web_sys::Element> =
        std::iter::successors(tr.first_element_child(), |c| c.next_element_sibling()).collect();
    // The cells in `row`'s order: issue, sparkline, events, users, servers, seen.
    let [_, spark, _, users, servers, ..] = &cells[..] else {
        return;
    };
    let (area, line) = sparkline::paths(&x.spark);
    let paths: Vec<web_sys::Element> = spark
        .first_element_child()
        .into_iter()
        .flat_map(|svg| {
            std::iter::successors(svg.first_element_child(), |c| c.next_element_sibling())
        })
        .collect();
    if let [a, l] = &paths[..] {
        let _ = a.set_attribute("d", &area);
        let _ = l.set_attribute("d", &line);
    }
    users.set_text_content(Some(&lookout_core::format::grouped_count(x.users)));
    match &x.servers_title {
        Some(t) => {
            let _ = servers.set_attribute("title", t);
        }
        None => {
            let _ = servers.remove_attribute("title");
        }
    }
    if !x.pending {
        let _ = servers.remove_attribute("data-pending");
        let _ = servers.remove_attribute("aria-busy");
    }
    servers.set_text_content(Some(&x.servers));
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
    let x = extra(i, d);
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
            h("td").child(sparkline::svg(&x.spark)),
            h("td")
                .class("num")
                .text(lookout_core::format::grouped_count(i.count)),
            h("td")
                .class("num")
                .text(lookout_core::format::grouped_count(x.users)),
            h("td")
                .class("servers-cell")
                .testid("issue-servers")
                .attr_if(
                    x.servers_title.is_some(),
                    "title",
                    x.servers_title.unwrap_or_default(),
                )
                .attr_if(x.pending, "data-pending", "")
                .attr_if(x.pending, "aria-busy", "true")
                .text(x.servers),
            h("td")
                .class("small")
                .child(ago(i.lifetime_last_seen(), now))
                .text(" / ")
                .child(ago(i.lifetime_first_seen(), now)),
        ])
}
