//! Adopting what the head script (`web/prefetch.js`) started before the wasm was ready:
//! `config.json` and each source's first API calls. Each is taken once; a missing or failed one
//! leaves the request to the app.

use js_sys::{Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

fn boot() -> Option<JsValue> {
    let w: JsValue = web_sys::window()?.into();
    let b = Reflect::get(&w, &"__lookoutBoot".into()).ok()?;
    b.is_object().then_some(b)
}

/// Takes `obj[key]` out of `obj`.
fn take(obj: &JsValue, key: &str) -> Option<JsValue> {
    let v = Reflect::get(obj, &key.into()).ok()?;
    let _ = Reflect::delete_property(obj.unchecked_ref::<js_sys::Object>(), &key.into());
    (!v.is_undefined() && !v.is_null()).then_some(v)
}

/// Tells the head script, should it run only now, that the app asks for itself.
pub fn mark_started() {
    if let Some(w) = web_sys::window() {
        let _ = Reflect::set(&w, &"__lookoutStarted".into(), &JsValue::TRUE);
    }
}

/// The response `promise` gave, if it gave one.
async fn response(promise: Promise) -> Option<gloo_net::http::Response> {
    let r = JsFuture::from(promise).await.ok()?;
    Some(r.dyn_into::<web_sys::Response>().ok()?.into())
}

/// `config.json` as the head script fetched it (`None`: not started, or it failed), once the
/// script has also sent the API requests it makes from it.
pub async fn config() -> Option<gloo_net::http::Response> {
    let b = boot()?;
    let p = take(&b, "config")?.dyn_into::<Promise>().ok()?;
    let resp = response(p).await;
    if let Some(ready) = take(&b, "ready").and_then(|r| r.dyn_into::<Promise>().ok()) {
        let _ = JsFuture::from(ready).await;
    }
    resp
}

/// The request for `url` the head script started, with the controller that aborts it — if it
/// carried `token` (the app's, for this request); one sent with another token is stopped.
pub fn api(url: &str, token: Option<&str>) -> Option<(Promise, AbortController)> {
    let b = boot()?;
    let p = take(&Reflect::get(&b, &"api".into()).ok()?, url)?;
    let c: AbortController = take(&Reflect::get(&b, &"ctl".into()).ok()?, url)?
        .dyn_into()
        .ok()?;
    let sent = take(&Reflect::get(&b, &"tok".into()).ok()?, url)
        .and_then(|t| t.as_string())
        .unwrap_or_default();
    if sent != token.unwrap_or_default() {
        c.abort();
        return None;
    }
    Some((p.dyn_into().ok()?, c))
}

/// The response of a request [`api`] handed over (`None` when it failed or was aborted).
pub async fn adopt(promise: Promise) -> Option<gloo_net::http::Response> {
    response(promise).await
}
