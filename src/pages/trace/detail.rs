//! The selected span's details: timing, tags, data and its errors (text only).

use crate::components::dom::{h, link, untrusted, H};
use crate::i18n::{t, Msg};
use crate::state::view::{scoped_href, ViewScope};
use lookout_core::format::duration_ms;
use lookout_core::query::percent_encode;
use lookout_core::waterfall::Trace;

pub fn detail_view(tr: &Trace, i: usize, scope: &ViewScope) -> H {
    let s = &tr.spans[i];
    let mut rows = vec![
        (t(Msg::Operation).to_owned(), s.op.clone()),
        (t(Msg::Description).to_owned(), s.description.clone()),
        (t(Msg::Duration).to_owned(), duration_ms(s.duration_ms())),
        (t(Msg::SelfTime).to_owned(), duration_ms(tr.self_ms[i])),
        (t(Msg::Project).to_owned(), s.project.clone()),
        (
            t(Msg::ColServer).to_owned(),
            s.server.clone().unwrap_or_else(|| "–".into()),
        ),
        ("span_id".into(), s.id.clone()),
    ];
    if let Some(st) = &s.status {
        rows.push((t(Msg::Status).into(), st.clone()));
    }
    if let Some(tx) = &s.transaction {
        rows.push((t(Msg::ColTransaction).into(), tx.clone()));
    }
    rows.extend(s.tags.iter().take(50).cloned());
    rows.extend(s.data.iter().take(50).cloned());
    let errors: Vec<H> = s
        .errors
        .iter()
        .map(|e| {
            let label = format!(
                "{} {}",
                e.short_id.clone().unwrap_or_default(),
                untrusted(&e.title, 200)
            );
            match &e.issue_id {
                Some(id) => link(
                    &scoped_href(
                        &crate::href(&format!("/issues/{}", percent_encode(id))),
                        scope,
                        &[],
                    ),
                    label,
                )
                .testid("span-error-link"),
                None => h("span").text(label),
            }
        })
        .collect();
    h("section")
        .class("panel span-detail")
        .testid("span-detail")
        .child(h("h2").text(t(Msg::SpanDetails)))
        .child(
            h("dl").class("kv").children(
                rows.into_iter()
                    .flat_map(|(k, v)| [h("dt").cut(&k, 80), h("dd").cut(&v, 400)])
                    .collect(),
            ),
        )
        .children(errors.into_iter().map(|e| h("div").child(e)).collect())
}
