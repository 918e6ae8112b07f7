from django.urls import path

from . import views

app_name = "integrity"

urlpatterns = [
    path("staff/integrity/", views.cockpit_view, name="cockpit"),
    path("staff/integrity/screen/", views.screen_view, name="screen"),
    path("staff/integrity/warnings/", views.warning_list_view, name="warning_list"),
    path("staff/integrity/warnings/<int:warning_id>/", views.warning_detail_view, name="warning_detail"),
    path(
        "staff/integrity/warnings/<int:warning_id>/act/<slug:action>/",
        views.warning_act_view,
        name="warning_act",
    ),
    path("staff/integrity/scores/", views.score_list_view, name="score_list"),
    path("staff/integrity/scores/<int:score_id>/", views.score_detail_view, name="score_detail"),
    path("staff/integrity/settings/", views.config_view, name="config"),
    path("staff/integrity/map/", views.map_upload_view, name="map_upload"),
    path("staff/integrity/map.json", views.map_data_view, name="map_data"),
]
