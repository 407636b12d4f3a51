from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WidgetConfig(AppConfig):
    name = "kohtaamo.widget"
    verbose_name = _("Web feedback widget")
