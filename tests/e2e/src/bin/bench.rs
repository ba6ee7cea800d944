//! `lookout-bench` (run by `cargo xtask bench`): measures the targets of the brief and prints one
//! table. Every browser figure comes from the release build in headless Chromium against the
//! simulator on loopback, read from the page's own `performance` marks and resource timings.
//!
//! The table is also written to `docs/bench.md`, stamped with the date and the commit.
//!
//! Options: `--runs N` (cold loads to take the median of; default 5), `--no-wall` (skip the
//! 24-hour wall run, which takes a few minutes), `--first-load` (only the bundle and the first
//! load), `--refresh-only` (only the requests and bytes of a refresh), `--issues-only` (the
//! 100-row issue list), `--timeline-only` (the fleet timeline and its pages), `--chart-only` (the
//! 200-server chart: native, in Chromium, and from real answers). With `LOOKOUT_GT_RUN` (a run
//! file of `cargo xtask glitchtip seed`) a refresh is also measured against that live GlitchTip.
//! `LOOKOUT_BENCH_TRACE=1` prints every timing entry of each first load.

use flate2::write::GzEncoder;
use flate2::Compression;
use lookout_e2e::*;
use lookout_sim::Flavor;
use serde_json::Value;
use std::io::{BufRead, Write};
use std::path::Path;
use std::time::{Duration, Instant};

struct Table {
    rows: Vec<[String; 4]>,
    /// The commit measured, and whether the tree differed from it, read when the run began.
    commit: (String, &'static str),
}

fn repo_root() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("../..")
}

/// The commit of the checkout, and " (with uncommitted changes)" when its tracked files differ.
fn commit_of_checkout() -> (String, &'static str) {
    let git = |a: &[&str]| {
        std::process::Command::new("git")
            .args(a)
            .current_dir(repo_root())
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default()
    };
    let dirty = if git(&["status", "--porcelain", "--untracked-files=no"]).is_empty() {
        ""
    } else {
        " (with uncommitted changes)"
    };
    (git(&["rev-parse", "--short", "HEAD"]), dirty)
}

impl Table {
    fn row(&mut self, figure: &str, value: String, target: &str, ok: Option<bool>) {
        let verdict = match ok {
            Some(true) => "ok",
            Some(false) => "MISSED",
            None => "",
        };
        let line = [
            figure.to_owned(),
            value,
            target.to_owned(),
            verdict.to_owned(),
        ];
        eprintln!("  {} = {} ({}) {}", line[0], line[1], line[2], line[3]);
        self.rows.push(line);
    }

    fn print(&self) {
        let heads = ["figure", "measured", "target", ""];
        let mut w = heads.map(str::len);
        for r in &self.rows {
            for (i, c) in r.iter().enumerate() {
                w[i] = w[i].max(c.chars().count());
            }
        }
        let line = |cells: [&str; 4]| {
            let mut s = String::from("|");
            for (i, c) in cells.iter().enumerate() {
                s.push_str(&format!(" {c}{} |", " ".repeat(w[i] - c.chars().count())));
            }
            s
        };
        println!("\n{}", line(heads));
        println!(
            "|{}|",
            w.iter()
                .map(|n| "-".repeat(n + 2))
                .collect::<Vec<_>>()
                .join("|")
        );
        for r in &self.rows {
            println!("{}", line([&r[0], &r[1], &r[2], &r[3]]));
        }
    }
}

impl Table {
    /// Prints the table and writes it, stamped with the date, the commit and the options, to
    /// `docs/bench.md` (which the README links to).
    fn finish(&self, args: &[String]) {
        self.print();
        let root = repo_root();
        let (commit, dirty) = &self.commit;
        let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
        let chromium = std::process::Command::new("/usr/bin/chromium")
            .arg("--version")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default();
        let mut md = format!(
            "# Benchmarks\n\nWritten by `cargo xtask bench{}` on {} at commit `{commit}`{dirty}, on a \
{cpus}-CPU machine with {chromium} (headless, loopback). Every browser figure is the release \
build's, read from the page's own `performance` marks; requests and bytes are counted by a proxy.\n\n",
            if args.is_empty() { String::new() } else { format!(" {}", args.join(" ")) },
            chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        );
        md.push_str("| figure | measured | target | |\n|---|---|---|---|\n");
        for r in &self.rows {
            let cell = |c: &str| c.replace('|', "\\|");
            md.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                cell(&r[0]),
                cell(&r[1]),
                cell(&r[2]),
                if r[3] == "MISSED" {
                    "**missed**"
                } else {
                    &r[3]
                }
            ));
        }
        // A partial run (one figure's flag) does not replace the whole table.
        let partial = args
            .iter()
            .any(|a| a.ends_with("-only") || a == "--first-load");
        let path = root.join(if partial {
            "target/bench-partial.md"
        } else {
            "docs/bench.md"
        });
        let _ = std::fs::create_dir_all(path.parent().unwrap_or(&root));
        match std::fs::write(&path, md) {
            Ok(()) => eprintln!("lookout-bench: table written to {}", path.display()),
            Err(e) => eprintln!("lookout-bench: {}: {e}", path.display()),
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

fn gz_len(data: &[u8]) -> u64 {
    let mut e = GzEncoder::new(Vec::new(), Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap().len() as u64
}

/// Bundle sizes: what a browser downloads on first load (the app's index.html references).
/// The shipped build is split by route (`cargo xtask dist`): the main module (with its glue,
/// boot and link modules and the CSS) is the whole first load of `/` and `/issues`; every other
/// page adds its own module and the chunks it shares with other pages.
fn bundle(t: &mut Table, dist: &Path) {
    // [wasm, js, css, split modules]: (raw, gzipped)
    let mut totals = [(0u64, 0u64); 4];
    for entry in std::fs::read_dir(dist).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let split = name.starts_with("split_") || name.starts_with("chunk_");
        let kind = if name.ends_with(".wasm") && split {
            3
        } else if name.ends_with(".wasm") {
            0
        } else if name.ends_with(".js") {
            1
        } else if name.ends_with(".css") {
            2
        } else {
            continue;
        };
        let data = std::fs::read(entry.path()).unwrap();
        totals[kind].0 += data.len() as u64;
        totals[kind].1 += gz_len(&data);
    }
    for (i, name) in [
        "main wasm",
        "js",
        "css",
        "the lazy pages' modules and chunks",
    ]
    .iter()
    .enumerate()
    {
        t.row(
            &format!("bundle: {name} (raw / gzipped)"),
            format!("{} / {}", kb(totals[i].0), kb(totals[i].1)),
            "",
            None,
        );
    }
    let first: u64 = totals[..3].iter().map(|t| t.1).sum();
    t.row(
        "bundle: first load of / and /issues, gzipped (wasm + js + css)",
        kb(first),
        "≤ 240 KB",
        Some(first <= 240 * 1024),
    );
    let all: u64 = totals.iter().map(|t| t.1).sum();
    t.row(
        "bundle: every view's code, gzipped",
        kb(all),
        "≤ 450 KB",
        Some(all <= 450 * 1024),
    );
}

async fn mark_time(b: &Browser, name: &str, secs: u64) -> f64 {
    wait_js(
        b,
        &format!("performance.getEntriesByName('{name}').length > 0"),
        secs,
    )
    .await;
    js(
        b,
        &format!("return performance.getEntriesByName('{name}')[0].startTime"),
    )
    .await
    .as_f64()
    .unwrap()
}

/// The load's milestones from resource timing: script and wasm loaded, config.json, and the API
/// requests before the first data (count, first start, last end).
async fn timeline(b: &Browser) -> String {
    let v = js(
        b,
        r#"const fd = performance.getEntriesByName('lookout:first-data')[0].startTime;
        const rs = performance.getEntriesByType('resource');
        const end = (s) => { const r = rs.find(r => r.name.includes(s)); return r ? Math.round(r.responseEnd) : -1; };
        const api = rs.filter(r => r.name.includes('/api/0/') && r.startTime < fd);
        const nav = performance.getEntriesByType('navigation')[0];
        const glue = rs.find(r => /\/lookout-[0-9a-f]+\.js$/.test(r.name));
        const start = performance.getEntriesByName('lookout:start')[0];
        return [Math.round(nav.responseEnd), glue ? Math.round(glue.responseEnd) : -1, end('.wasm'),
          start ? Math.round(start.startTime) : -1, end('config.json'), api.length,
          api.length ? Math.round(Math.min(...api.map(r => r.startTime))) : -1,
          api.length ? Math.round(Math.max(...api.map(r => r.responseEnd))) : -1, Math.round(fd)];"#,
    )
    .await;
    let n = |i: usize| v[i].as_f64().unwrap_or(-1.0);
    format!(
        "html {:.0} · js {:.0} · wasm {:.0} · app started {:.0} · config {:.0} · {} API requests {:.0}–{:.0} · painted {:.0}",
        n(0),
        n(1),
        n(2),
        n(3),
        n(4),
        n(5),
        n(6),
        n(7),
        n(8)
    )
}

/// The JS heap as the page left it, then after two forced collections, and the wasm memory.
async fn heap(b: &Browser) -> (f64, f64, f64) {
    let before = js(b, "return performance.memory.usedJSHeapSize")
        .await
        .as_f64()
        .unwrap();
    js(b, "window.gc && window.gc(); window.gc && window.gc();").await;
    let v = js(b, "return [performance.memory.usedJSHeapSize, window.__lookoutWasmMemory ? window.__lookoutWasmMemory.buffer.byteLength : 0]").await;
    (before, v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

fn mb(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1_048_576.0)
}

/// Cold loads of the overview: navigation → first data painted, and the heap after it.
async fn first_data(t: &mut Table, env: &Env, runs: usize) {
    let mut paint = Vec::new();
    let mut heaps = Vec::new();
    let mut heaps_gc = Vec::new();
    let mut wasm = Vec::new();
    let mut timelines = Vec::new();
    for _ in 0..runs {
        // A fresh profile each time: a cold cache.
        let b = browser().await;
        b.goto(&format!("{}/", env.app)).await.unwrap();
        paint.push(mark_time(&b, "lookout:first-data", 60).await);
        timelines.push(timeline(&b).await);
        if std::env::var_os("LOOKOUT_BENCH_TRACE").is_some() {
            // Every resource and user-timing entry of the load, for finding where time goes.
            let v = js(&b, "return performance.getEntries().map(e => [e.entryType, e.name.replace(location.origin, ''), Math.round(e.startTime), Math.round(e.startTime + e.duration)])").await;
            for e in v.as_array().into_iter().flatten() {
                eprintln!("  {e}");
            }
        }
        let (h, hgc, w) = heap(&b).await;
        heaps.push(h);
        heaps_gc.push(hgc);
        wasm.push(w);
    }
    paint_rows(
        t,
        "navigation → first data painted (overview, cold cache)",
        &paint,
        &timelines,
        Some(250.0),
    );
    let (h, hgc) = (median(heaps), median(heaps_gc));
    t.row(
        "JS heap after first data (as the page left it)",
        mb(h),
        "≤ 10 MB",
        Some(h <= 10.0 * 1_048_576.0),
    );
    t.row(
        "JS heap after first data (after two forced GCs)",
        mb(hgc),
        "",
        None,
    );
    t.row(
        "wasm linear memory after first data",
        mb(median(wasm)),
        "",
        None,
    );
}

/// The first load with the API 60 ms away (every API answer delayed, the site local): where
/// round trips, not the simulator's CPU, set the pace, as for a wall on Wi-Fi reading sentry.io.
async fn remote_first_data(t: &mut Table, env: &Env, runs: usize) {
    env.faults(lookout_sim::Faults {
        latency_ms: 60,
        ..Default::default()
    });
    let mut paint = Vec::new();
    let mut timelines = Vec::new();
    for _ in 0..runs {
        let b = browser().await;
        b.goto(&format!("{}/", env.app)).await.unwrap();
        paint.push(mark_time(&b, "lookout:first-data", 60).await);
        timelines.push(timeline(&b).await);
    }
    env.faults(lookout_sim::Faults::default());
    paint_rows(
        t,
        "navigation → first data painted, API 60 ms away (overview, cold cache)",
        &paint,
        &timelines,
        None,
    );
}

/// The median of `paint` against `target` (ms), and the breakdown of the run nearest it.
fn paint_rows(
    t: &mut Table,
    label: &str,
    paint: &[f64],
    timelines: &[String],
    target: Option<f64>,
) {
    let p = median(paint.to_vec());
    t.row(
        label,
        format!(
            "{p:.0} ms (median of {}; {:.0}–{:.0})",
            paint.len(),
            paint.iter().cloned().fold(f64::MAX, f64::min),
            paint.iter().cloned().fold(0.0, f64::max)
        ),
        &target.map(|v| format!("≤ {v:.0} ms")).unwrap_or_default(),
        target.map(|v| p <= v),
    );
    let nearest = (0..paint.len())
        .min_by(|a, b| (paint[*a] - p).abs().total_cmp(&(paint[*b] - p).abs()))
        .unwrap_or(0);
    if let Some(tl) = timelines.get(nearest) {
        t.row("  of which (ms from navigation)", tl.clone(), "", None);
    }
}

/// 200 servers × 1,440 buckets → chart data, natively in `core`.
fn chart_native(t: &mut Table) {
    use lookout_core::series::{chart_data, sorted_indices, synthetic, SortKey};
    let set = synthetic(200, 1440, 42);
    let order = sorted_indices(&set, SortKey::Total);
    let mut times = Vec::new();
    for _ in 0..25 {
        let t0 = Instant::now();
        let d = chart_data(&set, &order, 1340);
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
        assert!(!d.layers.is_empty());
    }
    let m = median(times);
    t.row(
        "200 servers × 1,440 buckets → chart data (native, core)",
        format!("{m:.2} ms"),
        "≤ 16 ms",
        Some(m <= 16.0),
    );
}

/// The same chart in Chromium: the page's `lookout:chart-data` and `lookout:chart-draw` measures,
/// redrawn at several widths.
async fn chart_browser(t: &mut Table, env: &Env) {
    let b = browser().await;
    b.goto(&format!(
        "{}/_bench/chart?servers=200&buckets=1440",
        env.app
    ))
    .await
    .unwrap();
    mark_time(&b, "lookout:chart-draw", 60).await;
    for w in [1300, 1400, 1360, 1420, 1380, 1400, 1340] {
        b.set_window_size(w, 1000).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let durations = |name: &str| {
        let name = name.to_owned();
        let b = &b;
        async move {
            js(
                b,
                &format!(
                    "return performance.getEntriesByName('{name}', 'measure').map(e => e.duration)"
                ),
            )
            .await
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_f64)
            .collect::<Vec<f64>>()
        }
    };
    let data = durations("lookout:chart-data").await;
    let draw = durations("lookout:chart-draw").await;
    let (nd, nw) = (data.len(), draw.len());
    let (d, w) = (median(data), median(draw));
    t.row(
        "200 × 1,440 → chart data (wasm, in Chromium)",
        format!("{d:.1} ms (median of {nd})"),
        "≤ 16 ms",
        Some(d <= 16.0),
    );
    t.row(
        "drawing that chart (canvas, in Chromium)",
        format!("{w:.1} ms (median of {nw})"),
        "≤ 16 ms",
        Some(w <= 16.0),
    );
}

/// A page's first load with a cold profile (the test-hooks build, test simulator): navigation →
/// first data painted (median of `runs`), and the API requests of that load.
async fn page_first_data(t: &mut Table, env: &Env, path: &str, name: &str, runs: usize) {
    let mut paint = Vec::new();
    let mut requests = Vec::new();
    let mut assets = Vec::new();
    for _ in 0..runs {
        let b = browser().await;
        b.goto(&format!("{}{path}", env.app)).await.unwrap();
        paint.push(mark_time(&b, "lookout:first-data", 60).await);
        let n = js(
            &b,
            "return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/0/')).length",
        )
        .await;
        requests.push(n.as_f64().unwrap_or(f64::NAN));
        // The page's own files as sent (the site sends the stored brotli or gzip copy).
        let sent = js(
            &b,
            "return performance.getEntriesByType('resource').filter(e => e.name.startsWith(location.origin) && !e.name.includes('/api/0/')).reduce((n, e) => n + e.encodedBodySize, 0)",
        )
        .await;
        assets.push(sent.as_f64().unwrap_or(f64::NAN));
    }
    let kb = median(assets) / 1024.0;
    t.row(
        &format!("{name}: its files as sent (median; Chromium takes the brotli copies)"),
        format!("{kb:.1} KB"),
        "≤ 240 KB",
        Some(kb <= 240.0),
    );
    let p = median(paint);
    t.row(
        &format!("{name}: navigation → first data painted (cold, median of {runs})"),
        format!("{p:.0} ms"),
        "≤ 250 ms",
        Some(p <= 250.0),
    );
    t.row(
        &format!("{name}: API requests of that load (median)"),
        format!("{:.0}", median(requests)),
        "—",
        None,
    );
}

/// The fleet timeline of a week (more than 10,000 events: it draws the newest 10,000), redrawn at
/// several widths: the page's `lookout:timeline-draw` measure (lanes, colours, first marks and the
/// canvas), and the week's load from navigation to the timeline drawn.
async fn fleet_timeline(t: &mut Table, env: &Env) {
    let end = chrono::Utc::now().timestamp() / 60 * 60;
    let iso = |s: i64| {
        chrono::DateTime::from_timestamp(s, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    let b = browser().await;
    b.goto(&format!(
        "{}/timeline?start={}&end={}",
        env.app,
        iso(end - 7 * 86_400),
        iso(end)
    ))
    .await
    .unwrap();
    let drawn_at = mark_time(&b, "lookout:timeline-draw", 120).await;
    let events = js(
        &b,
        "return [...document.querySelectorAll('[data-testid=timeline-issue]')].length ? document.querySelector('[data-testid=timeline-bounded]')?.textContent : ''",
    )
    .await;
    for w in [1300, 1400, 1360, 1420, 1380, 1400, 1340] {
        b.set_window_size(w, 1000).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let draws: Vec<f64> = js(
        &b,
        "return performance.getEntriesByName('lookout:timeline-draw', 'measure').map(e => e.duration)",
    )
    .await
    .as_array()
    .unwrap()
    .iter()
    .filter_map(Value::as_f64)
    .collect();
    let n = draws.len();
    let d = median(draws);
    let prep = js(
        &b,
        "return performance.getEntriesByName('lookout:timeline-prepare', 'measure')[0].duration",
    )
    .await
    .as_f64()
    .unwrap_or(f64::NAN);
    t.row(
        "timeline of 10,000 events: answers → ready to draw (lanes, colours, spreads; once per answer)",
        format!("{prep:.1} ms"),
        "—",
        None,
    );
    t.row(
        "timeline of 10,000 events: redraw (marks + canvas, in Chromium)",
        format!("{d:.1} ms (median of {n})"),
        "≤ 16 ms",
        Some(d <= 16.0),
    );
    t.row(
        "timeline of a week: navigation → drawn (101 events-table pages, loopback)",
        format!("{drawn_at:.0} ms"),
        "—",
        None,
    );
    eprintln!("timeline: {}", events.as_str().unwrap_or(""));
}

/// 200 servers' real answers (a 200-server simulator, 24 hours at one-minute buckets): parse,
/// merge and chart data in Chromium, then drawing them.
async fn chart_answers(t: &mut Table, env200: &Env) {
    let mut data = Vec::new();
    let mut shape = String::new();
    for _ in 0..3 {
        let b = browser().await;
        b.goto(&format!("{}/_bench/chart?answers=1", env200.app))
            .await
            .unwrap();
        mark_time(&b, "lookout:chart-answers", 120).await;
        data.push(
            js(&b, "return performance.getEntriesByName('lookout:chart-answers', 'measure')[0].duration")
                .await
                .as_f64()
                .unwrap(),
        );
        shape = js(&b, "return window.__lookoutBenchAnswers")
            .await
            .as_str()
            .unwrap_or("")
            .to_owned();
    }
    let mut parts = shape.split(' ');
    let (servers, buckets) = (parts.next().unwrap_or("?"), parts.next().unwrap_or("?"));
    let d = median(data);
    t.row(
        &format!("{servers} servers × {buckets} buckets: the answers → chart data (parse + merge + layers, in Chromium)"),
        format!("{d:.1} ms (median of 3)"),
        "≤ 16 ms",
        Some(d <= 16.0),
    );
}

/// The 10,000-span trace: layout, first render, DOM nodes while scrolling.
async fn trace(t: &mut Table, env: &Env) {
    let id = env.info()["bigTraceId"].as_str().unwrap().to_owned();
    let mut layout = Vec::new();
    let mut render = Vec::new();
    let mut nodes = 0u64;
    for _ in 0..3 {
        let b = browser().await;
        b.goto(&format!("{}/trace/{id}", env.app)).await.unwrap();
        mark_time(&b, "lookout:trace-render", 60).await;
        let v = js(&b, "return [performance.getEntriesByName('lookout:trace-layout', 'measure')[0].duration, performance.getEntriesByName('lookout:trace-render', 'measure')[0].duration]").await;
        layout.push(v[0].as_f64().unwrap());
        render.push(v[1].as_f64().unwrap());
        for step in 0..=10 {
            js(&b, &format!("const s = document.querySelector('.wf-scroll'); s.scrollTop = s.scrollHeight * {step} / 10;")).await;
            tokio::time::sleep(Duration::from_millis(120)).await;
            nodes = nodes.max(
                js(&b, "return document.getElementsByTagName('*').length")
                    .await
                    .as_u64()
                    .unwrap(),
            );
        }
    }
    let (l, r) = (median(layout), median(render));
    t.row(
        "10,000-span trace: JSON parse + layout",
        format!("{l:.1} ms"),
        "",
        None,
    );
    t.row(
        "10,000-span trace: JSON parse + layout + first render (after the paint)",
        format!("{r:.1} ms"),
        "≤ 100 ms",
        Some(r <= 100.0),
    );
    t.row(
        "10,000-span trace: most DOM nodes while scrolling",
        nodes.to_string(),
        "≤ 2,000",
        Some(nodes <= 2000),
    );
}

/// No request while the page is hidden.
async fn hidden(t: &mut Table, env: &Env) {
    const PERIOD: u64 = 1000;
    let b = browser().await;
    b.goto(&format!("{}/?_refreshMs={PERIOD}", env.app))
        .await
        .unwrap();
    mark_time(&b, "lookout:first-data", 60).await;
    let (done, _) = refresh_counts(&b).await;
    wait_refresh_after(&b, done, 30).await;
    js(&b, "Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'}); document.dispatchEvent(new Event('visibilitychange'));").await;
    wait_js(
        &b,
        "window.__lookoutRefreshes === window.__lookoutTicks",
        30,
    )
    .await;
    let before = env.requests();
    tokio::time::sleep(Duration::from_millis(PERIOD * 4)).await;
    let hidden = env.requests() - before;
    t.row(
        "API requests while the page is hidden (4 refresh periods)",
        hidden.to_string(),
        "0",
        Some(hidden == 0),
    );
}

/// Requests and bytes of the first load and of whole refreshes of the Overview, counted by a
/// loopback proxy between the dashboard and the server and told apart by the page's own count of
/// finished and painted refreshes (`servers`: how many the fleet has; the budget counts servers
/// only, not the group of events without one).
/// Requests and bytes of `page`'s first load and of its refreshes (the overview is held to the
/// brief's budget; other pages are reported).
async fn refresh_cost(
    t: &mut Table,
    label: &str,
    (app, page): (&str, &str),
    proxy: &Proxy,
    servers: usize,
    query: &str,
) {
    const REFRESHES: usize = 11;
    let b = browser().await;
    let name = if page == "/" {
        "overview"
    } else {
        page.trim_start_matches('/')
    };
    let overview = page == "/";
    b.goto(&format!("{app}{page}?_refreshMs=1500{query}"))
        .await
        .unwrap();
    mark_time(&b, "lookout:first-data", 120).await;
    wait_js(&b, "window.__lookoutLoading === 0", 120).await;
    let first: Vec<Proxied> = proxy.requests();
    let mut marks = vec![first.len()];
    let (mut done, _) = refresh_counts(&b).await;
    // A clock never starts a refresh over a running one, so each mark closes exactly one.
    while marks.len() <= REFRESHES {
        done = wait_refresh_after(&b, done, 120).await;
        marks.push(proxy.requests().len());
    }
    let log = proxy.requests();
    let refreshes: Vec<&[Proxied]> = marks.windows(2).map(|w| &log[w[0]..w[1]]).collect();
    let kb = |r: &[Proxied]| r.iter().map(|p| p.bytes).sum::<u64>() as f64 / 1024.0;
    let gz = |r: &[Proxied]| r.iter().map(|p| p.gz_bytes).sum::<u64>() as f64 / 1024.0;
    let reqs: Vec<f64> = refreshes.iter().map(|r| r.len() as f64).collect();
    let sizes: Vec<f64> = refreshes.iter().map(|r| kb(r)).collect();
    let gz_med = median(refreshes.iter().map(|r| gz(r)).collect());
    let (rmax, smax) = (
        reqs.iter().copied().fold(0.0, f64::max),
        sizes.iter().copied().fold(0.0, f64::max),
    );
    let (rmed, smed) = (median(reqs), median(sizes));
    let budget = 1 + servers.div_ceil(10);
    t.row(
        &format!("{label}: first load of the {name} ({servers} servers)"),
        format!(
            "{} requests, {:.0} KB ({:.0} KB if gzipped)",
            first.len(),
            kb(&first),
            gz(&first)
        ),
        "",
        None,
    );
    t.row(
        &format!("{label}: requests of one {name} refresh ({servers} servers)"),
        format!(
            "median {rmed:.0}; most {rmax:.0} (every fifth refresh: the slower panels) over {} refreshes",
            refreshes.len()
        ),
        &if overview {
            format!("≤ 1 + ⌈{servers}/10⌉ = {budget}")
        } else {
            String::new()
        },
        overview.then_some(rmed <= budget as f64),
    );
    t.row(
        &format!("{label}: bytes of one {name} refresh ({servers} servers)"),
        format!(
            "median {smed:.1} KB as sent ({gz_med:.1} KB if the server gzips); most {smax:.1} KB"
        ),
        if overview { "≤ 200 KB" } else { "" },
        overview.then_some(smed <= 200.0),
    );
}

/// [`refresh_cost`] against the simulator (Sentry) at 30 and 200 servers and, when
/// `LOOKOUT_GT_RUN` names a seeded run, a live GlitchTip.
async fn refresh_costs(t: &mut Table, envs: &[&Env]) {
    // The app served with a config that reaches the simulator through a counting proxy.
    let proxied = |env: &Env| {
        let proxy = Proxy::start(&env.sim.url);
        let config = lookout_sim::demo_config(&proxy.url, &env.sim.app.opts.token, Flavor::Sentry);
        let site = start_with(lookout_sim::SimOptions {
            served_config: Some(config),
            ..options(Flavor::Sentry)
        });
        (proxy, site)
    };
    for env in envs {
        let servers = env.info()["servers"].as_array().map_or(0, Vec::len);
        let (proxy, site) = proxied(env);
        refresh_cost(
            t,
            "simulator (Sentry)",
            (&site.app, "/"),
            &proxy,
            servers,
            "",
        )
        .await;
        if servers <= 30 {
            let (proxy, site) = proxied(env);
            let page = (site.app.as_str(), "/performance");
            refresh_cost(t, "simulator (Sentry)", page, &proxy, servers, "&range=1h").await;
        }
    }
    if let Some(live) = live_glitchtip() {
        let (proxy, site) = live.through_proxy();
        let servers = live.tag_totals("server_name").len();
        refresh_cost(
            t,
            "live GlitchTip",
            (&site.app, "/"),
            &proxy,
            servers,
            "&range=1h",
        )
        .await;
    }
}

/// Render time of `path`: from the response of the API request matching `api` to the paint
/// after the page's `name` mark.
async fn render_after_response(env: &Env, path: &str, name: &str, api: &str) -> f64 {
    let b = browser().await;
    b.goto(&format!("{}{path}", env.app)).await.unwrap();
    mark_time(&b, &format!("{name}:end"), 60).await;
    js(&b, &format!("const end = performance.getEntriesByName('{name}:end')[0].startTime; const r = performance.getEntriesByType('resource').filter(r => r.name.includes('{api}') && r.responseEnd <= end).pop(); return end - r.responseEnd;")).await.as_f64().unwrap()
}

/// Tops the fleet's issues up to `n` through the Sentry SDK (distinct messages group apart).
fn seed_issues(env: &Env, n: u64) {
    use sentry::protocol::{Event, Level};
    let have = env.info()["issues"].as_u64().unwrap();
    if have >= n {
        return;
    }
    let mut opts = sentry::ClientOptions::default();
    opts.dsn = Some(env.sim.dsn("api").unwrap().parse().unwrap());
    opts.transport = Some(std::sync::Arc::new(
        sentry::transports::DefaultTransportFactory,
    ));
    let client = sentry::Client::from(opts);
    for i in have..n {
        let mut ev = Event::new();
        ev.level = Level::Error;
        ev.message = Some(format!("bench issue {i}: upstream refused the connection"));
        ev.server_name = Some(format!("aws-apne2-api-{}", i % 12 + 1).into());
        client.capture_event(ev, None);
        // The SDK's transport queue holds 30 envelopes and drops the rest: send in batches.
        if i % 20 == 19 {
            assert!(
                client.flush(Some(Duration::from_secs(30))),
                "the SDK delivered"
            );
        }
    }
    assert!(
        client.flush(Some(Duration::from_secs(30))),
        "the SDK delivered"
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    while env.info()["issues"].as_u64().unwrap() < n {
        assert!(Instant::now() < deadline, "the seeded issues never arrived");
        std::thread::sleep(Duration::from_millis(100));
    }
}

async fn issues(t: &mut Table, env: &Env, runs: usize) {
    // Some fleet issues are resolved or ignored: seed enough for 100 unresolved ones.
    seed_issues(env, 110);
    let mut v = Vec::new();
    for _ in 0..runs {
        v.push(
            render_after_response(
                env,
                "/issues?limit=100&range=14d",
                "lookout:issues-render",
                "/issues/?",
            )
            .await,
        );
    }
    let b = browser().await;
    b.goto(&format!("{}/issues?limit=100&range=14d", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=issue-row]", 60).await;
    let rows = count(&b, "[data-testid=issue-row]").await;
    assert_eq!(rows, 100, "rows in the issue list");
    let m = median(v);
    // Issue 18's target.
    t.row(
        &format!("100-row issue list: response → painted (median of {runs})"),
        format!("{m:.0} ms"),
        "≤ 50 ms",
        Some(m <= 50.0),
    );
}

async fn huge_event(t: &mut Table, env: &Env) {
    use sentry::protocol::{Breadcrumb, Event, Exception, Frame, Stacktrace};
    let mut ev = Event::new();
    ev.platform = "python".into();
    ev.server_name = Some("bench-host-1".into());
    ev.exception = vec![Exception {
        ty: "RecursionError".into(),
        value: Some("maximum recursion depth exceeded".into()),
        stacktrace: Some(Stacktrace {
            frames: (0..2_000)
                .map(|i| Frame {
                    function: Some(format!("walk_{i}")),
                    filename: Some("tree.py".into()),
                    lineno: Some(i),
                    in_app: Some(i % 3 == 0),
                    pre_context: vec!["    node = stack.pop()".into()],
                    context_line: Some("    return walk(node.left)".into()),
                    post_context: vec!["    # unreachable".into()],
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }),
        ..Default::default()
    }]
    .into();
    ev.breadcrumbs = (0..5_000)
        .map(|i| Breadcrumb {
            message: Some(format!("step {i}")),
            category: Some("loop".into()),
            ..Default::default()
        })
        .collect::<Vec<_>>()
        .into();
    let event_id = send_event(env, "api", ev);
    let id = issue_of(env, &event_id);
    let mut v = Vec::new();
    for _ in 0..3 {
        v.push(
            render_after_response(
                env,
                &format!("/issues/{id}"),
                "lookout:event-render",
                "/events/",
            )
            .await,
        );
    }
    t.row(
        "event with 5,000 breadcrumbs + 2,000 frames: response → painted",
        format!("{:.0} ms", median(v)),
        "",
        None,
    );
}

fn proc_kb(pid: u32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The simulator binary: start-up time and memory with the 14-day fleet, and request throughput.
async fn simulator(t: &mut Table) {
    let Some(bin) = std::env::var_os("LOOKOUT_SIM_BIN") else {
        t.row(
            "simulator",
            "skipped: set LOOKOUT_SIM_BIN (cargo xtask bench does)".into(),
            "",
            None,
        );
        return;
    };
    let t0 = Instant::now();
    let mut child = std::process::Command::new(bin)
        .args(["--port", "0", "--quiet", "--live-interval-ms", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start lookout-sim");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let ready = t0.elapsed().as_secs_f64() * 1000.0;
    let url = line.trim().trim_start_matches("ready: ").to_owned();
    let rss = proc_kb(child.id(), "VmRSS:");
    let peak = proc_kb(child.id(), "VmHWM:");
    t.row(
        "simulator: start-up with the 14-day fleet (process start → ready)",
        format!("{ready:.0} ms"),
        "",
        None,
    );
    t.row(
        "simulator: memory when ready (RSS / peak)",
        format!(
            "{:.0} MB / {:.0} MB",
            rss as f64 / 1024.0,
            peak as f64 / 1024.0
        ),
        "",
        None,
    );
    let servers: Vec<String> = reqwest::blocking::Client::new()
        .get(format!("{url}/__sim/info"))
        .bearer_auth("lookout-demo")
        .send()
        .and_then(|r| r.json::<Value>())
        .map(|v| {
            v["servers"]
                .as_array()
                .unwrap()
                .iter()
                .take(10)
                .map(|s| s.as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let stats = format!(
        "organizations/demo/events-stats/?statsPeriod=24h&interval=10m&field=count()&yAxis=count()&topEvents=10&query=server_name:[{}]",
        servers.join(",")
    );
    for (label, path) in [
        (
            "issue list (25 issues, 14d)",
            "organizations/demo/issues/?statsPeriod=14d&limit=25&sort=date".to_owned(),
        ),
        ("events-stats (10 servers, 24h, 10m buckets)", stats),
    ] {
        let (n, secs) = throughput(&url, &path).await;
        t.row(
            &format!("simulator throughput: {label}"),
            format!(
                "{:.0} requests/s ({n} in {secs:.1} s, 8 concurrent)",
                n as f64 / secs
            ),
            "",
            None,
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}

async fn throughput(url: &str, path: &str) -> (u64, f64) {
    let client = std::sync::Arc::new(reqwest::Client::builder().build().expect("an HTTP client"));
    let target = format!("{url}/api/0/{path}");
    let t0 = Instant::now();
    let until = t0 + Duration::from_secs(3);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let client = client.clone();
        let target = target.clone();
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < until {
                let r = client
                    .get(&target)
                    .bearer_auth("lookout-demo")
                    .send()
                    .await
                    .expect("a simulator answer");
                assert!(r.status().is_success(), "{target}: {}", r.status());
                let _ = r.bytes().await;
                n += 1;
            }
            n
        }));
    }
    let mut n = 0;
    for task in tasks {
        n += task.await.unwrap();
    }
    (n, t0.elapsed().as_secs_f64())
}

/// 24 hours of wall refreshes (every view in rotation, live traffic changing the data), run and
/// sampled exactly as the end-to-end test does ([`wall_day`]): heap, DOM nodes and wasm memory,
/// the first samples against the last.
async fn wall(t: &mut Table) {
    let env = start_with(lookout_sim::SimOptions {
        live_interval_ms: 150,
        ..options(Flavor::Sentry)
    });
    let b = wall_browser().await;
    let day = wall_day(&b, &env.app).await;
    let failed = js(&b, "return window.__lookoutFailedLoads").await;
    let ((h0, n0, w0), (h1, n1, w1)) = day.first_and_last();
    let dh = (h1 - h0) / h0 * 100.0;
    let dn = (n1 - n0) / n0 * 100.0;
    let dw = (w1 - w0) / w0 * 100.0;
    t.row(
        "24 h of wall refreshes (six views, live data): JS heap, first 3 vs last 3 of 7 samples",
        format!(
            "{} → {} ({dh:+.1} %); {} refreshes in {:.0} s, failed loads {failed}",
            mb(h0),
            mb(h1),
            day.refreshes,
            day.seconds
        ),
        "flat ± 5 %",
        Some(dh.abs() <= 5.0),
    );
    t.row(
        "24 h of wall refreshes: DOM nodes",
        format!("{n0:.0} → {n1:.0} ({dn:+.1} %)"),
        "flat ± 5 %",
        Some(dn.abs() <= 5.0),
    );
    t.row(
        "24 h of wall refreshes: wasm memory",
        format!("{} → {} ({dw:+.1} %)", mb(w0), mb(w1)),
        "flat ± 5 %",
        Some(dw.abs() <= 5.0),
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(5usize);
    let with_wall = !args.iter().any(|a| a == "--no-wall");
    let mut t = Table {
        rows: Vec::new(),
        commit: commit_of_checkout(),
    };
    eprintln!("lookout-bench: measuring (this takes a few minutes)…");
    // Sizes and first loads are the shipped build's; the rest needs the test hooks.
    bundle(&mut t, &shipped_dist_dir());
    let env = start(Flavor::Sentry);
    // The brief's fleet: 200 servers (a simulator flag).
    let env200 = start_with(lookout_sim::SimOptions {
        servers: 200,
        ..options(Flavor::Sentry)
    });
    if args.iter().any(|a| a == "--timeline-only") {
        fleet_timeline(&mut t, &env).await;
        page_first_data(&mut t, &env, "/performance?range=1h", "performance", runs).await;
        page_first_data(&mut t, &env, "/timeline?range=1h", "timeline", runs).await;
        t.finish(&args);
        return;
    }
    if args.iter().any(|a| a == "--issues-only") {
        issues(&mut t, &env, runs).await;
        t.finish(&args);
        return;
    }
    if args.iter().any(|a| a == "--refresh-only") {
        refresh_costs(&mut t, &[&env, &env200]).await;
        t.finish(&args);
        return;
    }
    if args.iter().any(|a| a == "--chart-only") {
        chart_native(&mut t);
        chart_browser(&mut t, &env).await;
        chart_answers(&mut t, &env200).await;
        t.finish(&args);
        return;
    }
    {
        let shipped = start_shipped(Flavor::Sentry);
        first_data(&mut t, &shipped, runs).await;
        remote_first_data(&mut t, &shipped, runs).await;
    }
    {
        // Every route's first load on the shipped build (split by route): its files as sent and
        // navigation → first data.
        let shipped = start_shipped(Flavor::Sentry);
        let issue = shipped.api("organizations/demo/issues/?limit=1")[0]["id"]
            .as_str()
            .unwrap_or("1")
            .to_owned();
        for (path, name) in [
            ("/issues".to_owned(), "/issues"),
            (format!("/issues/{issue}"), "/issues/:id"),
            ("/wall".to_owned(), "/wall"),
        ] {
            page_first_data(&mut t, &shipped, &path, name, runs).await;
        }
    }
    if args.iter().any(|a| a == "--first-load") {
        t.finish(&args);
        return;
    }
    chart_native(&mut t);
    chart_browser(&mut t, &env).await;
    chart_answers(&mut t, &env200).await;
    fleet_timeline(&mut t, &env).await;
    page_first_data(&mut t, &env, "/performance?range=1h", "performance", runs).await;
    page_first_data(&mut t, &env, "/timeline?range=1h", "timeline", runs).await;
    trace(&mut t, &env).await;
    hidden(&mut t, &env).await;
    refresh_costs(&mut t, &[&env, &env200]).await;
    issues(&mut t, &env, runs).await;
    huge_event(&mut t, &env).await;
    if with_wall {
        wall(&mut t).await;
    }
    simulator(&mut t).await;
    t.finish(&args);
}
