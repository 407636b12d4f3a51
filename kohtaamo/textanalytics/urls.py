from django.urls import path

from . import views

app_name = "textanalytics"
urlpatterns = [
    path("", views.index, name="index"),
    path("reanalyse/", views.reanalyse, name="reanalyse"),
    path("encounters/<int:encounter_id>/", views.encounter_detail, name="encounter"),
    path("briefing/", views.briefing_find, name="briefing_find"),
    path("briefing/<int:customer_id>/", views.briefing, name="briefing"),
]
