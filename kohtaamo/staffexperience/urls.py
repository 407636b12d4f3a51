from django.urls import path

from . import views

app_name = "staffexperience"
urlpatterns = [
    path("", views.index, name="index"),
    path("schedule/", views.schedule, name="schedule"),
    path("open/", views.open_period, name="open"),
    path("results.csv", views.export_csv, name="export_csv"),
    path("results.pdf", views.results_pdf, name="results_pdf"),
    path("chain/", views.chain, name="chain"),
]
