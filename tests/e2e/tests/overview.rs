//! The Overview against the simulator's fleet.

use lookout_e2e::*;
use lookout_sim::Flavor;

#[tokio::test]
async fn every_server_is_named_on_the_page() {
    let env = start(Flavor::Sentry);
    let b = browser().await;
    b.goto(&format!("{}/", env.app)).await.unwrap();
    wait(&b, "[data-testid=legend-row]", 30).await;
    let names = attrs(&b, "[data-testid=legend-row]", "data-name").await;
    let servers: Vec<String> = env.info()["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect();
    assert!(servers.len() >= 24);
    for s in &servers {
        assert!(
            names.contains(s),
            "{s} is missing from the legend ({} rows)",
            names.len()
        );
    }
    let heat = texts(&b, "[data-testid=heat-row]").await;
    for s in &servers {
        assert!(
            heat.iter().any(|h| h == s),
            "{s} is missing from the heatmap"
        );
    }
}
