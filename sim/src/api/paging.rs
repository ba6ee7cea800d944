//! Paging: Sentry's cursors and `Link` headers, GlitchTip's offsets.

use crate::app::App;
use crate::app::Flavor;
use crate::http::encode;
use crate::http::Req;
use crate::http::Resp;

/// Offset from a Sentry-style cursor `0:<offset>:<is_prev>` (or GlitchTip's `gt<offset>`).
pub fn cursor_offset(req: &Req) -> usize {
    let Some(c) = req.param("cursor") else {
        return 0;
    };
    if let Some(n) = c.strip_prefix("gt") {
        return n.parse().unwrap_or(0);
    }
    c.split(':')
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// `Link` (Sentry form, or GlitchTip's wrapped form) for a page at `offset` of `total` rows.
pub fn link_header(app: &App, req: &Req, offset: usize, limit: usize, total: usize) -> String {
    let base: Vec<(String, String)> = req
        .query
        .iter()
        .filter(|(k, _)| k != "cursor")
        .cloned()
        .collect();
    let qs: String = base
        .iter()
        .map(|(k, v)| format!("{}={}&", encode(k), encode(v)))
        .collect();
    let url = format!("{}{}?{}", app.base_url, req.path, qs);
    let prev_off = offset.saturating_sub(limit);
    let next_off = offset + limit;
    let gt = app.opts.flavor == Flavor::Glitchtip;
    let (pc, nc) = if gt {
        (format!("gt{prev_off}"), format!("gt{next_off}"))
    } else {
        (format!("0:{prev_off}:1"), format!("0:{next_off}:0"))
    };
    let prev = format!(
        "<{url}cursor={pc}>; rel=\"previous\"; results=\"{}\"; cursor=\"{pc}\"",
        offset > 0
    );
    let next = format!(
        "<{url}cursor={nc}>; rel=\"next\"; results=\"{}\"; cursor=\"{nc}\"",
        next_off < total
    );
    if gt {
        format!("{{'{prev}', '{next}'}}")
    } else {
        format!("{prev}, {next}")
    }
}

/// Adds `Link`, `X-Hits` and `X-Max-Hits` to a list response.
pub fn paged(app: &App, req: &Req, resp: Resp, offset: usize, limit: usize, total: usize) -> Resp {
    let r = resp.with("Link", link_header(app, req, offset, limit, total));
    if app.opts.flavor == Flavor::Glitchtip {
        r
    } else {
        r.with("X-Hits", total.to_string())
            .with("X-Max-Hits", "1000")
    }
}

/// `per_page` of a request, 1–100, or `default`.
pub fn per_page(req: &Req, default: usize) -> usize {
    req.param("per_page")
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
        .clamp(1, 100)
}

/// One page of a list, as the request's cursor asks for it.
pub struct Paginated<'a, T> {
    /// The page's items.
    pub items: &'a [T],
    offset: usize,
    limit: usize,
    total: usize,
}

/// The page of `all` this request's cursor points at, at most `limit` long: the one paging rule
/// every list endpoint shares (Sentry's cursors and GlitchTip's offsets alike).
pub fn paginate<'a, T>(req: &Req, all: &'a [T], limit: usize) -> Paginated<'a, T> {
    let offset = cursor_offset(req).min(all.len());
    let end = offset.saturating_add(limit).min(all.len());
    Paginated {
        items: &all[offset..end],
        offset,
        limit,
        total: all.len(),
    }
}

impl<T> Paginated<'_, T> {
    /// The page's answer: `body` as JSON with `Link`, `X-Hits` and `X-Max-Hits`.
    pub fn answer(&self, app: &App, req: &Req, body: &serde_json::Value) -> Resp {
        paged(
            app,
            req,
            Resp::json(200, body),
            self.offset,
            self.limit,
            self.total,
        )
    }
}
