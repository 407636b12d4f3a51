"""The project's URLs plus the development app's public pages, where the project does not mount them yet."""

from django.urls import include, path

from kohtaamo.urls import urlpatterns as project_urlpatterns

_mounted = {getattr(p, "namespace", None) for p in project_urlpatterns}
urlpatterns = list(project_urlpatterns)
if "selftest" not in _mounted:
    urlpatterns.append(path("self-test/", include("kohtaamo.development.public_urls")))
if "roleplay_rating" not in _mounted:
    urlpatterns.append(path("role-play/", include("kohtaamo.development.rating_urls")))
