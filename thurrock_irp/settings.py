"""Settings, read from the environment with development defaults (see README)."""

import hashlib
from pathlib import Path

from thurrock_irp import environment as env

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env.env_flag("DJANGO_DEBUG", default=True)
SECRET_KEY = env.secret_key(debug=DEBUG)
ALLOWED_HOSTS = env.env_list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "accounts.admin_site.StaffOnlyAdminConfig",  # django.contrib.admin; 403 for signed-in non-staff
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "core",
    "accounts",
    "plans",
    "outcomes",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs sign-in unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so a locked-out sign-in is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thurrock_irp.urls"

# Apps whose rows, when saved or deleted, invalidate every cached summary page (core.generation).
DATA_GENERATION_APPS = ["plans", "outcomes"]
# The model whose rows are periods: a change to a row of one period moves only that period's
# counter, so stored exports of other periods stay valid.
DATA_GENERATION_PERIOD_MODEL = "outcomes.ReportingPeriod"

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
                "reporting.context_processors.service",
            ],
        },
    },
]

WSGI_APPLICATION = "thurrock_irp.wsgi.application"

DATABASES = {"default": env.database(base_dir=BASE_DIR)}

# Rendered pages (the dashboard, the report page; core.generation) are kept in a cache that
# every gunicorn worker on this host shares: a folder of files. With the per-process memory
# cache each of the four workers built the dashboard again after every save, on a deadline day
# four times over; reading a kept 330 KB page back from a file takes 1-2 ms, building it tens.
# DJANGO_PAGE_CACHE_DIR names the folder; set to nothing, each process keeps its own pages in
# memory, which is the development default (and the tests', which empty it between tests).
# The key prefix names the database, so two databases sharing a folder never exchange pages.
_PAGE_CACHE_DIR = env.os.environ.get(
    "DJANGO_PAGE_CACHE_DIR", "" if DEBUG else str(BASE_DIR / "var" / "cache")
).strip()
_DATABASE_NAME = "|".join(
    str(DATABASES["default"].get(part, "")) for part in ("ENGINE", "NAME", "HOST", "PORT")
)
CACHES = {
    "default": {
        # Django's file cache, written without listing the folder each time (see core/page_cache.py).
        "BACKEND": "core.page_cache.PageFileCache",
        "LOCATION": _PAGE_CACHE_DIR,
        # Pages move on with every save; a folder past this is shed back to two thirds full, at random.
        "OPTIONS": {"MAX_ENTRIES": 2000},
        "KEY_PREFIX": hashlib.sha256(_DATABASE_NAME.encode()).hexdigest()[:12],
    }
    if _PAGE_CACHE_DIR
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# History keeps the whole reason a person gives for a change (up to 2,000 characters): with
# simple-history's default 100-character column PostgreSQL refused longer reasons with a 500.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses sign-in attempts from a locked-out username/address.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The first stores every new password (accounts/passwords.py says why); the others only check
# passwords stored before, each stored again the first way at its owner's next sign-in.
PASSWORD_HASHERS = [
    "accounts.passwords.OwaspArgon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-in throttling: five failures for one username from one address lock it for
# fifteen minutes.
AXES_ENABLED = env.env_flag("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.env_int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# How many reverse proxies stand in front of the app and append the address that connected to
# them to X-Forwarded-For (the council's proxy: 1). With 0 the header is ignored, since anyone
# can write it; throttling then keys on the connecting address.
TRUSTED_PROXY_COUNT = env.env_int("DJANGO_TRUSTED_PROXY_COUNT", default=0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_address"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
# In development (and tests) WhiteNoise serves straight from static/; production serves the
# hashed, compressed copies that `collectstatic` writes to STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded evidence goes through Django's storage API: a folder under var/ by default, or an
# S3-compatible bucket through django-storages when DJANGO_STORAGE_BUCKET is set (README).
MEDIA_ROOT = env.os.environ.get("DJANGO_MEDIA_ROOT", str(BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"  # never served directly: evidence is downloaded through a permission-checked view
STORAGE_BUCKET = env.os.environ.get("DJANGO_STORAGE_BUCKET", "")
if STORAGE_BUCKET:
    import importlib.util

    if importlib.util.find_spec("storages") is None:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "DJANGO_STORAGE_BUCKET is set but django-storages is not installed: pip install '.[s3]'."
        )
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_BUCKET,
            "endpoint_url": env.os.environ.get("DJANGO_STORAGE_ENDPOINT_URL") or None,
            "region_name": env.os.environ.get("DJANGO_STORAGE_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Background tasks (django-tasks, backporting Django 6's django.tasks; docs/architecture.md):
# exports are rendered by `manage.py db_worker`, which takes tasks from a table in the same
# database, so no extra server is needed. Tests run tasks in-process (tests/conftest.py).
# Two queues, each with a worker of its own (README, Deploying): PDFs, and every other file, so a
# spreadsheet never waits behind a long PDF (reporting.exports.export_queue).
TASK_QUEUE_FILES = "default"
TASK_QUEUE_PDF = "pdf"
TASK_QUEUES = [TASK_QUEUE_FILES, TASK_QUEUE_PDF]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
# How often an idle worker looks for a queued file (`db_worker --interval`; its default is 1 s):
# `make run`, the README's units and the deadline-day bench all pass it (tests/test_export_queues.py).
# A spreadsheet renders in a fraction of a second, so the wait for a worker to notice it was most
# of the time to the file. A look is one short query (on SQLite, a write lock for well under a
# millisecond), five times a second per worker.
TASK_WORKER_POLL_SECONDS = 0.2
# A render whose worker has sent no heartbeat for this long is taken as dead and queued again.
EXPORT_STALE_SECONDS = env.env_int("EXPORT_STALE_SECONDS", default=60, minimum=5)
EXPORT_HEARTBEAT_SECONDS = env.env_int("EXPORT_HEARTBEAT_SECONDS", default=10, minimum=1)
# A render that fails this many times is shown as failed instead of being tried again.
EXPORT_MAX_ATTEMPTS = env.env_int("EXPORT_MAX_ATTEMPTS", default=3, minimum=1)
# A report page the worker took longer than this to render is not rendered in a draft's request
# after a save: the reader sees the newest stored copy, with a notice, until the worker has the
# current one (reporting/report_page.py). A page rendered faster is always shown current.
REPORT_PAGE_RENDER_IN_REQUEST_MS = env.env_int("REPORT_PAGE_RENDER_IN_REQUEST_MS", default=500, minimum=0)

# Email: printed to the terminal unless an SMTP host is configured.
EMAIL_HOST = env.os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env.env_int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.env_flag("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env.os.environ.get("DEFAULT_FROM_EMAIL", "improvement-plan@localhost")
SITE_URL = env.os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

SERVICE_NAME = env.os.environ.get("SERVICE_NAME", "Improvement and Recovery Plan")
# Days before a period's deadline at which owners with unfinished updates get a reminder.
REMINDER_DAYS_BEFORE_DEADLINE = env.env_int("REMINDER_DAYS_BEFORE_DEADLINE", default=7)
# A milestone not updated for this many days is stale; the exception report compares with the
# position this many days before its date unless told the previous report's date.
DELIVERY_STALE_DAYS = env.env_int("DELIVERY_STALE_DAYS", default=35)
DELIVERY_REPORT_INTERVAL_DAYS = env.env_int("DELIVERY_REPORT_INTERVAL_DAYS", default=28)

# Content Security Policy: only the app's own scripts, styles, fonts and images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# A refused form (missing or stale CSRF token) explains itself in the service's own layout.
CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"

if not DEBUG:
    SECURE_SSL_REDIRECT = env.env_flag("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.env_int("DJANGO_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # One line per file a task worker makes ready: how long it waited for a worker, how long it took.
    "loggers": {"reporting.exports": {"level": "INFO"}},
}
