//! `use_load`: data for one panel, refetched when its query or its source's clock changes.
//!
//! A new query clears the panel (old data would answer a different question); a refresh of the
//! same query keeps the last good data visible and marks it stale if the refresh fails. Requests
//! of a superseded query, or of a view that went away, are aborted.

use crate::api::client::Cancel;
use leptos::prelude::*;
use leptos::task::spawn_local;
use lookout_core::ApiError;
use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;

/// The state of one loaded thing.
pub struct Load<T: Send + Sync + 'static> {
    pub data: RwSignal<Option<Arc<T>>>,
    pub error: RwSignal<Option<ApiError>>,
    pub loading: RwSignal<bool>,
    /// When the data shown was fetched (ms since the epoch).
    pub updated: RwSignal<Option<f64>>,
}

impl<T: Send + Sync + 'static> Clone for Load<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Load<T> {}

impl<T: Send + Sync + 'static> Load<T> {
    /// An empty state (nothing asked yet).
    pub fn new() -> Self {
        Load {
            data: RwSignal::new(None),
            error: RwSignal::new(None),
            loading: RwSignal::new(false),
            updated: RwSignal::new(None),
        }
    }

    /// Whether the data shown is older than a failed refresh.
    pub fn is_stale(&self) -> bool {
        self.data.with(Option::is_some) && self.error.with(Option::is_some)
    }
}

impl<T: Send + Sync + 'static> Default for Load<T> {
    fn default() -> Self {
        Self::new()
    }
}

type Run = Rc<dyn Fn(Rc<dyn Any>, Cancel) -> Pin<Box<dyn Future<Output = Result<(), ApiError>>>>>;

/// Loads `fetch(query)` whenever `query()` changes, and again on every `tick()` change. `query`
/// returns `None` while prerequisites are missing. `report` hears every outcome (the clock uses it
/// for backoff and the stale badge).
///
/// Only a thin shim is generic; the effect, aborts and bookkeeping are compiled once (every call
/// site used to monomorphize all of it, which dominated the WebAssembly size).
pub fn use_load<Q, T, F, Fut>(
    query: impl Fn() -> Option<Q> + 'static,
    tick: impl Fn() -> u64 + 'static,
    fetch: F,
    report: impl Fn(&Result<(), ApiError>) + 'static,
) -> Load<T>
where
    Q: Clone + PartialEq + 'static,
    T: Send + Sync + 'static,
    F: Fn(Q, Cancel) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let load = Load::<T>::new();
    let data = load.data;
    let run: Run = Rc::new(move |q: Rc<dyn Any>, cancel: Cancel| {
        let q = q.downcast_ref::<Q>().cloned();
        let fut = q.map(|q| fetch(q, cancel.clone()));
        Box::pin(async move {
            let v = fut.ok_or(ApiError::Aborted)?.await?;
            if !cancel.is_aborted() {
                data.set(Some(Arc::new(v)));
            }
            Ok(())
        })
    });
    erased(
        Parts {
            error: load.error,
            loading: load.loading,
            updated: load.updated,
            clear: Box::new(move || data.set(None)),
        },
        Box::new(move || query().map(|q| Rc::new(q) as Rc<dyn Any>)),
        |a, b| a.downcast_ref::<Q>() == b.downcast_ref::<Q>(),
        Box::new(tick),
        run,
        Rc::new(report),
    );
    load
}

struct Parts {
    error: RwSignal<Option<ApiError>>,
    loading: RwSignal<bool>,
    updated: RwSignal<Option<f64>>,
    clear: Box<dyn Fn()>,
}

#[allow(clippy::type_complexity)]
fn erased(
    parts: Parts,
    query: Box<dyn Fn() -> Option<Rc<dyn Any>>>,
    same: fn(&dyn Any, &dyn Any) -> bool,
    tick: Box<dyn Fn() -> u64>,
    run: Run,
    report: Rc<dyn Fn(&Result<(), ApiError>)>,
) {
    let Parts {
        error,
        loading,
        updated,
        clear,
    } = parts;
    live_loaders(1);
    let current: StoredValue<Option<(Rc<dyn Any>, Cancel, u64)>, LocalStorage> =
        StoredValue::new_local(None);
    let abort_current = move || {
        if let Some(Some((_, c, _))) = current.try_update_value(Option::take) {
            c.abort();
        }
    };
    Effect::new(move |_| {
        let q = query();
        let t = tick();
        let Some(q) = q else {
            abort_current();
            loading.set(false);
            return;
        };
        let (same_query, same_tick) = current.with_value(|c| match c {
            Some((old, _, old_t)) => (same(&**old, &*q), *old_t == t),
            None => (false, false),
        });
        if same_query && same_tick {
            return;
        }
        abort_current();
        if !same_query {
            clear();
            error.set(None);
            updated.set(None);
        }
        let cancel = Cancel::new();
        current.set_value(Some((q.clone(), cancel.clone(), t)));
        loading.set(true);
        let (run, report) = (run.clone(), report.clone());
        super::progress::load_started();
        spawn_local(async move {
            let result = run(q, cancel.clone()).await;
            super::progress::load_settled(
                cancel.is_aborted() || matches!(result, Ok(()) | Err(ApiError::Aborted)),
            );
            if cancel.is_aborted() {
                return;
            }
            match result {
                Ok(()) => {
                    error.set(None);
                    updated.set(Some(js_sys::Date::now()));
                    report(&Ok(()));
                }
                Err(ApiError::Aborted) => {}
                Err(e) => {
                    report(&Err(e.clone()));
                    error.set(Some(e));
                }
            }
            loading.set(false);
        });
    });
    on_cleanup(move || {
        live_loaders(-1);
        if let Some(Some((_, c, _))) = current.try_update_value(Option::take) {
            c.abort();
        }
    });
}

thread_local!(static LIVE: std::cell::Cell<i64> = const { std::cell::Cell::new(0) });

/// Counts mounted loaders and publishes the count as `window.__lookoutLoaders`, so tests can
/// check that a page leaves nothing polling behind when it goes away.
fn live_loaders(delta: i64) {
    let n = LIVE.with(|l| {
        l.set(l.get() + delta);
        l.get()
    });
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &"__lookoutLoaders".into(), &(n as f64).into());
    }
}
