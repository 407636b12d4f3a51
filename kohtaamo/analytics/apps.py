from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "kohtaamo.analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from kohtaamo.feedback.models import Response
        from kohtaamo.feedback.signals import response_submitted

        from .receivers import on_response_submitted
        from .rollup import on_response_saved

        # Scoring saves the response inside the submit transaction: its rollup cell is refreshed there.
        post_save.connect(on_response_saved, sender=Response, dispatch_uid="analytics.rollup_refresh")
        # New responses append entries; now and then a background task merges them (receivers.py).
        response_submitted.connect(on_response_submitted, dispatch_uid="analytics.rollup_compact")
