from django.urls import path

from . import views

app_name = "duties"

urlpatterns = [
    path("staff/duties/", views.home, name="home"),
    path("staff/duties/dashboard/", views.dashboard, name="dashboard"),
    path("staff/duties/tasks/", views.drill, name="drill"),
    path("staff/duties/tasks/<int:task_id>/", views.task_detail, name="task_detail"),
    path("staff/duties/tasks/<int:task_id>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("staff/duties/evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("staff/duties/tasks/<int:task_id>/<str:action>/", views.task_step, name="task_step"),
    path("staff/duties/units/<int:unit_id>/", views.unit_tasks, name="unit_tasks"),
    path("staff/duties/units/<int:unit_id>/handbook/", views.handbook, name="handbook"),
    path("staff/duties/units/<int:unit_id>/talks/new/", views.talk_create, name="talk_create"),
    path("staff/duties/ranking/", views.ranking, name="ranking"),
    path("staff/duties/ranking/export.xlsx", views.ranking_export, name="ranking_export"),
    path("staff/duties/talks/", views.talks, name="talks"),
    path("staff/duties/templates/", views.template_list, name="template_list"),
    path("staff/duties/templates/<int:template_id>/", views.template_detail, name="template_detail"),
    path("staff/duties/templates/<int:template_id>/items/", views.item_add, name="item_add"),
    path("staff/duties/templates/<int:template_id>/items/<int:lineage>/", views.item_edit, name="item_edit"),
    path(
        "staff/duties/templates/<int:template_id>/items/<int:lineage>/delete/",
        views.item_delete,
        name="item_delete",
    ),
    path("staff/duties/units/<int:unit_id>/leaders/", views.leaders, name="leaders"),
    path("staff/duties/leaders/<int:leader_id>/", views.leader_edit, name="leader_edit"),
    path("staff/duties/leaders/<int:leader_id>/remove/", views.leader_remove, name="leader_remove"),
    path("staff/duties/reports/", views.reports, name="reports"),
    path("staff/duties/reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("staff/duties/reports/<int:report_id>/review/", views.report_review, name="report_review"),
    path("staff/duties/reports/<int:report_id>/resubmit/", views.report_resubmit, name="report_resubmit"),
    path("staff/duties/templates/<int:template_id>/assign/", views.assign, name="assign"),
    path("staff/duties/assignments/<int:assignment_id>/apply/", views.apply_version, name="apply_version"),
]
