//! In-browser unit tests (wasm-bindgen-test in headless Chromium): the pieces that need a real
//! DOM, canvas or storage. Everything that does not is tested natively in `core`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use lookout::components::dom::{h, link, Mount};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Every hostile href becomes text, and what the browser resolves never leaves this origin
/// except as an http(s) link in a new tab.
#[wasm_bindgen_test]
fn hostile_hrefs_never_become_links_to_another_site() {
    let table: &[(&str, bool)] = &[
        ("/\\evil.example/x", false),
        ("/\t/evil.example", false),
        ("/\u{9}/evil.example", false),
        ("/\n/evil.example", false),
        ("/%5Cevil.example", false),
        ("//evil.example", false),
        ("/%2F/evil.example", false),
        ("javascript:alert(1)", false),
        ("JAVASCRIPT:alert(1)", false),
        ("  javascript:alert(1)", false),
        ("\tjavascript:alert(1)", false),
        ("data:text/html,<script>alert(1)</script>", false),
        ("DaTa:text/html,x", false),
        ("vbscript:msgbox(1)", false),
        (" /issues/1", false),
        ("/issues/1?range=24h", true),
        ("https://sentry.example/a", true),
        ("  HTTP://sentry.example/a", true),
    ];
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    for (href, is_link) in table {
        let mut handlers = Vec::new();
        let el = link(href, "x").build(&document(), &mut handlers).unwrap();
        let a: Option<web_sys::HtmlAnchorElement> = el.dyn_into().ok();
        assert_eq!(
            a.is_some(),
            *is_link,
            "{href:?} became a link: {:?}",
            a.as_ref().map(|a| a.href())
        );
        if let Some(a) = a {
            let resolved = web_sys::Url::new(&a.href()).unwrap();
            let same = resolved.origin() == origin;
            let http = resolved.protocol() == "http:" || resolved.protocol() == "https:";
            assert!(http, "{href:?} resolves to {}", a.href());
            if !same {
                assert_eq!(a.target(), "_blank", "{href:?} leaves in a new tab");
                assert!(
                    !href.trim_start().starts_with('/'),
                    "{href:?}: an app path left the site"
                );
            }
        }
    }
}

#[wasm_bindgen_test]
fn the_dom_builder_makes_text_not_markup() {
    let mut handlers = Vec::new();
    let el = h("div")
        .text("<script>window.__pwned = 1</script>")
        .child(
            h("p")
                .attr("title", "\"><img src=x onerror=alert(1)>")
                .text("<b>not bold</b>"),
        )
        .child(link("javascript:window.__pwned = 2", "evil"))
        .child(link("https://example.com/a?b=1", "fine"))
        .child(link("/issues/1", "inside"))
        .build(&document(), &mut handlers)
        .unwrap();
    assert_eq!(el.query_selector_all("script").unwrap().length(), 0);
    assert_eq!(el.query_selector_all("img").unwrap().length(), 0);
    assert_eq!(el.query_selector_all("b").unwrap().length(), 0);
    assert!(el
        .text_content()
        .unwrap()
        .contains("<script>window.__pwned = 1</script>"));
    let links = el.query_selector_all("a").unwrap();
    assert_eq!(links.length(), 2, "javascript: is not a link");
    let first: web_sys::Element = links.get(0).unwrap().dyn_into().unwrap();
    assert_eq!(
        first.get_attribute("href").as_deref(),
        Some("https://example.com/a?b=1")
    );
    assert_eq!(
        first.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
}

#[wasm_bindgen_test]
fn svg_is_built_in_the_svg_namespace() {
    let mut handlers = Vec::new();
    let el = lookout::components::sparkline::svg(&[1.0, 3.0, 2.0])
        .build(&document(), &mut handlers)
        .unwrap();
    assert_eq!(
        el.namespace_uri().as_deref(),
        Some("http://www.w3.org/2000/svg")
    );
    let path = el.query_selector("path.spark-line").unwrap().unwrap();
    assert!(path.get_attribute("d").unwrap().starts_with("M0.0,"));
}

#[wasm_bindgen_test]
async fn a_mount_rerenders_on_change_and_delegates_events() {
    let host: web_sys::HtmlElement = document()
        .create_element("div")
        .unwrap()
        .dyn_into()
        .unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    let count = RwSignal::new(0);
    let handle = leptos::mount::mount_to(host.clone(), move || {
        view! {
            <Mount render=Box::new(move || {
                let n = count.get();
                vec![h("button").testid("inc").text(format!("clicked {n}")).on("click", move |_| count.update(|c| *c += 1))]
            }) />
        }
    });
    let button = || -> web_sys::HtmlElement {
        host.query_selector("[data-testid=inc]")
            .unwrap()
            .unwrap()
            .dyn_into()
            .unwrap()
    };
    // Effects run on the next tick.
    gloo_timers_sleep().await;
    assert_eq!(button().text_content().as_deref(), Some("clicked 0"));
    button().click();
    gloo_timers_sleep().await;
    assert_eq!(count.get_untracked(), 1);
    assert_eq!(
        button().text_content().as_deref(),
        Some("clicked 1"),
        "re-rendered with the new value"
    );
    button().click();
    gloo_timers_sleep().await;
    assert_eq!(
        count.get_untracked(),
        2,
        "the handler of the re-rendered element works too"
    );
    drop(handle);
}

async fn gloo_timers_sleep() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

#[wasm_bindgen_test]
fn tokens_stay_in_the_tab_unless_remembered_and_belong_to_the_sources_origin() {
    use lookout::state::tokens;
    use lookout_core::config::SourceConfig;
    let src = SourceConfig {
        name: "t1".into(),
        url: "https://sentry.example".into(),
        org: "acme".into(),
        ..Default::default()
    };
    tokens::forget(&src);
    tokens::save(&src, " secret ", false);
    assert_eq!(tokens::load(&src).as_deref(), Some("secret"));
    assert!(!tokens::remembered(&src));
    let local = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    for i in 0..local.length().unwrap() {
        let k = local.key(i).unwrap().unwrap_or_default();
        assert!(!k.starts_with("lookout.token.t1"), "{k} on the device");
    }
    tokens::save(&src, "secret2", true);
    assert!(tokens::remembered(&src));
    // The same source name pointed at another host gets no token.
    let moved = SourceConfig {
        url: "https://evil.example".into(),
        ..src.clone()
    };
    assert_eq!(tokens::load(&moved), None);
    assert_eq!(
        tokens::load(&SourceConfig {
            url: "https://sentry.example/other/path/".into(),
            ..src.clone()
        })
        .as_deref(),
        Some("secret2"),
        "a path on the same origin keeps it"
    );
    tokens::forget(&src);
    assert_eq!(tokens::load(&src), None);
}

#[wasm_bindgen_test]
fn the_heatmap_paints_hot_cells_and_leaves_empty_ones() {
    let canvas: web_sys::HtmlCanvasElement = document()
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    document().body().unwrap().append_child(&canvas).unwrap();
    let theme = lookout::charts::canvas::ChartTheme {
        bg: (255, 255, 255),
        fg: (0, 0, 0),
        grid: (200, 200, 200),
        accent: (255, 0, 0),
    };
    let rows = [Some(&[0.0f32, 1.0][..]), None];
    lookout::charts::heatmap::draw(&canvas, &rows, 2, 100.0, 10.0, &theme).unwrap();
    let ctx = lookout::charts::canvas::context(&canvas).unwrap();
    let px = |x: f64, y: f64| ctx.get_image_data(x, y, 1.0, 1.0).unwrap().data().to_vec();
    let dpr = lookout::charts::canvas::dpr();
    assert_eq!(
        &px(10.0 * dpr, 5.0 * dpr)[..3],
        &[255, 255, 255],
        "an empty cell is background"
    );
    assert_ne!(
        &px(80.0 * dpr, 5.0 * dpr)[..3],
        &[255, 255, 255],
        "a hot cell is coloured"
    );
    assert_eq!(
        &px(80.0 * dpr, 15.0 * dpr)[..3],
        &[200, 200, 200],
        "a group row is a gap"
    );
}
