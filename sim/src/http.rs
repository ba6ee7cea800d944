//! A small HTTP/1.1 server loop over hyper, and the request/response types the handlers use.
//!
//! A handler may answer `Err(Dropped)`: hyper then closes the connection without a response,
//! which is how the simulator injects dropped connections.

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// The largest request body accepted (an envelope with a huge event fits).
pub const MAX_BODY: usize = 64 * 1024 * 1024;

/// A request with its body read and its query parsed.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub raw_query: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl Req {
    /// The first value of a query parameter.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The last value of a query parameter (GlitchTip keeps only the last repeated one).
    pub fn last_param(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated query parameter.
    pub fn params(&self, key: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A header value (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A response under construction.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub content_type: String,
    pub body: Bytes,
    pub headers: Vec<(String, String)>,
    /// When set, `body` is sent this many times over (fault injection: oversized answers).
    pub repeat: Option<Repeat>,
}

/// An answer made of one chunk sent many times, counting what actually left.
#[derive(Clone, Debug)]
pub struct Repeat {
    pub times: usize,
    /// Whether the answer declares its length (`Content-Length`) or is streamed without one.
    pub declared: bool,
    /// Bytes handed to the connection so far (a client that stops reading stops this).
    pub sent: Arc<std::sync::atomic::AtomicU64>,
}

/// A response body: whole, or one chunk repeated.
pub enum SimBody {
    Whole(Option<Bytes>),
    Repeat {
        chunk: Bytes,
        left: usize,
        exact: Option<u64>,
        sent: Arc<std::sync::atomic::AtomicU64>,
    },
}

impl hyper::body::Body for SimBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        let frame = match self.get_mut() {
            SimBody::Whole(b) => b.take().filter(|b| !b.is_empty()),
            SimBody::Repeat {
                chunk, left, sent, ..
            } => (*left > 0).then(|| {
                *left -= 1;
                sent.fetch_add(chunk.len() as u64, std::sync::atomic::Ordering::Relaxed);
                chunk.clone()
            }),
        };
        std::task::Poll::Ready(frame.map(|b| Ok(hyper::body::Frame::data(b))))
    }

    fn is_end_stream(&self) -> bool {
        match self {
            SimBody::Whole(b) => b.as_ref().is_none_or(|b| b.is_empty()),
            SimBody::Repeat { left, .. } => *left == 0,
        }
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        match self {
            SimBody::Whole(b) => {
                hyper::body::SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64))
            }
            // Without an exact hint hyper sends `Transfer-Encoding: chunked`, no length.
            SimBody::Repeat { exact: Some(n), .. } => hyper::body::SizeHint::with_exact(*n),
            SimBody::Repeat { exact: None, .. } => hyper::body::SizeHint::default(),
        }
    }
}

impl Resp {
    /// A JSON response.
    pub fn json(status: u16, v: &Value) -> Resp {
        Resp {
            status,
            content_type: "application/json".into(),
            body: Bytes::from(serde_json::to_vec(v).unwrap_or_default()),
            headers: Vec::new(),
            repeat: None,
        }
    }

    /// An HTML response (error pages).
    pub fn html(status: u16, body: &str) -> Resp {
        Resp {
            status,
            content_type: "text/html; charset=utf-8".into(),
            body: Bytes::from(body.to_owned()),
            headers: Vec::new(),
            repeat: None,
        }
    }

    /// A plain text response.
    pub fn text(status: u16, body: &str) -> Resp {
        Resp {
            status,
            content_type: "text/plain; charset=utf-8".into(),
            body: Bytes::from(body.to_owned()),
            headers: Vec::new(),
            repeat: None,
        }
    }

    /// Adds a header.
    pub fn with(mut self, k: &str, v: impl Into<String>) -> Resp {
        self.headers.push((k.to_owned(), v.into()));
        self
    }

    /// Converts into a hyper response.
    pub fn into_hyper(self) -> Response<SimBody> {
        let mut b = Response::builder()
            .status(StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
            .header("Content-Type", self.content_type);
        for (k, v) in self.headers {
            b = b.header(k, v);
        }
        let body = match self.repeat {
            None => SimBody::Whole(Some(self.body)),
            Some(r) => SimBody::Repeat {
                exact: r
                    .declared
                    .then_some(self.body.len() as u64 * r.times as u64),
                chunk: self.body,
                left: r.times,
                sent: r.sent,
            },
        };
        b.body(body)
            .unwrap_or_else(|_| Response::new(SimBody::Whole(None)))
    }
}

/// The connection should be dropped without an answer.
#[derive(Debug)]
pub struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose (fault injection)")
    }
}

impl std::error::Error for Dropped {}

/// Percent-decodes a URL path (`+` stays a plus sign there).
pub fn decode_path(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Encodes a query component as a form does (`form_urlencoded`).
pub fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Parses a raw query string into decoded pairs (`+` is a space).
pub fn parse_query(q: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(q.as_bytes()).into_owned().collect()
}

async fn read(req: Request<Incoming>) -> Result<Req, Resp> {
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let raw_query = req.uri().query().unwrap_or("").to_owned();
    let headers = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return Err(Resp::json(
                413,
                &Value::String("Request body too large or unreadable".into()),
            ))
        }
    };
    Ok(Req {
        method,
        path,
        query: parse_query(&raw_query),
        raw_query,
        headers,
        body,
    })
}

/// Serves connections on `listener` with `handler` until `shutdown` turns true.
pub async fn serve<H, F>(
    listener: TcpListener,
    handler: Arc<H>,
    mut shutdown: watch::Receiver<bool>,
) where
    H: Fn(Req, SocketAddr) -> F + Send + Sync + 'static,
    F: Future<Output = Result<Resp, Dropped>> + Send + 'static,
{
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = shutdown.changed() => break,
        };
        let Ok((stream, peer)) = accepted else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let handler = handler.clone();
        let mut stop = shutdown.clone();
        tokio::spawn(async move {
            let svc = service_fn(move |req: Request<Incoming>| {
                let handler = handler.clone();
                async move {
                    let req = match read(req).await {
                        Ok(r) => r,
                        Err(resp) => return Ok::<_, Dropped>(resp.into_hyper()),
                    };
                    handler(req, peer).await.map(Resp::into_hyper)
                }
            });
            let conn = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), svc);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stop.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.as_mut().await;
                }
            }
        });
    }
}

/// The HTML page a web server answers for unknown paths.
pub fn not_found_page() -> Resp {
    Resp::html(404, "<!DOCTYPE html><html><head><title>Not Found</title></head><body><h1>Not Found</h1><p>The requested resource was not found on this server.</p></body></html>")
}
