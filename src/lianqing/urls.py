from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.i18n import set_language

from lianqing.core import views as core_views
from lianqing.core.separation import admin_site_allows
from lianqing.publicity import views as publicity_views


# The admin signs in through the staff login (lockout, audit, second factor), never its own form.
def _admin_login(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    return redirect_to_login(request.get_full_path())


admin.site.login = _admin_login  # type: ignore[method-assign,assignment]
# The admin site opens by role (系统管理员, 安全保密管理员), not by Django's staff flag (三员分立).
admin.site.has_permission = admin_site_allows  # type: ignore[method-assign]
admin.site.site_header = "廉情 Lianqing"

urlpatterns = [
    path("", publicity_views.home, name="public_home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/link/<str:code>/", core_views.language_link, name="language_link"),
    path("admin/", admin.site.urls),
    path("", include("lianqing.core.urls")),
    path("", include("lianqing.cases.urls")),
    path("", include("lianqing.intake.urls")),
    path("", include("lianqing.leads.urls")),
    path("", include("lianqing.dossiers.urls")),
    path("", include("lianqing.integrity.urls")),
    path("", include("lianqing.triage.urls")),
    path("", include("lianqing.publicity.urls")),
    path("", include("lianqing.duties.urls")),
]
