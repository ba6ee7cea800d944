//! Typed identities: what names a series, an issue or a place, so no code joins strings into a
//! key and splits them apart again.

use std::fmt;

/// One series of a chart: a server (or group) name, and — when several sources are merged on
/// one chart — the source it came from, so equal names of different sources stay apart.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SeriesKey {
    pub source: Option<String>,
    pub name: String,
}

impl SeriesKey {
    /// What a legend shows: `name`, or `source · name` on a merged chart.
    pub fn label(&self) -> String {
        match &self.source {
            Some(s) => format!("{s} · {}", self.name),
            None => self.name.clone(),
        }
    }
}

/// One issue of one source (issue ids are only unique within a source).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IssueKey {
    pub source: String,
    pub id: String,
}

/// Where a server runs, from its `cloud` and `region` tags.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Place {
    pub cloud: String,
    pub region: String,
}

impl Place {
    /// Fills what is still unknown from one more event's tags (the first non-empty wins).
    pub fn learn(&mut self, cloud: &str, region: &str) {
        if self.cloud.is_empty() {
            self.cloud = cloud.to_owned();
        }
        if self.region.is_empty() {
            self.region = region.to_owned();
        }
    }

    /// The cloud, or `None` when unknown.
    pub fn cloud(&self) -> Option<&str> {
        Some(self.cloud.as_str()).filter(|c| !c.is_empty())
    }

    /// The region, or `None` when unknown.
    pub fn region(&self) -> Option<&str> {
        Some(self.region.as_str()).filter(|r| !r.is_empty())
    }

    /// The group a server falls in by its tags: `cloud · region`, the cloud alone, or `None`.
    pub fn group(&self) -> Option<String> {
        match (self.cloud(), self.region()) {
            (Some(c), Some(r)) => Some(format!("{c} · {r}")),
            (Some(c), None) => Some(c.to_owned()),
            _ => None,
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} · {}", self.cloud, self.region)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_the_source_only_when_merged() {
        let one = SeriesKey {
            source: None,
            name: "api-1".into(),
        };
        let merged = SeriesKey {
            source: Some("Prod · EU".into()),
            name: "api-1".into(),
        };
        assert_eq!(one.label(), "api-1");
        assert_eq!(merged.label(), "Prod · EU · api-1");
        // A source name holding the separator no longer confuses what the name is.
        assert_eq!(merged.name, "api-1");
        assert_ne!(one, merged);
    }

    #[test]
    fn a_place_learns_from_tags_and_names_its_group() {
        let mut p = Place::default();
        assert_eq!(p.group(), None);
        p.learn("aws", "");
        assert_eq!(p.group().as_deref(), Some("aws"));
        p.learn("gcp", "ap-northeast-2");
        assert_eq!(
            (p.cloud(), p.region()),
            (Some("aws"), Some("ap-northeast-2"))
        );
        assert_eq!(p.group().as_deref(), Some("aws · ap-northeast-2"));
        let region_only = Place {
            cloud: String::new(),
            region: "eu".into(),
        };
        assert_eq!(region_only.group(), None);
    }
}
