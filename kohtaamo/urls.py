from django.contrib import admin
from django.urls import include, path

from kohtaamo.api.api import api
from kohtaamo.organisations import views as organisation_views
from kohtaamo.security import views as security_views

urlpatterns = [
    path("", organisation_views.home, name="home"),
    path("accounts/", include("kohtaamo.security.urls")),
    path("admin/login/", security_views.admin_login),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("kohtaamo.feedback.respondent_urls")),
    path("o/<slug:org>/", include("kohtaamo.analytics.urls")),
    path("o/<slug:org>/feedback/", include("kohtaamo.feedback.urls")),
    path("o/<slug:org>/360/", include("kohtaamo.assessments.urls")),
    path("o/<slug:org>/mystery/", include("kohtaamo.mystery.urls")),
    path("o/<slug:org>/journeys/", include("kohtaamo.journeys.urls")),
    path("o/<slug:org>/maturity/", include("kohtaamo.maturity.urls")),
    path("o/<slug:org>/development/", include("kohtaamo.development.urls")),
    path("o/<slug:org>/followup/", include("kohtaamo.followup.urls")),
    path("o/<slug:org>/impact/", include("kohtaamo.impact.urls")),
    path("o/<slug:org>/integrations/", include("kohtaamo.integrations.urls")),
    path("followup/", include("kohtaamo.followup.public_urls")),
    path("self-test/", include("kohtaamo.development.public_urls")),
    path("role-play/", include("kohtaamo.development.rating_urls")),
    path("o/<slug:org>/texts/", include("kohtaamo.textanalytics.urls")),
    path("o/<slug:org>/stakeholders/", include("kohtaamo.stakeholders.urls")),
    path("o/<slug:org>/staff/", include("kohtaamo.staffexperience.urls")),
    path("staff-pulse/", include("kohtaamo.staffexperience.public_urls")),
    path("o/<slug:org>/widget/", include("kohtaamo.widget.urls")),
    path("widget/", include("kohtaamo.widget.public_urls")),
    path("o/<slug:org>/privacy/", include("kohtaamo.privacy.urls")),
]
