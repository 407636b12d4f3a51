from django.urls import path

from . import public_views

app_name = "staff_pulse"
urlpatterns = [
    path("<str:token>/", public_views.answer, name="answer"),
]
