from django.urls import path

from . import views, views_opinions

app_name = "dossiers"

urlpatterns = [
    path("staff/dossiers/", views.search, name="search"),
    path("staff/dossiers/cadres/<int:cadre_id>/", views.cadre_detail, name="cadre_detail"),
    path("staff/dossiers/cadres/<int:cadre_id>/sanctions/", views.sanction_add, name="sanction_add"),
    path("staff/dossiers/cadres/<int:cadre_id>/records/", views.record_add, name="cadre_record_add"),
    path("staff/dossiers/units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("staff/dossiers/units/<int:unit_id>/records/", views.record_add, name="unit_record_add"),
    path("staff/dossiers/imports/<int:import_id>/", views.import_detail, name="import_detail"),
    path("staff/dossiers/packages/<int:package_id>/import/", views.registry_import, name="registry_import"),
    path("staff/dossiers/cases/<int:case_id>/links/", views.case_links, name="case_links"),
    path("staff/dossiers/links/<int:link_id>/decide/", views.link_decide, name="link_decide"),
    path("staff/dossiers/opinions/", views_opinions.opinion_list, name="opinion_list"),
    path("staff/dossiers/opinions/new/", views_opinions.opinion_create, name="opinion_create"),
    path("staff/dossiers/opinions/<int:request_id>/", views_opinions.opinion_detail, name="opinion_detail"),
    path(
        "dossiers/opinions/<int:request_id>/items/<int:item_id>/",
        views_opinions.opinion_item_save,
        name="opinion_item_save",
    ),
    path(
        "staff/dossiers/opinions/<int:request_id>/print/", views_opinions.opinion_print, name="opinion_print"
    ),
    path(
        "staff/dossiers/opinions/<int:request_id>/export.xlsx",
        views_opinions.opinion_export,
        name="opinion_export",
    ),
    path(
        "staff/dossiers/opinions/<int:request_id>/<str:action>/",
        views_opinions.opinion_act,
        name="opinion_act",
    ),
]
