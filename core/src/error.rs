//! One error type for everything that can go wrong talking to a source.
//!
//! Each variant carries what the user needs to act on it; the dashboard's i18n layer turns it into
//! words. Server-provided text is untrusted and kept short. The token never appears here: requests
//! carry it in a header only, and paths never contain it.

use serde_json::Value;

/// The longest server-provided detail kept in an error (it is shown as plain text).
pub const MAX_DETAIL_CHARS: usize = 300;

/// Why a request failed. `Display` is the technical English form (logs, the console, test
/// output); what a user reads goes through the dashboard's i18n layer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 400 "Invalid origin: …": the token does not allow this page's origin.
    #[error("the token does not allow requests from {origin}")]
    InvalidOrigin { origin: String },
    /// 401: no token, or the token is wrong or revoked.
    #[error("unauthorized (401){}", opt(detail))]
    Unauthorized { detail: Option<String> },
    /// 403: the token lacks a scope or access to the organization or project.
    #[error("forbidden (403){}", opt(detail))]
    Forbidden { detail: Option<String> },
    /// 404 (or 405): the server has no such endpoint or object (GlitchTip lacks several).
    #[error("not found (404): {path}")]
    NotFound { path: String },
    /// 429: too many requests; back off.
    #[error("rate limited (429){}", retry_after_secs.map(|s| format!(", retry after {s} s")).unwrap_or_default())]
    RateLimited { retry_after_secs: Option<u32> },
    /// 5xx.
    #[error("server error ({status})")]
    Server { status: u16 },
    /// Any other 4xx, with the server's explanation.
    #[error("rejected ({status}){}", opt(detail))]
    Rejected { status: u16, detail: Option<String> },
    /// The request never got an answer the page could read: offline, DNS, refused, or CORS.
    #[error("no answer the page could read (offline, DNS, refused or CORS)")]
    Network,
    /// No answer within the time limit.
    #[error("no answer within the time limit")]
    Timeout,
    /// The answer was not JSON (usually an HTML error page from a proxy or the server).
    #[error("not JSON ({status}, {content_type})")]
    NotJson { status: u16, content_type: String },
    /// JSON that does not have the expected shape.
    #[error("unexpected JSON: {detail}")]
    Shape { detail: String },
    /// The answer is larger than the cap on one answer (`limit_mb`); it was not read whole.
    #[error("answer larger than {limit_mb} MB")]
    TooLarge { limit_mb: usize },
    /// The view that asked went away; nobody will see this.
    #[error("aborted")]
    Aborted,
    /// The source is not configured well enough to ask anything (e.g. no URL).
    #[error("not configured: {detail}")]
    Config { detail: String },
}

/// `: detail` when there is one.
fn opt(detail: &Option<String>) -> String {
    detail
        .as_deref()
        .map(|d| format!(": {d}"))
        .unwrap_or_default()
}

impl ApiError {
    /// Classifies a finished HTTP exchange. `None` means success (2xx with a JSON body).
    pub fn classify(
        status: u16,
        content_type: Option<&str>,
        body: &str,
        page_origin: &str,
        path: &str,
    ) -> Option<ApiError> {
        let ct = content_type.unwrap_or("").to_ascii_lowercase();
        let json_body = looks_like_json(&ct, body);
        if (200..300).contains(&status) {
            if !json_body {
                return Some(ApiError::NotJson {
                    status,
                    content_type: clip(&ct, 80),
                });
            }
            return None;
        }
        let detail = if json_body { json_detail(body) } else { None };
        Some(match status {
            400 => match &detail {
                Some(d) if d.starts_with("Invalid origin") => ApiError::InvalidOrigin {
                    origin: d
                        .split_once(':')
                        .map(|(_, o)| o.trim().to_owned())
                        .filter(|o| !o.is_empty())
                        .unwrap_or_else(|| page_origin.to_owned()),
                },
                _ => ApiError::Rejected { status, detail },
            },
            401 => ApiError::Unauthorized { detail },
            403 => ApiError::Forbidden { detail },
            404 | 405 => ApiError::NotFound {
                path: clip(path, 200),
            },
            408 | 504 => ApiError::Timeout,
            429 => ApiError::RateLimited {
                retry_after_secs: None,
            },
            500..=599 => ApiError::Server { status },
            _ if !json_body && status >= 400 => ApiError::Rejected {
                status,
                detail: None,
            },
            _ => ApiError::Rejected { status, detail },
        })
    }

    /// Adds the `Retry-After` header (seconds) to a rate-limit error.
    pub fn with_retry_after(self, header: Option<&str>) -> Self {
        match self {
            ApiError::RateLimited { .. } => ApiError::RateLimited {
                retry_after_secs: header.and_then(|h| h.trim().parse().ok()),
            },
            other => other,
        }
    }

    /// Whether trying again later may help (the refresh clock backs off on these).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::RateLimited { .. }
                | ApiError::Server { .. }
                | ApiError::Network
                | ApiError::Timeout
                | ApiError::NotJson { .. }
        )
    }

    /// Whether the server lacks this feature (e.g. GlitchTip has no `events-stats`).
    pub fn is_unsupported(&self) -> bool {
        matches!(self, ApiError::NotFound { .. })
            || matches!(self, ApiError::NotJson { status, .. } if *status == 404 || *status == 405)
    }

    /// A short machine-readable name (for `data-error` attributes and logs).
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::InvalidOrigin { .. } => "invalid-origin",
            ApiError::Unauthorized { .. } => "unauthorized",
            ApiError::Forbidden { .. } => "forbidden",
            ApiError::NotFound { .. } => "not-found",
            ApiError::RateLimited { .. } => "rate-limited",
            ApiError::Server { .. } => "server",
            ApiError::Rejected { .. } => "rejected",
            ApiError::Network => "network",
            ApiError::Timeout => "timeout",
            ApiError::NotJson { .. } => "not-json",
            ApiError::Shape { .. } => "shape",
            ApiError::TooLarge { .. } => "too-large",
            ApiError::Aborted => "aborted",
            ApiError::Config { .. } => "config",
        }
    }
}

/// Exponential backoff with full jitter: `attempt` 0 waits up to `base_ms`, each further attempt
/// doubles the ceiling, capped at `max_ms`. `random01` is a number in `[0, 1)`.
/// A server's `Retry-After` is a floor.
pub fn backoff_ms(
    attempt: u32,
    base_ms: u64,
    max_ms: u64,
    random01: f64,
    retry_after_secs: Option<u32>,
) -> u64 {
    let ceiling = base_ms.saturating_mul(1u64 << attempt.min(20)).min(max_ms);
    // Never less than half the ceiling, so a burst of failures spreads out but still waits.
    let jittered = ceiling / 2 + ((ceiling / 2) as f64 * random01.clamp(0.0, 1.0)) as u64;
    let floor = retry_after_secs.map_or(0, |s| u64::from(s) * 1000);
    jittered.max(floor)
}

fn looks_like_json(content_type: &str, body: &str) -> bool {
    if content_type.contains("json") {
        return true;
    }
    // Some servers omit the content type; accept a body that parses.
    let t = body.trim_start();
    (content_type.is_empty() || content_type.starts_with("text/plain"))
        && (t.starts_with('{') || t.starts_with('[') || t.starts_with('"'))
        && serde_json::from_str::<Value>(body).is_ok()
}

/// The human-readable part of an error body: a JSON string, or `detail` (string or `{message}`).
fn json_detail(body: &str) -> Option<String> {
    let v: Value = serde_json::from_str(body).ok()?;
    let text = match &v {
        Value::String(s) => s.clone(),
        Value::Object(o) => match o.get("detail") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Object(d)) => d.get("message")?.as_str()?.to_owned(),
            _ => o.values().find_map(|x| match x {
                Value::String(s) => Some(s.clone()),
                Value::Array(a) => a.first()?.as_str().map(str::to_owned),
                _ => None,
            })?,
        },
        _ => return None,
    };
    Some(clip(&text, MAX_DETAIL_CHARS))
}

/// At most `max` characters, with an ellipsis when cut.
pub fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const JSON: Option<&str> = Some("application/json");
    const HTML: Option<&str> = Some("text/html; charset=utf-8");

    fn classify(status: u16, ct: Option<&str>, body: &str) -> Option<ApiError> {
        ApiError::classify(status, ct, body, "http://127.0.0.1:8080", "/api/0/x/")
    }

    #[test]
    fn display_says_what_happened_without_debug_noise() {
        let e = classify(403, JSON, r#"{"detail":"You do not have permission"}"#).unwrap();
        assert_eq!(e.to_string(), "forbidden (403): You do not have permission");
        assert_eq!(
            ApiError::RateLimited {
                retry_after_secs: Some(3)
            }
            .to_string(),
            "rate limited (429), retry after 3 s"
        );
        assert_eq!(
            ApiError::Server { status: 502 }.to_string(),
            "server error (502)"
        );
        // It is a std error, so it composes with `?` into boxed errors.
        let boxed: Box<dyn std::error::Error> = Box::new(ApiError::Timeout);
        assert_eq!(boxed.to_string(), "no answer within the time limit");
    }

    #[test]
    fn success_needs_json() {
        assert_eq!(classify(200, JSON, "[]"), None);
        assert_eq!(classify(200, None, "[]"), None);
        assert!(matches!(
            classify(200, HTML, "<html>"),
            Some(ApiError::NotJson { status: 200, .. })
        ));
    }

    #[test]
    fn invalid_origin_names_the_origin() {
        assert_eq!(
            classify(400, JSON, r#""Invalid origin: http://wall.local""#),
            Some(ApiError::InvalidOrigin {
                origin: "http://wall.local".into()
            })
        );
    }

    #[test]
    fn statuses_map_to_kinds() {
        assert!(
            matches!(classify(401, JSON, r#"{"detail":"Invalid token"}"#), Some(ApiError::Unauthorized { detail: Some(d) }) if d == "Invalid token")
        );
        assert!(matches!(
            classify(403, JSON, "{}"),
            Some(ApiError::Forbidden { .. })
        ));
        assert!(matches!(
            classify(404, HTML, "<h1>Not Found</h1>"),
            Some(ApiError::NotFound { .. })
        ));
        assert!(matches!(
            classify(405, Some("text/plain"), "Method Not Allowed"),
            Some(ApiError::NotFound { .. })
        ));
        assert!(matches!(
            classify(429, JSON, r#""slow down""#),
            Some(ApiError::RateLimited { .. })
        ));
        assert!(matches!(
            classify(502, HTML, "<html>bad gateway</html>"),
            Some(ApiError::Server { status: 502 })
        ));
        assert!(
            matches!(classify(422, JSON, r#"{"sort":["bad sort"]}"#), Some(ApiError::Rejected { status: 422, detail: Some(d) }) if d == "bad sort")
        );
    }

    #[test]
    fn details_are_clipped() {
        let long = format!("\"{}\"", "x".repeat(5000));
        let Some(ApiError::Forbidden { detail: Some(d) }) = classify(403, JSON, &long) else {
            panic!()
        };
        assert_eq!(d.chars().count(), MAX_DETAIL_CHARS + 1);
    }

    #[test]
    fn backoff_grows_caps_and_honours_retry_after() {
        assert!(backoff_ms(0, 1000, 60_000, 0.0, None) >= 500);
        assert!(backoff_ms(3, 1000, 60_000, 0.99, None) <= 8000);
        assert!(backoff_ms(3, 1000, 60_000, 0.0, None) >= 4000);
        assert_eq!(backoff_ms(30, 1000, 60_000, 1.0, None), 60_000);
        assert_eq!(backoff_ms(0, 1000, 60_000, 0.0, Some(30)), 30_000);
    }
}
