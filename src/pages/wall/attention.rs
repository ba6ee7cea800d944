//! The attention strip: what changed in any source since its previous refresh (new issues,
//! regressions, an issue reaching a server for the first time), newest first, each a link to
//! the issue. What changed is decided in `lookout_core::wall`; here it is worded and kept.

use super::feed::Feed;
use crate::components::dom::{h, untrusted, H};
use crate::components::status::clock_text;
use crate::i18n::{t, tf, Msg};
use leptos::prelude::*;
use lookout_core::query::percent_encode;
use lookout_core::wall::{attention, AttentionKind, Change, Snapshot};
use std::collections::VecDeque;

/// The most items the strip keeps.
const STRIP: usize = 20;
/// How long a new item flashes (ms).
const FLASH_MS: f64 = 4000.0;

/// Something worth a glance.
#[derive(Clone, Debug, PartialEq)]
pub struct Attention {
    pub at: f64,
    pub source: String,
    pub text: String,
    pub href: String,
}

/// One change worded for the strip, linking to its issue in its source.
fn item(source: &str, c: Change, at: f64) -> Attention {
    let text = match c.kind {
        AttentionKind::NewIssue => {
            format!("{}: {}", t(Msg::NewIssueFlag), untrusted(&c.title, 100))
        }
        AttentionKind::Regression => {
            format!("{}: {}", t(Msg::RegressionFlag), untrusted(&c.title, 100))
        }
        AttentionKind::NewServer(s) => format!(
            "{}: {}",
            tf(Msg::NewServerFlag, &[&untrusted(&s, 40)]),
            untrusted(&c.title, 100)
        ),
    };
    let href = format!(
        "{}?source={}",
        crate::href(&format!("/issues/{}", percent_encode(&c.id))),
        percent_encode(source)
    );
    Attention {
        at,
        source: source.to_owned(),
        text,
        href,
    }
}

/// Compares each source's fresh figures with its previous ones whenever they change, and puts
/// what changed at the front of `strip`.
pub fn watch(
    feeds: StoredValue<Vec<(String, Feed)>, LocalStorage>,
    strip: RwSignal<VecDeque<Attention>>,
) {
    let count = feeds.with_value(Vec::len);
    let snapshots: StoredValue<Vec<Option<Snapshot>>> = StoredValue::new(vec![None; count]);
    Effect::new(move |_| {
        let now = js_sys::Date::now();
        let current: Vec<(String, Option<Snapshot>)> = feeds.with_value(|f| {
            f.iter()
                .map(|(name, feed)| {
                    let approx = feed.series.data.get().and_then(|s| s.1.clone());
                    let e = approx.or_else(|| feed.extras.data.get().map(|e| (*e).clone()));
                    (name.clone(), e.map(|e| Snapshot::of(&e)))
                })
                .collect()
        });
        let mut fresh = Vec::new();
        snapshots.update_value(|old| {
            for (i, (name, cur)) in current.into_iter().enumerate() {
                let name: String = name;
                let Some(after) = cur else { continue };
                if let Some(Some(before)) = old.get(i) {
                    fresh.extend(
                        attention(before, &after)
                            .into_iter()
                            .map(|c| item(&name, c, now)),
                    );
                }
                if let Some(slot) = old.get_mut(i) {
                    *slot = Some(after);
                }
            }
        });
        if !fresh.is_empty() {
            strip.update(|s| {
                for a in fresh {
                    s.push_front(a);
                }
                s.truncate(STRIP);
            });
        }
    });
}

/// The strip, newest first; items younger than a few seconds flash.
pub fn strip_view(strip: &VecDeque<Attention>, multi: bool) -> Vec<H> {
    let now = js_sys::Date::now();
    let items: Vec<H> = strip
        .iter()
        .map(|a| {
            let mut el = h("a")
                .class(if now - a.at < FLASH_MS {
                    "item flash"
                } else {
                    "item"
                })
                .attr("href", a.href.clone())
                .testid("attention")
                .text(format!("{} ", clock_text(a.at)));
            if multi {
                el = el.child(h("span").class("badge").cut(&a.source, 30));
            }
            el.text(format!(" {}", a.text))
        })
        .collect();
    if items.is_empty() {
        return Vec::new();
    }
    let since = strip.back().map(|a| clock_text(a.at)).unwrap_or_default();
    vec![h("div")
        .class("strip")
        .testid("strip")
        .child(h("b").text(tf(Msg::NewSince, &[&since])))
        .children(items)]
}
