//! The issue's header: title, culprit, level, status, counts, first and last seen, releases, links.

use crate::components::dom::{h, link, link_cut, untrusted, H};
use crate::i18n::{t, tf, Msg};
use crate::state::view::{scoped_href, ViewScope};
use lookout_core::format::{date_time, grouped_count};
use lookout_core::model::IssueDto;

pub fn header(issue: &IssueDto, scope: &ViewScope, kind_name: &str) -> H {
    let now = chrono::Utc::now();
    let offset = chrono::Local;
    let when = |tm: Option<chrono::DateTime<chrono::Utc>>| {
        tm.map_or_else(
            || "–".into(),
            |tm| {
                format!(
                    "{} ({})",
                    date_time(tm, &offset),
                    crate::components::age::age_text(tm, now)
                )
            },
        )
    };
    let release = |r: &Option<lookout_core::model::org::ReleaseRef>| {
        r.as_ref().map_or_else(
            || "–".into(),
            |r| untrusted(r.short_version.as_deref().unwrap_or(&r.version), 80),
        )
    };
    let mut links: Vec<H> = Vec::new();
    if let Some(url) = issue
        .permalink
        .as_deref()
        .and_then(lookout_core::text::safe_url)
    {
        links.push(link(&url, tf(Msg::OpenInSource, &[kind_name])).testid("permalink"));
    }
    for a in &issue.annotations {
        links.push(match a.url.as_deref() {
            Some(u) => link_cut(u, &a.text, 80),
            None => h("span").cut(&a.text, 80),
        });
    }
    let cell = |label: Msg, value: String| {
        h("div")
            .child(h("div").class("muted small").text(t(label)))
            .child(h("div").text(value))
    };
    h("section")
        .class("panel")
        .testid("issue-header")
        .children(vec![
            h("div")
                .child(h("span").class(format!("lvl lvl-{}", issue.level.class())))
                .child(h("span").class("muted").text(format!(
                    "{} · {}",
                    issue.short_id,
                    untrusted(issue.level.as_str(), 20)
                )))
                .child_opt(
                    issue
                        .is_unhandled
                        .then(|| h("span").class("badge").text(t(Msg::Unhandled))),
                ),
            h("h1")
                .class("page-title")
                .testid("issue-title")
                .cut(&issue.title, 500),
            h("div")
                .class("culprit")
                .cut(issue.culprit.as_deref().unwrap_or(""), 300),
            h("div").class("header-grid").children(vec![
                cell(
                    Msg::Status,
                    untrusted(
                        &format!(
                            "{} {}",
                            issue.status.as_str(),
                            issue.substatus.as_ref().map_or("", |s| s.as_str())
                        ),
                        60,
                    ),
                ),
                cell(Msg::ColEvents, grouped_count(issue.lifetime_count())),
                cell(
                    Msg::ColUsers,
                    grouped_count(
                        issue
                            .lifetime
                            .as_ref()
                            .map_or(issue.user_count, |l| l.user_count.max(issue.user_count)),
                    ),
                ),
                cell(Msg::FirstSeen, when(issue.lifetime_first_seen())),
                cell(Msg::LastSeen, when(issue.lifetime_last_seen())),
                cell(Msg::FirstRelease, release(&issue.first_release)),
                cell(Msg::LastRelease, release(&issue.last_release)),
            ]),
            h("div").class("row").children(links),
            h("a")
                .attr("href", scoped_href(&crate::href("/issues"), scope, &[]))
                .class("small")
                .text(format!("← {}", t(Msg::IssuesTitle))),
        ])
}
