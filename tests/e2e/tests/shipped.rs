//! The shipped build (`dist/`) has no test or benchmark hooks: the bench route is absent and
//! `?_refreshMs=` is ignored, so a shared link cannot make every viewer hammer the server.

use lookout_e2e::*;
use lookout_sim::Flavor;
use std::time::Duration;

#[test]
fn the_shipped_wasm_holds_no_hook() {
    let dist = shipped_dist_dir();
    for entry in std::fs::read_dir(&dist).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "wasm" || e == "js") {
            let bytes = std::fs::read(&path).unwrap();
            for hook in ["_refreshMs", "_timeoutMs", "_bench/chart", "answers-in"] {
                assert!(
                    !bytes.windows(hook.len()).any(|w| w == hook.as_bytes()),
                    "{} contains {hook}",
                    path.display()
                );
            }
        }
    }
}

#[tokio::test]
async fn the_shipped_build_ignores_the_refresh_parameter_and_has_no_bench_route() {
    let env = start_shipped(Flavor::Sentry);
    let b = browser().await;
    b.goto(&format!("{}/?_refreshMs=50", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=legend-row]", 30).await;
    // Once the first load (with its slower panels) has settled, watch: a 50 ms clock would
    // tick sixty times in 3 s. Absence can only be shown over time.
    wait_js(
        &b,
        "window.__lookoutLoading === 0 && document.querySelectorAll('[data-testid=loading]').length === 0",
        30,
    )
    .await;
    let before = env.requests();
    tokio::time::sleep(Duration::from_millis(3000)).await;
    assert_eq!(
        env.requests(),
        before,
        "no refresh within 3 s of a 60 s clock"
    );
    assert_eq!(refresh_counts(&b).await, (0, 0), "the clock never ticked");
    b.goto(&format!("{}/_bench/chart?servers=2000&buckets=0", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=not-found]", 30).await;
    assert_eq!(count(&b, "[data-testid=bench-chart]").await, 0);
    assert!(js(&b, "return window.__lookoutPanics || null")
        .await
        .is_null());
}

/// `cargo xtask dist` leaves a brotli and a gzip copy beside each asset; served with its
/// `Content-Encoding` to a browser that offers it, as S3 or GCS serve a stored object.
#[test]
fn every_shipped_asset_has_compressed_copies_served_with_their_encoding() {
    use std::io::Read;
    let dist = shipped_dist_dir();
    let mut wasm = None;
    for entry in std::fs::read_dir(&dist).unwrap() {
        let path = entry.unwrap().path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !["wasm", "js", "css", "html"].contains(&ext) {
            continue;
        }
        let raw = std::fs::read(&path).unwrap();
        let copy = |suffix: &str| {
            let mut p = path.clone().into_os_string();
            p.push(suffix);
            std::fs::read(&p).unwrap_or_else(|e| panic!("{}{suffix}: {e}", path.display()))
        };
        let (br, gz) = (copy(".br"), copy(".gz"));
        let mut out = Vec::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_end(&mut out)
            .unwrap();
        assert!(out == raw, "{}.br decodes to the file", path.display());
        out.clear();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut out)
            .unwrap();
        assert!(out == raw, "{}.gz decodes to the file", path.display());
        assert!(
            br.len() < gz.len(),
            "{}: brotli is the smaller",
            path.display()
        );
        if ext == "wasm" {
            wasm = Some((
                path.file_name().unwrap().to_string_lossy().into_owned(),
                raw,
                br,
            ));
        }
    }
    let (name, raw, br) = wasm.expect("a wasm in dist/");
    let env = start_shipped(Flavor::Sentry);
    let client = reqwest::blocking::Client::new();
    let get = |accept: &str| {
        let r = client
            .get(format!("{}/{name}", env.app))
            .header("Accept-Encoding", accept)
            .send()
            .unwrap();
        let h = |k: &str| {
            r.headers()
                .get(k)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        let (ct, ce) = (h("content-type"), h("content-encoding"));
        (ct, ce, r.bytes().unwrap().to_vec())
    };
    let (ct, ce, body) = get("gzip, deflate, br");
    assert_eq!((ct.as_str(), ce.as_str()), ("application/wasm", "br"));
    assert!(body == br, "the stored brotli copy, as it is");
    let (_, ce, body) = get("gzip");
    assert_eq!(ce, "gzip");
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_end(&mut out)
        .unwrap();
    assert!(out == raw);
    let (_, ce, body) = get("identity");
    assert_eq!(ce, "");
    assert!(body == raw, "no encoding offered: the file itself");
}
