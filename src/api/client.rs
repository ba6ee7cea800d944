//! The one HTTP GET every resource goes through.

use leptos::prelude::{set_timeout_with_handle, TimeoutHandle};
use lookout_core::config::SourceKind;
use lookout_core::json::FromJson;
use lookout_core::link::{parse_link_header, Paging};
use lookout_core::query::Params;
use lookout_core::ApiError;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;
use web_sys::AbortController;

/// How long one request may take.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// How long a request may take. A test hook (only with the `test-hooks` feature) shortens it:
/// `?_timeoutMs=1000`, so a browser test can see a timeout without waiting half a minute.
#[cfg(not(feature = "test-hooks"))]
fn timeout() -> Duration {
    TIMEOUT
}

#[cfg(feature = "test-hooks")]
fn timeout() -> Duration {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|s| {
            lookout_core::query::parse_query_string(&s)
                .into_iter()
                .find(|(k, _)| k == "_timeoutMs")
                .and_then(|(_, v)| v.parse::<u64>().ok())
        })
        .map_or(TIMEOUT, |ms| Duration::from_millis(ms.max(100)))
}
pub use super::limit::MAX_IN_FLIGHT;
/// The largest response body read (a bound on what one answer can cost).
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// A connection to one source: where, who, and which dialect.
#[derive(Clone, PartialEq)]
pub struct Api {
    pub name: String,
    /// The server, e.g. `https://sentry.example.com`.
    pub base: String,
    pub org: String,
    pub token: Option<String>,
    pub kind: SourceKind,
    pub features: Arc<Vec<String>>,
}

/// Never prints the token.
impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api")
            .field("name", &self.name)
            .field("base", &self.base)
            .field("org", &self.org)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("kind", &self.kind)
            .finish()
    }
}

impl Api {
    /// Whether the organization has a feature flag.
    pub fn has_feature(&self, f: &str) -> bool {
        self.features.iter().any(|x| x == f)
    }

    /// Whether this is GlitchTip.
    pub fn is_glitchtip(&self) -> bool {
        self.kind == SourceKind::Glitchtip
    }
}

/// A page of a list response.
#[derive(Clone, Debug, Default)]
pub struct Page<T> {
    pub data: T,
    pub paging: Paging,
    /// `X-Hits` when the server lets the page read it.
    pub hits: Option<u64>,
}

/// Cancels every request registered with it (a view going away, or a newer query).
#[derive(Clone, Default)]
pub struct Cancel(Rc<CancelInner>);

#[derive(Default)]
struct CancelInner {
    aborted: Cell<bool>,
    controllers: RefCell<Vec<AbortController>>,
}

impl Cancel {
    /// A fresh token.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Aborts all registered requests and any started later.
    pub fn abort(&self) {
        self.0.aborted.set(true);
        for c in self.0.controllers.borrow_mut().drain(..) {
            c.abort();
        }
    }

    /// Whether [`Cancel::abort`] was called.
    pub fn is_aborted(&self) -> bool {
        self.0.aborted.get()
    }

    fn register(&self, c: &AbortController) {
        if self.is_aborted() {
            c.abort();
        } else {
            let mut list = self.0.controllers.borrow_mut();
            // Keep only controllers of requests still running.
            list.retain(|c| !c.signal().aborted());
            list.push(c.clone());
        }
    }
}

thread_local! {
    static REQUESTS: Cell<u64> = const { Cell::new(0) };
}

/// How many API requests this page has sent (shown in diagnostics and read by benchmarks).
pub fn requests_sent() -> u64 {
    REQUESTS.with(Cell::get)
}

/// This page's origin (`https://wall.example`), for error messages.
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

impl Api {
    /// `GET {base}/api/0/{path}?{params}` with the token, parsed as `T`.
    pub async fn get<T: FromJson>(
        &self,
        path: &str,
        params: &Params,
        cancel: &Cancel,
    ) -> Result<Page<T>, ApiError> {
        let (page, text) = self.get_text(path, params, cancel).await?;
        // The whole answer is in: the benchmark measures parsing and what follows from here.
        crate::perf::mark("lookout:response");
        let data = lookout_core::json::parse::<T>(&text).map_err(|e| ApiError::Shape {
            detail: lookout_core::error::clip(&e, 200),
        })?;
        Ok(Page {
            data,
            paging: page.paging,
            hits: page.hits,
        })
    }

    /// Like [`Api::get`], retrying once after a jittered pause on 429 (sentry.io's limits are
    /// per-second windows, so one patient retry usually passes).
    pub async fn get_retry<T: FromJson>(
        &self,
        path: &str,
        params: &Params,
        cancel: &Cancel,
    ) -> Result<Page<T>, ApiError> {
        match self.get(path, params, cancel).await {
            Err(ApiError::RateLimited { retry_after_secs }) => {
                let wait = lookout_core::error::backoff_ms(
                    1,
                    800,
                    10_000,
                    js_sys::Math::random(),
                    retry_after_secs,
                );
                sleep(Duration::from_millis(wait)).await;
                if cancel.is_aborted() {
                    return Err(ApiError::Aborted);
                }
                self.get(path, params, cancel).await
            }
            other => other,
        }
    }

    pub(crate) async fn get_text(
        &self,
        path: &str,
        params: &Params,
        cancel: &Cancel,
    ) -> Result<(Page<()>, String), ApiError> {
        if self.base.is_empty() {
            return Err(ApiError::Config {
                detail: "no server URL".into(),
            });
        }
        let query = params.encode();
        let url = if query.is_empty() {
            format!("{}/api/0/{}", self.base, path)
        } else {
            format!("{}/api/0/{}?{}", self.base, path, query)
        };
        let _slot = super::limit::slot(&self.name).await;
        if cancel.is_aborted() {
            return Err(ApiError::Aborted);
        }
        let controller = AbortController::new().map_err(|_| ApiError::Network)?;
        cancel.register(&controller);
        let timed_out = Rc::new(Cell::new(false));
        let timer: Option<TimeoutHandle> = {
            let (flag, ctrl) = (
                timed_out.clone(),
                send_wrapper::SendWrapper::new(controller.clone()),
            );
            set_timeout_with_handle(
                move || {
                    flag.set(true);
                    ctrl.abort();
                },
                timeout(),
            )
            .ok()
        };
        REQUESTS.with(|r| r.set(r.get() + 1));
        let mut req = gloo_net::http::Request::get(&url)
            .credentials(web_sys::RequestCredentials::Omit)
            .abort_signal(Some(&controller.signal()));
        if let Some(t) = &self.token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        let sent = req.send().await;
        let result = match sent {
            Err(_) if timed_out.get() => Err(ApiError::Timeout),
            Err(_) if cancel.is_aborted() => Err(ApiError::Aborted),
            // The browser hides why (offline, DNS, refused, CORS); a burst of these may be 429s
            // whose CORS headers were lost, so the clock backs off on them too.
            Err(_) => Err(ApiError::Network),
            Ok(resp) => {
                let status = resp.status();
                let headers = resp.headers();
                let content_type = headers.get("content-type");
                let link = headers.get("link");
                let hits = headers.get("x-hits").and_then(|h| h.trim().parse().ok());
                let retry_after = headers.get("retry-after");
                // Refused before it is read when the server says how large it is.
                let declared: Option<usize> = headers
                    .get("content-length")
                    .and_then(|l| l.trim().parse().ok());
                if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
                    controller.abort();
                    Err(ApiError::TooLarge {
                        limit_mb: MAX_BODY_BYTES / (1024 * 1024),
                    })
                } else {
                    match read_capped(&resp, MAX_BODY_BYTES).await {
                        Err(Read::Failed) if timed_out.get() => Err(ApiError::Timeout),
                        Err(Read::Failed) if cancel.is_aborted() => Err(ApiError::Aborted),
                        Err(Read::Failed) => Err(ApiError::Network),
                        Err(Read::TooLarge) => {
                            controller.abort();
                            Err(ApiError::TooLarge {
                                limit_mb: MAX_BODY_BYTES / (1024 * 1024),
                            })
                        }
                        Ok(body) => match ApiError::classify(
                            status,
                            content_type.as_deref(),
                            &body,
                            &page_origin(),
                            &format!("/api/0/{path}"),
                        ) {
                            Some(e) => Err(e.with_retry_after(retry_after.as_deref())),
                            None => Ok((
                                Page {
                                    data: (),
                                    paging: link.map(|l| parse_link_header(&l)).unwrap_or_default(),
                                    hits,
                                },
                                body,
                            )),
                        },
                    }
                }
            }
        };
        if let Some(t) = timer {
            t.clear();
        }
        result
    }
}

/// Every item of a cursor-paged list, up to `max_pages` pages: `fetch(cursor)` asks for one
/// page (the first with `None`); paging stops at the last page, at an empty page, or at the
/// bound. One loop for every paged list (projects, tag values, the events table).
pub async fn follow_pages<T, F, Fut>(max_pages: usize, mut fetch: F) -> Result<Vec<T>, ApiError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page<Vec<T>>, ApiError>>,
{
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..max_pages {
        let page = fetch(cursor.take()).await?;
        let n = page.data.len();
        out.extend(page.data);
        match page.paging.next_cursor() {
            Some(c) if n > 0 => cursor = Some(c.to_owned()),
            _ => break,
        }
    }
    Ok(out)
}

/// Why a body could not be read.
enum Read {
    Failed,
    TooLarge,
}

/// Reads a body chunk by chunk and stops (cancelling the stream) as soon as it passes `cap`
/// bytes, so a server that sends no length still cannot make one answer cost more than that.
async fn read_capped(resp: &gloo_net::http::Response, cap: usize) -> Result<String, Read> {
    use wasm_bindgen::JsCast;
    let Some(stream) = resp.body() else {
        return Ok(String::new());
    };
    let reader: web_sys::ReadableStreamDefaultReader =
        stream.get_reader().dyn_into().map_err(|_| Read::Failed)?;
    let mut bytes: Vec<u8> = Vec::new();
    loop {
        let step = wasm_bindgen_futures::JsFuture::from(reader.read())
            .await
            .map_err(|_| Read::Failed)?;
        let step: web_sys::ReadableStreamReadResult = step.unchecked_into();
        if step.get_done().unwrap_or(true) {
            break;
        }
        let chunk: js_sys::Uint8Array = step.get_value().unchecked_into();
        if bytes.len() + chunk.length() as usize > cap {
            let _ = reader.cancel();
            return Err(Read::TooLarge);
        }
        let at = bytes.len();
        bytes.resize(at + chunk.length() as usize, 0);
        chunk.copy_to(&mut bytes[at..]);
    }
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// Waits without blocking: a browser timer completes a one-shot channel.
pub async fn sleep(d: Duration) {
    let (tx, rx) = futures::channel::oneshot::channel::<()>();
    let tx = send_wrapper::SendWrapper::new(tx);
    let _ = set_timeout_with_handle(
        move || {
            let _ = tx.take().send(());
        },
        d,
    );
    let _ = rx.await;
}
