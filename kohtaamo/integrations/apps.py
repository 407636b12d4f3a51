from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "kohtaamo.integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        from kohtaamo.feedback.signals import response_submitted

        from . import receivers

        response_submitted.connect(receivers.on_response_submitted, dispatch_uid="integrations_on_submit")
