from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "kohtaamo.instruments"
    verbose_name = _("Framework and questionnaires")
