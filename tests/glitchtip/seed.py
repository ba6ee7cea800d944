"""Fill a live GlitchTip with a small multi-cloud fleet through the real Python sentry-sdk.

    seed.py RUN_JSON        (RUN_JSON: what provision_run.py wrote: org, token, projects with DSNs)

12 servers (aws-apne2-*, gcp-asia-ne3-*; api, web and worker roles, two of each per cloud), 18 kinds of
error spread unevenly over the servers, 2 releases per project, 2 environments, 9 users, and transactions
that share their trace id with some of the errors. Every event carries `cloud`, `region` and `service` tags.

What is sent is decided by a fixed seed, but the tests never trust this script's numbers: they ask
GlitchTip's own API. This script only waits, on GlitchTip's API, until the worker has stored everything it
sent (ingest is asynchronous), and prints one JSON line: what it sent and how long ingest took.
"""
import json
import random
import sys
import time
import urllib.request

import sentry_sdk

run = json.load(open(sys.argv[1]))
API = run.get("api", "http://127.0.0.1:8000/api/0/")
rng = random.Random(20261202)

CLOUDS = [("aws", "ap-northeast-2", "aws-apne2"), ("gcp", "asia-northeast3", "gcp-asia-ne3")]
ROLES = ["api", "web", "worker"]
SERVERS = [
    (f"{prefix}-{role}-{n}", cloud, region, role)
    for cloud, region, prefix in CLOUDS
    for role in ROLES
    for n in (1, 2)
]
# A busier server gets more of its role's errors: the per-server ranking is not flat.
WEIGHT = {s[0]: w for s, w in zip(SERVERS, [9, 4, 6, 2, 5, 3, 7, 1, 3, 5, 2, 4])}

KINDS = {
    "api": [
        ("PaymentGatewayTimeout", "upstream payments did not answer within 3000 ms"),
        ("OrderNotFound", "order lookup returned no row"),
        ("InvalidCursor", "cursor could not be decoded"),
        ("RateLimitExceeded", "tenant exceeded 100 requests per second"),
        ("DatabaseConnectionReset", "server closed the connection unexpectedly"),
        ("SerializerKeyError", "'customer_id'"),
        ("TokenExpired", "access token expired"),
    ],
    "web": [
        ("TemplateRenderError", "variable 'cart' is undefined"),
        ("SessionDecodeError", "session data corrupted"),
        ("CsrfVerificationFailed", "CSRF token missing or incorrect"),
        ("AssetManifestMissing", "manifest.json not found for build 8812"),
        ("UpstreamApiError", "GET /v2/orders answered 502"),
    ],
    "worker": [
        ("QueueVisibilityTimeout", "message re-delivered after 30 s"),
        ("S3AccessDenied", "AccessDenied on PutObject reports/"),
        ("GcsUploadInterrupted", "resumable upload was interrupted"),
        ("CronOverlap", "previous run of nightly-export still holds the lock"),
        ("ImageDecodeError", "cannot identify image file"),
        ("RetryBudgetExhausted", "gave up after 8 retries"),
    ],
}
# How often each kind happens relative to the others (Zipf-like, so the top issues stand out).
KIND_WEIGHT = {k[0]: 1.0 / (i + 1) for kinds in KINDS.values() for i, k in enumerate(kinds)}
USERS = [
    {"id": f"u-{1000 + i}", "username": name, "email": f"{name}@example.com"}
    for i, name in enumerate(
        ["minji.kim", "sora.lee", "jun.park", "hana.choi", "alex.moon", "dana.cho", "leo.han", "mia.yoon", "sam.kang"]
    )
]
RELEASES = ["1.4.1", "1.4.2"]
ENVIRONMENTS = ["production", "staging"]
ERRORS = 480
TRANSACTIONS = 150

EXC = {}


def exception_class(name):
    if name not in EXC:
        EXC[name] = type(name, (Exception,), {})
    return EXC[name]


def handler(role, kind, message):
    # A real call chain, so every event has a stack trace of a few frames.
    def validate():
        raise exception_class(kind)(message)

    def service():
        validate()

    service()


plan = []  # (server, environment, release, kind, user, with_transaction)
for _ in range(ERRORS):
    server = rng.choices(SERVERS, weights=[WEIGHT[s[0]] for s in SERVERS])[0]
    kinds = KINDS[server[3]]
    kind = rng.choices(kinds, weights=[KIND_WEIGHT[k[0]] for k in kinds])[0]
    env = "production" if rng.random() < 0.75 else "staging"
    release = RELEASES[0] if rng.random() < 0.35 else RELEASES[1]
    user = rng.choice(USERS) if rng.random() < 0.8 else None
    plan.append((server, env, release, kind, user, False))
for _ in range(TRANSACTIONS):
    server = rng.choice(SERVERS)
    env = "production" if rng.random() < 0.75 else "staging"
    plan.append((server, env, RELEASES[1], None, rng.choice(USERS), True))
# Send grouped by client configuration (one init per server, environment and release).
plan.sort(key=lambda p: (p[0][0], p[1], p[2]))

sent_errors = 0
sent_transactions = 0
errors_in_transactions = 0
t0 = time.time()
current = None
for server, env, release, kind, user, is_tx in plan:
    name, cloud, region, role = server
    config = (name, env, release)
    if config != current:
        if current is not None:
            sentry_sdk.flush(timeout=30)
        sentry_sdk.init(
            dsn=run["projects"][role]["dsn"],
            server_name=name,
            release=f"{role}@{release}",
            environment=env,
            traces_sample_rate=1.0,
            default_integrations=False,
            auto_enabling_integrations=False,
            send_default_pii=True,
        )
        current = config
    sentry_sdk.set_tag("cloud", cloud)
    sentry_sdk.set_tag("region", region)
    sentry_sdk.set_tag("service", role)
    sentry_sdk.set_user(user)
    if is_tx:
        route = rng.choice(["/v2/orders", "/v2/cart", "/healthz", "/v2/reports", "/v2/login"])
        with sentry_sdk.start_transaction(op="http.server", name=f"GET {route}") as tx:
            with sentry_sdk.start_span(op="db", description="SELECT orders"):
                time.sleep(rng.uniform(0.001, 0.004))
            # One transaction in five fails, and its error shares the trace id.
            if rng.random() < 0.2:
                k, msg = rng.choice(KINDS[role])
                try:
                    handler(role, k, msg)
                except Exception:
                    sentry_sdk.capture_exception(fingerprint=[k])
                    errors_in_transactions += 1
        sent_transactions += 1
    else:
        k, msg = kind
        sentry_sdk.add_breadcrumb(category="http", message=f"GET /v2/{role}", level="info")
        try:
            handler(role, k, msg)
        except Exception:
            # One issue per kind: GlitchTip's default grouping also hashes the culprit.
            sentry_sdk.capture_exception(fingerprint=[k])
        sent_errors += 1
sentry_sdk.flush(timeout=30)
sent_errors += errors_in_transactions
sent_at = time.time()


def get(path):
    req = urllib.request.Request(API + path, headers={"Authorization": f"Bearer {run['token']}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


def stored_errors():
    # The fleet has fewer than 100 issues: one page holds them all.
    issues = get(f"organizations/{run['org']}/issues/?query=&limit=100")
    return sum(int(i["count"]) for i in issues)


def stored_transactions():
    groups = get(f"organizations/{run['org']}/transaction-groups/?limit=100&start=now-1d&end=now")
    return sum(g["transactionCount"] for g in groups)


deadline = time.time() + 300
while True:
    e, t = stored_errors(), stored_transactions()
    if e >= sent_errors and t >= sent_transactions:
        break
    if time.time() > deadline:
        print(json.dumps({"error": "ingest did not finish", "stored_errors": e, "sent_errors": sent_errors,
                          "stored_transactions": t, "sent_transactions": sent_transactions}))
        sys.exit(1)
    time.sleep(0.5)
print(json.dumps({
    "sent_errors": sent_errors,
    "sent_transactions": sent_transactions,
    "servers": len(SERVERS),
    "send_s": round(sent_at - t0, 1),
    "ingest_wait_s": round(time.time() - sent_at, 1),
}))
