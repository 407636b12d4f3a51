"""Demo data for the web feedback widget: the bank's online bank asks CSAT and a comment."""

import random
import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, OuterRef, Subquery

from kohtaamo.feedback.models import Response
from kohtaamo.feedback.selectors import pulse_programme_for
from kohtaamo.feedback.services import pulse_programme_ensure
from kohtaamo.instruments.models import Item
from kohtaamo.organisations.models import Channel, Organisation
from kohtaamo.widget.answers import WidgetSubmission, widget_answer_store
from kohtaamo.widget.models import Widget, WidgetAnswer
from kohtaamo.widget.selectors import widget_questions
from kohtaamo.widget.services import widget_create

ANSWERS = 48
DAYS = 120
CSAT_WEIGHTS = (0.05, 0.08, 0.17, 0.38, 0.32)  # 1..5: most are content, some are not
COMMENT_SHARE = 0.35
LANGUAGE_WEIGHTS = {"fi": 0.82, "sv": 0.1, "en": 0.08}
COMMENTS = {
    "fi": {
        "good": (
            "Asia hoitui verkkopankissa muutamassa minuutissa, ohjeet olivat selkeät.",
            "Löysin vastauksen ohjesivulta heti, ei tarvinnut soittaa.",
            "Kortin rajan muuttaminen oli helppoa.",
        ),
        "bad": (
            "Tunnistautuminen katkesi kahdesti ja jouduin aloittamaan alusta.",
            "Lomake tyhjeni virheilmoituksen jälkeen, turhauttavaa.",
            "En löytänyt, mistä laskun eräpäivää voi siirtää.",
        ),
    },
    "sv": {
        "good": ("Det gick snabbt och instruktionerna var tydliga.",),
        "bad": ("Svårt att hitta rätt i menyerna.",),
    },
    "en": {
        "good": ("Quick and easy, the instructions were clear.",),
        "bad": ("The form lost my answers after an error message.",),
    },
}


def _answer(rng: random.Random) -> tuple[int, str, str]:
    value = rng.choices(range(1, 6), weights=CSAT_WEIGHTS)[0]
    language = rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]
    comment = ""
    if rng.random() < (COMMENT_SHARE + (0.3 if value <= 2 else 0)):
        comment = rng.choice(COMMENTS[language]["good" if value >= 4 else "bad"])
    return value, language, comment


@transaction.atomic
def seed_widget(*, organisation: Organisation, now: datetime, rng: random.Random) -> int:
    """A widget on the organisation's first web self-service touchpoint and answers from the last four months.

    Returns the number of answers created; 0 when the organisation already has a widget or no web touchpoint."""
    touchpoint = organisation.touchpoints.filter(channel=Channel.WEB).order_by("pk").first()
    if touchpoint is None or Widget.objects.filter(organisation=organisation).exists():
        return 0
    programme = pulse_programme_for(organisation=organisation) or pulse_programme_ensure(organisation=organisation)
    widget = widget_create(
        organisation=organisation,
        programme=programme,
        touchpoint=touchpoint,
        item=Item.objects.get(framework=programme.questionnaire.framework, code="csat_1"),
        ask_comment=True,
        allowed_origins=[f"https://www.{organisation.slug}.fi", "http://localhost:8001", "http://127.0.0.1:8001"],
        frequency_cap_days=30,
    )
    questions = widget_questions(widget=widget)
    origin = widget.allowed_origins[0]
    for _ in range(ANSWERS):
        value, language, comment = _answer(rng)
        submitted_at = now - timedelta(minutes=rng.randint(10, DAYS * 24 * 60))
        submission = WidgetSubmission(
            key=uuid.UUID(int=rng.getrandbits(128), version=4), value=value, comment=comment, language=language
        )
        widget_answer_store(
            widget=widget, questions=questions, submission=submission, origin=origin, submitted_at=submitted_at
        )
    # Rows were written now; date their bookkeeping to when the answers came.
    Response.objects.filter(widget_answer__widget=widget).update(
        started_at=F("submitted_at") - timedelta(minutes=1), updated_at=F("submitted_at")
    )
    WidgetAnswer.objects.filter(widget=widget).update(
        created_at=Subquery(Response.objects.filter(pk=OuterRef("response_id")).values("submitted_at")[:1])
    )
    return ANSWERS
