"""The respondent's own page: ask to be contacted about their feedback, or ask not to be."""

from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from kohtaamo.feedback.selectors import invitation_by_token

from .models import ContactPreference
from .services import contact_preference_set


@require_http_methods(["GET", "POST"])
def contact(request, token: str):
    invitation = invitation_by_token(token=token)
    if invitation is None:
        raise Http404
    if "lang" not in request.GET and not request.COOKIES.get("django_language"):
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = invitation.language
    saved = None
    if request.method == "POST":
        choice = request.POST.get("choice")
        if choice in ContactPreference.Choice.values:
            saved = contact_preference_set(invitation=invitation, choice=choice).choice
    current = ContactPreference.objects.filter(invitation=invitation).values_list("choice", flat=True).first()
    context = {"choices": ContactPreference.Choice.choices, "current": current, "saved": saved}
    return render(request, "followup/contact.html", context)
