from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeploymentConfig(AppConfig):
    name = "kohtaamo.deployment"
    verbose_name = _("Deployment")
