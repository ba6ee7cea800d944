//! One waterfall row: the span's name, service and server, its bar on the time axis, its errors.

use super::ROW;
use crate::charts::canvas::{color_of, hex};
use crate::components::dom::{h, untrusted, H};
use crate::i18n::{t, Msg};
use lookout_core::format::duration_ms;
use lookout_core::waterfall::{bar, Trace, TraceSpan};

/// How one waterfall row is marked.
#[derive(Clone, Copy)]
pub struct RowFlags {
    pub collapsed: bool,
    pub selected: bool,
    pub hit: bool,
}

/// What the waterfall shows of one span row.
pub fn row_view(
    tr: &Trace,
    i: usize,
    pos: usize,
    flags: RowFlags,
    view: (f64, f64),
    on_pick: impl Fn() + 'static,
    on_toggle: impl Fn() + 'static,
) -> H {
    let RowFlags {
        collapsed,
        selected,
        hit,
    } = flags;
    let s: &TraceSpan = &tr.spans[i];
    let depth = tr.depth[i] as f64;
    let has_kids = !tr.children[i].is_empty();
    let mut cls = "wf-row".to_owned();
    if selected {
        cls.push_str(" sel");
    }
    if hit {
        cls.push_str(" hit");
    }
    let color = hex(color_of(&s.project));
    let label = if s.description.is_empty() {
        s.op.clone()
    } else {
        format!("{} — {}", s.op, s.description)
    };
    let mut lab = h("div")
        .class("wf-label")
        .attr("style", format!("padding-left:{}px", depth * 14.0))
        .attr(
            "title",
            untrusted(&label, crate::components::dom::TITLE_MAX),
        );
    lab = if has_kids {
        lab.child(
            h("span")
                .class("wf-toggle")
                .attr("role", "button")
                .attr(
                    "aria-label",
                    t(if collapsed {
                        Msg::Expand
                    } else {
                        Msg::Collapse
                    }),
                )
                .text(if collapsed { "▸" } else { "▾" })
                .on("click", move |ev| {
                    ev.stop_propagation();
                    on_toggle();
                }),
        )
    } else {
        lab.child(h("span").class("wf-toggle"))
    };
    // An error is read on its row, not only in a tooltip: its title first, in the error colour.
    if let Some(first) = s.errors.first() {
        let more = if s.errors.len() > 1 {
            format!(" +{}", s.errors.len() - 1)
        } else {
            String::new()
        };
        lab = lab.child(
            h("span")
                .class("wf-err")
                .testid("span-error")
                .attr("title", untrusted(&first.title, 200))
                .text(format!("● {}{more}", untrusted(&first.title, 80))),
        );
    }
    lab = lab.text(untrusted(&label, 160));
    if let Some(sv) = &s.server {
        lab = lab.child(h("span").class("muted small").text("  ").cut(sv, 40));
    }
    let mut track = h("div").class("wf-track");
    if let Some((l, w)) = bar(s, view.0, view.1, 0.002) {
        track = track
            .child(h("div").class("wf-bar").attr(
                "style",
                format!(
                    "left:{:.3}%;width:{:.3}%;background:{color}",
                    l * 100.0,
                    w * 100.0
                ),
            ))
            .child(
                h("span")
                    .class("wf-dur")
                    .attr(
                        "style",
                        format!("left:{:.3}%", ((l + w) * 100.0 + 0.4).min(92.0)),
                    )
                    .text(duration_ms(s.duration_ms())),
            );
    }
    h("div")
        .class(cls)
        .testid("wf-row")
        .attr("data-span", s.id.clone())
        .attr("style", format!("top:{}px", pos as f64 * ROW))
        .child(lab)
        .child(track)
        .on("click", move |_| on_pick())
}
