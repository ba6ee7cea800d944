//! Every route at 1280×800, 1920×1080 and 3840×2160, in English and Korean (Debian's
//! `fonts-noto-cjk`, installed by `cargo xtask setup`, so Korean renders as text): no two lines of
//! text inside a panel overlap, no text runs out of its panel, and the page never scrolls
//! sideways — measured with `getClientRects` on the rendered page. A screenshot of each is kept
//! under `target/tmp/layout/` for a person to look at.

use lookout_e2e::*;
use lookout_sim::Flavor;
use serde_json::Value;
use std::path::PathBuf;

/// The layout check, run in the page: a list of problems (empty when the layout holds).
///
/// Text is measured line by line (`Range.getClientRects` of each text node), as far as it is
/// visible: clipped by any ancestor that hides overflow (an ellipsis, a scroll box) it counts
/// only where it shows. A panel is `.panel`, the header, the wall's top bar or the filter bar.
const CHECK: &str = r#"
const problems = [];
const vw = document.documentElement.clientWidth;
if (document.documentElement.scrollWidth > vw + 1) {
  problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${vw}`);
}
const clipOf = (el, stop) => {
  let r = { left: -1e9, top: -1e9, right: 1e9, bottom: 1e9 };
  for (let a = el; a && a !== stop.parentElement; a = a.parentElement) {
    const s = getComputedStyle(a);
    if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
      const b = a.getBoundingClientRect();
      r = { left: Math.max(r.left, b.left), top: Math.max(r.top, b.top),
            right: Math.min(r.right, b.right), bottom: Math.min(r.bottom, b.bottom) };
    }
  }
  return r;
};
const shown = (t) => {
  const s = getComputedStyle(t.parentElement);
  return s.visibility !== 'hidden' && s.display !== 'none' && parseFloat(s.opacity || '1') > 0;
};
for (const panel of document.querySelectorAll('.panel, header.top, .wall-top, .filters')) {
  const p = panel.getBoundingClientRect();
  if (p.width === 0 || p.height === 0) continue;
  const boxes = [];
  let node = 0;
  const walk = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
  for (let t = walk.nextNode(); t; t = walk.nextNode()) {
    if (!t.textContent.trim() || !t.parentElement || !shown(t)) continue;
    if (t.parentElement.closest('option, select, script, style, [aria-hidden=true]')) continue;
    node++;
    const clip = clipOf(t.parentElement, panel);
    const range = document.createRange();
    range.selectNodeContents(t);
    for (const r of range.getClientRects()) {
      const b = { left: Math.max(r.left, clip.left), top: Math.max(r.top, clip.top),
                  right: Math.min(r.right, clip.right), bottom: Math.min(r.bottom, clip.bottom) };
      if (b.right - b.left < 1 || b.bottom - b.top < 1) continue;
      boxes.push({ b, node, text: t.textContent.trim().slice(0, 40) });
      if (b.left < p.left - 1 || b.right > p.right + 1 || b.top < p.top - 1 || b.bottom > p.bottom + 1) {
        problems.push(`"${t.textContent.trim().slice(0, 40)}" runs out of its panel (${panel.className}): ` +
          `[${Math.round(b.left)}, ${Math.round(b.right)}] × [${Math.round(b.top)}, ${Math.round(b.bottom)}] ` +
          `outside [${Math.round(p.left)}, ${Math.round(p.right)}] × [${Math.round(p.top)}, ${Math.round(p.bottom)}]`);
      }
    }
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      // One text node's own fragments (a line and its ellipsis box) are not two texts.
      if (boxes[i].node === boxes[j].node) continue;
      const a = boxes[i].b, b = boxes[j].b;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > 2) {
        problems.push(`"${boxes[i].text}" overlaps "${boxes[j].text}" in ${panel.className} by ${Math.round(w)}×${Math.round(h)} px`);
      }
    }
  }
}
return [...new Set(problems)].slice(0, 25);
"#;

struct Route {
    name: &'static str,
    path: String,
    /// Shown once the page's data is drawn.
    ready: &'static str,
    /// A part below the fold to scroll to for a second screenshot.
    below: Option<&'static str>,
}

fn routes(env: &Env) -> Vec<Route> {
    let list = env.api("organizations/demo/issues/?query=is:unresolved%20KeyError&statsPeriod=14d&sort=freq&limit=5");
    let issue = list[0]["id"].as_str().unwrap().to_owned();
    let ev = env.api(&format!("organizations/demo/issues/{issue}/events/latest/"));
    let trace = ev["contexts"]["trace"]["trace_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = |name, path: &str, ready| Route {
        name,
        path: path.to_owned(),
        ready,
        below: None,
    };
    vec![
        r("overview", "/", "[data-testid=legend-row]"),
        r("issues", "/issues", "[data-testid=issue-row]"),
        Route {
            below: Some("[data-testid=tags]"),
            ..r(
                "issue",
                &format!("/issues/{issue}"),
                "[data-testid=tags] [data-testid], [data-testid=dist-row]",
            )
        },
        r("traces", "/traces", "[data-testid=trace-row]"),
        r(
            "performance",
            "/performance?range=1h",
            "[data-testid=perf-txn-row], [data-testid=perf-p95-chart] canvas",
        ),
        Route {
            below: Some("[data-testid=timeline-legend]"),
            ..r(
                "timeline",
                "/timeline?range=6h",
                "[data-testid=timeline-issue]",
            )
        },
        r("trace", &format!("/trace/{trace}"), "[data-testid=wf-row]"),
        r(
            "wall-overview",
            "/wall?views=overview",
            "[data-testid=wall-chart] canvas, [data-testid=big-errors]",
        ),
        r(
            "wall-heatmap",
            "/wall?views=heatmap",
            "[data-testid=heat-row]",
        ),
        r(
            "wall-issues",
            "/wall?views=issues",
            "[data-testid=wall-issue-server]",
        ),
        r("wall-new", "/wall?views=new", "[data-testid=wall-new]"),
        r(
            "wall-performance",
            "/wall?views=performance&range=1h",
            "[data-testid=perf-txn-row]",
        ),
        r(
            "wall-timeline",
            "/wall?views=timeline",
            "[data-testid=timeline-issue]",
        ),
        r("settings", "/settings", "[data-testid=source-card]"),
    ]
}

fn shots_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("layout");
    std::fs::create_dir_all(&dir).expect("target/tmp/layout");
    dir
}

/// Resizes the window so that the page itself (the viewport) is `width`×`height`.
async fn viewport(b: &Browser, width: u32, height: u32) -> (u64, u64) {
    for _ in 0..3 {
        let v = js(
            b,
            "return [innerWidth, innerHeight, outerWidth, outerHeight]",
        )
        .await;
        let n = |i: usize| v[i].as_u64().unwrap();
        if (n(0), n(1)) == (width as u64, height as u64) {
            break;
        }
        let (w, h) = (
            width as u64 + n(2).saturating_sub(n(0)),
            height as u64 + n(3).saturating_sub(n(1)),
        );
        b.set_window_size(w as u32, h as u32).await.expect("resize");
    }
    let v = js(b, "return [innerWidth, innerHeight]").await;
    (v[0].as_u64().unwrap(), v[1].as_u64().unwrap())
}

async fn check_size(env: &Env, routes: &[Route], width: u32, height: u32) -> Vec<String> {
    let b = browser_sized(width, height).await;
    b.goto(&format!("{}/settings", env.app)).await.unwrap();
    let (vw, vh) = viewport(&b, width, height).await;
    let mut failures = Vec::new();
    for lang in ["en", "ko"] {
        js(
            &b,
            &format!("localStorage.setItem('lookout.lang', '{lang}')"),
        )
        .await;
        for route in routes {
            b.goto(&format!("{}{}", env.app, route.path)).await.unwrap();
            wait(&b, route.ready, 40).await;
            // Figures drawn, not placeholders: a big number, where the page has them, is a number.
            wait_js(
                &b,
                "[...document.querySelectorAll('.bignum .value')].every(v => /[0-9]/.test(v.textContent))",
                40,
            )
            .await;
            wait_js(&b, "!document.querySelector('[data-testid=loading]') && document.fonts.status === 'loaded'", 30).await;
            // The page's language is the one asked for (Korean text is drawn, not boxes).
            let lang_now = js(&b, "return document.documentElement.lang").await;
            assert_eq!(lang_now.as_str(), Some(lang), "{} in {lang}", route.name);
            let name = format!("{}-{vw}x{vh}-{lang}", route.name);
            let png = b.screenshot().await.expect("screenshot");
            std::fs::write(shots_dir().join(format!("{name}.png")), png).expect("write screenshot");
            if let Some(part) = route.below {
                js(
                    &b,
                    &format!("document.querySelector('{part}').scrollIntoView()"),
                )
                .await;
                let png = b.screenshot().await.expect("screenshot");
                std::fs::write(shots_dir().join(format!("{name}-below.png")), png)
                    .expect("write screenshot");
                js(&b, "window.scrollTo(0, 0)").await;
            }
            if route.name.starts_with("wall") {
                // Read from across the room: no table, figure label or top-bar text below 2.2 %
                // of the screen's height.
                let small = js(
                    &b,
                    "const min = innerHeight * 0.022 - 0.5;
                     return [...document.querySelectorAll('.wall table td, .wall table th, .wall .bignum .label, .wall-top')]
                       .filter(e => e.textContent.trim() && parseFloat(getComputedStyle(e).fontSize) < min)
                       .map(e => e.textContent.trim().slice(0, 30) + ' ' + getComputedStyle(e).fontSize).slice(0, 5)",
                )
                .await;
                // A wall is not scrolled: everything on one screen, and (but for the short
                // list of new issues) filling it, no empty third at the bottom.
                let fit = js(
                    &b,
                    "const panels = [...document.querySelectorAll('.wall .panel')];
                     const low = Math.max(0, ...panels.map(p => p.getBoundingClientRect().bottom));
                     return [document.documentElement.scrollHeight, low]",
                )
                .await;
                let (scroll, low) = (fit[0].as_f64().unwrap(), fit[1].as_f64().unwrap());
                if scroll > vh as f64 + 1.0 || low > vh as f64 + 1.0 {
                    failures.push(format!(
                        "{name}: the wall does not fit the screen: page {scroll}, panels end at {low}, screen {vh}"
                    ));
                }
                if route.name != "wall-new" && low < vh as f64 * 0.75 {
                    failures.push(format!(
                        "{name}: the wall leaves the bottom of the screen empty: its panels end at {low} of {vh}"
                    ));
                }
                for p in small
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    failures.push(format!("{name}: too small to read across the room: {p}"));
                }
            }
            let problems = js(&b, CHECK).await;
            for p in problems
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                failures.push(format!("{name}: {p}"));
            }
        }
    }
    failures
}

async fn check(width: u32, height: u32) {
    let env = start(Flavor::Sentry);
    let routes = routes(&env);
    let failures = check_size(&env, &routes, width, height).await;
    eprintln!("screenshots: {}", shots_dir().display());
    assert!(
        failures.is_empty(),
        "layout problems:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn every_route_lays_out_at_1280x800() {
    check(1280, 800).await;
}

#[tokio::test]
async fn every_route_lays_out_at_1920x1080() {
    check(1920, 1080).await;
}

#[tokio::test]
async fn every_route_lays_out_at_3840x2160() {
    check(3840, 2160).await;
}

/// The check itself can fail: text made to overlap, to run out of its panel, and a page made
/// wider than the window are each reported.
#[tokio::test]
async fn the_layout_check_sees_overlap_overflow_and_sideways_scroll() {
    let env = start(Flavor::Sentry);
    let b = browser_sized(1280, 800).await;
    b.goto(&format!("{}/issues", env.app)).await.unwrap();
    wait(&b, "[data-testid=issue-row]", 40).await;
    assert_eq!(
        js(&b, CHECK).await,
        serde_json::json!([]),
        "clean to begin with"
    );
    js(
        &b,
        "const p = document.querySelector('.panel');
         const a = document.createElement('span'); a.textContent = 'first-overlapping-text';
         const c = document.createElement('span'); c.textContent = 'second-overlapping-text';
         const d = document.createElement('span'); d.textContent = 'running-out-' + 'x'.repeat(400);
         d.style.whiteSpace = 'nowrap'; d.style.display = 'inline-block';
         for (const e of [a, c]) { e.style.position = 'absolute'; e.style.left = '40px'; e.style.top = '40px'; }
         p.style.position = 'relative';
         p.append(a, c, d);
         const w = document.createElement('div'); w.style.width = '5000px'; w.style.height = '1px';
         document.body.append(w);",
    )
    .await;
    let problems: Vec<String> = js(&b, CHECK)
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    let problems = problems.join("\n");
    for want in [
        "\"first-overlapping-text\" overlaps \"second-overlapping-text\"",
        "\"running-out-",
        "scrolls sideways",
    ] {
        assert!(problems.contains(want), "{want} in {problems}");
    }
}
