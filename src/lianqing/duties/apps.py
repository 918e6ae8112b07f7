from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "lianqing.duties"
    label = "duties"
    verbose_name = _("主体责任")
