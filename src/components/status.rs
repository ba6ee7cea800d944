//! Loading, empty, error and stale states, the same in every panel.

use crate::i18n::{t, tf, Msg};
use crate::state::loader::Load;
use leptos::prelude::*;
use lookout_core::ApiError;

/// Words a user can act on for an error (server text is clipped and shown as text only).
pub fn error_text(e: &ApiError) -> String {
    let origin = crate::api::client::page_origin();
    match e {
        ApiError::InvalidOrigin { origin: o } => tf(Msg::ErrInvalidOrigin, &[o, &origin]),
        ApiError::Unauthorized { .. } => t(Msg::ErrUnauthorized).into(),
        ApiError::Forbidden { .. } => t(Msg::ErrForbidden).into(),
        ApiError::NotFound { path } => tf(Msg::ErrNotFound, &[path]),
        ApiError::RateLimited { .. } => t(Msg::ErrRateLimited).into(),
        ApiError::Server { status } => tf(Msg::ErrServer, &[&status.to_string()]),
        ApiError::Rejected { status, detail } => tf(
            Msg::ErrRejected,
            &[&status.to_string(), detail.as_deref().unwrap_or("")],
        ),
        ApiError::Network => t(Msg::ErrNetwork).into(),
        ApiError::Timeout => t(Msg::ErrTimeout).into(),
        ApiError::NotJson {
            status,
            content_type,
        } => tf(Msg::ErrNotJson, &[&status.to_string(), content_type]),
        ApiError::Shape { detail } => tf(Msg::ErrShape, &[detail]),
        ApiError::TooLarge { limit_mb } => tf(Msg::ErrTooLarge, &[&limit_mb.to_string()]),
        ApiError::Aborted => t(Msg::ErrAborted).into(),
        ApiError::Config { detail } => tf(Msg::ErrConfig, &[detail]),
    }
}

/// An error box.
#[component]
pub fn ErrorBox(#[prop(into)] error: Signal<Option<ApiError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            let code = e.code();
            let text = lookout_core::text::clip_display(&error_text(&e), 1200);
            view! { <div class="error" role="alert" data-testid="error" data-error=code>{text}</div> }
        })
    }
}

/// `hh:mm` of a time in ms since the epoch, in the browser's zone.
pub fn clock_text(ms: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
}

/// The state line of a panel: a spinner while loading without data, the error (with the last
/// good data kept and marked stale), or nothing.
#[component]
pub fn PanelState(
    #[prop(into)] loading: Signal<bool>,
    #[prop(into)] error: Signal<Option<ApiError>>,
    #[prop(into)] has_data: Signal<bool>,
    #[prop(into)] updated: Signal<Option<f64>>,
    #[prop(into, optional)] empty: Signal<bool>,
) -> impl IntoView {
    view! {
        <Show when=move || loading.get() && !has_data.get()>
            <div class="loading" data-testid="loading" aria-busy="true">{t(Msg::Loading)}</div>
        </Show>
        <Show when=move || has_data.get() && error.with(Option::is_some)>
            <div class="stale" data-testid="stale">
                {move || tf(Msg::StaleSince, &[&updated.get().map(clock_text).unwrap_or_default()])}
            </div>
        </Show>
        <ErrorBox error=error />
        <Show when=move || empty.get() && has_data.get() && error.with(Option::is_none)>
            <div class="empty" data-testid="empty">{t(Msg::NoData)}</div>
        </Show>
    }
}

/// [`PanelState`] for a [`Load`].
pub fn load_state<T: Send + Sync + 'static>(
    load: Load<T>,
    empty: impl Fn(&T) -> bool + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <PanelState
            loading=load.loading
            error=load.error
            has_data=Signal::derive(move || load.data.with(Option::is_some))
            updated=load.updated
            empty=Signal::derive(move || load.data.with(|d| d.as_deref().is_some_and(&empty)))
        />
    }
}

/// Marks the first moment real data was painted (read by the benchmark): after the frame that
/// shows it, not inside `requestAnimationFrame` (which runs before the paint).
pub fn mark_first_data() {
    thread_local!(static DONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if DONE.with(|d| d.replace(true)) {
        return;
    }
    crate::state::progress::after_paint(Box::new(|| {
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            let _ = p.mark("lookout:first-data");
        }
    }));
}
