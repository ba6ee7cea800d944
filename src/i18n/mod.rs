//! Every user-visible string, in English and Korean. The browser language chooses; the switch in
//! the header overrides (and is remembered on this device).

mod messages;

pub use messages::Msg;

use leptos::prelude::*;

/// A supported language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locale {
    En,
    Ko,
}

impl Locale {
    /// `en` / `ko`.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ko => "ko",
        }
    }

    /// Parses a language tag (`ko-KR` → Korean); anything else is English.
    pub fn from_tag(tag: &str) -> Locale {
        if tag.to_ascii_lowercase().starts_with("ko") {
            Locale::Ko
        } else {
            Locale::En
        }
    }
}

const STORAGE_KEY: &str = "lookout.lang";

/// The current language, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    pub locale: RwSignal<Locale>,
}

impl I18n {
    /// Reads the saved choice, else the browser's language.
    pub fn detect() -> I18n {
        let saved = crate::state::storage::local_get(STORAGE_KEY);
        let tag = saved.or_else(|| web_sys::window().and_then(|w| w.navigator().language()));
        let locale = Locale::from_tag(tag.as_deref().unwrap_or("en"));
        set_document_lang(locale);
        I18n {
            locale: RwSignal::new(locale),
        }
    }

    /// Switches language and remembers the choice.
    pub fn set(&self, l: Locale) {
        crate::state::storage::local_set(STORAGE_KEY, l.code());
        set_document_lang(l);
        self.locale.set(l);
    }
}

fn set_document_lang(l: Locale) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute("lang", l.code());
    }
}

/// The translation of a message in the current language. Not reactive: switching language
/// renders the app again (text nodes stay plain, which keeps the bundle small).
pub fn t(m: Msg) -> &'static str {
    match use_context::<I18n>().map_or(Locale::En, |i| i.locale.get_untracked()) {
        Locale::En => m.en(),
        Locale::Ko => m.ko(),
    }
}

/// A translation with `{0}`, `{1}`… replaced by the arguments (shown as text).
pub fn tf(m: Msg, args: &[&str]) -> String {
    fill(t(m), args)
}

/// Replaces `{0}`, `{1}`… in a template, in one pass over the template: an argument's own text
/// (server data such as `"{1}"`) is never substituted again.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out =
        String::with_capacity(template.len() + args.iter().map(|a| a.len()).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}');
        let arg = close
            .and_then(|c| after[..c].parse::<usize>().ok())
            .and_then(|i| args.get(i));
        match (arg, close) {
            (Some(a), Some(c)) => {
                out.push_str(a);
                rest = &after[c + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_argument_is_never_expanded_again() {
        assert_eq!(fill("{0} of {1}", &["{1}", "x"]), "{1} of x");
        assert_eq!(fill("{0}{0}", &["{0}"]), "{0}{0}");
        assert_eq!(fill("a {2} {x} {", &["b"]), "a {2} {x} {");
        assert_eq!(fill("{1}: {0}", &["é", "ü"]), "ü: é");
    }

    #[test]
    fn every_message_has_both_languages_and_matching_placeholders() {
        for m in Msg::ALL {
            assert!(!m.en().trim().is_empty(), "{m:?} has no English");
            assert!(!m.ko().trim().is_empty(), "{m:?} has no Korean");
            for i in 0..4 {
                let p = format!("{{{i}}}");
                assert_eq!(
                    m.en().contains(&p),
                    m.ko().contains(&p),
                    "{m:?}: placeholder {p} differs"
                );
            }
        }
    }

    #[test]
    fn tags_choose_languages() {
        assert_eq!(Locale::from_tag("ko-KR"), Locale::Ko);
        assert_eq!(Locale::from_tag("en-US"), Locale::En);
        assert_eq!(Locale::from_tag("de"), Locale::En);
        assert_eq!(fill("{0} of {1}", &["3", "24"]), "3 of 24");
    }
}
