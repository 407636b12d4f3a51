"""Pages without login: the public self-test and the role-play raters' phone page.

The public self-test stores nothing unless the user ticks the box; the rater page's token is the
raters' only credential and carries the tenant.
"""

import uuid

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kohtaamo.instruments.models import pick_language

from . import services
from .forms import RaterRoleForm
from .rating import observation_items_for, scale_values_from
from .selectors import role_play_session_by_token
from .selftest import selftest_answers_clean, selftest_score, statements_for
from .selftest_data import SCALE_LABELS


def _language() -> str:
    language = (translation.get_language() or "fi")[:2]
    return language if language in SCALE_LABELS else "en"


@never_cache
def public_self_test(request):
    language = _language()
    profile = error = None
    stored = False
    if request.method == "POST":
        try:
            answers = selftest_answers_clean(request.POST)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            profile = selftest_score(answers=answers, language=language)
            if request.POST.get("store") == "yes":
                services.public_selftest_store(answers=answers, language=language)
                stored = True
    context = {
        "statements": statements_for(language),
        "labels": sorted(SCALE_LABELS[language].items()),
        "profile": profile,
        "profile_rows": profile.rows(language) if profile else [],
        "error": error,
        "posted": request.POST,
        "stored": stored,
    }
    return render(request, "development/public_self_test.html", context)


@never_cache
def role_play_rate(request, token: str):
    session = role_play_session_by_token(token=token)
    translation.activate(_language())
    items = observation_items_for(organisation=session.organisation)
    form = RaterRoleForm(request.POST or None)
    error = None
    page_key = request.POST.get("page_key") or str(uuid.uuid4())
    if request.method == "POST":
        try:
            values = scale_values_from(request.POST, items=items, required=False)
            if not form.is_valid():
                raise ValidationError(_("Choose whether you are the coach or a peer."))
            services.role_play_rating_submit(
                session=session,
                page_key=page_key,
                rater_role=form.cleaned_data["rater_role"],
                values=values,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            return redirect("roleplay_rating:thanks", token=token)
    posted = {k: v for k, v in request.POST.items() if k.startswith("item-")}
    context = {
        "session": session,
        "form": form,
        "items": [
            (item, pick_language(item.texts.get("other", {})), posted.get(f"item-{item.pk}", "")) for item in items
        ],
        "scale": [str(v) for v in range(1, 6)],
        "page_key": page_key,
        "error": error,
        "closed": not session.open,
    }
    return render(request, "development/rate.html", context, status=422 if error else 200)


def role_play_thanks(request, token: str):
    session = role_play_session_by_token(token=token)
    return render(request, "development/rate_thanks.html", {"session": session})
