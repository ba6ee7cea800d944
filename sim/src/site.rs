//! A static file server for a built dashboard (`dist/`): client routes fall back to
//! `index.html`, hashed assets are cached forever, `index.html` and `config.json` never.

use crate::http::{Dropped, Req, Resp};
use std::path::{Path, PathBuf};

/// What the site serves.
#[derive(Clone, Debug)]
pub struct Site {
    pub root: PathBuf,
    /// The path the site lives under, with slashes at both ends (`/` or `/lookout/`).
    pub prefix: String,
    /// Served as `/config.json` instead of the file (points the app at this simulator).
    pub config_override: Option<String>,
    /// A Content-Security-Policy header for every answer.
    pub csp: Option<String>,
}

fn content_type(path: &Path) -> String {
    match path.extension().and_then(|e| e.to_str()) {
        Some("wasm") => "application/wasm".into(),
        Some("js") => "text/javascript; charset=utf-8".into(),
        Some("json") => "application/json".into(),
        Some("html") => "text/html; charset=utf-8".into(),
        Some("css") => "text/css; charset=utf-8".into(),
        _ => mime_guess::from_path(path)
            .first_or_octet_stream()
            .to_string(),
    }
}

/// Trunk names hashed assets `name-<16 hex>.ext` (or `_bg.wasm`).
fn is_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").trim_end_matches("_bg");
    stem.rsplit_once('-')
        .is_some_and(|(_, h)| h.len() >= 16 && h.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Handles one request for the site.
pub async fn handle(site: &Site, req: Req) -> Result<Resp, Dropped> {
    if req.method != "GET" && req.method != "HEAD" {
        return Ok(Resp::text(405, "method not allowed"));
    }
    let path = crate::http::decode_path(&req.path);
    if path.split('/').any(|seg| seg == "..") || path.contains('\0') {
        return Ok(Resp::text(400, "bad path"));
    }
    // Under a sub-path, only that folder is the site (`/lookout` itself goes to `/lookout/`).
    let prefix = site.prefix.trim_end_matches('/');
    let path = if prefix.is_empty() {
        path
    } else if path == prefix {
        return Ok(Resp::text(301, "").with("Location", format!("{prefix}/")));
    } else {
        match path.strip_prefix(prefix) {
            Some(rest) if rest.starts_with('/') => rest.to_owned(),
            _ => return Ok(Resp::text(404, "not found")),
        }
    };
    if path == "/config.json" {
        if let Some(cfg) = &site.config_override {
            return Ok(
                Resp::json(200, &serde_json::from_str(cfg).unwrap_or_default())
                    .with("Cache-Control", "no-cache"),
            );
        }
    }
    let rel = path.trim_start_matches('/');
    let mut file = site.root.join(rel);
    if rel.is_empty() || file.is_dir() {
        file = site.root.join("index.html");
    }
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_owned();
    let found = tokio::fs::read(&file).await;
    let (file, bytes) = match found {
        Ok(b) => (file, b),
        // A missing asset is a 404; a missing page is a client route: serve the app.
        Err(_) if name.contains('.') => return Ok(Resp::text(404, "not found")),
        Err(_) => match tokio::fs::read(site.root.join("index.html")).await {
            Ok(b) => (site.root.join("index.html"), b),
            Err(_) => return Ok(Resp::text(404, "no index.html: build the dashboard first")),
        },
    };
    let fname = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    // A pre-compressed copy beside the file (`cargo xtask dist` writes `.br` and `.gz`) is sent
    // as it is, the way S3 or GCS send an object stored with its `Content-Encoding`.
    let accepts = req.header("accept-encoding").unwrap_or("");
    let mut encoded = None;
    for (token, ext) in [("br", "br"), ("gzip", "gz")] {
        let offered = accepts
            .split(',')
            .any(|t| t.split(';').next().unwrap_or("").trim() == token);
        if offered {
            let mut copy = file.clone().into_os_string();
            copy.push(format!(".{ext}"));
            if let Ok(b) = tokio::fs::read(&copy).await {
                encoded = Some((token, b));
                break;
            }
        }
    }
    let (bytes, encoding) = match encoded {
        Some((token, b)) => (b, Some(token)),
        None => (bytes, None),
    };
    let cache = if is_hashed(fname) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    Ok(Resp {
        status: 200,
        content_type: content_type(&file),
        body: bytes.into(),
        headers: std::iter::once(("Cache-Control".into(), cache.into()))
            .chain(encoding.into_iter().flat_map(|e| {
                [
                    ("Content-Encoding".to_owned(), e.to_owned()),
                    ("Vary".to_owned(), "Accept-Encoding".to_owned()),
                ]
            }))
            .chain(
                site.csp
                    .clone()
                    .map(|c| ("Content-Security-Policy".to_owned(), c)),
            )
            .collect(),
        repeat: None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashed_names() {
        assert!(super::is_hashed("lookout-3f2a9c1d4e5b6a7f_bg.wasm"));
        assert!(super::is_hashed("style-3f2a9c1d4e5b6a7f.css"));
        assert!(!super::is_hashed("index.html"));
        assert!(!super::is_hashed("config.json"));
    }
}
