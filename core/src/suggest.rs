//! Suggestions while typing Sentry search syntax: keys, then the values of the key being
//! typed (statuses, levels, the servers and environments the page knows).

/// Tag keys offered while typing a query.
const KEYS: [&str; 16] = [
    "is:",
    "level:",
    "server_name:",
    "environment:",
    "release:",
    "cloud:",
    "region:",
    "has:",
    "firstSeen:",
    "lastSeen:",
    "times_seen:",
    "assigned:",
    "user.email:",
    "transaction:",
    "url:",
    "!server_name:",
];
const IS_VALUES: [&str; 7] = [
    "unresolved",
    "resolved",
    "ignored",
    "for_review",
    "regressed",
    "assigned",
    "unassigned",
];
const LEVELS: [&str; 5] = ["fatal", "error", "warning", "info", "debug"];

/// Suggestions for the last word of a query: keys, or values of the key being typed.
pub fn suggestions(query: &str, servers: &[String], envs: &[String]) -> Vec<String> {
    let last = query.rsplit(' ').next().unwrap_or("");
    let Some((key, prefix)) = last.split_once(':') else {
        return KEYS
            .iter()
            .filter(|k| !last.is_empty() && k.starts_with(last))
            .map(|k| (*k).to_owned())
            .collect();
    };
    let key = key.trim_start_matches('!');
    let values: Vec<String> = match key {
        "is" => IS_VALUES.iter().map(|v| (*v).to_owned()).collect(),
        "level" => LEVELS.iter().map(|v| (*v).to_owned()).collect(),
        "server_name" => servers.to_vec(),
        "environment" => envs.to_vec(),
        "firstSeen" | "lastSeen" => ["-1h", "-24h", "-7d", "-14d"]
            .iter()
            .map(|v| (*v).to_owned())
            .collect(),
        _ => Vec::new(),
    };
    let prefix = prefix.to_lowercase();
    values
        .into_iter()
        .filter(|v| v.to_lowercase().starts_with(&prefix) && v.to_lowercase() != prefix)
        .take(12)
        .map(|v| {
            format!(
                "{}{}",
                &last[..=last.find(':').unwrap_or(0)],
                crate::query::quote_search_value(&v)
            )
        })
        .collect()
}

/// Replaces the last word of the query with a suggestion.
pub fn apply_suggestion(query: &str, s: &str) -> String {
    match query.rfind(' ') {
        Some(i) => format!("{} {s} ", &query[..i]),
        None => format!("{s} "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_keys_and_values() {
        assert!(suggestions("is:unresolved ser", &[], &[]).contains(&"server_name:".to_owned()));
        let s = suggestions("server_name:aws", &["aws-1".into(), "gcp-1".into()], &[]);
        assert_eq!(s, vec!["server_name:aws-1"]);
        assert_eq!(suggestions("level:er", &[], &[]), vec!["level:error"]);
        assert_eq!(
            apply_suggestion("is:unresolved ser", "server_name:"),
            "is:unresolved server_name: "
        );
    }
}
