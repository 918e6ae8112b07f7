from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "lianqing.intake"
    label = "intake"
    verbose_name = "网络举报"

    def ready(self) -> None:
        from lianqing.intake.caches import caches_connect

        caches_connect()
