"""Invitation e-mails of every kind: rendered from a subject, a text and an HTML template; delivered safely."""

import logging
import smtplib
from collections.abc import Callable

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def templated_email(*, templates: str, context: dict, to: str) -> EmailMultiAlternatives:
    """`templates` is a prefix such as "feedback/email/invitation_": its subject.txt, body.txt, body.html."""
    subject = " ".join(render_to_string(f"{templates}subject.txt", context).split())
    message = EmailMultiAlternatives(subject=subject, body=render_to_string(f"{templates}body.txt", context), to=[to])
    message.attach_alternative(render_to_string(f"{templates}body.html", context), "text/html")
    return message


def email_deliver(build: Callable[[], EmailMultiAlternatives], *, what: str) -> str:
    """Send the e-mail; '' on success, else the error to record (a bad address never stops a batch)."""
    try:
        build().send()
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("%s could not be sent: %s", what, exc)
        return f"{type(exc).__name__}: {exc}"[:300]
    return ""
