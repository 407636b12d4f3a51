from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("", views.index, name="index"),
    path("cases/<int:case_id>/", views.case, name="case"),
]
