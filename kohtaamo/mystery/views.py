from django.shortcuts import render

from kohtaamo.organisations.decorators import organisation_view


@organisation_view
def index(request):
    return render(request, "mystery/index.html", {})
