from django.urls import path

from . import public_views

app_name = "followup_public"
urlpatterns = [
    path("contact/<str:token>/", public_views.contact, name="contact"),
]
