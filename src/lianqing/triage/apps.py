from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "lianqing.triage"
    label = "triage"
    verbose_name = _("智能研判")
    default_auto_field = "django.db.models.BigAutoField"
