from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "lianqing.integrity"
    label = "integrity"
    verbose_name = _("廉情分析")
