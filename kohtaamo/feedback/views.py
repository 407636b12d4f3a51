from django.shortcuts import render

from kohtaamo.organisations.decorators import organisation_view


@organisation_view(managers_only=True)
def programme(request):
    return render(request, "feedback/programme.html", {})
