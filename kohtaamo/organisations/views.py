from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .selectors import organisations_for, scope_for


@login_required
def home(request):
    """Send the user to their organisation's dashboard, or let a consultant pick one."""
    organisations = list(organisations_for(user=request.user)[:50])
    if len(organisations) == 1:
        organisation = organisations[0]
        if scope_for(user=request.user, organisation_slug=organisation.slug).is_shopper:
            return redirect("mystery:shop", org=organisation.slug)  # a shopper's only page is their portal
        return redirect("analytics:dashboard", org=organisation.slug)
    return render(request, "organisations/choose.html", {"organisations": organisations})
