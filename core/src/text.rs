//! Untrusted text: anyone holding a project's DSN can send any string. The dashboard renders
//! event content as text nodes only; these helpers bound its size, make invisible direction
//! controls visible, and allow links only to http(s).

/// Direction-control characters that can reorder what a reader sees (Trojan Source).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Invisible characters that can make two names look the same (`api-1` and `api\u{200B}-1`).
/// Joiners (U+200C/U+200D) stay: scripts and emoji need them.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{180E}'
    )
}

/// Text safe to show: at most `max_chars` characters, direction controls and other invisible
/// controls and zero-width characters shown as `⟨U+202E⟩`. Returns the text and whether it was cut.
pub fn display(s: &str, max_chars: usize) -> (String, bool) {
    let mut out = String::with_capacity(s.len().min(max_chars * 4));
    for (n, c) in s.chars().enumerate() {
        if n >= max_chars {
            return (out, true);
        }
        if is_bidi_control(c)
            || is_invisible(c)
            || (c.is_control() && c != '\n' && c != '\t' && c != '\r')
        {
            out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
        } else {
            out.push(c);
        }
    }
    (out, false)
}

/// [`display`] without the flag, with an ellipsis when cut.
pub fn clip_display(s: &str, max_chars: usize) -> String {
    let (mut t, cut) = display(s, max_chars);
    if cut {
        t.push('…');
    }
    t
}

/// The URL if (and only if) it is an absolute http(s) URL; anything else is not a link.
pub fn safe_url(s: &str) -> Option<String> {
    let t = s.trim();
    if t.len() > 2048
        || t.chars()
            .any(|c| c.is_control() || c.is_whitespace() || is_bidi_control(c) || c == '\\')
    {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    (!rest.is_empty() && !rest.starts_with('/')).then(|| t.to_owned())
}

/// The CSS class for a severity level: one of the app's own names, never the server's text.
pub fn level_class(level: &str) -> &'static str {
    crate::vocab::Level::parse(level).class()
}

/// A path inside this app (`/issues/12?range=24h`), or `None`. Browsers read `/\\host`, `/\t/host` and
/// `//host` as links to another site, so a backslash, a control or space character, or a second
/// slash at the start (also when percent-encoded: `/%5Chost`, `/%2F/host`) is refused.
pub fn safe_app_path(s: &str) -> Option<String> {
    if !s.starts_with('/') || s.len() > 4096 {
        return None;
    }
    let raw_bad = s
        .chars()
        .any(|c| c == '\\' || c.is_control() || c.is_whitespace() || is_bidi_control(c));
    let decoded = crate::query::percent_decode(s);
    let decoded_bad = decoded.contains('\\') || decoded.chars().any(char::is_control);
    (!raw_bad && !decoded_bad && !s.starts_with("//") && !decoded.starts_with("//"))
        .then(|| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_classes_come_from_a_fixed_set() {
        assert_eq!(level_class("ERROR"), "error");
        assert_eq!(level_class("warn"), "warning");
        assert_eq!(level_class("x\" onmouseover=\"alert(1)"), "unknown");
        assert_eq!(level_class("error lvl-fatal big"), "unknown");
    }

    #[test]
    fn only_real_app_paths_and_http_links_pass() {
        for bad in [
            "/\\evil.example/x",
            "/\t/evil.example",
            "/\u{9}/evil.example",
            "/%5Cevil.example",
            "/%5cevil.example",
            "//evil.example",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            " /x",
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "  javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "/issues/\u{202E}1",
        ] {
            assert_eq!(safe_app_path(bad), None, "{bad:?} as an app path");
            assert_eq!(safe_url(bad), None, "{bad:?} as an outside link");
        }
        assert_eq!(safe_url("http:\\\\evil.example"), None);
        assert_eq!(safe_url("https://\\evil.example"), None);
        assert_eq!(
            safe_app_path("/issues/12?range=24h&query=a%20b"),
            Some("/issues/12?range=24h&query=a%20b".into())
        );
        assert_eq!(
            safe_url("  HTTPS://sentry.example/issues/1/"),
            Some("HTTPS://sentry.example/issues/1/".into())
        );
    }

    #[test]
    fn bidi_controls_become_visible() {
        let (t, cut) = display("abc\u{202E}fed", 100);
        assert_eq!(t, "abc⟨U+202E⟩fed");
        assert!(!cut);
        assert_eq!(display("a\u{0007}b", 10).0, "a⟨U+0007⟩b");
        assert_eq!(display("api\u{200B}-1", 10).0, "api⟨U+200B⟩-1");
        assert_eq!(display("\u{FEFF}x", 10).0, "⟨U+FEFF⟩x");
        // Joiners stay (emoji and scripts need them).
        assert_eq!(display("👩\u{200D}💻", 10).0, "👩\u{200D}💻");
        assert_eq!(display("line\nnext", 10).0, "line\nnext");
    }

    #[test]
    fn long_text_is_bounded() {
        let big = "x".repeat(1_000_000);
        let (t, cut) = display(&big, 10_000);
        assert_eq!(t.chars().count(), 10_000);
        assert!(cut);
        assert!(clip_display(&big, 3).ends_with('…'));
    }

    #[test]
    fn only_http_links() {
        assert_eq!(
            safe_url(" https://x.example/a?b=1 ").as_deref(),
            Some("https://x.example/a?b=1")
        );
        assert_eq!(safe_url("HTTP://X").as_deref(), Some("HTTP://X"));
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:x",
            "data:text/html,x",
            "//evil",
            "http:///x",
            "https://a b",
            "https://a\u{202E}b",
            "vbscript:x",
            "/relative",
        ] {
            assert_eq!(safe_url(bad), None, "{bad}");
        }
    }
}
