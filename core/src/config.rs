//! The runtime configuration (`config.json` beside `index.html`), so one build serves many
//! deployments.
//! Over 400 lines only with its tests (the code is about 370).

use crate::json::{expect_object, FromJson, Get};
use serde_json::{json, Value};

/// Which API dialect a source speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Sentry,
    Glitchtip,
}

impl SourceKind {
    /// Parses `sentry` / `glitchtip` (case-insensitive); anything else is `None` (= detect).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sentry" => Some(SourceKind::Sentry),
            "glitchtip" => Some(SourceKind::Glitchtip),
            _ => None,
        }
    }

    /// The config spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Sentry => "sentry",
            SourceKind::Glitchtip => "glitchtip",
        }
    }
}

/// One Sentry-compatible server and organization.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SourceConfig {
    pub name: String,
    pub url: String,
    pub org: String,
    /// Only for unattended displays; prefer pasting the token on the settings page.
    pub token: Option<String>,
    /// `None` = detect from the organization details.
    pub kind: Option<SourceKind>,
}

/// Never prints the token (a `{:?}` may end up in a log line or an error report).
impl std::fmt::Debug for SourceConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceConfig")
            .field("name", &self.name)
            .field("url", &self.url)
            .field("org", &self.org)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("kind", &self.kind)
            .finish()
    }
}

impl SourceConfig {
    /// The origin of the source's URL (`https://sentry.example:8443`), lower-cased, or `""`: a token
    /// belongs to it, so a changed URL never receives the old token.
    pub fn origin(&self) -> String {
        let u = self.url.trim().to_ascii_lowercase();
        let Some((scheme, rest)) = u.split_once("://") else {
            return String::new();
        };
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        format!("{scheme}://{host}")
    }

    /// The host the source points at (for asking the user about it).
    pub fn host(&self) -> String {
        self.origin()
            .split_once("://")
            .map(|(_, h)| h.to_owned())
            .unwrap_or_default()
    }
}

impl FromJson for SourceConfig {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(SourceConfig {
            name: v.s("name"),
            url: v.s("url"),
            org: v.s("org"),
            token: v.os("token"),
            kind: v.os("kind").as_deref().and_then(SourceKind::parse),
        })
    }
}

impl SourceConfig {
    /// The JSON form (as in `config.json`; the token only when `with_token`).
    pub fn to_json(&self, with_token: bool) -> Value {
        let mut v = json!({"name": self.name, "url": self.url, "org": self.org});
        if let Some(k) = self.kind {
            v["kind"] = json!(k.as_str());
        }
        if let (true, Some(t)) = (with_token, &self.token) {
            v["token"] = json!(t);
        }
        v
    }
}

/// A named server pattern, e.g. `{ "name": "AWS", "match": "aws-*" }`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerGroup {
    pub name: String,
    pub pattern: String,
}

impl FromJson for ServerGroup {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(ServerGroup {
            name: v.s("name"),
            pattern: v.s("match"),
        })
    }
}

/// Wall (kiosk) settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WallConfig {
    /// Views to rotate among (`overview`, `heatmap`, `issues`, `new`, `project:<slug>`,
    /// `group:<name>`).
    pub views: Vec<String>,
    pub rotate_seconds: u32,
}

impl Default for WallConfig {
    fn default() -> Self {
        WallConfig {
            views: vec![
                "overview".into(),
                "heatmap".into(),
                "issues".into(),
                "new".into(),
            ],
            rotate_seconds: 30,
        }
    }
}

/// The whole `config.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppConfig {
    pub sources: Vec<SourceConfig>,
    pub refresh_seconds: u32,
    pub server_groups: Vec<ServerGroup>,
    pub wall: WallConfig,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            sources: Vec::new(),
            refresh_seconds: 60,
            server_groups: Vec::new(),
            wall: WallConfig::default(),
        }
    }
}

/// The shortest refresh interval allowed (protects rate-limited servers).
pub const MIN_REFRESH_SECONDS: u32 = 10;

/// Something wrong with a configuration, naming the offending entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigProblem {
    /// The file is not valid JSON / not the expected shape.
    Syntax(String),
    MissingName {
        index: usize,
    },
    MissingOrg {
        source: String,
    },
    BadUrl {
        source: String,
        url: String,
    },
    DuplicateName {
        source: String,
    },
}

impl AppConfig {
    /// Takes the sources saved in this browser in place of `config.json`'s. Saved sources never
    /// hold a token, so each keeps the token `config.json` gives the same origin (a token belongs
    /// to its server, not to a name: a source moved to another host does not take it along).
    pub fn adopt_saved(&mut self, saved: Vec<SourceConfig>) {
        let configured = std::mem::take(&mut self.sources);
        self.sources = saved
            .into_iter()
            .map(|mut s| {
                if s.token.is_none() {
                    let origin = s.origin();
                    s.token = configured
                        .iter()
                        .find(|c| !origin.is_empty() && c.origin() == origin)
                        .and_then(|c| c.token.clone());
                }
                s
            })
            .collect();
    }

    /// Parses `config.json`, normalising what can be normalised.
    pub fn parse(text: &str) -> Result<Self, ConfigProblem> {
        let v: Value =
            serde_json::from_str(text).map_err(|e| ConfigProblem::Syntax(e.to_string()))?;
        expect_object(&v).map_err(ConfigProblem::Syntax)?;
        let defaults = AppConfig::default();
        let wall = v.get("wall").filter(|w| w.is_object());
        let mut cfg = AppConfig {
            sources: v.l("sources"),
            refresh_seconds: v
                .f("refreshSeconds")
                .map_or(defaults.refresh_seconds, |n| n.clamp(0.0, 86_400.0) as u32),
            server_groups: v.l("serverGroups"),
            wall: WallConfig {
                views: wall
                    .map(|w| w.ls("views"))
                    .filter(|l| !l.is_empty())
                    .unwrap_or(defaults.wall.views),
                rotate_seconds: wall
                    .and_then(|w| w.f("rotateSeconds"))
                    .map_or(defaults.wall.rotate_seconds, |n| {
                        n.clamp(0.0, 86_400.0) as u32
                    }),
            },
        };
        cfg.normalise();
        Ok(cfg)
    }

    /// Trims fields, strips trailing slashes, clamps the refresh interval.
    pub fn normalise(&mut self) {
        for s in &mut self.sources {
            s.normalise();
        }
        if self.refresh_seconds == 0 {
            self.refresh_seconds = 60;
        }
        self.refresh_seconds = self.refresh_seconds.max(MIN_REFRESH_SECONDS);
        if self.wall.rotate_seconds == 0 {
            self.wall.rotate_seconds = 30;
        }
    }

    /// Every problem in the configuration (empty when it is usable).
    pub fn problems(&self) -> Vec<ConfigProblem> {
        let mut out = Vec::new();
        for (i, s) in self.sources.iter().enumerate() {
            out.extend(s.problems(i));
            if self.sources[..i].iter().any(|o| o.name == s.name) && !s.name.is_empty() {
                out.push(ConfigProblem::DuplicateName {
                    source: s.name.clone(),
                });
            }
        }
        out
    }

    /// The group a server belongs to by the configured patterns (first match wins).
    pub fn group_of(&self, server: &str) -> Option<&str> {
        self.server_groups
            .iter()
            .find(|g| glob_match(&g.pattern, server))
            .map(|g| g.name.as_str())
    }
}

impl SourceConfig {
    /// Trims fields and strips trailing slashes (and a pasted `/api/0`) from the URL.
    pub fn normalise(&mut self) {
        self.name = self.name.trim().to_owned();
        self.org = self.org.trim().to_owned();
        let mut url = self.url.trim().trim_end_matches('/').to_owned();
        if let Some(stripped) = url.strip_suffix("/api/0") {
            url = stripped.to_owned();
        }
        self.url = url;
        if self.token.as_deref().is_some_and(|t| t.trim().is_empty()) {
            self.token = None;
        }
    }

    /// Problems with this one source.
    pub fn problems(&self, index: usize) -> Vec<ConfigProblem> {
        let mut out = Vec::new();
        if self.name.is_empty() {
            out.push(ConfigProblem::MissingName { index });
        }
        let label = if self.name.is_empty() {
            format!("#{}", index + 1)
        } else {
            self.name.clone()
        };
        if self.org.is_empty() {
            out.push(ConfigProblem::MissingOrg {
                source: label.clone(),
            });
        }
        let lower = self.url.to_ascii_lowercase();
        let has_host = lower
            .split_once("://")
            .is_some_and(|(_, rest)| !rest.is_empty() && !rest.starts_with('/'));
        if !(lower.starts_with("http://") || lower.starts_with("https://")) || !has_host {
            out.push(ConfigProblem::BadUrl {
                source: label,
                url: crate::error::clip(&self.url, 120),
            });
        }
        out
    }

    /// The API root, e.g. `https://sentry.example.com/api/0`.
    pub fn api_root(&self) -> String {
        format!("{}/api/0", self.url)
    }
}

/// Shell-style matching with `*` (any run) and `?` (one character), case-insensitive.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    #[test]
    fn saved_sources_keep_config_tokens_of_their_origin_only() {
        let src = |name: &str, url: &str, token: Option<&str>| SourceConfig {
            name: name.into(),
            url: url.into(),
            org: "o".into(),
            token: token.map(Into::into),
            kind: None,
        };
        let mut cfg = AppConfig {
            sources: vec![src("Demo", "https://a.example/", Some("ta"))],
            ..AppConfig::default()
        };
        cfg.adopt_saved(vec![
            src("Renamed", "https://A.example", None),
            src("Moved", "https://b.example", None),
            src("Own", "https://a.example", Some("own")),
        ]);
        let tokens: Vec<Option<&str>> = cfg.sources.iter().map(|s| s.token.as_deref()).collect();
        assert_eq!(tokens, [Some("ta"), None, Some("own")]);
        assert_eq!(cfg.sources[1].name, "Moved");
    }

    use super::*;

    #[test]
    fn debug_never_shows_the_token_and_origins_ignore_paths() {
        let s = SourceConfig {
            name: "P".into(),
            url: "HTTPS://user@Sentry.Example:8443/x/?y".into(),
            token: Some("sntrys_secret".into()),
            ..Default::default()
        };
        assert!(!format!("{s:?}").contains("sntrys_secret"));
        assert_eq!(s.origin(), "https://sentry.example:8443");
        assert_eq!(s.host(), "sentry.example:8443");
    }

    #[test]
    fn parses_the_documented_example() {
        let cfg = AppConfig::parse(
            r#"{ "sources": [ { "name": "Production", "url": "https://sentry.example.com/", "org": "acme",
                 "token": "optional", "kind": "sentry | glitchtip (optional; detected when absent)" } ],
                 "refreshSeconds": 60,
                 "serverGroups": [ { "name": "AWS", "match": "aws-*" }, { "name": "GCP", "match": "gcp-*" } ] }"#,
        )
        .unwrap();
        assert_eq!(cfg.sources[0].url, "https://sentry.example.com");
        assert_eq!(cfg.sources[0].kind, None);
        assert_eq!(cfg.group_of("aws-apne2-api-1"), Some("AWS"));
        assert_eq!(cfg.group_of("GCP-ane3-api-1"), Some("GCP"));
        assert_eq!(cfg.group_of("onprem-1"), None);
        assert!(cfg.problems().is_empty());
    }

    #[test]
    fn reports_problems_by_source() {
        let cfg = AppConfig::parse(
            r#"{"sources":[{"name":"A","url":"ftp://x","org":""},{"name":"A","url":"https://y","org":"o"}],"refreshSeconds":1}"#,
        )
        .unwrap();
        assert_eq!(cfg.refresh_seconds, MIN_REFRESH_SECONDS);
        let p = cfg.problems();
        assert!(p.contains(&ConfigProblem::MissingOrg { source: "A".into() }));
        assert!(p.contains(&ConfigProblem::BadUrl {
            source: "A".into(),
            url: "ftp://x".into()
        }));
        assert!(p.contains(&ConfigProblem::DuplicateName { source: "A".into() }));
        assert!(matches!(
            AppConfig::parse("{"),
            Err(ConfigProblem::Syntax(_))
        ));
    }

    #[test]
    fn globs() {
        assert!(glob_match("aws-*", "aws-apne2-api-1"));
        assert!(glob_match("*-api-?", "gcp-ane3-api-7"));
        assert!(!glob_match("*-api-?", "gcp-ane3-api-17"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("a*b", "acbd"));
    }

    #[test]
    fn pasted_api_root_is_stripped() {
        let mut s = SourceConfig {
            url: " https://gt.example/api/0/ ".into(),
            ..Default::default()
        };
        s.normalise();
        assert_eq!(s.api_root(), "https://gt.example/api/0");
    }
}
