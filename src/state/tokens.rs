//! Where tokens live: `sessionStorage` by default, `localStorage` only when the user asks to be
//! remembered (or the token came in a wall link). A token is never put in a URL sent to a server,
//! a log line or an error report.

use super::storage::*;
use lookout_core::config::SourceConfig;

/// A token belongs to a source's name *and* the origin of its URL: editing the URL to another
/// host never sends it the old token.
fn key(source: &SourceConfig) -> String {
    format!("lookout.token.{}|{}", source.name, source.origin())
}

/// The saved token of a source (this tab first, then this device).
pub fn load(source: &SourceConfig) -> Option<String> {
    session_get(&key(source))
        .or_else(|| local_get(&key(source)))
        .filter(|t| !t.trim().is_empty())
}

/// Whether the source's token is remembered on this device.
pub fn remembered(source: &SourceConfig) -> bool {
    local_get(&key(source)).is_some()
}

/// Saves a token for this tab, and on this device when `remember` is set.
pub fn save(source: &SourceConfig, token: &str, remember: bool) {
    let token = token.trim();
    session_set(&key(source), token);
    if remember {
        local_set(&key(source), token);
    } else {
        local_remove(&key(source));
    }
}

/// Forgets a source's token everywhere.
pub fn forget(source: &SourceConfig) {
    session_remove(&key(source));
    local_remove(&key(source));
}

/// Reads `#token=…[&source=…]` from the address and removes the fragment from the address bar
/// (and from history) at once. The caller stores the token once it knows the sources.
pub fn take_from_fragment() -> Option<(String, Option<String>)> {
    let window = web_sys::window()?;
    let location = window.location();
    let hash = location.hash().ok()?;
    let pairs = lookout_core::query::parse_query_string(hash.trim_start_matches('#'));
    let token = pairs
        .iter()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.clone())?;
    let path = location.pathname().unwrap_or_default();
    let search = location.search().unwrap_or_default();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}")),
        );
    }
    let source = pairs
        .iter()
        .find(|(k, _)| k == "source")
        .map(|(_, v)| v.clone());
    (!token.trim().is_empty()).then_some((token, source))
}
