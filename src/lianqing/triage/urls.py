from django.urls import path

from lianqing.triage import views

app_name = "triage"

urlpatterns = [
    path("staff/triage/cases/<int:case_id>/", views.case_panel, name="case_panel"),
    path("staff/triage/cases/<int:case_id>/decide/", views.case_decide, name="case_decide"),
    path("staff/triage/model/", views.model_page, name="model"),
    path("staff/triage/model/retrain/", views.model_retrain, name="model_retrain"),
    path("staff/triage/posts/", views.posts, name="posts"),
    path("staff/triage/posts/events/<int:event_id>/", views.post_event, name="post_event"),
    path(
        "staff/triage/posts/events/<int:event_id>/convert/",
        views.post_event_convert,
        name="post_event_convert",
    ),
    path(
        "staff/triage/posts/events/<int:event_id>/dismiss/",
        views.post_event_dismiss,
        name="post_event_dismiss",
    ),
]
