"""All settings, read from the environment in this one module.

LIANQING_MODE is `production` (default), `demo` or `test`. Production refuses to start
without SECRET_KEY; demo and test keep a generated key in the instance folder.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


PACKAGE_DIR = Path(__file__).resolve().parent

MODE = env("LIANQING_MODE", "production")
if MODE not in {"production", "demo", "test"}:
    raise ImproperlyConfigured(f"LIANQING_MODE 只能是 production、demo 或 test，而不是 {MODE!r}")
IS_PRODUCTION = MODE == "production"

# The instance folder holds everything this installation owns: database, keys, uploads, data.
HOME = Path(env("LIANQING_HOME") or Path.cwd() / "instance").resolve()
# Everything this process creates is the installation's own: folders 0700, files 0600.
os.umask(0o077)
HOME.mkdir(parents=True, exist_ok=True)


def _owner_only(home: Path) -> None:
    """Close what an earlier version (or a wider umask) left open: the instance folder, its
    direct folders and the SQLite files. Files deeper down sit behind a 0700 folder."""
    targets = [
        home,
        *(path for path in home.iterdir() if path.is_dir() or path.name.startswith("lianqing.sqlite3")),
    ]
    for path in targets:
        try:
            path.chmod(0o700 if path.is_dir() else 0o600)
        except OSError:  # not ours to change (a mounted volume); the umask still covers new files
            continue


_owner_only(HOME)
KEYS_DIR = HOME / "keys"
DATA_DIR = HOME / "data"
# An import claimed by a worker and unfinished after this long is ended as failed (the worker died).
LEADS_IMPORT_STUCK_AFTER = timedelta(hours=int(env("LIANQING_IMPORT_STUCK_HOURS", "6")))
MEDIA_ROOT = HOME / "uploads"
# The audit chain's HMAC key (outside the database) and the write-once folder its signed heads
# are exported to daily: by default beside the instance folder, not in it, so a copy of the
# instance (or its database) does not carry them. Point both at other volumes in production.
AUDIT_KEY_FILE = Path(env("LIANQING_AUDIT_KEY_FILE") or KEYS_DIR / "audit_chain.key")
AUDIT_HEAD_DIR = Path(env("LIANQING_AUDIT_HEAD_DIR") or HOME.parent / f"{HOME.name}-audit-heads")
# `audit verify` on PostgreSQL may compute the rows' HMAC-SHA256 inside the database (core.audit_check),
# in this many ranges at once: faster, but the key's HMAC pads then travel to the database as query
# parameters, where a statement or slow-query log (log_min_duration_statement) would keep them. So it
# is off unless the operator turns it on; off, every row is checked here and the key never leaves.
AUDIT_VERIFY_IN_DATABASE = env_bool("LIANQING_AUDIT_VERIFY_IN_DATABASE", False)
AUDIT_VERIFY_WORKERS = int(env("LIANQING_AUDIT_VERIFY_WORKERS", str(min(4, os.cpu_count() or 1))))
# The worker's nightly backup (`lianqing backup`): a folder on another volume and a file holding the
# passphrase; unset, the nightly job does nothing and says so.
BACKUP_DIR = Path(env("LIANQING_BACKUP_DIR")) if env("LIANQING_BACKUP_DIR") else None
BACKUP_PASSPHRASE_FILE = env("LIANQING_BACKUP_PASSPHRASE_FILE") or None


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    if IS_PRODUCTION:
        raise ImproperlyConfigured("生产模式必须设置环境变量 SECRET_KEY")
    key_file = HOME / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", MODE == "demo")
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "lianqing.core",
    "lianqing.cases",
    "lianqing.intake",
    "lianqing.leads",
    "lianqing.dossiers",
    "lianqing.integrity",
    "lianqing.triage",
    "lianqing.publicity",
    "lianqing.duties",
]

MIDDLEWARE = [
    "lianqing.core.cache_headers.CacheHeadersMiddleware",  # first: it judges the answer as it leaves
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lianqing.core.middleware.SessionIdleRenewalMiddleware",  # after sessions: it runs first on the way out
    "django.middleware.locale.LocaleMiddleware",
    "lianqing.intake.middleware.PortalBodyLimitMiddleware",  # before CSRF: it reads the body
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lianqing.core.middleware.RequireSecondFactorMiddleware",
    "lianqing.duties.middleware.LiaisonConfinementMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Text fields of any one request; files do not count here (Django spools files above
# FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file). The portal's whole body is bounded by
# intake.middleware from its own limits (intake/conf.py), before anything is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, stated
FILE_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024

ROOT_URLCONF = "lianqing.urls"
WSGI_APPLICATION = "lianqing.wsgi.application"
ASGI_APPLICATION = "lianqing.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lianqing.core.context_processors.shell",
            ],
        },
    },
]

# SQLite (embedded default) lives in the instance folder; DATABASE_URL selects PostgreSQL.
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(HOME / "lianqing.sqlite3"),
            # WAL and IMMEDIATE let the web process and the worker write without "database is locked".
            # synchronous=FULL: a commit is on disk before the portal shows a receipt, so a receipt
            # the reporter saw survives a power cut (NORMAL in WAL mode may lose the last commits).
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cryptographic suite of new objects (docs/security.md, 国密): "sodium" (libsodium, the
# default) or "sm" (SM2/SM3/SM4). Every stored object records its algorithm, so a switch leaves
# what was sealed before readable. Passwords, receipts and personal passphrases keep argon2id
# unless LIANQING_PASSPHRASE_KDF=pbkdf2-sm3.
CRYPTO_SUITE = env("LIANQING_CRYPTO", "sodium").lower()
if CRYPTO_SUITE not in {"sodium", "sm"}:
    raise ImproperlyConfigured(
        f"环境变量 LIANQING_CRYPTO 只能是 sodium（默认）或 sm（国密），而不是 {CRYPTO_SUITE!r}"
    )
PASSPHRASE_KDF = env("LIANQING_PASSPHRASE_KDF", "argon2id").lower()
if PASSPHRASE_KDF not in {"argon2id", "pbkdf2-sm3"}:
    raise ImproperlyConfigured(
        f"环境变量 LIANQING_PASSPHRASE_KDF 只能是 argon2id（默认）或 pbkdf2-sm3，而不是 {PASSPHRASE_KDF!r}"
    )

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "lianqing.core.hashers.PBKDF2SM3PasswordHasher",
]
# The operator's choice of PBKDF2-SM3: new password hashes use it; older ones still verify.
if PASSPHRASE_KDF == "pbkdf2-sm3":  # noqa: S105 (a name, not a secret)
    PASSWORD_HASHERS.insert(0, PASSWORD_HASHERS.pop())
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": max(8, int(env("LIANQING_PASSWORD_MIN_LENGTH", "10")))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "lianqing.core.passwords.CharacterClassesValidator",
        "OPTIONS": {"classes": int(env("LIANQING_PASSWORD_CLASSES", "3"))},
    },
]
# 等保 2.0 level 3, identification and authentication: complexity (above), expiry, a forced change
# at first sign-in (must_change_password), one session per account, an idle timeout. 0 = off.
PASSWORD_MAX_AGE_DAYS = int(env("LIANQING_PASSWORD_MAX_AGE_DAYS", "0" if MODE == "demo" else "90"))
SINGLE_SESSION = env_bool("LIANQING_SINGLE_SESSION", IS_PRODUCTION)
SESSION_IDLE_MINUTES = int(env("LIANQING_SESSION_IDLE_MINUTES", "480" if MODE == "demo" else "30"))
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"

# Staff must pass a TOTP second factor; only the demo may switch it off.
LIANQING_REQUIRE_OTP = env_bool("LIANQING_REQUIRE_OTP", MODE != "demo")
if IS_PRODUCTION and not LIANQING_REQUIRE_OTP:
    raise ImproperlyConfigured("生产模式不能关闭双因素认证")
OTP_TOTP_ISSUER = "廉情 Lianqing"
# The admin never sees a device's secret or QR code (it could sign in as its owner).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Reverse proxies whose X-Forwarded-For is believed (CIDRs, comma-separated), e.g. the nginx in
# front: "127.0.0.1/32,10.0.0.0/24". Empty: nobody's; the peer address is the client.
TRUSTED_PROXIES = [cidr.strip() for cidr in env("LIANQING_TRUSTED_PROXIES").split(",") if cidr.strip()]
try:
    for _cidr in TRUSTED_PROXIES:
        ipaddress.ip_network(_cidr, strict=False)
except ValueError as _error:
    raise ImproperlyConfigured(f"LIANQING_TRUSTED_PROXIES 含有无效的网段：{_error}") from None

AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "30")))
# A lockout is per username AND client address: nobody elsewhere can lock a colleague out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "lianqing.core.network.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False

# Cookies: secure unless the installation is explicitly served over plain HTTP (demo, tests).
SERVED_OVER_HTTPS = env_bool("LIANQING_HTTPS", IS_PRODUCTION)
SESSION_COOKIE_SECURE = SERVED_OVER_HTTPS
CSRF_COOKIE_SECURE = SERVED_OVER_HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
# An idle timeout: a session ends SESSION_IDLE_MINUTES after its last request (renewed at most once a
# minute by core.middleware.SessionIdleRenewalMiddleware, not written on every request).
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SERVED_OVER_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000

# No inline script anywhere: every script is a same-origin file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# How long nginx may keep a published page (deploy/nginx/, docs/deploy.md): a few seconds carry a
# busy day, and a publication or a withdrawal is seen that much later at most.
LIANQING_PUBLIC_CACHE_SECONDS = max(0, min(int(env("LIANQING_PUBLIC_CACHE_SECONDS", "3")), 5))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "media/"
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the package's static folders: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The audit log: kept at least 183 days (网络安全法 第二十一条: six months); `lianqing audit prune`
# refuses anything younger. Each row also goes, as one JSON line, to the operator's syslog
# ("/dev/log", "udp://host:514", "tcp://host:514") and/or file sink once committed.
AUDIT_RETENTION_DAYS = int(env("LIANQING_AUDIT_RETENTION_DAYS", "183"))
if AUDIT_RETENTION_DAYS < 183:
    raise ImproperlyConfigured(
        "环境变量 LIANQING_AUDIT_RETENTION_DAYS 不能少于 183 天：审计日志至少保存六个月"
    )
LIANQING_TIME_SOURCE = env("LIANQING_TIME_SOURCE", "本机系统时钟")[:200]
AUDIT_SYSLOG = env("LIANQING_AUDIT_SYSLOG")
AUDIT_LOG_FILE = env("LIANQING_AUDIT_LOG_FILE")


def _audit_sink_handlers() -> dict[str, dict[str, object]]:
    handlers: dict[str, dict[str, object]] = {}
    if AUDIT_SYSLOG:
        if AUDIT_SYSLOG.startswith(("udp://", "tcp://")):
            host, _colon, port = AUDIT_SYSLOG[6:].rpartition(":")
            if not host or not port.isdigit():
                raise ImproperlyConfigured(
                    f"环境变量 LIANQING_AUDIT_SYSLOG 应形如 udp://主机:514 或 /dev/log，而不是 {AUDIT_SYSLOG!r}"
                )
            address: object = (host, int(port))
            socktype = "SOCK_STREAM" if AUDIT_SYSLOG.startswith("tcp") else "SOCK_DGRAM"
        else:
            address, socktype = AUDIT_SYSLOG, "SOCK_DGRAM"
        handlers["audit_syslog"] = {
            "class": "logging.handlers.SysLogHandler",
            "address": address,
            "socktype": f"ext://socket.{socktype}",
            "facility": "authpriv",
            "formatter": "audit_syslog",
        }
    if AUDIT_LOG_FILE:
        handlers["audit_file"] = {
            "class": "logging.handlers.WatchedFileHandler",  # logrotate moves it; we reopen
            "filename": AUDIT_LOG_FILE,
            "encoding": "utf-8",
            "formatter": "audit_file",
        }
    return handlers


_AUDIT_HANDLERS = _audit_sink_handlers()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "audit_syslog": {"format": "lianqing-audit: %(message)s"},
        "audit_file": {"format": "%(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}, **_AUDIT_HANDLERS},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "lianqing.audit": {"handlers": sorted(_AUDIT_HANDLERS), "level": "INFO", "propagate": False},
    },
}
