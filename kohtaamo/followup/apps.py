from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "kohtaamo.followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from kohtaamo.feedback.signals import response_submitted

        from . import receivers

        response_submitted.connect(receivers.on_response_submitted, dispatch_uid="followup_on_submit")
