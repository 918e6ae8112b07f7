from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lianqing.cases"
    label = "cases"
    verbose_name = "案件办理"
