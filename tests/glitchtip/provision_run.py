"""A fresh organization for one test run, inside GlitchTip's Django (manage.py shell < provision_run.py).

Every run gets its own org (slug in $LOOKOUT_GT_ORG) with projects api, web, worker, a team, and a read-only
token, so the figures of one run never mix with an earlier run's events. Writes the facts as JSON to
$LOOKOUT_GT_RUN_JSON. Uses the admin user that the setup recipe provisioned.
"""
import json
import os

from apps.api_tokens.models import APIToken
from apps.organizations_ext.constants import OrganizationUserRole
from apps.organizations_ext.models import Organization
from apps.projects.models import Project, ProjectKey
from apps.teams.models import Team
from apps.users.models import User

slug = os.environ["LOOKOUT_GT_ORG"]
user = User.objects.get(email="admin@example.com")
org = Organization.objects.filter(slug=slug).first()
if org is None:
    org = Organization.objects.create(name=slug, slug=slug)
    org_user = org.add_user(user, role=OrganizationUserRole.OWNER)
else:
    org_user = org.organization_users.get(user=user)
team, _ = Team.objects.get_or_create(organization=org, slug="backend")
team.members.add(org_user)
projects = {}
for name in ["api", "web", "worker"]:
    p = Project.objects.filter(organization=org, slug=name).first()
    if p is None:
        p = Project.objects.create(organization=org, name=name, platform="python")
    team.projects.add(p)
    key = ProjectKey.objects.filter(project=p).order_by("id").first() or ProjectKey.objects.create(project=p)
    projects[name] = {"id": p.id, "slug": p.slug, "dsn": key.get_dsn()}

label = f"lookout-read-{slug}"
t = APIToken.objects.filter(user=user, label=label).first()
if t is None:
    t = APIToken.objects.create(user=user, label=label)
    t.add_permissions(["project:read", "team:read", "event:read", "org:read", "member:read"])
admin_label = f"lookout-admin-{slug}"
a = APIToken.objects.filter(user=user, label=admin_label).first()
if a is None:
    a = APIToken.objects.create(user=user, label=admin_label)
    a.add_permissions(["project:read", "project:releases", "team:read", "event:read", "org:read", "member:read"])
json.dump(
    {"org": slug, "token": t.token, "releases_token": a.token, "projects": projects},
    open(os.environ["LOOKOUT_GT_RUN_JSON"], "w"),
    indent=2,
)
print(f"provisioned org={slug}")
