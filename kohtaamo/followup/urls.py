from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("", views.index, name="index"),
    path("rules/", views.rules, name="rules"),
    path("rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:rule_id>/active/", views.rule_set_active, name="rule_set_active"),
    path("cases/<int:case_id>/", views.case, name="case"),
]
