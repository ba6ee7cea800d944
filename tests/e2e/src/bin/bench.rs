//! `lookout-bench` (run by `cargo xtask bench`): measures the targets of the brief and prints one
//! table. Every browser figure comes from the release build in headless Chromium against the
//! simulator on loopback, read from the page's own `performance` marks and resource timings.
//!
//! Options: `--runs N` (cold loads to take the median of; default 5), `--no-wall` (skip the
//! 24-hour wall run, which takes a few minutes), `--first-load` (only the bundle and the first
//! load), `--refresh-only` (only the requests and bytes of a refresh). With `LOOKOUT_GT_RUN` (a run
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
fn bundle(t: &mut Table, dist: &Path) {
    let mut totals = [(0u64, 0u64); 3];
    for entry in std::fs::read_dir(dist).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = if name.ends_with(".wasm") {
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
    for (i, name) in ["wasm", "js", "css"].iter().enumerate() {
        t.row(
            &format!("bundle: {name} (raw / gzipped)"),
            format!("{} / {}", kb(totals[i].0), kb(totals[i].1)),
            "",
            None,
        );
    }
    let gz: u64 = totals.iter().map(|t| t.1).sum();
    t.row(
        "bundle: first load, gzipped (wasm + js + css)",
        kb(gz),
        "≤ 240 KB",
        Some(gz <= 240 * 1024),
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
        return [Math.round(nav.responseEnd), end('.js'), end('.wasm'), end('config.json'), api.length,
          api.length ? Math.round(Math.min(...api.map(r => r.startTime))) : -1,
          api.length ? Math.round(Math.max(...api.map(r => r.responseEnd))) : -1, Math.round(fd)];"#,
    )
    .await;
    let n = |i: usize| v[i].as_f64().unwrap_or(-1.0);
    format!(
        "html {:.0} · js {:.0} · wasm {:.0} · config {:.0} · {} API requests {:.0}–{:.0} · painted {:.0}",
        n(0),
        n(1),
        n(2),
        n(3),
        n(4),
        n(5),
        n(6),
        n(7)
    )
}

async fn heap(b: &Browser) -> (f64, f64) {
    js(b, "window.gc && window.gc(); window.gc && window.gc();").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let v = js(b, "return [performance.memory.usedJSHeapSize, window.__lookoutWasmMemory ? window.__lookoutWasmMemory.buffer.byteLength : 0]").await;
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

fn mb(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1_048_576.0)
}

/// Cold loads of the overview: navigation → first data painted, and the heap after it.
async fn first_data(t: &mut Table, env: &Env, runs: usize) {
    let mut paint = Vec::new();
    let mut heaps = Vec::new();
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
        let (h, w) = heap(&b).await;
        heaps.push(h);
        wasm.push(w);
    }
    let p = median(paint.clone());
    t.row(
        "navigation → first data painted (overview, cold cache)",
        format!(
            "{p:.0} ms (median of {runs}; {:.0}–{:.0})",
            paint.iter().cloned().fold(f64::MAX, f64::min),
            paint.iter().cloned().fold(0.0, f64::max)
        ),
        "≤ 350 ms",
        Some(p <= 350.0),
    );
    // Where the time went, in the run nearest the median.
    let nearest = (0..paint.len())
        .min_by(|a, b| (paint[*a] - p).abs().total_cmp(&(paint[*b] - p).abs()))
        .unwrap_or(0);
    if let Some(tl) = timelines.get(nearest) {
        t.row("  of which (ms from navigation)", tl.clone(), "", None);
    }
    let h = median(heaps);
    t.row(
        "JS heap after first data",
        mb(h),
        "≤ 10 MB",
        Some(h <= 10.0 * 1_048_576.0),
    );
    t.row(
        "wasm linear memory after first data",
        mb(median(wasm)),
        "",
        None,
    );
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
    t.row("10,000-span trace: layout", format!("{l:.1} ms"), "", None);
    t.row(
        "10,000-span trace: layout + first render",
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

/// Requests per overview refresh, and none while hidden.
async fn requests(t: &mut Table, env: &Env) {
    const PERIOD: u64 = 1500;
    let servers = env.info()["servers"].as_array().unwrap().len() as u64;
    let no_server = env.api("organizations/demo/events/?dataset=errors&field=count()&query=!has:server_name&statsPeriod=48h");
    let groups = servers + u64::from(no_server["data"][0]["count()"].as_u64().unwrap_or(0) > 0);
    let b = browser().await;
    b.goto(&format!("{}/?_refreshMs={PERIOD}", env.app))
        .await
        .unwrap();
    mark_time(&b, "lookout:first-data", 60).await;
    tokio::time::sleep(Duration::from_millis(PERIOD)).await;
    // From the latest logged request on (by time: the log keeps its latest 5,000 entries).
    let since = {
        let c = env.sim.app.counters.lock().unwrap();
        c.log.last().map_or(0.0, |l| l.at)
    };
    tokio::time::sleep(Duration::from_millis(PERIOD * 10 + PERIOD / 2)).await;
    let at: Vec<f64> = {
        let c = env.sim.app.counters.lock().unwrap();
        c.log.iter().map(|l| l.at).filter(|a| *a > since).collect()
    };
    // One refresh = one burst of requests; bursts are a refresh period apart.
    let mut bursts: Vec<u64> = Vec::new();
    let mut last = f64::MIN;
    for a in at {
        if a - last > (PERIOD as f64 / 1000.0) / 3.0 {
            bursts.push(0);
        }
        *bursts.last_mut().unwrap() += 1;
        last = a;
    }
    let budget = 1 + groups.div_ceil(10);
    let plain = bursts.iter().copied().min().unwrap_or(0);
    let most = bursts.iter().copied().max().unwrap_or(0);
    let mean = bursts.iter().sum::<u64>() as f64 / bursts.len().max(1) as f64;
    t.row(
        &format!("API requests per overview refresh ({servers} servers + 1 no-server group)"),
        format!("{plain} (charts); {most} every 5th refresh (slower panels too); mean {mean:.1} over {} refreshes", bursts.len()),
        &format!("≤ 1 + ⌈N/10⌉ = {budget}"),
        Some(plain <= budget),
    );
    js(&b, "Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'}); document.dispatchEvent(new Event('visibilitychange'));").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
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

/// Requests and bytes of the first load and of one settled refresh of the Overview, counted by a
/// loopback proxy between the dashboard and the server (`servers`: how many the fleet has).
async fn refresh_cost(
    t: &mut Table,
    label: &str,
    app: &str,
    proxy: &Proxy,
    servers: usize,
    query: &str,
) {
    const PERIOD_MS: u64 = 2500;
    let b = browser().await;
    b.goto(&format!("{app}/?_refreshMs={PERIOD_MS}{query}"))
        .await
        .unwrap();
    mark_time(&b, "lookout:first-data", 120).await;
    let deadline = Instant::now() + Duration::from_secs(120);
    let gap = PERIOD_MS as f64 / 1000.0 / 2.0;
    while bursts(&proxy.requests(), gap).len() < 8 {
        assert!(Instant::now() < deadline, "the overview stopped refreshing");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let all = bursts(&proxy.requests(), gap);
    let first = &all[0];
    let kb = |r: &[Proxied]| r.iter().map(|p| p.bytes).sum::<u64>() as f64 / 1024.0;
    // The settled refreshes: after the first two, before the one in flight.
    let settled = &all[2..all.len() - 1];
    let mut reqs: Vec<f64> = settled.iter().map(|r| r.len() as f64).collect();
    let mut sizes: Vec<f64> = settled.iter().map(|r| kb(r)).collect();
    let (rmax, smax) = (
        reqs.iter().copied().fold(0.0, f64::max),
        sizes.iter().copied().fold(0.0, f64::max),
    );
    let (rmed, smed) = (
        median(std::mem::take(&mut reqs)),
        median(std::mem::take(&mut sizes)),
    );
    let budget = 1 + servers.div_ceil(10);
    t.row(
        &format!("{label}: first load of the overview ({servers} servers)"),
        format!("{} requests, {:.0} KB", first.len(), kb(first)),
        "",
        None,
    );
    t.row(
        &format!("{label}: one overview refresh ({servers} servers)"),
        format!(
            "median {rmed:.0} requests / {smed:.1} KB, most {rmax:.0} / {smax:.1} KB over {} refreshes",
            settled.len()
        ),
        &format!("≤ {budget} requests, ≤ 200 KB"),
        Some(rmax <= budget as f64 && smax <= 200.0),
    );
}

/// [`refresh_cost`] against the simulator (Sentry) and, when `LOOKOUT_GT_RUN` names a seeded run,
/// a live GlitchTip.
async fn refresh_costs(t: &mut Table, env: &Env) {
    let proxy = Proxy::start(&env.sim.url);
    let config = lookout_sim::demo_config(&proxy.url, &env.sim.app.opts.token, Flavor::Sentry);
    let site = start_with(lookout_sim::SimOptions {
        served_config: Some(config),
        ..options(Flavor::Sentry)
    });
    let servers = env.info()["servers"].as_array().map_or(0, Vec::len);
    refresh_cost(t, "simulator (Sentry)", &site.app, &proxy, servers, "").await;
    drop(site);
    if let Some(live) = live_glitchtip() {
        let (proxy, site) = live.through_proxy();
        let servers = live.tag_totals("server_name").len();
        refresh_cost(t, "live GlitchTip", &site.app, &proxy, servers, "&range=1h").await;
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

async fn issues(t: &mut Table, env: &Env) {
    // Some fleet issues are resolved or ignored: seed enough for 100 unresolved ones.
    seed_issues(env, 110);
    let mut v = Vec::new();
    for _ in 0..3 {
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
    t.row(
        "100-row issue list: response → painted",
        format!("{:.0} ms", median(v)),
        "",
        None,
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

/// 24 hours of wall refreshes on fast timers: heap and DOM nodes before and after.
async fn wall(t: &mut Table, env: &Env) {
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/wall?_refreshMs=100&views=overview", env.app))
        .await
        .unwrap();
    mark_time(&b, "lookout:first-data", 60).await;
    let lists = || env.endpoint_requests("events");
    // After a warm-up of 300 refreshes (the JIT settles), then a day at one refresh a minute.
    let start = lists();
    while lists() < start + 300 {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (h0, n0, w0) = retained(&b).await;
    let from = lists();
    let deadline = Instant::now() + Duration::from_secs(900);
    while lists() < from + 1440 {
        assert!(Instant::now() < deadline, "the wall stopped refreshing");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let (h1, n1, w1) = retained(&b).await;
    let dh = (h1 - h0) / h0 * 100.0;
    let dn = (n1 - n0) / n0 * 100.0;
    let dw = (w1 - w0) / w0 * 100.0;
    t.row(
        "24 h of wall refreshes (1,440): JS heap",
        format!("{} → {} ({dh:+.1} %)", mb(h0), mb(h1)),
        "flat ± 5 %",
        Some(dh.abs() <= 5.0),
    );
    t.row(
        "24 h of wall refreshes (1,440): DOM nodes",
        format!("{n0:.0} → {n1:.0} ({dn:+.1} %)"),
        "flat ± 5 %",
        Some(dn.abs() <= 5.0),
    );
    t.row(
        "24 h of wall refreshes (1,440): wasm memory",
        format!("{} → {} ({dw:+.1} %)", mb(w0), mb(w1)),
        "flat ± 5 %",
        Some(dw.abs() <= 5.0),
    );
}

/// Retained JS heap, DOM nodes and wasm memory: the smallest of three samples after a full GC
/// (a refresh in flight holds garbage for a moment).
async fn retained(b: &Browser) -> (f64, f64, f64) {
    let mut best = (f64::MAX, f64::MAX, 0.0);
    for _ in 0..3 {
        let (h, w) = heap(b).await;
        let n = js(b, "return document.getElementsByTagName('*').length")
            .await
            .as_f64()
            .unwrap();
        best = (best.0.min(h), best.1.min(n), w);
    }
    best
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
    let mut t = Table { rows: Vec::new() };
    eprintln!("lookout-bench: measuring (this takes a few minutes)…");
    // Sizes and first loads are the shipped build's; the rest needs the test hooks.
    bundle(&mut t, &shipped_dist_dir());
    let env = start(Flavor::Sentry);
    if args.iter().any(|a| a == "--refresh-only") {
        refresh_costs(&mut t, &env).await;
        t.print();
        return;
    }
    {
        let shipped = start_shipped(Flavor::Sentry);
        first_data(&mut t, &shipped, runs).await;
    }
    if args.iter().any(|a| a == "--first-load") {
        t.print();
        return;
    }
    chart_native(&mut t);
    chart_browser(&mut t, &env).await;
    trace(&mut t, &env).await;
    requests(&mut t, &env).await;
    refresh_costs(&mut t, &env).await;
    issues(&mut t, &env).await;
    huge_event(&mut t, &env).await;
    if with_wall {
        wall(&mut t, &env).await;
    }
    simulator(&mut t).await;
    t.print();
}
