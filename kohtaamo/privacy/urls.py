from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.index, name="index"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("people/<int:person_id>/export.json", views.person_export_download, name="person_export"),
    path("people/<int:person_id>/erase/", views.person_erase_view, name="person_erase"),
    path("customers/<int:customer_id>/", views.customer_detail, name="customer"),
    path("customers/<int:customer_id>/export.json", views.customer_export_download, name="customer_export"),
    path("customers/<int:customer_id>/erase/", views.customer_erase_view, name="customer_erase"),
    path("audit/", views.audit_log, name="audit"),
    path("audit.csv", views.audit_csv, name="audit_csv"),
]
