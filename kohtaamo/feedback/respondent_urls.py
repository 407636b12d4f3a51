from django.urls import path

from . import respondent_views

app_name = "respond"
urlpatterns = [
    path("r/<str:token>/", respondent_views.invitation_page, name="invitation"),
    path("t/<str:token>/", respondent_views.open_link_page, name="open_link"),
]
