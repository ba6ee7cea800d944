//! Light, dark or the system's choice; the wall forces its own high-contrast theme.

use super::storage;
use leptos::prelude::*;

const KEY: &str = "lookout.theme";

/// The chosen theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemeMode {
    System,
    Light,
    Dark,
}

/// Shared theme state.
#[derive(Clone, Copy)]
pub struct Theme {
    pub mode: RwSignal<ThemeMode>,
}

impl Theme {
    /// Reads the saved choice and applies it.
    pub fn init() -> Theme {
        let mode = match storage::local_get(KEY).as_deref() {
            Some("light") => ThemeMode::Light,
            Some("dark") => ThemeMode::Dark,
            _ => ThemeMode::System,
        };
        let t = Theme {
            mode: RwSignal::new(mode),
        };
        apply(mode);
        t
    }

    /// Switches and remembers.
    pub fn set(&self, m: ThemeMode) {
        storage::local_set(
            KEY,
            match m {
                ThemeMode::System => "system",
                ThemeMode::Light => "light",
                ThemeMode::Dark => "dark",
            },
        );
        apply(m);
        self.mode.set(m);
    }
}

/// Sets `data-theme` on `<html>` (`wall` for the kiosk).
pub fn apply_named(name: Option<&str>) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        match name {
            Some(n) => {
                let _ = el.set_attribute("data-theme", n);
            }
            None => {
                let _ = el.remove_attribute("data-theme");
            }
        }
    }
}

fn apply(m: ThemeMode) {
    apply_named(match m {
        ThemeMode::System => None,
        ThemeMode::Light => Some("light"),
        ThemeMode::Dark => Some("dark"),
    });
}
