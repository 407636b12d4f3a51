from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TextAnalyticsConfig(AppConfig):
    name = "kohtaamo.textanalytics"
    label = "textanalytics"
    verbose_name = _("Text analytics")

    def ready(self) -> None:
        from kohtaamo.feedback.signals import response_submitted

        from .receivers import on_response_submitted

        response_submitted.connect(on_response_submitted, dispatch_uid="textanalytics.analyse_comments")
