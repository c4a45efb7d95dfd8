"""Settings for Connected Communities, read from the environment (see .env.example).

With DEBUG off there are no insecure defaults: SECRET_KEY and ALLOWED_HOSTS must be set.
"""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from core.dates import parse_closure_days

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is optional; real environment variables win over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
else:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Branding: nothing about one council is hard-coded.
COUNCIL_NAME = env.str("COUNCIL_NAME", default="Basildon Borough Council")
SITE_NAME = env.str("SITE_NAME", default="Connected Communities")
# "alpha", "beta" or empty for no phase banner.
PHASE_BANNER = env.str("PHASE_BANNER", default="")
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="communities@example.gov.uk")

INSTALLED_APPS = [
    "core.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.forms",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
    "django_filters",
    "simple_history",
    # Our apps, lowest first: each may import only from those before it (lint-imports).
    "core",
    "partners",
    "directory",
    # Figures and boundaries per ward (a directory area), uploaded from public data.
    "wards",
    "hubs",
    "volunteering",
    # Above every app: staff accounts span hubs and partners; the dashboard reads them all.
    "accounts",
    "dashboard",
    # Demo and benchmark data; no product app imports it.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Permissions-Policy, Cross-Origin-Resource-Policy, no-store for staff (static files skip it).
    "core.security.SecurityHeadersMiddleware",
    # 400 before any view for NUL characters and numbers no database column holds in the
    # path or query (hand-made admin filters were 500s on PostgreSQL); before the sessions.
    "core.querycheck.QueryCheckMiddleware",
    # Visitors without a session read from DATABASE_REPLICA_URL when it is set.
    "core.replica.ReplicaMiddleware",
    # Public pages read the cache's version key (core.cache) once a request.
    "core.cache.VersionPerRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body (CSRF does): 413 past the caller's limit, unread.
    "core.security.RequestBodyLimitMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.AbsoluteSessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Records who made each audited change (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
SITE_ID = 1  # django.contrib.sites, for the officer-editable statements (flat pages)
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
            "builtins": ["core.templatetags.govuk"],
        },
    },
]
# Every form renders GOV.UK Design System markup through one renderer.
FORM_RENDERER = "core.forms.GovUKFormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Sent on each connection (bench/search.py, bench/run --national). random_page_cost 1.1:
    # PostgreSQL's 4 assumes spinning disks, and kept the planner from counting full-text
    # matches through the GIN index. work_mem 16MB: the RUM index sorts every match of a
    # common word by rank, and at 4MB 138,000 matches spilled to disk (160 ms, not 130).
    # jit off: the near-postcode statement's plan is costed high enough to be compiled, which
    # took 49 ms of a 109 ms statement. Empty: none sent (behind PgBouncer, ALTER DATABASE).
    _sent = env.str(
        "POSTGRES_SETTINGS", default="random_page_cost=1.1 work_mem=16MB jit=off"
    ).split()
    if not all(re.fullmatch(r"[a-z_]+=[A-Za-z0-9.]+", item) for item in _sent):
        raise ImproperlyConfigured("POSTGRES_SETTINGS: name=value pairs, such as work_mem=16MB")
    if _sent:
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _flags = [f"-c {item}" for item in _sent]
        _options["options"] = " ".join([_options.get("options", ""), *_flags]).strip()
# A PostgreSQL read replica (streaming replication) for public reads: visitors without a
# session searching and the ORUK API (core.replica). Empty: everything on DATABASE_URL.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **(_replica := env.db("DATABASE_REPLICA_URL")),
        "OPTIONS": {**DATABASES["default"].get("OPTIONS", {}), **_replica.get("OPTIONS", {})},
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents are private: kept outside the static path, served only by staff views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email: console in development; set EMAIL_URL (e.g. smtp+tls://user:pass@host:587) in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@example.gov.uk")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Staff sign-in: password, then a TOTP code (django-two-factor-auth on django-otp).
LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "dashboard"  # the staff dashboard (the dashboard app)
LOGOUT_REDIRECT_URL = "two_factor:login"
# Officers and coordinators must use a second factor; set true to require it of every account.
TWO_FACTOR_REQUIRED_FOR_ALL = env.bool("TWO_FACTOR_REQUIRED_FOR_ALL", default=False)
OTP_TOTP_ISSUER = SITE_NAME
TWO_FACTOR_LOGIN_TIMEOUT = 600
# A device's secret (key, QR code, backup codes) is shown only while enrolling, never again in
# the admin: an officer sees that a device exists and can delete it (accounts/admin.py).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Lockout (django-axes): 5 failures for one username from one IP lock that pair for 15 minutes.
# Not the username alone: anyone could then lock any colleague out from a few addresses. An
# attempt while locked is refused but not counted, so it cannot keep the lock going.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# One idea of the client IP for lockout and rate limits (honours NUM_PROXIES).
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_ip"
AXES_VERBOSE = False

# Security headers apply in every mode; cookie and transport settings in production.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Idle timeout (sliding: renewed on each request) and an absolute lifetime from sign-in.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT", default=60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_AGE = env.int("SESSION_ABSOLUTE_AGE", default=60 * 60 * 12)
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER=true.
    if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Browser features no page uses are switched off for every page and anything it embeds;
# geolocation only for this site's own pages (the search's "Use my location").
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(self), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

# Request bodies are refused (413) before they are read when Content-Length is over the limit:
# visitors who are not signed in send small forms and never files; signed-in staff upload
# documents and CSV imports. Have the proxy refuse the same sizes (README, Production).
PUBLIC_REQUEST_MAX_BYTES = env.int("PUBLIC_REQUEST_MAX_BYTES", default=256 * 1024)

# The map of search results: map tiles (OpenStreetMap's by default; its tile usage policy asks
# busy sites to use their own or a commercial tile server) and the credit shown on the map.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = env.str(
    "MAP_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
    "contributors",
)
_tiles = urlsplit(MAP_TILE_URL)
if _tiles.scheme not in ("https", "http") or not _tiles.hostname or "{" in _tiles.netloc:
    raise ImproperlyConfigured("MAP_TILE_URL must be an http(s) URL with a fixed host name")
MAP_TILE_ORIGIN = f"{_tiles.scheme}://{_tiles.netloc}"

# Content-Security-Policy: no inline script or style anywhere; a nonce where one is unavoidable
# ({{ request.csp_nonce }}). Public templates load only our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", MAP_TILE_ORIGIN],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Public forms and the API: requests per client IP per window, counted in the shared cache
# (set CACHE_URL to Redis in production so every worker counts together).
RATE_LIMITS = {
    "public_form": env.str("RATE_LIMIT_PUBLIC_FORM", default="10/h"),
    "api": env.str("RATE_LIMIT_API", default="600/m"),
    # Password reset links asked for, per client IP and per email address (over the address's
    # limit the answer looks like success, but nothing is sent).
    "password_reset_ip": env.str("RATE_LIMIT_PASSWORD_RESET_IP", default="5/h"),
    "password_reset_email": env.str("RATE_LIMIT_PASSWORD_RESET_EMAIL", default="3/h"),
}
# Client IP comes from REMOTE_ADDR unless a trusted proxy sets X-Forwarded-For; then set this
# to the number of proxies in front of the app.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# Public pages (search, organisation, home) for visitors without cookies are cached this many
# seconds (0: off), keyed with one version key that publishing a change renews (core.cache).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=60)
# A search's summary cards (without a postcode) are kept this long under the same version key,
# for visitors the page cache skips (0: off; directory.cards).
DIRECTORY_CARD_CACHE_SECONDS = env.int("DIRECTORY_CARD_CACHE_SECONDS", default=300)

# Partners: KPI returns, documents and the 360Giving export.
# A quarter's return is overdue this many days after the quarter ends.
PARTNERS_RETURN_GRACE_DAYS = env.int("PARTNERS_RETURN_GRACE_DAYS", default=30)
# Partner contacts see a reminder this many days before a KPI return's deadline.
PARTNERS_RETURN_REMINDER_DAYS = env.int("PARTNERS_RETURN_REMINDER_DAYS", default=14)
# RAG: "Approaching target" from this % of target, "Requires improvement" from the second.
PARTNERS_RAG_THRESHOLDS = tuple(env.list("PARTNERS_RAG_THRESHOLDS", cast=int, default=[90, 75]))
# Agreements ending or due for review within this many days are flagged.
PARTNERS_DUE_SOON_DAYS = env.int("PARTNERS_DUE_SOON_DAYS", default=90)
# Wards: the largest figures (CSV) or boundaries (GeoJSON) file officers may upload.
WARDS_UPLOAD_MAX_BYTES = env.int("WARDS_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# The ward matrix flags a ward with high need and low provision: an IMD decile at or below
# the first (1 is the most deprived 10% of England), and fewer published services per 1,000
# residents than the second.
WARDS_FLAG_IMD_DECILE_AT_MOST = env.int("WARDS_FLAG_IMD_DECILE_AT_MOST", default=3)
WARDS_FLAG_SERVICES_PER_1000_BELOW = env.float("WARDS_FLAG_SERVICES_PER_1000_BELOW", default=1.0)
PARTNERS_DOCUMENT_MAX_BYTES = env.int("PARTNERS_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
# A document's form carries its other fields and the multipart framing too.
STAFF_REQUEST_MAX_BYTES = env.int(
    "STAFF_REQUEST_MAX_BYTES", default=PARTNERS_DOCUMENT_MAX_BYTES + 1024 * 1024
)
# 360Giving: grant identifiers are this prefix plus the grant reference; the council is the
# funding organisation, identified by its org-id (GB-LAE-<code> for an English council).
PARTNERS_360G_PREFIX = env.str("PARTNERS_360G_PREFIX", default="360G-basildon-")
PARTNERS_FUNDER_ORG_ID = env.str("PARTNERS_FUNDER_ORG_ID", default="GB-LAE-BAI")
PARTNERS_FUNDER_NAME = env.str("PARTNERS_FUNDER_NAME", default=COUNCIL_NAME)

# Volunteering. Target working days for each stage that waits on the organisation: an interest
# waiting longer is flagged amber, and red past twice the target.
VOLUNTEERING_STAGE_TARGETS = {
    "new": env.int("VOLUNTEERING_TARGET_CONTACT_DAYS", default=5),
    "contacted": env.int("VOLUNTEERING_TARGET_DECISION_DAYS", default=10),
}
# Bank holidays are not working days for those targets: ENG (England), WLS (Wales), SCT
# (Scotland) or NIR (Northern Ireland), from the holidays package; empty for none.
BANK_HOLIDAYS = env.str("BANK_HOLIDAYS", default="ENG").upper()
if BANK_HOLIDAYS not in {"", "ENG", "WLS", "SCT", "NIR"}:
    raise ImproperlyConfigured("BANK_HOLIDAYS must be ENG, WLS, SCT, NIR or empty")
# Days the council is closed besides (for example between Christmas and New Year), not working
# days either: dates and ranges, comma-separated, 2026-12-29..2026-12-31,2027-04-06.
try:
    CLOSURE_DAYS = parse_closure_days(env.str("CLOSURE_DAYS", default=""))
except ValueError as error:
    raise ImproperlyConfigured(f"CLOSURE_DAYS: {error}") from None
# Personal data in interests is deleted (or anonymised, if hours depend on it) this many
# months after the person's last activity: `manage.py purge_expired_personal_data`.
VOLUNTEERING_RETENTION_MONTHS = env.int("VOLUNTEERING_RETENTION_MONTHS", default=12)
# The name and email of whoever suggested a listing or reported a change are cleared this many
# months after an officer decided it (same command); the suggestion itself is kept.
SUGGESTION_RETENTION_MONTHS = env.int("SUGGESTION_RETENTION_MONTHS", default=12)
# Organisations' contact people: the contacts of an organisation that has been inactive (and
# unchanged) this long are deleted, and copies of contact records in the change history
# (past versions, contacts since removed) go once they are this old (same command).
CONTACT_RETENTION_MONTHS = env.int("CONTACT_RETENTION_MONTHS", default=24)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
