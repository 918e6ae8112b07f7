from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "lianqing.publicity"
    label = "publicity"
    verbose_name = "阳光纪检"
