from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .selectors import organisations_for


@login_required
def home(request):
    """Send the user to their organisation's dashboard, or let a consultant pick one."""
    organisations = list(organisations_for(user=request.user)[:50])
    if len(organisations) == 1:
        return redirect("analytics:dashboard", org=organisations[0].slug)
    return render(request, "organisations/choose.html", {"organisations": organisations})
