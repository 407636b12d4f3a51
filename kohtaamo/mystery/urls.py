from django.urls import path

from . import report_views, shop_views, views

app_name = "mystery"
urlpatterns = [
    path("", views.index, name="index"),
    path("scenarios/new/", views.scenario_create, name="scenario_create"),
    path("scenarios/<int:scenario_id>/", views.scenario_detail, name="scenario"),
    path("notice/", views.notice, name="notice"),
    path("waves/new/", views.wave_create, name="wave_create"),
    path("waves/<int:wave_id>/", views.wave_detail, name="wave"),
    path("shoppers/", views.shoppers, name="shoppers"),
    path("qa/", views.qa_queue, name="qa"),
    path("qa/<int:report_id>/", views.qa_review, name="qa_review"),
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path("actions/", views.action_plans, name="actions"),
    path("actions/<int:plan_id>/follow-up/", views.action_plan_follow_up, name="action_follow_up"),
    path("calibration/", views.calibrations, name="calibrations"),
    path("calibration/<int:calibration_id>/", views.calibration_detail, name="calibration"),
    path("reports/", report_views.location_report, name="report"),
    path("reports/pdf/", report_views.location_report_pdf, name="report_pdf"),
    path("reports/csv/", report_views.location_report_csv, name="report_csv"),
    path("reports/xlsx/", report_views.location_report_xlsx, name="report_xlsx"),
    path("visits/<int:report_id>/", report_views.visit_detail, name="visit"),
    path("fees.csv", report_views.fees_csv, name="fees"),
    path("shop/", shop_views.shop_home, name="shop"),
    path("shop/<int:assignment_id>/respond/", shop_views.shop_respond, name="shop_respond"),
    path("shop/<int:assignment_id>/", shop_views.shop_report, name="shop_report"),
    path(
        "shop/<int:assignment_id>/evidence/<int:evidence_id>/delete/",
        shop_views.shop_evidence_delete,
        name="shop_evidence_delete",
    ),
]
