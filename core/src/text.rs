//! Untrusted text: anyone holding a project's DSN can send any string. The dashboard renders
//! event content as text nodes only; these helpers bound its size, make invisible direction
//! controls visible, and allow links only to http(s).

/// Direction-control characters that can reorder what a reader sees (Trojan Source).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Text safe to show: at most `max_chars` characters, direction controls and other invisible
/// controls shown as `⟨U+202E⟩`. Returns the text and whether it was cut.
pub fn display(s: &str, max_chars: usize) -> (String, bool) {
    let mut out = String::with_capacity(s.len().min(max_chars * 4));
    for (n, c) in s.chars().enumerate() {
        if n >= max_chars {
            return (out, true);
        }
        if is_bidi_control(c) || (c.is_control() && c != '\n' && c != '\t' && c != '\r') {
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
            .any(|c| c.is_control() || c.is_whitespace() || is_bidi_control(c))
    {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    (!rest.is_empty() && !rest.starts_with('/')).then(|| t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_controls_become_visible() {
        let (t, cut) = display("abc\u{202E}fed", 100);
        assert_eq!(t, "abc⟨U+202E⟩fed");
        assert!(!cut);
        assert_eq!(display("a\u{0007}b", 10).0, "a⟨U+0007⟩b");
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
