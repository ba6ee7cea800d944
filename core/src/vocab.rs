//! Sentry's vocabulary as types: levels, issue statuses and substatuses, sparkline periods.
//! Each has the values the dashboard acts on and `Other` for anything else a server sends (kept
//! as text, shown as text, never turned into a class or a style).

/// How severe an issue, event or breadcrumb is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Level {
    Fatal,
    Error,
    Warning,
    Info,
    Debug,
    /// Anything else (kept as sent; empty when the server sent none).
    Other(String),
    #[default]
    Unknown,
}

impl Level {
    /// Reads a level as servers and SDKs spell it (`critical` is fatal, `warn` a warning, `log`
    /// info), in any case.
    pub fn parse(s: &str) -> Level {
        let t = s.trim();
        let is = |name: &str| t.eq_ignore_ascii_case(name);
        if is("fatal") || is("critical") {
            Level::Fatal
        } else if is("error") {
            Level::Error
        } else if is("warning") || is("warn") {
            Level::Warning
        } else if is("info") || is("log") {
            Level::Info
        } else if is("debug") {
            Level::Debug
        } else if t.is_empty() {
            Level::Unknown
        } else {
            Level::Other(t.to_owned())
        }
    }

    /// The level as text (Sentry's spelling, or what the server sent).
    pub fn as_str(&self) -> &str {
        match self {
            Level::Fatal => "fatal",
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
            Level::Debug => "debug",
            Level::Other(s) => s,
            Level::Unknown => "",
        }
    }

    /// The CSS class name: one of the app's own, never the server's text.
    pub fn class(&self) -> &'static str {
        match self {
            Level::Fatal => "fatal",
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
            Level::Debug => "debug",
            Level::Other(_) | Level::Unknown => "unknown",
        }
    }
}

/// Whether an issue is open.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    Unresolved,
    Resolved,
    Ignored,
    /// Anything else (`reprocessing`, `pending_deletion`, …; empty when none was sent).
    Other(String),
}

impl Status {
    /// Reads Sentry's and GlitchTip's spellings (`archived` is Sentry's newer name for ignored).
    pub fn parse(s: &str) -> Status {
        match s.trim() {
            "unresolved" => Status::Unresolved,
            "resolved" => Status::Resolved,
            "ignored" | "archived" => Status::Ignored,
            other => Status::Other(other.to_owned()),
        }
    }

    /// The status as text.
    pub fn as_str(&self) -> &str {
        match self {
            Status::Unresolved => "unresolved",
            Status::Resolved => "resolved",
            Status::Ignored => "ignored",
            Status::Other(s) => s,
        }
    }
}

/// Why an open issue is in the state it is (Sentry's `substatus`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Substatus {
    New,
    Ongoing,
    Escalating,
    Regressed,
    /// Anything else (`archived_until_escalating`, …).
    Other(String),
}

impl Substatus {
    /// Reads Sentry's spelling; `None` for an empty value.
    pub fn parse(s: &str) -> Option<Substatus> {
        Some(match s.trim() {
            "" => return None,
            "new" => Substatus::New,
            "ongoing" => Substatus::Ongoing,
            "escalating" => Substatus::Escalating,
            "regressed" => Substatus::Regressed,
            other => Substatus::Other(other.to_owned()),
        })
    }

    /// The substatus as text.
    pub fn as_str(&self) -> &str {
        match self {
            Substatus::New => "new",
            Substatus::Ongoing => "ongoing",
            Substatus::Escalating => "escalating",
            Substatus::Regressed => "regressed",
            Substatus::Other(s) => s,
        }
    }
}

/// The period of an issue's sparkline (`groupStatsPeriod` / `statsPeriod` of `issues-stats`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum StatsPeriod {
    /// 24 hourly buckets.
    #[default]
    Day,
    /// 14 daily buckets.
    TwoWeeks,
    /// Anything else a server keys its stats by (`auto`, `30d`).
    Other(String),
}

impl StatsPeriod {
    /// Reads `24h`, `14d`, or anything else.
    pub fn parse(s: &str) -> StatsPeriod {
        match s.trim() {
            "24h" => StatsPeriod::Day,
            "14d" => StatsPeriod::TwoWeeks,
            other => StatsPeriod::Other(other.to_owned()),
        }
    }

    /// The API spelling.
    pub fn as_str(&self) -> &str {
        match self {
            StatsPeriod::Day => "24h",
            StatsPeriod::TwoWeeks => "14d",
            StatsPeriod::Other(s) => s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_parse_and_the_rest_is_kept_as_text() {
        assert_eq!(Level::parse("WARN"), Level::Warning);
        assert_eq!(Level::parse(" critical"), Level::Fatal);
        assert_eq!(Level::parse(""), Level::Unknown);
        let odd = Level::parse("<b>sev</b>");
        assert_eq!((odd.as_str(), odd.class()), ("<b>sev</b>", "unknown"));
        assert_eq!(Status::parse("archived"), Status::Ignored);
        assert_eq!(Status::parse("reprocessing").as_str(), "reprocessing");
        assert_eq!(Substatus::parse("regressed"), Some(Substatus::Regressed));
        assert_eq!(Substatus::parse(""), None);
        assert_eq!(
            Substatus::parse("archived_forever").map(|s| s.as_str().to_owned()),
            Some("archived_forever".into())
        );
        for p in ["24h", "14d", "auto"] {
            assert_eq!(StatsPeriod::parse(p).as_str(), p);
        }
    }
}
