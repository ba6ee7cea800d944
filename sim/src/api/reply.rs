//! Answers every endpoint shares: not found, bad request, what GlitchTip lacks.

use crate::http::Resp;
use serde_json::json;

pub type Routed = (String, Resp);

pub fn named(name: &str, r: Resp) -> Routed {
    (name.to_owned(), r)
}

/// Sentry's JSON 404.
pub fn not_found() -> Resp {
    Resp::json(
        404,
        &json!({"detail": "The requested resource does not exist"}),
    )
}

pub fn bad_request(msg: &str) -> Resp {
    Resp::json(400, &json!({"detail": msg}))
}

/// GlitchTip answers what it lacks with its web server's HTML 404 page.
pub fn glitchtip_missing() -> Resp {
    crate::http::not_found_page()
}
