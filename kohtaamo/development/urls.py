from django.urls import path

from . import views, views_people

app_name = "development"
urlpatterns = [
    path("", views.index, name="index"),
    path("clinics/", views.clinics, name="clinics"),
    path("clinics/sessions/<int:session_id>/", views.clinic_session, name="clinic_session"),
    path("clinics/sessions/<int:session_id>/cases/new/", views.clinic_case_add, name="clinic_case_add"),
    path(
        "clinics/sessions/<int:session_id>/cases/<int:case_id>/actions/",
        views.clinic_action_add,
        name="clinic_action_add",
    ),
    path(
        "clinics/sessions/<int:session_id>/follow-up/<int:action_id>/",
        views.clinic_action_follow_up,
        name="clinic_action_follow_up",
    ),
    path("cases/", views.case_library, name="case_library"),
    path("mentoring/", views_people.mentoring, name="mentoring"),
    path("mentoring/<int:pair_id>/", views_people.mentor_pair, name="mentor_pair"),
    path(
        "mentoring/<int:pair_id>/days/<int:day_id>/debrief/", views_people.shadowing_debrief, name="shadowing_debrief"
    ),
    path("role-play/", views_people.role_play, name="role_play"),
    path("role-play/sessions/<int:session_id>/", views_people.role_play_session, name="role_play_session"),
    path("role-play/sessions/<int:session_id>/qr.svg", views_people.role_play_qr, name="role_play_qr"),
    path("plans/", views_people.plans, name="plans"),
    path("plans/new/", views_people.plan_new, name="plan_new"),
    path("plans/<int:plan_id>/", views_people.plan, name="plan"),
    path("self-test/", views_people.self_test, name="self_test"),
    path("effects/", views_people.effects, name="effects"),
]
