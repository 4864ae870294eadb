"""Mail: composed from templates/mail/, written as a row with the change, sent after the commit.

Without SMTP_URL the rows stay in the local outbox, which the coordinator reads at /admin/outbox.
"""

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.base import utcnow
from workspace.db import Database
from workspace.models import Mail
from workspace.rendering import Renderer
from workspace.settings import Settings

log = logging.getLogger(__name__)
SMTP_TIMEOUT = 20


def queue_mail(
    db: Session, renderer: Renderer, language: str, recipient: str, template: str, context: dict
) -> Mail:
    """Compose `template` (blocks `subject` and `body`) and queue it in the current transaction."""
    subject = renderer.render(language, template, context, block="subject")
    body = renderer.render(language, template, context, block="body")
    mail = Mail(
        recipient=recipient,
        subject=" ".join(subject.split())[:300],  # one line: no header injection
        body_text=body.strip() + "\n",
        message_id=make_msgid(domain="werkstadt"),
    )
    db.add(mail)
    db.flush()
    db.info.setdefault("queued_mail_ids", []).append(mail.id)
    return mail


def list_mails(db: Session, limit: int = 100) -> list[Mail]:
    return list(db.scalars(select(Mail).order_by(Mail.created_at.desc(), Mail.id.desc()).limit(limit)))


def as_email_message(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Message-ID"] = mail.message_id
    message["Date"] = format_datetime(mail.created_at)
    message.set_content(mail.body_text)
    return message


def smtp_client(smtp_url: str) -> smtplib.SMTP:
    """A connection over smtp:// (plain), smtp+starttls:// or smtps:// (TLS), logged in when the URL has a user."""
    url = urlsplit(smtp_url)
    context = ssl.create_default_context()
    if url.scheme == "smtps":
        client = smtplib.SMTP_SSL(url.hostname, url.port or 465, timeout=SMTP_TIMEOUT, context=context)
    else:
        client = smtplib.SMTP(url.hostname, url.port or 25, timeout=SMTP_TIMEOUT)
    try:
        if url.scheme == "smtp+starttls":
            client.starttls(context=context)
        if url.username:
            client.login(unquote(url.username), unquote(url.password or ""))
    except BaseException:
        client.close()
        raise
    return client


def send_smtp(smtp_url: str, message: EmailMessage) -> None:
    with smtp_client(smtp_url) as client:
        client.send_message(message)


def deliver_mails(database: Database, settings: Settings, mail_ids: list[int]) -> None:
    """Send the given queued mails; no transaction is open while talking to the SMTP server."""
    for mail_id in mail_ids:
        with database.session(write=False) as db:
            mail = db.get(Mail, mail_id)
            message = as_email_message(mail, settings.mail_from) if mail and mail.state == "queued" else None
        if message is None:
            continue
        try:
            send_smtp(settings.smtp_url, message)
        except (OSError, smtplib.SMTPException) as error:
            _record_delivery(database, mail_id, "failed", f"{type(error).__name__}: {error}")
        else:
            _record_delivery(database, mail_id, "sent")


def _record_delivery(database: Database, mail_id: int, state: str, error: str | None = None) -> None:
    with database.transaction() as db:
        mail = db.get(Mail, mail_id)
        mail.attempts += 1
        mail.state, mail.last_error = state, error
        if state == "sent":
            mail.sent_at = utcnow()
    log.log(logging.INFO if state == "sent" else logging.WARNING, "mail %s to %s: %s %s",
            mail_id, mail.recipient, state, error or "")
