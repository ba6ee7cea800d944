//! Organizations, projects and releases.

use crate::json::{expect_object, FromJson, Get};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// `GET /api/0/organizations/` items and `GET /api/0/organizations/{org}/`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrganizationDto {
    pub id: String,
    pub slug: String,
    pub name: String,
    /// Present on Sentry; absent on GlitchTip.
    pub features: Option<Vec<String>>,
    pub links: Option<OrganizationLinks>,
    /// GlitchTip-only field; its presence identifies GlitchTip.
    pub is_accepting_events: Option<bool>,
}

/// Where an organization lives (sentry.io answers on the region URL).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrganizationLinks {
    pub organization_url: Option<String>,
    pub region_url: Option<String>,
}

impl FromJson for OrganizationDto {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(OrganizationDto {
            id: v.s("id"),
            slug: v.s("slug"),
            name: v.s("name"),
            features: v
                .get("features")
                .filter(|f| f.is_array())
                .map(|_| v.ls("features")),
            links: v
                .get("links")
                .filter(|l| l.is_object())
                .map(|l| OrganizationLinks {
                    organization_url: l.os("organizationUrl"),
                    region_url: l.os("regionUrl"),
                }),
            is_accepting_events: v.b("isAcceptingEvents"),
        })
    }
}

impl OrganizationDto {
    /// The dialect this organization's server speaks: GlitchTip's organization says whether it
    /// accepts events and has no feature list; Sentry's always has one.
    pub fn detect_kind(&self) -> crate::config::SourceKind {
        if self.is_accepting_events.is_some() || self.features.is_none() {
            crate::config::SourceKind::Glitchtip
        } else {
            crate::config::SourceKind::Sentry
        }
    }

    /// Whether the organization has a feature flag (e.g. `trace-spans-format`).
    pub fn has_feature(&self, name: &str) -> bool {
        self.features
            .as_ref()
            .is_some_and(|f| f.iter().any(|x| x == name))
    }
}

/// `GET /api/0/organizations/{org}/projects/` items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectDto {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub platform: Option<String>,
    pub environments: Vec<String>,
    pub first_transaction_event: Option<bool>,
}

impl FromJson for ProjectDto {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(ProjectDto {
            id: v.s("id"),
            slug: v.s("slug"),
            name: v.s("name"),
            platform: v.os("platform"),
            environments: v.ls("environments"),
            first_transaction_event: v.b("firstTransactionEvent"),
        })
    }
}

/// The short project reference embedded in issues.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectRef {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub platform: Option<String>,
}

impl FromJson for ProjectRef {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(ProjectRef {
            id: v.s("id"),
            slug: v.s("slug"),
            name: v.s("name"),
            platform: v.os("platform"),
        })
    }
}

/// A release as embedded in issues and events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReleaseRef {
    pub version: String,
    pub short_version: Option<String>,
    pub date_created: Option<DateTime<Utc>>,
    pub date_released: Option<DateTime<Utc>>,
}

impl FromJson for ReleaseRef {
    fn from_json(v: &Value) -> Result<Self, String> {
        match v {
            // Some servers send only the version.
            Value::String(version) => Ok(ReleaseRef {
                version: version.clone(),
                ..Default::default()
            }),
            _ => {
                expect_object(v)?;
                Ok(ReleaseRef {
                    version: v.s("version"),
                    short_version: v.os("shortVersion"),
                    date_created: v.t("dateCreated"),
                    date_released: v.t("dateReleased"),
                })
            }
        }
    }
}

/// `GET /api/0/organizations/{org}/releases/` items (markers on the time axis).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReleaseDto {
    pub version: String,
    pub short_version: Option<String>,
    pub date_created: Option<DateTime<Utc>>,
    pub date_released: Option<DateTime<Utc>>,
    /// When its newest deploy finished, and where.
    pub last_deploy: Option<(Option<String>, Option<DateTime<Utc>>)>,
    /// Slugs of the projects it belongs to.
    pub projects: Vec<String>,
}

impl FromJson for ReleaseDto {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(ReleaseDto {
            version: v.s("version"),
            short_version: v.os("shortVersion"),
            date_created: v.t("dateCreated"),
            date_released: v.t("dateReleased"),
            last_deploy: v
                .get("lastDeploy")
                .filter(|d| d.is_object())
                .map(|d| (d.os("environment"), d.t("dateFinished"))),
            projects: match v.get("projects") {
                Some(Value::Array(p)) => p.iter().filter_map(|p| p.os("slug")).collect(),
                _ => Vec::new(),
            },
        })
    }
}

impl ReleaseDto {
    /// When this release reached users: its last deploy, else its release date, else creation.
    pub fn marker_time(&self) -> Option<DateTime<Utc>> {
        self.last_deploy
            .as_ref()
            .and_then(|d| d.1)
            .or(self.date_released)
            .or(self.date_created)
    }

    /// Whether `other` is of the same line of releases: a shared project, else (when either
    /// names none) the same package (`api@1.2.0` and `api@1.3.0`).
    pub fn same_line(&self, other: &ReleaseDto) -> bool {
        if !self.projects.is_empty() && !other.projects.is_empty() {
            return self.projects.iter().any(|p| other.projects.contains(p));
        }
        let package = |v: &str| v.split_once('@').map(|(p, _)| p.to_owned());
        package(&self.version).is_some() && package(&self.version) == package(&other.version)
    }
}

/// The latest `n` releases (by [`ReleaseDto::marker_time`]) at or before `now`, newest first,
/// each with the release of its line that came before it (when the list holds one).
pub fn with_previous(
    releases: &[ReleaseDto],
    n: usize,
    now: DateTime<Utc>,
) -> Vec<(ReleaseDto, Option<ReleaseDto>)> {
    let mut timed: Vec<(DateTime<Utc>, &ReleaseDto)> = releases
        .iter()
        .filter_map(|r| Some((r.marker_time()?, r)))
        .filter(|(t, _)| *t <= now)
        .collect();
    crate::sort::sort_by(&mut timed, |a, b| b.0.cmp(&a.0));
    timed
        .iter()
        .take(n)
        .map(|(t, r)| {
            let before = timed
                .iter()
                .find(|(u, o)| u < t && r.same_line(o))
                .map(|(_, o)| (*o).clone());
            ((*r).clone(), before)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(version: &str, project: &str, hours_ago: i64) -> ReleaseDto {
        ReleaseDto {
            version: version.into(),
            date_created: Some(
                DateTime::from_timestamp(1_800_000_000 - hours_ago * 3600, 0).unwrap(),
            ),
            projects: if project.is_empty() {
                Vec::new()
            } else {
                vec![project.into()]
            },
            ..Default::default()
        }
    }

    #[test]
    fn each_latest_release_is_paired_with_the_one_before_it_in_its_line() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let list = [
            rel("api@3", "api", 10),
            rel("web@7", "web", 5),
            rel("api@2", "api", 50),
            rel("web@6", "web", 60),
            rel("api@1", "api", 100),
            rel("next@1", "api", -5),
            rel("solo@1", "", 20),
            rel("solo@0", "", 30),
        ];
        let pairs = with_previous(&list, 3, now);
        let names: Vec<(&str, Option<&str>)> = pairs
            .iter()
            .map(|(r, p)| (r.version.as_str(), p.as_ref().map(|p| p.version.as_str())))
            .collect();
        assert_eq!(
            names,
            [
                ("web@7", Some("web@6")),
                ("api@3", Some("api@2")),
                ("solo@1", Some("solo@0"))
            ],
            "newest first, not a release still to come, the line by project or by package"
        );
        assert_eq!(with_previous(&list[4..5], 3, now)[0].1, None);
    }
}
