from django.shortcuts import render

from kohtaamo.organisations.decorators import organisation_view


@organisation_view(managers_only=True)
def index(request, org):
    return render(request, "privacy/index.html", {})
