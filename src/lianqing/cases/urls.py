from django.urls import path

from lianqing.cases import statistics_views, views

app_name = "cases"

urlpatterns = [
    path("staff/cases/", views.inbox, name="inbox"),
    path("staff/cases/export.xlsx", views.export_xlsx, name="export"),
    path("staff/cases/bulk-assign/", views.bulk_assign, name="bulk_assign"),
    path("staff/cases/new/", views.register, name="register"),
    path("staff/cases/statistics/", statistics_views.statistics, name="statistics"),
    path("staff/cases/statistics/data.json", statistics_views.statistics_data, name="statistics_data"),
    path("staff/cases/<int:case_id>/", views.detail, name="detail"),
    path("staff/cases/<int:case_id>/act/<slug:action>/", views.act, name="act"),
    path("staff/cases/<int:case_id>/notes/", views.add_note, name="add_note"),
    path("staff/cases/<int:case_id>/attachments/", views.add_attachment, name="add_attachment"),
    path("staff/cases/<int:case_id>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("staff/cases/<int:case_id>/print/", views.print_form, name="print"),
]
