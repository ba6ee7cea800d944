//! A small, non-generic DOM builder for data-dense panels (tables, lists, frames, breadcrumbs).
//!
//! Why: every distinct `view!` tree is its own set of generic types, and monomorphized rendering
//! code dominated the WebAssembly size. Panels that turn data into many rows describe them with
//! [`H`] instead; building is one function for all of them.
//!
//! Safety: text always becomes text nodes (`createTextNode`), never markup; attributes are set with
//! `setAttribute`; there is no `innerHTML` anywhere. Handlers are delegated: one listener per
//! event type on the mount point, looked up by index, so re-rendering never leaks closures.

use leptos::html::Div;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event};

/// An event handler.
pub type Handler = Rc<dyn Fn(&Event)>;

/// The events a [`Mount`] delegates.
const EVENTS: [&str; 5] = ["click", "input", "change", "keydown", "toggle"];

/// A child of an element.
pub enum Kid {
    El(H),
    Text(String),
}

/// An element to build.
pub struct H {
    tag: &'static str,
    attrs: Vec<(&'static str, String)>,
    kids: Vec<Kid>,
    on: Vec<(&'static str, Handler)>,
    props: Vec<(&'static str, String)>,
}

/// The longest `title` a cut text keeps (a 10,000-character name fits whole).
pub const TITLE_MAX: usize = 20_000;

/// Starts an element.
pub fn h(tag: &'static str) -> H {
    H {
        tag,
        attrs: Vec::new(),
        kids: Vec::new(),
        on: Vec::new(),
        props: Vec::new(),
    }
}

/// A text node.
pub fn text(s: impl Into<String>) -> Kid {
    Kid::Text(s.into())
}

impl H {
    /// Sets an attribute.
    pub fn attr(mut self, k: &'static str, v: impl Into<String>) -> H {
        self.attrs.push((k, v.into()));
        self
    }

    /// Sets an attribute when `cond`.
    pub fn attr_if(self, cond: bool, k: &'static str, v: impl Into<String>) -> H {
        if cond {
            self.attr(k, v)
        } else {
            self
        }
    }

    /// Sets the class.
    pub fn class(self, class: impl Into<String>) -> H {
        self.attr("class", class)
    }

    /// Sets `data-testid`.
    pub fn testid(self, testid: &'static str) -> H {
        self.attr("data-testid", testid)
    }

    /// Sets a DOM property (e.g. `value` of an input) after building.
    pub fn prop(mut self, k: &'static str, v: impl Into<String>) -> H {
        self.props.push((k, v.into()));
        self
    }

    /// Adds a text child.
    pub fn text(mut self, s: impl Into<String>) -> H {
        self.kids.push(Kid::Text(s.into()));
        self
    }

    /// Adds untrusted text, at most `max` characters shown; when it is cut, the whole text (up to
    /// [`TITLE_MAX`], made safe the same way) is the element's `title`, so nothing is lost.
    pub fn cut(self, s: &str, max: usize) -> H {
        let (shown, was_cut) = lookout_core::text::display(s, max);
        if was_cut {
            self.attr("title", bounded(s)).text(shown + "…")
        } else {
            self.text(shown)
        }
    }

    /// [`H::cut`] with the `title` always set: for names that CSS may cut shorter still.
    pub fn cut_titled(self, s: &str, max: usize) -> H {
        let (shown, was_cut) = lookout_core::text::display(s, max);
        self.attr("title", bounded(s))
            .text(if was_cut { shown + "…" } else { shown })
    }

    /// Adds an element child.
    pub fn child(mut self, child: H) -> H {
        self.kids.push(Kid::El(child));
        self
    }

    /// Adds an optional element child.
    pub fn child_opt(self, child: Option<H>) -> H {
        match child {
            Some(c) => self.child(c),
            None => self,
        }
    }

    /// Adds element children.
    pub fn children(mut self, children: Vec<H>) -> H {
        self.kids.extend(children.into_iter().map(Kid::El));
        self
    }

    /// Handles an event (`click`, `input`, `change`, `keydown`, `toggle`).
    pub fn on(mut self, event: &'static str, f: impl Fn(&Event) + 'static) -> H {
        self.on.push((event, Rc::new(f)));
        self
    }

    /// Binds the control's `value`: shown from `value` when built, and every `input` (a
    /// `<select>`'s `change`) hands the new value to `write`. A form keeps its state this way,
    /// never reading it back from the page by id.
    pub fn bind_value(self, value: String, write: impl Fn(String) + 'static) -> H {
        let event = if self.tag == "select" {
            "change"
        } else {
            "input"
        };
        self.prop("value", value)
            .on(event, move |ev| write(event_value(ev)))
    }

    /// Binds a checkbox's `checked` (as [`H::bind_value`]).
    pub fn bind_checked(self, checked: bool, write: impl Fn(bool) + 'static) -> H {
        self.attr_if(checked, "checked", "")
            .on("change", move |ev| {
                let on = ev
                    .target()
                    .and_then(|t| js_sys::Reflect::get(&t, &"checked".into()).ok())
                    .and_then(|v| v.as_bool());
                write(on.unwrap_or(false));
            })
    }

    /// Builds the element, registering its handlers in `handlers`.
    pub fn build(self, doc: &Document, handlers: &mut Vec<Handler>) -> Option<Element> {
        let el = if matches!(
            self.tag,
            "svg" | "path" | "circle" | "line" | "rect" | "g" | "polyline" | "text"
        ) {
            let (ns, tag) = (name_index(SVG_NS), name_index(self.tag));
            NAMES
                .with(|n| {
                    let n = n.borrow();
                    named::element_ns(doc, &n[ns].1, &n[tag].1)
                })
                .ok()?
        } else {
            with_name(self.tag, |tag| named::element(doc, tag)).ok()?
        };
        for (k, v) in &self.attrs {
            if *k == "style" {
                set_style(&el, v);
            } else {
                let _ = with_name(k, |k| named::set(&el, k, v));
            }
        }
        for (ev, f) in self.on {
            handlers.push(f);
            let _ = el.set_attribute(&format!("data-on-{ev}"), &(handlers.len() - 1).to_string());
        }
        for kid in self.kids {
            match kid {
                Kid::Text(s) => {
                    let _ = el.append_child(&doc.create_text_node(&s));
                }
                Kid::El(h) => {
                    if let Some(c) = h.build(doc, handlers) {
                        let _ = el.append_child(&c);
                    }
                }
            }
        }
        for (k, v) in self.props {
            let _ = js_sys::Reflect::set(&el, &k.into(), &v.into());
        }
        Some(el)
    }
}

/// The browser calls the builder makes most, taking tag and attribute names as JS strings made
/// once ([`with_name`]) instead of decoding them from wasm memory on every element: a 100-row
/// list sets some 3,000 names. (wasm-bindgen's `enable-interning` does the same for every string
/// the app passes, but checks its cache in every binding: +2.9 KB gzipped against +0.3 KB here.)
mod named {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Document, Element};

    #[wasm_bindgen]
    extern "C" {
        type Doc;
        #[wasm_bindgen(method, catch, js_name = createElement)]
        fn create_element(this: &Doc, tag: &JsValue) -> Result<Element, JsValue>;
        #[wasm_bindgen(method, catch, js_name = createElementNS)]
        fn create_element_ns(this: &Doc, ns: &JsValue, tag: &JsValue) -> Result<Element, JsValue>;
        type El;
        #[wasm_bindgen(method, catch, js_name = setAttribute)]
        fn set_attribute(this: &El, name: &JsValue, value: &str) -> Result<(), JsValue>;
    }

    pub fn element(doc: &Document, tag: &JsValue) -> Result<Element, JsValue> {
        doc.unchecked_ref::<Doc>().create_element(tag)
    }

    pub fn element_ns(doc: &Document, ns: &JsValue, tag: &JsValue) -> Result<Element, JsValue> {
        doc.unchecked_ref::<Doc>().create_element_ns(ns, tag)
    }

    pub fn set(el: &Element, name: &JsValue, value: &str) -> Result<(), JsValue> {
        el.unchecked_ref::<El>().set_attribute(name, value)
    }
}

thread_local! {
    /// The static names made into JS strings so far (a few dozen: tags and attribute names).
    static NAMES: RefCell<Vec<(&'static str, wasm_bindgen::JsValue)>> = const { RefCell::new(Vec::new()) };
}

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// Where `name` is in [`NAMES`], made into a JS string on first use.
fn name_index(name: &'static str) -> usize {
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        names
            .iter()
            .position(|(n, _)| *n == name)
            .unwrap_or_else(|| {
                names.push((name, wasm_bindgen::JsValue::from_str(name)));
                names.len() - 1
            })
    })
}

/// Calls `f` with `name` as a JS string (`f` must not make new names: the list is borrowed).
fn with_name<R>(name: &'static str, f: impl FnOnce(&wasm_bindgen::JsValue) -> R) -> R {
    let i = name_index(name);
    NAMES.with(|names| f(&names.borrow()[i].1))
}

/// Applies `a:b;c:d` through the CSSOM (allowed under a strict `style-src 'self'` CSP, unlike a
/// `style` attribute).
fn set_style(el: &Element, css: &str) {
    let Ok(style) = js_sys::Reflect::get(el, &"style".into()) else {
        return;
    };
    let Ok(style) = style.dyn_into::<web_sys::CssStyleDeclaration>() else {
        return;
    };
    for decl in css.split(';') {
        if let Some((k, v)) = decl.split_once(':') {
            let _ = style.set_property(k.trim(), v.trim());
        }
    }
}

/// The value of the `<select>` or `<input>` an event came from.
pub fn event_value(ev: &Event) -> String {
    ev.target()
        .and_then(|t| js_sys::Reflect::get(&t, &"value".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// A link (`href` only when it is safe: app paths, or http(s) for outside links).
pub fn link(href: &str, label: impl Into<String>) -> H {
    anchor(href).text(label)
}

/// [`link`] with untrusted text, cut like [`H::cut_titled`] (CSS may cut it shorter).
pub fn link_titled(href: &str, s: &str, max: usize) -> H {
    anchor(href).cut_titled(s, max)
}

/// [`link`] with untrusted text, cut like [`H::cut`].
pub fn link_cut(href: &str, s: &str, max: usize) -> H {
    anchor(href).cut(s, max)
}

/// A link without its text: an app path, an http(s) URL in a new tab, or (anything else) a span.
fn anchor(href: &str) -> H {
    let safe = if href.starts_with('/') {
        lookout_core::text::safe_app_path(href)
    } else {
        lookout_core::text::safe_url(href)
    };
    match safe {
        Some(u) => {
            let outside = !u.starts_with('/');
            h("a")
                .attr("href", u)
                .attr_if(outside, "rel", "noopener noreferrer")
                .attr_if(outside, "target", "_blank")
        }
        None => h("span"),
    }
}

/// Untrusted text: bounded, direction controls made visible.
pub fn untrusted(s: &str, max: usize) -> String {
    lookout_core::text::clip_display(s, max)
}

/// Untrusted text for a `title`: whole up to [`TITLE_MAX`], direction controls made visible.
pub fn bounded(s: &str) -> String {
    lookout_core::text::clip_display(s, TITLE_MAX)
}

/// What a mount renders.
pub type Render = Box<dyn Fn() -> Vec<H>>;

fn dispatch(root: &Element, handlers: &RefCell<Vec<Handler>>, ev: &Event) {
    let attr = format!("data-on-{}", ev.type_());
    let mut node = ev.target().and_then(|t| t.dyn_into::<Element>().ok());
    while let Some(el) = node {
        if let Some(i) = el
            .get_attribute(&attr)
            .and_then(|v| v.parse::<usize>().ok())
        {
            let f = handlers.borrow().get(i).cloned();
            if let Some(f) = f {
                f(ev);
            }
            return;
        }
        if el == *root {
            return;
        }
        node = el.parent_element();
    }
}

/// Event listeners attached to a rendered root (kept alive with it).
type Listeners = Vec<(&'static str, Closure<dyn FnMut(Event)>)>;

/// Hides the last rows of the tables and lists under `root` (a table keeps one; a list may go
/// altogether) while the wall is taller than the screen, with a few pixels to spare for the wall's burn-in drift.
fn fit_rows(root: &Element) {
    let Some(w) = web_sys::window() else { return };
    let Some(vh) = w.inner_height().ok().and_then(|v| v.as_f64()) else {
        return;
    };
    // The screen's content ends below the last child of the page's top container (the wall's
    // key line), plus that container's padding.
    let Some(page) = root.closest(".wall").ok().flatten() else {
        return;
    };
    let pad = w
        .get_computed_style(&page)
        .ok()
        .flatten()
        .and_then(|s| s.get_property_value("padding-bottom").ok())
        .and_then(|p| p.trim_end_matches("px").parse::<f64>().ok())
        .unwrap_or(0.0);
    let end = move || {
        page.last_element_child()
            .map_or(0.0, |e| e.get_bounding_client_rect().bottom())
            + pad
    };
    let Ok(rows) = root.query_selector_all("tbody tr, ol > li") else {
        return;
    };
    let rows: Vec<web_sys::HtmlElement> = (0..rows.length())
        .filter_map(|i| rows.get(i)?.dyn_into().ok())
        .collect();
    // From scratch each time: what did not fit a moment ago (before the fonts or a chart's size
    // were known) may fit now.
    for row in &rows {
        let _ = row.style().remove_property("display");
    }
    // A table keeps its first row (it is the view's content); a list (a legend under a chart)
    // may go altogether.
    let table = root.query_selector("tbody").ok().flatten().is_some();
    let root = root.dyn_ref::<web_sys::HtmlElement>();
    if let Some(r) = root {
        let _ = r.style().remove_property("display");
    }
    for row in rows.iter().skip(usize::from(table)).rev() {
        if end() <= vh - 6.0 {
            return;
        }
        let _ = row.style().set_property("display", "none");
    }
    if !table && end() > vh - 6.0 {
        if let Some(r) = root {
            let _ = r.style().set_property("display", "none");
        }
    }
}

/// A container whose content `render` builds, rebuilt whenever a signal it reads changes.
#[component]
pub fn Mount(
    render: Render,
    #[prop(optional)] class: &'static str,
    #[prop(optional)] testid: &'static str,
    /// Drop the last rows of its tables while the page is taller than the screen (a wall is never
    /// scrolled): now, and again once the frame is laid out.
    #[prop(optional)]
    fit: bool,
    /// The container, for a caller that writes into what was built.
    #[prop(optional)]
    node: Option<NodeRef<Div>>,
) -> impl IntoView {
    let node = node.unwrap_or_default();
    let handlers: Rc<RefCell<Vec<Handler>>> = Rc::new(RefCell::new(Vec::new()));
    let listeners: StoredValue<Listeners, LocalStorage> = StoredValue::new_local(Vec::new());
    let hs = handlers.clone();
    Effect::new(move |_| {
        let Some(root) = node.get() else { return };
        let root: Element = root.into();
        if listeners.with_value(Vec::is_empty) {
            for ev in EVENTS {
                let (r, hs) = (root.clone(), hs.clone());
                let cb = Closure::<dyn FnMut(Event)>::new(move |e: Event| dispatch(&r, &hs, &e));
                // `toggle` does not bubble: listen in the capture phase.
                let _ = root.add_event_listener_with_callback_and_bool(
                    ev,
                    cb.as_ref().unchecked_ref(),
                    ev == "toggle",
                );
                listeners.update_value(|l| l.push((ev, cb)));
            }
        }
        let items = render();
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let mut fresh = Vec::new();
        let frag = doc.create_document_fragment();
        for item in items {
            if let Some(el) = item.build(&doc, &mut fresh) {
                let _ = frag.append_child(&el);
            }
        }
        *hs.borrow_mut() = fresh;
        root.set_text_content(None);
        let _ = root.append_child(&frag);
        if fit {
            fit_rows(&root);
            let r = root.clone();
            request_animation_frame(move || fit_rows(&r));
        }
    });
    on_cleanup(move || {
        if let Some(root) = node.get_untracked() {
            let root: Element = root.into();
            listeners.with_value(|l| {
                for (ev, cb) in l {
                    let _ = root.remove_event_listener_with_callback_and_bool(
                        ev,
                        cb.as_ref().unchecked_ref(),
                        *ev == "toggle",
                    );
                }
            });
        }
        listeners.update_value(Vec::clear);
    });
    view! { <div node_ref=node class=class data-testid=testid></div> }
}
