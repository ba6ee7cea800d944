//! Query strings for API requests and Sentry search syntax.
//!
//! Just over 400 lines: URL encoding, parameters, Sentry's search syntax and the events query, each small.

use std::fmt::Write;

/// Percent-encodes everything except RFC 3986 unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// Decodes `%XX` escapes and `+` (as space); invalid escapes are kept as they are.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses `a=1&b=2` into decoded pairs (a leading `?` is ignored).
pub fn parse_query_string(s: &str) -> Vec<(String, String)> {
    s.trim_start_matches('?')
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// An ordered list of query parameters (keys may repeat, as Sentry's `project=` and `field=` do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `key=value`.
    pub fn push(mut self, key: &str, value: impl Into<String>) -> Self {
        self.0.push((key.to_owned(), value.into()));
        self
    }

    /// Appends `key=value` when `value` is `Some` and not empty.
    pub fn push_opt(self, key: &str, value: Option<impl Into<String>>) -> Self {
        match value.map(Into::into) {
            Some(v) if !v.is_empty() => self.push(key, v),
            _ => self,
        }
    }

    /// Appends `key=v` for each value.
    pub fn push_all<I, S>(mut self, key: &str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        for v in values {
            self.0.push((key.to_owned(), v.into()));
        }
        self
    }

    /// The first value of a key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `a=1&b=2`, percent-encoded (no leading `?`).
    pub fn encode(&self) -> String {
        let mut out = String::new();
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(&percent_encode(k));
            out.push('=');
            out.push_str(&percent_encode(v));
        }
        out
    }
}

/// Quotes a search value when Sentry's parser would otherwise split or misread it.
pub fn quote_search_value(v: &str) -> String {
    let needs = v.is_empty()
        || v.chars().any(|c| {
            c.is_whitespace() || matches!(c, '"' | ',' | '[' | ']' | '(' | ')' | ':' | '!')
        });
    if needs {
        format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        v.to_owned()
    }
}

/// `key:[a,b,"c d"]`, or `key:a` for a single value.
pub fn search_in(key: &str, values: &[impl AsRef<str>]) -> String {
    if values.len() == 1 {
        return format!("{key}:{}", quote_search_value(values[0].as_ref()));
    }
    let list: Vec<String> = values
        .iter()
        .map(|v| quote_search_value(v.as_ref()))
        .collect();
    format!("{key}:[{}]", list.join(","))
}

/// One term of a Sentry search query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchTerm {
    /// `key:value`, `!key:value`, `key:[a,b]` (the value kept as written, without outer quotes).
    Filter {
        negated: bool,
        key: String,
        value: String,
    },
    /// Free text.
    Text(String),
}

impl SearchTerm {
    /// The term as Sentry syntax.
    pub fn to_query(&self) -> String {
        match self {
            SearchTerm::Filter {
                negated,
                key,
                value,
            } => {
                let bang = if *negated { "!" } else { "" };
                let value = if value.starts_with('[') {
                    value.clone()
                } else {
                    quote_search_value(value)
                };
                format!("{bang}{key}:{value}")
            }
            SearchTerm::Text(t) => t.clone(),
        }
    }
}

/// Splits a search query into terms, honouring quotes and `[…]` lists.
pub fn parse_search(q: &str) -> Vec<SearchTerm> {
    tokens(q)
        .into_iter()
        .map(|tok| {
            let (negated, body) = match tok.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, tok.as_str()),
            };
            match body.split_once(':') {
                Some((key, value))
                    if !key.is_empty()
                        && !key.contains('"')
                        && key
                            .chars()
                            .all(|c| c.is_alphanumeric() || "._-[]()".contains(c)) =>
                {
                    SearchTerm::Filter {
                        negated,
                        key: key.to_owned(),
                        value: unquote(value),
                    }
                }
                _ => SearchTerm::Text(tok.clone()),
            }
        })
        .collect()
}

/// Joins terms back into one query.
pub fn join_search(terms: &[SearchTerm]) -> String {
    terms
        .iter()
        .map(SearchTerm::to_query)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sets `key:value` in a query, replacing any existing un-negated filter on that key.
pub fn set_filter(q: &str, key: &str, value: &str) -> String {
    let mut terms: Vec<SearchTerm> = parse_search(q)
        .into_iter()
        .filter(|t| !matches!(t, SearchTerm::Filter { key: k, negated: false, .. } if k == key))
        .collect();
    terms.push(SearchTerm::Filter {
        negated: false,
        key: key.to_owned(),
        value: value.to_owned(),
    });
    join_search(&terms)
}

/// The filter values on `key` in a query (un-negated; lists are expanded).
pub fn filter_values(q: &str, key: &str) -> Vec<String> {
    let mut out = Vec::new();
    for t in parse_search(q) {
        if let SearchTerm::Filter {
            negated: false,
            key: k,
            value,
        } = t
        {
            if k == key {
                if let Some(list) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
                    out.extend(tokens_sep(list, ',').into_iter().map(|v| unquote(&v)));
                } else {
                    out.push(value);
                }
            }
        }
    }
    out
}

fn unquote(v: &str) -> String {
    match v.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
        Some(inner) => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => v.to_owned(),
    }
}

fn tokens(q: &str) -> Vec<String> {
    tokens_sep(q, ' ')
        .into_iter()
        .filter(|t| !t.trim().is_empty())
        .map(|t| t.trim().to_owned())
        .collect()
}

/// Splits on `sep` (or any whitespace when `sep` is a space) outside quotes and brackets.
fn tokens_sep(s: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut quote, mut depth, mut escaped) = (false, 0u32, false);
    for c in s.chars() {
        if escaped {
            cur.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' if quote => {
                cur.push(c);
                escaped = true;
            }
            '"' => {
                quote = !quote;
                cur.push(c);
            }
            '[' if !quote => {
                depth += 1;
                cur.push(c);
            }
            ']' if !quote => {
                depth = depth.saturating_sub(1);
                cur.push(c);
            }
            c if !quote && depth == 0 && (c == sep || (sep == ' ' && c.is_whitespace())) => {
                out.push(std::mem::take(&mut cur));
            }
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// One Discover events-table query (`organizations/{org}/events/`): the dataset, the columns,
/// the order, the search and the filters, spelled the same way wherever the dashboard asks.
///
/// ```
/// use lookout_core::query::EventsQuery;
/// let p = EventsQuery::new("errors")
///     .fields(["server_name", "count()"])
///     .sort("-count()")
///     .search("issue.id:42")
///     .filters(&["api".into()], &[])
///     .window(vec![("statsPeriod".into(), "24h".into())])
///     .params();
/// assert_eq!(p.encode(), "dataset=errors&field=server_name&field=count%28%29&sort=-count%28%29\
///     &per_page=100&query=issue.id%3A42&project=api&statsPeriod=24h");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventsQuery {
    /// `errors` or `transactions`.
    pub dataset: &'static str,
    pub fields: Vec<String>,
    pub sort: Option<String>,
    pub per_page: u32,
    /// Search syntax (`server_name:web-1 !transaction.status:ok`); left out when empty.
    pub search: String,
    pub projects: Vec<String>,
    pub environments: Vec<String>,
    /// The window as API parameters (`statsPeriod`, or `start` and `end`).
    pub window: Vec<(String, String)>,
}

impl EventsQuery {
    /// A query of `dataset` with no columns yet, 100 rows a page.
    pub fn new(dataset: &'static str) -> Self {
        EventsQuery {
            dataset,
            fields: Vec::new(),
            sort: None,
            per_page: 100,
            search: String::new(),
            projects: Vec::new(),
            environments: Vec::new(),
            window: Vec::new(),
        }
    }

    /// Adds columns.
    pub fn fields<'a>(mut self, fields: impl IntoIterator<Item = &'a str>) -> Self {
        self.fields.extend(fields.into_iter().map(str::to_owned));
        self
    }

    /// Orders by a column (`-count()` for descending).
    pub fn sort(mut self, sort: impl Into<String>) -> Self {
        self.sort = Some(sort.into());
        self
    }

    /// Rows per page.
    pub fn per_page(mut self, n: u32) -> Self {
        self.per_page = n;
        self
    }

    /// The search (trimmed).
    pub fn search(mut self, q: impl Into<String>) -> Self {
        self.search = q.into().trim().to_owned();
        self
    }

    /// Only these projects and environments (none: all).
    pub fn filters(mut self, projects: &[String], environments: &[String]) -> Self {
        self.projects = projects.to_vec();
        self.environments = environments.to_vec();
        self
    }

    /// The window (`TimeRange::api_params`, `doubled_api_params`, or a `statsPeriod`).
    pub fn window(mut self, window: Vec<(String, String)>) -> Self {
        self.window = window;
        self
    }

    /// The request's parameters.
    pub fn params(&self) -> Params {
        let mut p = Params::new()
            .push("dataset", self.dataset)
            .push_all("field", self.fields.iter().cloned())
            .push_opt("sort", self.sort.clone())
            .push("per_page", self.per_page.to_string())
            .push_opt("query", Some(self.search.clone()))
            .push_all("project", self.projects.iter().cloned())
            .push_all("environment", self.environments.iter().cloned());
        p.0.extend(self.window.iter().cloned());
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_round_trips() {
        let p = Params::new()
            .push("query", "server_name:[a,b] is:unresolved")
            .push("project", "1")
            .push("project", "2");
        let enc = p.encode();
        assert_eq!(
            enc,
            "query=server_name%3A%5Ba%2Cb%5D%20is%3Aunresolved&project=1&project=2"
        );
        assert_eq!(parse_query_string(&enc), p.0);
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%E2%9C%93"), "✓");
    }

    #[test]
    fn search_lists_quote_what_needs_it() {
        assert_eq!(
            search_in("server_name", &["a", "b c"]),
            r#"server_name:[a,"b c"]"#
        );
        assert_eq!(search_in("server_name", &["gcp-1"]), "server_name:gcp-1");
        assert_eq!(quote_search_value(r#"x"y"#), r#""x\"y""#);
    }

    #[test]
    fn parses_filters_lists_negation_and_text() {
        let t = parse_search(
            r#"is:unresolved !level:info server_name:[a,"b c"] message:"two words" boom"#,
        );
        assert_eq!(t.len(), 5);
        assert_eq!(
            t[1],
            SearchTerm::Filter {
                negated: true,
                key: "level".into(),
                value: "info".into()
            }
        );
        assert_eq!(
            t[3],
            SearchTerm::Filter {
                negated: false,
                key: "message".into(),
                value: "two words".into()
            }
        );
        assert_eq!(t[4], SearchTerm::Text("boom".into()));
        assert_eq!(
            filter_values(r#"server_name:[a,"b c"]"#, "server_name"),
            vec!["a", "b c"]
        );
    }

    #[test]
    fn set_filter_replaces() {
        assert_eq!(
            set_filter("is:unresolved server_name:a", "server_name", "b"),
            "is:unresolved server_name:b"
        );
        assert_eq!(set_filter("", "server_name", "x y"), r#"server_name:"x y""#);
    }
}
