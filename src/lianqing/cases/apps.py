from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lianqing.cases"
    label = "cases"
    verbose_name = "案件办理"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import TimeLimits
        from .time_limits import time_limits_changed

        post_save.connect(time_limits_changed, sender=TimeLimits, dispatch_uid="time-limits-saved")
        post_delete.connect(time_limits_changed, sender=TimeLimits, dispatch_uid="time-limits-deleted")
