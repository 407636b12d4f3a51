from django.shortcuts import render

from kohtaamo.organisations.decorators import organisation_view


@organisation_view
def dashboard(request):
    return render(request, "analytics/dashboard.html", {})
