"""The role-play raters' phone page (no login; the token is the credential). Mounted at /role-play/."""

from django.urls import path

from . import public_views

app_name = "roleplay_rating"
urlpatterns = [
    path("<str:token>/", public_views.role_play_rate, name="rate"),
    path("<str:token>/thanks/", public_views.role_play_thanks, name="thanks"),
]
