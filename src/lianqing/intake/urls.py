from django.urls import path

from lianqing.intake import views
from lianqing.intake.api import api

app_name = "intake"

urlpatterns = [
    path("report/", views.report_form, name="report_form"),
    path("report/regions/", views.region_options, name="region_options"),
    path("report/track/", views.track, name="track"),
    path("report/track/status/", views.track_status, name="track_status"),
    path("report/track/leave/", views.track_leave, name="track_leave"),
    path("staff/reports/", views.staff_report_list, name="staff_report_list"),
    path("staff/reports/<int:report_id>/", views.staff_report_detail, name="staff_report_detail"),
    path("staff/reports/<int:report_id>/unlock/", views.staff_report_unlock, name="staff_report_unlock"),
    path("staff/reports/<int:report_id>/lock/", views.staff_report_lock, name="staff_report_lock"),
    path(
        "staff/reports/<int:report_id>/question/", views.staff_report_question, name="staff_report_question"
    ),
    path(
        "staff/reports/<int:report_id>/attachments/<int:attachment_id>/",
        views.staff_attachment_download,
        name="staff_attachment_download",
    ),
    path("api/", api.urls),
]
