//! A hostile corpus through every view: server names, tag values, a release, a transaction, span
//! descriptions, issue titles, a culprit and user fields carrying markup, `javascript:` / `data:` /
//! `/\` URLs, direction overrides, zero-width characters and 10,000-character strings, sent through
//! the real Sentry SDK to the simulator. Every view is then visited under the README's strict
//! Content-Security-Policy, and the browser is asked: did anything run (a flag the payloads set, a
//! dialog, a policy violation), did any element come from data, does any link leave for another
//! site, is every hostile field visible as text, and does any long name break the layout.

use lookout_e2e::*;
use lookout_sim::Flavor;
use sentry::protocol::{
    Context, Event, Exception, Level, Map, Span, SpanId, TraceContext, TraceId, Transaction, User,
};
use serde_json::{json, Value};
use std::time::{Duration, SystemTime};

/// The README's policy (the strictest a deployment would use).
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self' {self}; frame-ancestors 'none'; base-uri 'self'";

const SERVER_MARKUP: &str = "hx-srv<img class=pwned src=x onerror=window.__pwned='server'>";
/// Shown as `hx-bidi⟨U+202E⟩1-ipa⟨U+200B⟩-x`: the override and the zero-width space made visible.
const SERVER_BIDI: &str = "hx-bidi\u{202E}1-ipa\u{200B}-x";
const RELEASE: &str = "hx-rel<script class=pwned>window.__pwned='release'</script>";
const TXN: &str = "hx-txn\"><svg class=pwned onload=window.__pwned='txn'>";
const TAG_JS: &str = "javascript:window.__pwned='tag'";
const TAG_PATH: &str = "/\\evil.example/x";
const TAG_DATA: &str = "data:text/html,<script>window.__pwned='data'</script>";
const EMAIL: &str = "hx-user<b class=pwned onmouseover=window.__pwned='user'>u</b>@example.com";
const USERNAME: &str = "hx-name\u{202E}nimda";
const EXC_TYPE: &str = "HxError<iframe class=pwned src=javascript:window.__pwned='title'>";
const CULPRIT: &str =
    "hx-culprit/\\evil.example<a class=pwned href=javascript:window.__pwned='culprit'>x</a>";
const SPAN_MARKUP: &str = "hx-span<img class=pwned src=x onerror=window.__pwned='span'>";
const SPAN_OP: &str = "javascript:window.__pwned='op'";

fn long(prefix: &str) -> String {
    format!("{prefix}{}", "L".repeat(10_000))
}

/// What the hostile events look like in the app: direction controls and zero-width characters
/// made visible, markup as text; the first 40 characters (narrow columns cut names after that,
/// with the whole name in `title`).
fn shown(s: &str) -> String {
    s.replace('\u{202E}', "⟨U+202E⟩")
        .replace('\u{200B}', "⟨U+200B⟩")
        .chars()
        .take(40)
        .collect()
}

struct Corpus {
    issues: Vec<String>,
    trace: String,
}

fn hostile_error(server: &str, ty: &str, value: &str, fingerprint: &str) -> Event<'static> {
    let mut ev = Event::new();
    ev.platform = "python".into();
    ev.level = Level::Error;
    ev.server_name = Some(server.to_owned().into());
    ev.fingerprint = vec![fingerprint.to_owned().into()].into();
    ev.exception = vec![Exception {
        ty: ty.to_owned(),
        value: Some(value.to_owned()),
        ..Default::default()
    }]
    .into();
    ev
}

/// Sends the corpus through the real SDK and returns what it made.
fn send_corpus(env: &Env) -> Corpus {
    let trace: TraceId = "4bf92f3577b34da6a3ce929d0e0e4736".parse().unwrap();
    let root: SpanId = "00f067aa0ba902b7".parse().unwrap();
    let child: SpanId = "00f067aa0ba902b8".parse().unwrap();

    let mut first = hostile_error(SERVER_MARKUP, EXC_TYPE, "short value", "hx-1");
    first.release = Some(RELEASE.into());
    first.transaction = Some(TXN.into());
    first.culprit = Some(CULPRIT.into());
    let mut tags = Map::new();
    tags.insert("hx-js".into(), TAG_JS.into());
    tags.insert("hx-path".into(), TAG_PATH.into());
    tags.insert("hx-data".into(), TAG_DATA.into());
    tags.insert("hx-long".into(), long("hx-tag-"));
    first.tags = tags;
    first.user = Some(User {
        email: Some(EMAIL.into()),
        username: Some(USERNAME.into()),
        id: Some("hx-id-1".into()),
        ..Default::default()
    });
    first.contexts.insert(
        "trace".into(),
        Context::Trace(Box::new(TraceContext {
            trace_id: trace,
            span_id: child,
            parent_span_id: Some(root),
            op: Some("db".into()),
            ..Default::default()
        })),
    );
    // Twenty times over, so the top issues of the hour (the matrix's, the wall's ten largest)
    // list it whatever the hour: the fleet's own busiest issues reach about a dozen an hour.
    for _ in 0..19 {
        let mut again = first.clone();
        again.event_id = Event::new().event_id;
        send_event(env, "api", again);
    }
    let mut ids = vec![send_event(env, "api", first)];
    ids.push(send_event(
        env,
        "api",
        hostile_error(&long("hx-long-"), "HxLong", &long("hx-value-"), "hx-2"),
    ));
    ids.push(send_event(
        env,
        "api",
        hostile_error(SERVER_BIDI, "HxBidi", "abc\u{202E}fed\u{200B}", "hx-3"),
    ));

    let now = SystemTime::now();
    let mut contexts = Map::new();
    contexts.insert(
        "trace".into(),
        Context::Trace(Box::new(TraceContext {
            trace_id: trace,
            span_id: root,
            op: Some("http.server".into()),
            ..Default::default()
        })),
    );
    let txn = Transaction {
        name: Some(TXN.into()),
        server_name: Some(SERVER_MARKUP.into()),
        release: Some(RELEASE.into()),
        // The slowest of the hour, so the traces list (slowest first) shows it.
        start_timestamp: now - Duration::from_secs(90),
        timestamp: Some(now),
        contexts,
        spans: vec![
            Span {
                trace_id: trace,
                span_id: child,
                parent_span_id: Some(root),
                op: Some(SPAN_OP.into()),
                description: Some(SPAN_MARKUP.into()),
                start_timestamp: now - Duration::from_millis(300),
                timestamp: Some(now - Duration::from_millis(100)),
                ..Default::default()
            },
            Span {
                trace_id: trace,
                span_id: "00f067aa0ba902b9".parse().unwrap(),
                parent_span_id: Some(root),
                op: Some("db".into()),
                description: Some(long("hx-longspan-")),
                start_timestamp: now - Duration::from_millis(90),
                timestamp: Some(now - Duration::from_millis(10)),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    send_transaction(env, "api", txn);
    Corpus {
        issues: ids.iter().map(|e| issue_of(env, e)).collect(),
        trace: trace.to_string(),
    }
}

/// Installs the watchers once: the app is a single page, so they see every later view.
async fn arm(b: &Browser) {
    js(
        b,
        "window.__csp = []; window.__dialogs = 0;
         document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
         for (const f of ['alert', 'confirm', 'prompt', 'print', 'open']) window[f] = () => { window.__dialogs++; };",
    )
    .await;
}

/// Client-side navigation (the app's router takes the click), keeping the watchers.
async fn visit(b: &Browser, path: &str) {
    js(
        b,
        &format!(
            "const a = document.createElement('a'); a.href = {}; document.body.appendChild(a); a.click(); a.remove();",
            json!(path)
        ),
    )
    .await;
    wait_js(
        b,
        &format!("location.pathname + location.search === {}", json!(path)),
        10,
    )
    .await;
}

/// What every view must hold to. `origins` are the sites links may go to (the app, the source).
async fn assert_inert(b: &Browser, view: &str, origins: &[String]) {
    let name: String = view
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    screenshot(b, &format!("hostile-{name}")).await;
    let v = js(
        b,
        r#"const all = [...document.querySelectorAll('*')];
           return {
             pwned: window.__pwned === undefined ? null : String(window.__pwned),
             dialogs: window.__dialogs,
             csp: window.__csp,
             fromData: all.filter(e => e.classList.contains('pwned') || ['IFRAME','OBJECT','EMBED'].includes(e.tagName)).map(e => e.outerHTML.slice(0, 80)),
             handlers: all.filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).map(e => e.tagName),
             scripts: [...document.scripts].filter(s => s.textContent.includes('__pwned')).length,
             links: [...document.querySelectorAll('a[href]')].map(a => a.href),
             overflow: document.documentElement.scrollWidth - window.innerWidth,
             wide: all.filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)),
           };"#,
    )
    .await;
    assert_eq!(v["pwned"], Value::Null, "{view}: a payload ran");
    assert_eq!(v["dialogs"], json!(0), "{view}: a dialog opened");
    assert_eq!(v["csp"], json!([]), "{view}: policy violations");
    assert_eq!(v["fromData"], json!([]), "{view}: elements from event data");
    assert_eq!(v["handlers"], json!([]), "{view}: inline event handlers");
    assert_eq!(v["scripts"], json!(0), "{view}: a script from event data");
    for l in v["links"].as_array().unwrap() {
        let l = l.as_str().unwrap();
        assert!(
            origins
                .iter()
                .any(|o| l == o || l.starts_with(&format!("{o}/"))),
            "{view}: a link leaves for another site: {l}"
        );
    }
    assert!(
        v["overflow"].as_f64().unwrap() <= 1.0,
        "{view}: the page is {} px wider than the window: {}",
        v["overflow"],
        v["wide"]
    );
}

/// Each text is visible (rendered, not just in the DOM) somewhere on the page.
async fn assert_visible(b: &Browser, view: &str, wanted: &[String]) {
    let text = js(b, "return document.body.innerText").await;
    let text = text.as_str().unwrap();
    for w in wanted {
        assert!(
            text.contains(w.as_str()),
            "{view}: {w:?} is not visible as text"
        );
    }
}

/// A long text (`whole` characters as the server sends it) is cut: the element showing it stays
/// within the window and a few lines tall, and when it shows less than the server sent, the whole
/// text is in its `title` (on it or a close ancestor).
async fn assert_long_cut(b: &Browser, view: &str, prefix: &str, whole: usize) {
    let v = js(
        b,
        &format!(
            r#"const p = {};
               const shown = [...document.querySelectorAll('body *')].filter(e =>
                 [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.includes(p)) && e.getClientRects().length);
               return shown.map(e => {{
                 const r = e.getBoundingClientRect();
                 let t = e, title = '';
                 for (let i = 0; i < 4 && t; i++, t = t.parentElement) if (t.title && t.title.includes(p)) {{ title = t.title; break; }}
                 return {{ right: r.right, height: r.height, chars: e.textContent.length, title: title.length }};
               }});"#,
            json!(prefix)
        ),
    )
    .await;
    let shown = v.as_array().unwrap();
    assert!(!shown.is_empty(), "{view}: {prefix}… is not shown at all");
    let width = js(b, "return window.innerWidth").await.as_f64().unwrap();
    for s in shown {
        assert!(
            s["right"].as_f64().unwrap() <= width + 1.0,
            "{view}: {prefix}… runs off the window: {s}"
        );
        assert!(
            s["height"].as_f64().unwrap() <= 120.0,
            "{view}: {prefix}… fills the page instead of being cut: {s}"
        );
        let chars = s["chars"].as_u64().unwrap() as usize;
        assert!(chars <= 1_000, "{view}: {prefix}… shown whole: {s}");
        if chars < whole {
            assert!(
                s["title"].as_u64().unwrap() as usize >= whole,
                "{view}: {prefix}… is cut and has no title with the whole {whole} characters: {s}"
            );
        }
    }
}

#[tokio::test]
async fn a_hostile_corpus_is_inert_visible_and_cut_in_every_view() {
    let env = start_with(lookout_sim::SimOptions {
        served_csp: Some(CSP.into()),
        ..options(Flavor::Sentry)
    });
    let corpus = send_corpus(&env);
    // A laptop and the wall's 1080p screen.
    for (width, height) in [(1400, 1000), (1920, 1080)] {
        tour(&env, &corpus, width, height).await;
    }
}

/// Every view at one window size.
async fn tour(env: &Env, corpus: &Corpus, width: u32, height: u32) {
    let origins = vec![env.app.clone(), env.sim.url.clone()];
    let b = browser_sized(width, height).await;
    b.goto(&format!("{}/settings", env.app)).await.unwrap();
    wait(&b, "[data-testid=source-card]", 30).await;
    arm(&b).await;

    // Overview: the legend, the heatmap's labels and the matrix name every hostile server.
    visit(&b, "/?range=1h").await;
    wait(&b, "[data-testid=legend-row]", 30).await;
    wait_js(
        &b,
        "[...document.querySelectorAll('[data-testid=legend-row]')].some(r => r.textContent.includes('hx-srv'))",
        30,
    )
    .await;
    // The heatmap and the matrix render after the chart's first paint.
    wait_js(
        &b,
        "[...document.querySelectorAll('[data-testid=heat-row]')].some(r => r.textContent.includes('hx-srv'))",
        30,
    )
    .await;
    wait(&b, "[data-testid=matrix] th a", 30).await;
    let servers = [shown(SERVER_MARKUP), shown(SERVER_BIDI)];
    for testid in ["legend", "heatmap"] {
        let text = texts(&b, &format!("[data-testid={testid}]"))
            .await
            .join("\n");
        for s in &servers {
            let rows: Vec<&str> = text.lines().filter(|l| l.contains("hx-")).collect();
            assert!(
                text.contains(s.as_str()),
                "{testid}: {s} not shown in {rows:?}"
            );
        }
    }
    // The matrix's columns are the servers of its top issues: the twenty-event one is among them.
    let heads = texts(&b, "[data-testid=matrix] th a").await;
    assert!(
        heads
            .iter()
            .any(|h| h.starts_with(&shown(SERVER_MARKUP)[..30])),
        "matrix headers: {heads:?}"
    );
    assert_inert(&b, &format!("{width} overview"), &origins).await;
    let long_server = long("hx-long-").chars().count();
    let served = env.api(&format!(
        "organizations/demo/issues/{}/tags/server_name/values/",
        corpus.issues[1]
    ));
    assert_eq!(
        served[0]["value"].as_str().map(|v| v.chars().count()),
        Some(long_server),
        "the simulator keeps the long server name whole"
    );
    assert_long_cut(&b, "overview", "hx-long-", long_server).await;

    // The issue list: titles and culprits as text, the long title cut.
    visit(&b, "/issues?query=Hx&range=1h").await;
    wait_js(
        &b,
        "document.querySelectorAll('[data-testid=issue-row]').length >= 3",
        30,
    )
    .await;
    assert_inert(&b, &format!("{width} issues"), &origins).await;
    assert_visible(&b, "issues", &[shown(EXC_TYPE), shown(CULPRIT)]).await;
    let title = env.api(&format!("organizations/demo/issues/{}/", corpus.issues[1]))["title"]
        .as_str()
        .unwrap()
        .chars()
        .count();
    assert_long_cut(&b, "issues", "hx-value-", title).await;

    // The issue page: title, culprit, tags, user, release, server.
    visit(&b, &format!("/issues/{}", corpus.issues[0])).await;
    wait(&b, "[data-testid=tags]", 30).await;
    wait_js(&b, "document.body.innerText.includes('hx-user')", 30).await;
    assert_inert(&b, &format!("{width} issue"), &origins).await;
    assert_visible(
        &b,
        "issue",
        &[
            shown(EXC_TYPE),
            shown(CULPRIT),
            shown(SERVER_MARKUP),
            shown(RELEASE),
            TAG_JS.into(),
            TAG_PATH.into(),
            TAG_DATA.into(),
            shown(EMAIL),
            shown(USERNAME),
        ],
    )
    .await;
    assert_long_cut(&b, "issue", "hx-tag-", long("hx-tag-").len()).await;

    visit(&b, &format!("/issues/{}", corpus.issues[1])).await;
    wait(&b, "[data-testid=exception]", 30).await;
    assert_inert(&b, &format!("{width} issue (long)"), &origins).await;
    assert_long_cut(&b, "issue (long)", "hx-long-", long_server).await;

    // Traces: the transaction name in the list, the spans in the waterfall.
    visit(&b, "/traces?range=1h").await;
    wait_js(&b, "document.body.innerText.includes('hx-txn')", 30).await;
    assert_inert(&b, &format!("{width} traces"), &origins).await;
    assert_visible(&b, "traces", &[shown(TXN)]).await;

    visit(&b, &format!("/trace/{}", corpus.trace)).await;
    wait(&b, "[data-testid=wf-row]", 30).await;
    wait_js(&b, "document.body.innerText.includes('hx-span')", 30).await;
    assert_inert(&b, &format!("{width} trace"), &origins).await;
    assert_visible(&b, "trace", &[shown(SPAN_MARKUP), shown(TXN)]).await;
    assert_long_cut(&b, "trace", "hx-longspan-", long("hx-longspan-").len()).await;

    // The wall, every view.
    for view in ["overview", "heatmap", "issues", "new", "project:api"] {
        visit(&b, &format!("/wall?views={view}&range=1h")).await;
        wait(&b, "[data-testid=wall-view]", 30).await;
        // The overview view draws its bands unnamed (a chart only); the others list the corpus.
        let drawn = if view == "overview" {
            "document.querySelector('canvas') !== null"
        } else {
            "document.body.innerText.includes('hx-') || document.body.innerText.includes('Hx')"
        };
        screenshot(&b, &format!("hostile-wall-{}", view.replace(':', "-"))).await;
        wait_js(&b, drawn, 30).await;
        assert_inert(&b, &format!("{width} wall {view}"), &origins).await;
    }

    // Settings, after all that.
    visit(&b, "/settings").await;
    wait(&b, "[data-testid=source-card]", 30).await;
    assert_inert(&b, &format!("{width} settings"), &origins).await;
}
