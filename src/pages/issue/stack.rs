//! The exception chain and its stack frames (in-app frames first, bounded).

use super::event::{flatten, kv};
use crate::components::dom::{h, untrusted, H};
use crate::i18n::{t, tf, Msg};
use leptos::prelude::*;
use lookout_core::model::{ExceptionValue, Frame};
use std::collections::HashSet;

/// Frames shown before "show more" (per exception).
pub const FRAMES: usize = 50;
/// Breadcrumbs shown before "show more" (the most recent).
pub const CRUMBS: usize = 100;
/// Characters of a message shown before "show more".
pub const MESSAGE: usize = 4000;
/// Characters of one value (variables, data, headers).
pub const VALUE: usize = 400;
/// Keys shown per object, and nesting shown.
pub const KEYS: usize = 50;
pub const DEPTH: usize = 3;

/// UI state of the event view (what is expanded, how much is shown).
#[derive(Clone, Copy)]
pub struct EventUi {
    pub frames: RwSignal<usize>,
    pub crumbs: RwSignal<usize>,
    pub message: RwSignal<usize>,
    pub open_frames: RwSignal<HashSet<(usize, usize)>>,
    pub open_groups: RwSignal<HashSet<(usize, usize)>>,
    pub level: RwSignal<String>,
    pub category: RwSignal<String>,
}

pub fn more_button(testid: &'static str, hidden: usize, f: impl Fn() + 'static) -> Option<H> {
    (hidden > 0).then(|| {
        h("button")
            .class("ghost")
            .testid(testid)
            .text(tf(Msg::ShowMore, &[&hidden.to_string()]))
            .on("click", move |_| f())
    })
}

pub fn frame_view(f: &Frame, exc: usize, i: usize, ui: EventUi) -> H {
    let open = ui.open_frames.with(|s| s.contains(&(exc, i)));
    let line = f
        .line_no
        .map(|l| format!(":{}", l as u64))
        .unwrap_or_default();
    let col = f
        .col_no
        .map(|c| format!(":{}", c as u64))
        .unwrap_or_default();
    let func = f.function.as_deref().unwrap_or("?");
    let head = h("div")
        .class("frame-head")
        .text(format!(
            "{}  {}{}{}",
            untrusted(func, 200),
            untrusted(f.file_label(), 200),
            line,
            col
        ))
        .on("click", move |_| {
            ui.open_frames.update(|s| {
                if !s.remove(&(exc, i)) {
                    s.insert((exc, i));
                }
            })
        });
    let mut el = h("div")
        .class(if f.is_in_app() {
            "frame app"
        } else {
            "frame sys"
        })
        .testid("frame")
        .child(head);
    if open {
        if !f.context.is_empty() {
            let hit = f.line_no.map(|l| l as u64);
            el = el.child(
                h("div").class("ctx").children(
                    f.context
                        .iter()
                        .take(40)
                        .map(|(n, text)| {
                            h("div")
                                .class(if Some(*n) == hit { "line hit" } else { "line" })
                                .child(h("span").class("no").text(n.to_string()))
                                .child(h("span").cut(text, VALUE))
                        })
                        .collect(),
                ),
            );
        }
        if let Some(vars) = &f.vars {
            let mut rows = Vec::new();
            flatten("", vars, 0, &mut rows);
            if !rows.is_empty() {
                el = el
                    .child(h("div").class("muted small").text(t(Msg::Variables)))
                    .child(kv(rows));
            }
        }
    }
    el
}

pub fn stack_view(frames: &[Frame], exc: usize, ui: EventUi) -> Vec<H> {
    // Most recent call first; runs of system frames collapse into one line.
    let ordered: Vec<(usize, &Frame)> = frames.iter().enumerate().rev().collect();
    let limit = ui.frames.get();
    let mut out = Vec::new();
    let mut k = 0;
    while k < ordered.len() && k < limit {
        let (i, f) = ordered[k];
        if f.is_in_app() {
            out.push(frame_view(f, exc, i, ui));
            k += 1;
            continue;
        }
        let start = k;
        while k < ordered.len() && !ordered[k].1.is_in_app() {
            k += 1;
        }
        let group = (exc, start);
        if ui.open_groups.with(|g| g.contains(&group)) {
            out.extend(
                ordered[start..k]
                    .iter()
                    .map(|(i, f)| frame_view(f, exc, *i, ui)),
            );
        } else {
            let n = k - start;
            out.push(
                h("button")
                    .class("linkish sysgroup")
                    .testid("system-frames")
                    .text(tf(Msg::SystemFrames, &[&n.to_string()]))
                    .on("click", move |_| {
                        ui.open_groups.update(|g| {
                            g.insert(group);
                        })
                    }),
            );
        }
    }
    out.extend(more_button(
        "more-frames",
        ordered.len().saturating_sub(k),
        move || ui.frames.update(|f| *f += 200),
    ));
    out
}

pub fn exception_view(values: &[ExceptionValue], ui: EventUi) -> H {
    // Values are oldest first; the last one is what was raised.
    let mut kids = vec![h("h2").text(t(Msg::Exception))];
    for (pos, (idx, e)) in values.iter().enumerate().rev().enumerate() {
        let label = if pos == 0 {
            t(Msg::Raised)
        } else {
            t(Msg::CausedBy)
        };
        let handled = e.mechanism.as_ref().and_then(|m| m.handled);
        kids.push(h("div").class("muted small").text(format!(
            "{label}{}",
            match handled {
                Some(false) => format!(" · {}", t(Msg::Unhandled)),
                Some(true) => format!(" · {}", t(Msg::Handled)),
                None => String::new(),
            }
        )));
        kids.push(
            h("div")
                .class("exc-type")
                .testid("exc-type")
                .cut(e.kind.as_deref().unwrap_or("Error"), 200),
        );
        kids.push(
            h("div")
                .class("exc-value")
                .cut(e.value.as_deref().unwrap_or(""), MESSAGE),
        );
        match &e.stacktrace {
            Some(st) if !st.frames.is_empty() => kids.extend(stack_view(&st.frames, idx, ui)),
            _ => kids.push(h("p").class("muted").text(t(Msg::NoStack))),
        }
    }
    h("section")
        .class("panel")
        .testid("exception")
        .children(kids)
}
