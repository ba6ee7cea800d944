//! `Link` header paging, including GlitchTip's wrapped form (`{'<…>; rel="next"; …'}`).

/// One link of a `Link` header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageLink {
    pub url: String,
    pub rel: String,
    /// `results="true|false"`; servers that omit it are taken at their word (`true`).
    pub results: bool,
    pub cursor: Option<String>,
}

/// The previous and next pages of a list response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Paging {
    pub previous: Option<PageLink>,
    pub next: Option<PageLink>,
}

impl Paging {
    /// The cursor of the next page, only when the server says it has results.
    pub fn next_cursor(&self) -> Option<&str> {
        self.next
            .as_ref()
            .filter(|l| l.results)
            .and_then(|l| l.cursor.as_deref())
    }

    /// The cursor of the previous page, only when it has results.
    pub fn previous_cursor(&self) -> Option<&str> {
        self.previous
            .as_ref()
            .filter(|l| l.results)
            .and_then(|l| l.cursor.as_deref())
    }
}

/// Parses a `Link` header value. Unknown parameters are ignored; garbage gives empty paging.
pub fn parse_link_header(header: &str) -> Paging {
    let mut paging = Paging::default();
    let mut s = header.trim();
    // GlitchTip: `{'<…>; rel="next"; …', '<…>; …'}`
    if let Some(inner) = s.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
        s = inner;
    }
    for part in split_links(s) {
        let part = part.trim().trim_matches('\'').trim();
        let Some(link) = parse_one(part) else {
            continue;
        };
        match link.rel.as_str() {
            "next" => paging.next = Some(link),
            "previous" | "prev" => paging.previous = Some(link),
            _ => {}
        }
    }
    paging
}

/// Splits on commas that are outside `<…>` and quotes.
fn split_links(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut in_url, mut in_quote, mut start) = (false, false, 0);
    for (i, c) in s.char_indices() {
        match c {
            '<' if !in_quote => in_url = true,
            '>' if !in_quote => in_url = false,
            '"' if !in_url => in_quote = !in_quote,
            ',' if !in_url && !in_quote => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

fn parse_one(part: &str) -> Option<PageLink> {
    let open = part.find('<')?;
    let close = part[open..].find('>')? + open;
    let url = part[open + 1..close].trim().to_owned();
    let mut link = PageLink {
        url,
        results: true,
        ..PageLink::default()
    };
    for param in part[close + 1..].split(';') {
        let Some((k, v)) = param.split_once('=') else {
            continue;
        };
        let v = v.trim().trim_matches('"');
        match k.trim() {
            "rel" => link.rel = v.to_owned(),
            "results" => link.results = v.eq_ignore_ascii_case("true"),
            "cursor" => link.cursor = Some(v.to_owned()),
            _ => {}
        }
    }
    if link.cursor.is_none() {
        link.cursor = query_param(&link.url, "cursor");
    }
    (!link.rel.is_empty()).then_some(link)
}

/// A query parameter of a URL, percent-decoded.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| crate::query::percent_decode(v))
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTRY: &str = r#"<https://sentry.io/api/0/organizations/acme/issues/?query=is%3Aunresolved&cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", <https://sentry.io/api/0/organizations/acme/issues/?query=is%3Aunresolved&cursor=0:100:0>; rel="next"; results="true"; cursor="0:100:0""#;

    #[test]
    fn sentry_form() {
        let p = parse_link_header(SENTRY);
        assert_eq!(p.next_cursor(), Some("0:100:0"));
        assert_eq!(p.previous_cursor(), None);
        assert!(!p.previous.unwrap().results);
    }

    #[test]
    fn glitchtip_wrapped_form() {
        let h = r#"{'<https://gt.example/api/0/organizations/acme/issues/?cursor=cD0yMDI2>; rel="next"; results="true"; cursor="cD0yMDI2"'}"#;
        assert_eq!(parse_link_header(h).next_cursor(), Some("cD0yMDI2"));
    }

    #[test]
    fn no_more_results() {
        let h = r#"<https://x/?&cursor=0:100:0>; rel="next"; results="false"; cursor="0:100:0""#;
        assert_eq!(parse_link_header(h).next_cursor(), None);
    }

    #[test]
    fn cursor_from_url_when_no_parameter() {
        let h = r#"<https://x/api/?&cursor=abc%3D>; rel="next""#;
        assert_eq!(parse_link_header(h).next_cursor(), Some("abc="));
    }

    #[test]
    fn garbage_is_empty() {
        assert_eq!(parse_link_header("nonsense, <<>>;;"), Paging::default());
        assert_eq!(parse_link_header(""), Paging::default());
    }
}
