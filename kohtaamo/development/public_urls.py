"""The public self-test (no login). Mounted at /self-test/."""

from django.urls import path

from . import public_views

app_name = "selftest"
urlpatterns = [
    path("", public_views.public_self_test, name="quiz"),
]
