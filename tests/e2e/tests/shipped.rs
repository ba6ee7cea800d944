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
