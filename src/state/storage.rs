//! `localStorage` and `sessionStorage`, failing quietly (private modes may refuse storage).

use web_sys::Storage;

fn local() -> Option<Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn session() -> Option<Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// A value from `localStorage`.
pub fn local_get(key: &str) -> Option<String> {
    local()?.get_item(key).ok()?
}

/// Stores a value in `localStorage`.
pub fn local_set(key: &str, value: &str) {
    if let Some(s) = local() {
        let _ = s.set_item(key, value);
    }
}

/// Removes a value from `localStorage`.
pub fn local_remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}

/// A value from `sessionStorage`.
pub fn session_get(key: &str) -> Option<String> {
    session()?.get_item(key).ok()?
}

/// Stores a value in `sessionStorage`.
pub fn session_set(key: &str, value: &str) {
    if let Some(s) = session() {
        let _ = s.set_item(key, value);
    }
}

/// Removes a value from `sessionStorage`.
pub fn session_remove(key: &str) {
    if let Some(s) = session() {
        let _ = s.remove_item(key);
    }
}
