from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffExperienceConfig(AppConfig):
    name = "kohtaamo.staffexperience"
    verbose_name = _("Staff experience")
