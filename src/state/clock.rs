//! The refresh clock: one per source, ticking every `refreshSeconds` while the page is visible,
//! paused while it is hidden (no requests), refreshing at once when it shows again, and backing
//! off after failures.

use leptos::prelude::*;
use lookout_core::ApiError;
use std::collections::HashMap;
use std::time::Duration;

/// The refresh state of one source.
#[derive(Clone, Copy)]
pub struct SourceClock {
    /// Increments on every refresh; loaders depend on it.
    pub tick: RwSignal<u64>,
    /// When the next refresh is due (ms since the epoch).
    pub next_at: RwSignal<f64>,
    /// Consecutive failed refreshes (drives the backoff).
    pub failures: RwSignal<u32>,
    /// The last error of a refresh, if the latest one failed.
    pub last_error: RwSignal<Option<ApiError>>,
    /// When data last arrived from this source (ms since the epoch).
    pub last_ok: RwSignal<Option<f64>>,
}

/// All clocks, and the heartbeat that drives them.
#[derive(Clone, Copy)]
pub struct Clocks {
    /// Now, in ms since the epoch, updated by the heartbeat (for countdowns and ages).
    pub now: RwSignal<f64>,
    /// Whether the page is visible.
    pub visible: RwSignal<bool>,
    /// The refresh period in ms.
    pub period_ms: RwSignal<f64>,
    clocks: StoredValue<HashMap<String, SourceClock>>,
    /// The app's root owner: clocks are created lazily, from any page, but must outlive it.
    owner: StoredValue<Owner>,
}

/// The longest pause after failures.
const MAX_BACKOFF_MS: u64 = 10 * 60 * 1000;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Clocks {
    /// Starts the heartbeat and the visibility listener. `period_ms` is the refresh period.
    pub fn start(period_ms: f64) -> Clocks {
        let visible = RwSignal::new(document_visible());
        let c = Clocks {
            now: RwSignal::new(now_ms()),
            visible,
            period_ms: RwSignal::new(period_ms),
            clocks: StoredValue::new(HashMap::new()),
            owner: StoredValue::new(Owner::current().expect("clocks start under the app's owner")),
        };
        // A heartbeat finer than the period, so fast test periods work too.
        let beat = Duration::from_millis((period_ms / 4.0).clamp(20.0, 1000.0) as u64);
        if let Ok(handle) = set_interval_with_handle(move || c.beat(), beat) {
            on_cleanup(move || handle.clear());
        }
        let listener = window_event_listener(leptos::ev::visibilitychange, move |_| {
            let v = document_visible();
            c.visible.set(v);
            if v {
                // Showing again: refresh whatever is due at once.
                c.beat();
            }
        });
        on_cleanup(move || listener.remove());
        c
    }

    /// The clock of a source (created on first use, first tick due now).
    pub fn of(&self, source: &str) -> SourceClock {
        if let Some(c) = self.clocks.with_value(|m| m.get(source).copied()) {
            return c;
        }
        let period = self.period_ms.get_untracked();
        let c = self.owner.with_value(|o| {
            o.with(|| SourceClock {
                tick: RwSignal::new(0),
                next_at: RwSignal::new(now_ms() + period),
                failures: RwSignal::new(0),
                last_error: RwSignal::new(None),
                last_ok: RwSignal::new(None),
            })
        });
        self.clocks.update_value(|m| {
            m.insert(source.to_owned(), c);
        });
        c
    }

    fn beat(&self) {
        let now = now_ms();
        self.now.set(now);
        // Checked on every beat, not only on `visibilitychange`: no request while hidden.
        let visible = document_visible();
        if visible != self.visible.get_untracked() {
            self.visible.set(visible);
        }
        if !visible {
            return;
        }

        // The previous refresh (or a page's first load) is still under way: the due one waits
        // for it (checked again on the next beat).
        if super::progress::busy() {
            return;
        }
        let period = self.period_ms.get_untracked();
        let due: Vec<SourceClock> = self.clocks.with_value(|m| {
            m.values()
                .copied()
                .filter(|c| c.next_at.get_untracked() <= now)
                .collect()
        });
        for c in due {
            c.next_at.set(now + period);
            super::progress::tick_started();
            c.tick.update(|t| *t += 1);
        }
    }

    /// Refreshes a source now (the refresh button).
    pub fn refresh_now(&self, source: &str) {
        let c = self.of(source);
        c.next_at.set(now_ms() + self.period_ms.get_untracked());
        super::progress::tick_started();
        c.tick.update(|t| *t += 1);
    }
}

impl SourceClock {
    /// Records a successful load.
    pub fn report_ok(&self) {
        if self.failures.get_untracked() != 0 {
            self.failures.set(0);
        }
        if self.last_error.with_untracked(Option::is_some) {
            self.last_error.set(None);
        }
        self.last_ok.set(Some(now_ms()));
    }

    /// Records a failed load; transient failures push the next refresh out with jittered
    /// exponential backoff (and never sooner than a server's `Retry-After`).
    pub fn report_err(&self, e: &ApiError, period_ms: f64) {
        if matches!(e, ApiError::Aborted) {
            return;
        }
        let n = self.failures.get_untracked() + 1;
        self.failures.set(n);
        self.last_error.set(Some(e.clone()));
        if e.is_transient() {
            let retry_after = match e {
                ApiError::RateLimited { retry_after_secs } => *retry_after_secs,
                _ => None,
            };
            let wait = lookout_core::error::backoff_ms(
                n,
                (period_ms as u64).min(60_000),
                MAX_BACKOFF_MS,
                js_sys::Math::random(),
                retry_after,
            );
            let at = now_ms() + wait.max(period_ms as u64 / 2) as f64;
            if at > self.next_at.get_untracked() {
                self.next_at.set(at);
            }
        }
    }
}

/// Whether the page is visible (`document.visibilityState`, read as a property so that test
/// harnesses can emulate a hidden tab).
fn document_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| js_sys::Reflect::get(&d, &"visibilityState".into()).ok())
        .and_then(|v| v.as_string())
        .is_none_or(|v| v != "hidden")
}
