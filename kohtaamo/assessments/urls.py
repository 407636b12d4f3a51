from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:assessment_id>/", views.detail, name="detail"),
    path("<int:assessment_id>/team/", views.team, name="team"),
    path("people/<int:participant_id>/nominate/", views.nominate, name="nominate"),
    path("people/<int:participant_id>/approve/", views.approve, name="approve"),
    path("people/<int:participant_id>/report/", views.report, name="report"),
    path("people/<int:participant_id>/report.pdf", views.report_pdf, name="report_pdf"),
    path("people/<int:participant_id>/report.csv", views.report_export, name="report_csv"),
]
