"""SIBARU settings: one module, every value read from the environment (see README, "Configuration").

SIBARU_MODE selects defaults: ``demo`` (the default: ``make run``, SQLite, demo accounts), ``test``
(the test suite) and ``production`` (refuses to start with a default secret key or DEBUG on).
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from sibaru.env import env_bool, env_choice, env_int, env_int_value, env_list, env_str

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(env_str("SIBARU_VAR_DIR", str(BASE_DIR / "var")))

MODE = env_choice("SIBARU_MODE", ("demo", "test", "production"), "demo")
DEMO = MODE == "demo"
PRODUCTION = MODE == "production"

# Not a secret: the placeholder that production mode refuses.
_DEFAULT_SECRET = "sibaru-insecure-default-key-change-me"  # noqa: S105  # nosec B105
SECRET_KEY = env_str("SECRET_KEY", _DEFAULT_SECRET)
DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and (SECRET_KEY == _DEFAULT_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of 50+ characters in production.")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "django_tasks_db",
    "ninja",
    "sibaru.regions",
    "sibaru.accounts",
    "sibaru.core",
    "sibaru.portal",
    "sibaru.workspace",
    "sibaru.assistance",
    "sibaru.trial",
    "sibaru.information",
    "sibaru.complaints",
    "sibaru.demo",
    "sibaru.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    # Turns django-ratelimit's refusals into RATELIMIT_VIEW's 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "sibaru.urls"
# Form fields render through templates/django/forms/ (labels, hints, inline errors of the design system).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "sibaru.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "sibaru.portal.context_processors.site",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://… or sqlite:///path); the default is an SQLite file in WAL mode.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sibaru.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN so
        # concurrent transactions wait (busy timeout) instead of failing half-way. synchronous=FULL:
        # a committed submission survives a power cut, not only a crash of the process.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The page chrome cached by templates/base.html ({% cache … using="fragments" %}): in each process's own
# memory, so a page never fails because a shared cache is down, and a new deploy shows at once.
CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sibaru-fragments"}

# Background work: Django's tasks API, stored in the database and run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Periodic jobs (core/periodic.py): bin/serve runs them by itself unless off; production may use cron.
PERIODIC_JOBS = env_bool("PERIODIC_JOBS", not PRODUCTION)
# Minutes between two runs of a job, e.g. "complaints_sweep=30,verify_events=10080".
PERIODIC_JOBS_MINUTES = {
    name.strip(): env_int_value("PERIODIC_JOBS_MINUTES", minutes)
    for name, _sep, minutes in (item.partition("=") for item in env_list("PERIODIC_JOBS_MINUTES"))
}
# --- end of periodic jobs

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if MODE == "test":
    # Real PBKDF2 costs about a second per hash; the suite creates hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:inbox"
LOGOUT_REDIRECT_URL = "portal:home"
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 3)
# Wrong passwords: after AXES_FAILURE_LIMIT failures for one account from one address, that pair is
# locked for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0) or None

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# The suite serves static files from the apps (finders) and never collects them.
STATIC_ROOT = None if MODE == "test" else VAR_DIR / "static"
STATICFILES_DIRS = [SRC_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if MODE == "test"
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = MODE == "test"

# Uploads: the limit of one attachment, in bytes (5 MB by default, as SIBARU's proposal documents).
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
EXPORT_MAX_ROWS = env_int("EXPORT_MAX_ROWS", 100_000)  # rows of one XLSX export of a list (core/exports.py)
EXPORT_DIRECT_MAX_ROWS = env_int("EXPORT_DIRECT_MAX_ROWS", 500)  # a longer list is exported in the background
EXPORT_JOB_EXPIRY_HOURS = env_int("EXPORT_JOB_EXPIRY_HOURS", 24)  # background exports are deleted after this
DATA_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# E-mail (Django's MAILERS): SMTP when EMAIL_HOST is set, and always in production (a local MTA on
# localhost:25 by default); otherwise printed to the console. The test runner uses an in-memory mailer.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SIBARU <no-reply@sibaru.example.go.id>")
if env_str("EMAIL_HOST") or PRODUCTION:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": env_int("EMAIL_TIMEOUT", 20),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 5)

# Public forms and lookups: requests per minute per client address.
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_TRACKING = env_str("RATELIMIT_TRACKING", "30/m")
RATELIMIT_SUBMIT = env_str("RATELIMIT_SUBMIT", "10/m")
RATELIMIT_LOGIN = env_str("RATELIMIT_LOGIN", "20/m")
RATELIMIT_PASSWORD_RESET = env_str("RATELIMIT_PASSWORD_RESET", "5/m")
RATELIMIT_VIEW = "sibaru.portal.views.rate_limited"

# Bantuan: a proposal lapses this many years after receipt if undecided (Permen PUPR 7/2022 Pasal 74(5)).
PROPOSAL_VALIDITY_YEARS = env_int("PROPOSAL_VALIDITY_YEARS", 2)
# Working days per proposal stage [M: no regulation sets them], e.g. "distributed=10,field_verification=20";
# unset stages keep the defaults of sibaru/assistance/workflow.py.
ASSISTANCE_DEADLINE_DAYS = {
    name.strip(): env_int_value("ASSISTANCE_DEADLINE_DAYS", days)
    for name, _sep, days in (item.partition("=") for item in env_list("ASSISTANCE_DEADLINE_DAYS"))
}
ASSISTANCE_PROGRESS_STAGES = env_list("ASSISTANCE_PROGRESS_STAGES", ["0", "50", "100"])  # % per house photo [M]

# BSPS beneficiaries: import limits and the criteria that are numbers (Permen PUPR 7/2022; 7.2 m² is [M]).
BENEFICIARY_IMPORT_MAX_ROWS = env_int("BENEFICIARY_IMPORT_MAX_ROWS", 20_000)
BENEFICIARY_IMPORT_MAX_BYTES = env_int("BENEFICIARY_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
BSPS_MIN_FLOOR_AREA_PER_PERSON = float(env_str("BSPS_MIN_FLOOR_AREA_PER_PERSON", "7.2"))
BSPS_ASSISTANCE_INTERVAL_YEARS = env_int("BSPS_ASSISTANCE_INTERVAL_YEARS", 10)

# --- Pengaduan (complaints) ---------------------------------------------------------------------------
# Deadline of each stage, SP4N-LAPOR! defaults in working days (domain.md §2.3): verify 3, plan 5,
# information 5, ordinary 14, supervision 60, reply 10. Override as "<stage>=<days>" or, for the UU 25/2009
# deadlines that count calendar days, "<stage>=<days>:calendar", e.g. "ordinary=14:calendar,verify=2".
COMPLAINT_DEADLINES = {
    name.strip(): value.strip()
    for name, _sep, value in (item.partition("=") for item in env_list("COMPLAINT_DEADLINES"))
}
# Years a reporter's personal data is kept after the complaint closes (stated on the form).
COMPLAINT_RETENTION_YEARS = env_int("COMPLAINT_RETENTION_YEARS", 2)
COMPLAINT_MAX_ATTACHMENTS = env_int("COMPLAINT_MAX_ATTACHMENTS", 5)
# Similar reports suggested before submitting: same category and kab/kota, opened in the last N days.
COMPLAINT_SIMILAR_DAYS = env_int("COMPLAINT_SIMILAR_DAYS", 90)
# Optional map on the form's location step: an XYZ tile URL, e.g. "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
# (mind the tile server's usage policy), and its attribution as plain text. "" keeps the map off; the latitude and
# longitude fields work without it.
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")
# --- end of Pengaduan ----------------------------------------------------------------------------------

# --- INFORMATION_* (Informasi Publik, PPID) ---
# Copy fees at cost, in rupiah per page or per medium (UU 14/2008: only copying may be charged), e.g.
# "page=500,cd=10000,flashdisk=0". The medium names are the choices on the PPID's answer form.
INFORMATION_COPY_FEES = {
    name.strip(): env_int_value("INFORMATION_COPY_FEES", fee)
    for name, _sep, fee in (item.partition("=") for item in env_list("INFORMATION_COPY_FEES", ["page=500", "cd=10000"]))
}
# Working days past the (extended) deadline after which an unanswered request is "very overdue".
INFORMATION_VERY_OVERDUE_DAYS = env_int("INFORMATION_VERY_OVERDUE_DAYS", 7)
# Days before 31 March (Perki 1/2021 Pasal 56) from which the PPID is reminded of the annual report.
INFORMATION_REPORT_REMINDER_DAYS = env_int("INFORMATION_REPORT_REMINDER_DAYS", 30)
# --- end INFORMATION_* ---

# The trial service exercises the case engine end to end until the real services replace it.
TRIAL_SERVICE = env_bool("TRIAL_SERVICE", not PRODUCTION)

API_TOKEN_HOURS = env_int("API_TOKEN_HOURS", 12)

# Security headers. HTTPS settings are on in production; behind a TLS-terminating proxy set
# SECURE_PROXY_SSL_HEADER by PROXY_SSL_HEADER=1.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if env_bool("PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

from django.utils.csp import CSP  # noqa: E402  (Django's own Content-Security-Policy support)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# The map's tiles are the one outside source of images, allowed only when configured ("{s}" subdomains → "*").
if _tiles := urlsplit(MAP_TILE_URL.replace("{s}", "*")).netloc:
    SECURE_CSP["img-src"].append(f"{urlsplit(MAP_TILE_URL).scheme}://{_tiles}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING" if MODE == "test" else "INFO")},
}

# Organisation shown in the portal's header and footer.
MINISTRY_NAME = env_str("MINISTRY_NAME", "Kementerian Perumahan dan Kawasan Permukiman")
MINISTRY_UNIT = env_str("MINISTRY_UNIT", "Direktorat Jenderal Perumahan")
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "layanan@sibaru.example.go.id")
CONTACT_PHONE = env_str("CONTACT_PHONE", "(021) 000-0000")
# SOCIAL_LINKS: the ministry's social media accounts in the footer, "name|url" pairs, e.g. "Instagram|https://…".
SOCIAL_LINKS = [tuple(item.split("|", 1)) for item in env_list("SOCIAL_LINKS") if "|" in item]
