//! Organizations and projects.

use crate::lenient;
use serde::Deserialize;

/// `GET /api/0/organizations/` items and `GET /api/0/organizations/{org}/`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct OrganizationDto {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub slug: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    /// Present on Sentry; absent on GlitchTip.
    #[serde(deserialize_with = "lenient::opt_obj")]
    pub features: Option<Vec<String>>,
    #[serde(deserialize_with = "lenient::opt_obj")]
    pub links: Option<OrganizationLinks>,
    /// GlitchTip-only field; its presence identifies GlitchTip.
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub is_accepting_events: Option<bool>,
}

/// Where an organization lives (sentry.io answers on the region URL).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct OrganizationLinks {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub organization_url: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub region_url: Option<String>,
}

impl OrganizationDto {
    /// Whether the organization has a feature flag (e.g. `trace-spans-format`).
    pub fn has_feature(&self, name: &str) -> bool {
        self.features
            .as_ref()
            .is_some_and(|f| f.iter().any(|x| x == name))
    }
}

/// `GET /api/0/organizations/{org}/projects/` items.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct ProjectDto {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub slug: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub platform: Option<String>,
    #[serde(deserialize_with = "lenient::list")]
    pub environments: Vec<String>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub first_transaction_event: Option<bool>,
}

/// The short project reference embedded in issues.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct ProjectRef {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub slug: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub platform: Option<String>,
}

/// A release as embedded in issues and events.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct ReleaseRef {
    #[serde(deserialize_with = "lenient::string")]
    pub version: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub short_version: Option<String>,
    #[serde(deserialize_with = "lenient::opt_time")]
    pub date_created: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(deserialize_with = "lenient::opt_time")]
    pub date_released: Option<chrono::DateTime<chrono::Utc>>,
}

/// `GET /api/0/organizations/{org}/releases/` items (markers on the time axis).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct ReleaseDto {
    #[serde(deserialize_with = "lenient::string")]
    pub version: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub short_version: Option<String>,
    #[serde(deserialize_with = "lenient::opt_time")]
    pub date_created: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(deserialize_with = "lenient::opt_time")]
    pub date_released: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(deserialize_with = "lenient::opt_obj")]
    pub last_deploy: Option<DeployRef>,
}

/// The newest deploy of a release.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct DeployRef {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub environment: Option<String>,
    #[serde(deserialize_with = "lenient::opt_time")]
    pub date_finished: Option<chrono::DateTime<chrono::Utc>>,
}

impl ReleaseDto {
    /// When this release reached users: its last deploy, else its release date, else creation.
    pub fn marker_time(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.last_deploy
            .as_ref()
            .and_then(|d| d.date_finished)
            .or(self.date_released)
            .or(self.date_created)
    }
}
