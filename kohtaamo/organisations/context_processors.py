def current_organisation(request) -> dict:
    scope = getattr(request, "scope", None)
    return {"scope": scope, "organisation": scope.organisation if scope else None}
