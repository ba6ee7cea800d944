//! When a refresh has finished and been painted.
//!
//! Every clock tick starts a refresh; every loader run counts as in flight until it settles (data,
//! error or abort). When nothing is in flight any more and a tick is pending, the refresh is
//! complete once the browser has painted the frame that shows it. The counts are published on
//! `window` (`__lookoutTicks`, `__lookoutRefreshes`, `__lookoutFailedLoads`, and
//! `__lookoutLoading`: loads in flight now) and the last
//! completion as the `lookout:refresh` performance mark (one at a time): a wall's health can be
//! read from outside, and tests and the benchmark count whole refreshes instead of guessing from
//! request bursts.

use std::cell::Cell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

#[derive(Default)]
struct Progress {
    in_flight: Cell<u32>,
    pending_ticks: Cell<u64>,
    ticks: Cell<u64>,
    done: Cell<u64>,
    failed: Cell<u64>,
    check_scheduled: Cell<bool>,
}

thread_local!(static P: Progress = Progress::default());

/// Whether loads are in flight: a clock does not start a refresh over a running one (it would
/// abort it and start again, and on a slow network never finish). A hung request ends at the
/// client's timeout, so a refresh is held back at most that long.
pub fn busy() -> bool {
    P.with(|p| p.in_flight.get() > 0)
}

/// A clock ticked: a refresh begins.
pub fn tick_started() {
    P.with(|p| {
        p.ticks.set(p.ticks.get() + 1);
        p.pending_ticks.set(p.pending_ticks.get() + 1);
    });
    publish();
    // The loaders that depend on the tick start on the next reactive flush; look after them.
    schedule_check();
}

/// A loader began fetching.
pub fn load_started() {
    P.with(|p| p.in_flight.set(p.in_flight.get() + 1));
    publish();
}

/// A loader's fetch settled (`ok` false for an error; an abort counts as settled and fine).
pub fn load_settled(ok: bool) {
    P.with(|p| {
        p.in_flight.set(p.in_flight.get().saturating_sub(1));
        if !ok {
            p.failed.set(p.failed.get() + 1);
        }
    });
    publish();
    schedule_check();
}

fn schedule_check() {
    if P.with(|p| p.check_scheduled.replace(true)) {
        return;
    }
    after_task(Box::new(|| {
        P.with(|p| p.check_scheduled.set(false));
        if idle_with_pending() {
            after_paint(Box::new(|| {
                // New loads may have started meanwhile: then a later settle completes it.
                if idle_with_pending() {
                    P.with(|p| {
                        p.done.set(p.done.get() + p.pending_ticks.replace(0));
                    });
                    publish();
                    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
                        perf.clear_marks_with_mark_name("lookout:refresh");
                        let _ = perf.mark("lookout:refresh");
                    }
                }
            }));
        }
    }));
}

fn idle_with_pending() -> bool {
    P.with(|p| p.in_flight.get() == 0 && p.pending_ticks.get() > 0)
}

fn publish() {
    let Some(w) = web_sys::window() else {
        return;
    };
    let (ticks, done, failed, loading) = P.with(|p| {
        (
            p.ticks.get(),
            p.done.get(),
            p.failed.get(),
            u64::from(p.in_flight.get()),
        )
    });
    for (k, v) in [
        ("__lookoutTicks", ticks),
        ("__lookoutRefreshes", done),
        ("__lookoutFailedLoads", failed),
        ("__lookoutLoading", loading),
    ] {
        let _ = js_sys::Reflect::set(&w, &k.into(), &(v as f64).into());
    }
}

/// Runs `f` in a task of its own (after the current one and its microtasks, so after the
/// reactive effects a change has scheduled).
fn after_task(f: Box<dyn FnOnce()>) {
    if let Some(w) = web_sys::window() {
        let cb = Closure::once_into_js(f);
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 0);
    }
}

/// Runs `f` once the browser has painted the next frame: a task queued from inside
/// `requestAnimationFrame` runs after that frame's paint (a mark inside the animation frame
/// callback itself would come before the paint).
pub fn after_paint(f: Box<dyn FnOnce()>) {
    let Some(w) = web_sys::window() else {
        return;
    };
    let cb = Closure::once_into_js(move || after_task(f));
    let _ = w.request_animation_frame(cb.unchecked_ref());
}
