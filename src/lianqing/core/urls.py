from django.urls import path

from lianqing.core import views

app_name = "core"

urlpatterns = [
    path("staff/", views.staff_home, name="home"),
    path("staff/login/", views.staff_login, name="login"),
    path("staff/logout/", views.staff_logout, name="logout"),
    path("staff/otp/", views.staff_otp, name="otp"),
    path("staff/password/", views.password_change_view, name="password_change"),
    path("staff/orgs/", views.org_list_view, name="org_list"),
    path("staff/orgs/<int:org_id>/", views.org_detail_view, name="org_detail"),
    path("staff/notifications/", views.notification_list_view, name="notifications"),
    path("staff/audit/", views.audit_list_view, name="audit_list"),
    path("staff/audit/export.csv", views.audit_export_view, name="audit_export"),
    path("staff/grants/", views.grant_list_view, name="grants"),
]
