from django.urls import path

from . import views

app_name = "maturity"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:survey_id>/", views.survey, name="survey"),
    path("<int:survey_id>/report/", views.report, name="report"),
    path("<int:survey_id>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:survey_id>/report.csv", views.report_csv_download, name="report_csv"),
]
