from django.urls import path

from lianqing.intake import views, views_keys
from lianqing.intake.api import api

app_name = "intake"

urlpatterns = [
    path("report/", views.report_form, name="report_form"),
    path("report/regions/", views.region_options, name="region_options"),
    path("report/captcha.png", views.captcha_image, name="captcha"),
    path("report/track/", views.track, name="track"),
    path("report/track/status/", views.track_status, name="track_status"),
    path("report/track/leave/", views.track_leave, name="track_leave"),
    path("staff/reports/", views.staff_report_list, name="staff_report_list"),
    path("staff/reports/<int:report_id>/", views.staff_report_detail, name="staff_report_detail"),
    path("staff/reports/<int:report_id>/unlock/", views.staff_report_unlock, name="staff_report_unlock"),
    path("staff/reports/<int:report_id>/lock/", views.staff_report_lock, name="staff_report_lock"),
    path("staff/reports/<int:report_id>/review/", views.staff_report_review, name="staff_report_review"),
    path(
        "staff/reports/<int:report_id>/question/", views.staff_report_question, name="staff_report_question"
    ),
    path(
        "staff/reports/<int:report_id>/attachments/<int:attachment_id>/",
        views.staff_attachment_download,
        name="staff_attachment_download",
    ),
    path("staff/reports/my-key/", views_keys.staff_key, name="staff_key"),
    path("staff/reports/my-key/grant/<int:user_id>/", views_keys.staff_key_grant, name="staff_key_grant"),
    path("staff/reports/identity-requests/", views_keys.identity_requests, name="identity_requests"),
    path(
        "staff/reports/identity-requests/<int:request_id>/",
        views_keys.identity_request_decision,
        name="identity_request_decision",
    ),
    path(
        "staff/reports/<int:report_id>/identity-request/",
        views_keys.identity_request,
        name="identity_request",
    ),
    path("api/", api.urls),
]
