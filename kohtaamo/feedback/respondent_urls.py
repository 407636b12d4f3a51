from django.urls import path

from . import respondent_views

app_name = "respond"
urlpatterns = [
    path("r/<str:token>/", respondent_views.invitation_page, name="invitation"),
    path("r/<str:token>/answer/", respondent_views.invitation_answer, name="invitation_answer"),
    path("r/<str:token>/thanks/", respondent_views.invitation_thanks, name="invitation_thanks"),
    path("t/<str:token>/", respondent_views.open_link_page, name="open_link"),
    path("t/<str:token>/answer/", respondent_views.open_link_answer, name="open_link_answer"),
    path("t/<str:token>/thanks/", respondent_views.open_link_thanks, name="open_link_thanks"),
]
