from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "lianqing.leads"
    label = "leads"
    verbose_name = "数据碰撞疑点"
