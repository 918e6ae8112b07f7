from django.urls import path

from lianqing.leads import views, views_hits, views_mappings

app_name = "leads"

urlpatterns = [
    path("staff/leads/", views.package_list_view, name="package_list"),
    path("staff/leads/rules/", views.rule_catalogue_view, name="rule_catalogue"),
    path("staff/leads/mappings/", views_mappings.mapping_list_view, name="mapping_list"),
    path("staff/leads/mappings/start/", views_mappings.mapping_start_view, name="mapping_start"),
    path(
        "staff/leads/mappings/wizard/<str:token>/", views_mappings.mapping_wizard_view, name="mapping_wizard"
    ),
    path(
        "staff/leads/mappings/<str:slug>/import/", views_mappings.mapping_import_view, name="mapping_import"
    ),
    path("staff/leads/upload/", views.package_upload_view, name="package_upload"),
    path("staff/leads/folder/", views.package_folder_view, name="package_folder"),
    path("staff/leads/packages/<int:package_id>/", views.package_detail_view, name="package_detail"),
    path(
        "staff/leads/packages/<int:package_id>/import/",
        views.package_import_progress_view,
        name="package_import_progress",
    ),
    path("staff/leads/packages/<int:package_id>/scan/", views.scan_start_view, name="scan_start"),
    path("staff/leads/runs/<int:run_id>/", views.run_detail_view, name="run_detail"),
    path("staff/leads/runs/<int:run_id>/progress/", views.run_progress_view, name="run_progress"),
    path("staff/leads/runs/<int:run_id>/cancel/", views.run_cancel_view, name="run_cancel"),
    path("staff/leads/runs/<int:run_id>/disappeared/", views.run_disappeared_view, name="run_disappeared"),
    path("staff/leads/runs/<int:run_id>/export.xlsx", views.run_export_view, name="run_export"),
    path("staff/leads/hits/<int:hit_id>/", views_hits.hit_detail_view, name="hit_detail"),
    path("staff/leads/hits/<int:hit_id>/chart.json", views_hits.hit_chart_view, name="hit_chart"),
    path("staff/leads/hits/<int:hit_id>/notice/", views_hits.hit_notice_view, name="hit_notice"),
    path("staff/leads/hits/<int:hit_id>/reveal/", views_hits.hit_reveal_view, name="hit_reveal"),
    path("staff/leads/hits/<int:hit_id>/exclude/", views_hits.hit_exclude_view, name="hit_exclude"),
    path("staff/leads/hits/<int:hit_id>/convert/", views_hits.hit_convert_view, name="hit_convert"),
]
