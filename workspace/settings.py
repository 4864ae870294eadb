"""One frozen Settings object built from the environment; the only reader of os.environ."""

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from argon2 import PasswordHasher

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("de", "en")

# Every variable the application reads, with its meaning; the README documents each one.
ENVIRONMENT = {
    "DATABASE_URL": "SQLAlchemy URL; default: SQLite file werkstadt.db in the data folder",
    "WERKSTADT_DATA": "data folder (SQLite file, secret key); default ./var",
    "SECRET_KEY": "key for CSRF tokens and stored token digests; default: generated once into the data folder",
    "BASE_URL": "public address, used in mails and links; https turns on Secure cookies",
    "SMTP_URL": "smtp://, smtp+starttls:// or smtps://user:password@host:port; unset: local outbox",
    "MAIL_FROM": "sender address of the mails; default Werkstadt <werkstadt@localhost>",
    "WERKSTADT_LANGUAGE": "default UI language, de or en",
    "FORWARDED_ALLOW_IPS": "addresses of trusted reverse proxies whose X-Forwarded-For is believed",
    "HOST": "address `werkstadt serve` listens on; default 127.0.0.1",
    "PORT": "port `werkstadt serve` listens on; default 8000",
    "FEED_PAST_DAYS": "how many days back the iCal feeds reach; default 365",
    "SCHEDULER_TICK": "seconds between two looks of `werkstadt scheduler` for due reminders; default 60",
    "REMINDER_LEASE": "seconds a claimed reminder stays with its scheduler before another may send it; default 300",
    "REMINDER_BATCH": "reminders claimed at once; default 50",
    "REMINDER_RETRY": "seconds before the first retry after a temporary mail failure (doubling each time); default 60",
    "REMINDER_ATTEMPTS": "tries before a reminder is marked failed; default 6",
}


class SettingsError(ValueError):
    """A setting from the environment cannot be used."""


@dataclass(frozen=True)
class ReminderSettings:
    """How the scheduler works through due reminders; short values let tests show crashes and retries."""

    tick: float = 60
    lease: float = 300
    batch: int = 50
    first_retry: float = 60
    attempts: int = 6

    @classmethod
    def from_env(cls, env) -> "ReminderSettings":
        return cls(tick=_positive("SCHEDULER_TICK", env.get("SCHEDULER_TICK"), 60),
                   lease=_positive("REMINDER_LEASE", env.get("REMINDER_LEASE"), 300),
                   batch=int(_positive("REMINDER_BATCH", env.get("REMINDER_BATCH"), 50)),
                   first_retry=_positive("REMINDER_RETRY", env.get("REMINDER_RETRY"), 60),
                   attempts=int(_positive("REMINDER_ATTEMPTS", env.get("REMINDER_ATTEMPTS"), 6)))


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str
    base_url: str = "http://127.0.0.1:8000"
    smtp_url: str | None = None
    mail_from: str = "Werkstadt <werkstadt@localhost>"
    language: str = "de"
    host: str = "127.0.0.1"
    port: int = 8000
    forwarded_allow_ips: str | None = None
    feed_past_days: int = 365
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    password_hasher: PasswordHasher = field(default_factory=PasswordHasher)

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise SettingsError(f"WERKSTADT_LANGUAGE must be one of {', '.join(LANGUAGES)}")
        if urlsplit(self.base_url).scheme not in ("http", "https"):
            raise SettingsError("BASE_URL must start with http:// or https://")

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("WERKSTADT_DATA") or ROOT / "var").resolve()
        host, port = env.get("HOST") or "127.0.0.1", _port(env.get("PORT") or "8000")
        return cls(
            data_dir=data_dir,
            database_url=env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'werkstadt.db'}",
            secret_key=env.get("SECRET_KEY") or stored_secret_key(data_dir),
            base_url=(env.get("BASE_URL") or f"http://{host}:{port}").rstrip("/"),
            smtp_url=env.get("SMTP_URL") or None,
            mail_from=env.get("MAIL_FROM") or "Werkstadt <werkstadt@localhost>",
            language=env.get("WERKSTADT_LANGUAGE") or "de",
            host=host,
            port=port,
            forwarded_allow_ips=env.get("FORWARDED_ALLOW_IPS") or None,
            feed_past_days=_days(env.get("FEED_PAST_DAYS") or "365"),
            reminders=ReminderSettings.from_env(env),
        )


def _port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise SettingsError("PORT must be a number from 1 to 65535")
    return int(value)


def _days(value: str) -> int:
    if not value.isdigit() or int(value) > 36500:
        raise SettingsError("FEED_PAST_DAYS must be a number of days from 0 to 36500")
    return int(value)


def _positive(name: str, value: str | None, default: float) -> float:
    try:
        number = float(value or default)
    except ValueError:
        number = 0
    if not 0 < number <= 86400:
        raise SettingsError(f"{name} must be a positive number up to 86400")
    return number


def stored_secret_key(data_dir: Path) -> str:
    """Read the key kept in the data folder, creating it (readable by the owner only) the first time."""
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it a moment ago
            return path.read_text().strip()
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(48))
    return path.read_text().strip()
