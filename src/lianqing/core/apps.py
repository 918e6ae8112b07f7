from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lianqing.core"
    label = "core"
    verbose_name = "基础平台"

    def ready(self) -> None:
        from lianqing.core import checks  # noqa: F401  (registers the start-up checks)
