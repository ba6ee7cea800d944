//! Performance marks and measures the benchmark reads (`performance.mark` / `measure`). The
//! bottom layer: any module may call these, and they call nothing of the app.

/// The most measures of one name kept: the browser keeps user timing entries for the life of
/// the page, and a wall display refreshes for days.
const MAX_MEASURES: u32 = 100;

/// Records a `performance.measure` between a mark and now (read by the benchmark).
pub fn measure(name: &str, start_mark: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        if p.get_entries_by_name(name).length() >= MAX_MEASURES {
            p.clear_measures_with_measure_name(name);
        }
        let end = format!("{name}:end");
        mark(&end);
        let _ = p.measure_with_start_mark_and_end_mark(name, start_mark, &end);
    }
}

/// Marks now and measures `name` from here to the next animation frame (the paint).
pub fn measure_to_paint(name: &'static str) {
    let start = format!("{name}:start");
    mark(&start);
    let cb = wasm_bindgen::closure::Closure::once_into_js(move || {
        measure(name, &format!("{name}:start"))
    });
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(&cb));
    }
}

/// Sets a `performance.mark` (replacing an earlier mark of the name: only the latest is used).
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        p.clear_marks_with_mark_name(name);
        let _ = p.mark(name);
    }
}
