from django.urls import path

from lianqing.publicity import views, views_staff

app_name = "publicity"

urlpatterns = [
    path("news/", views.article_list, name="article_list"),
    path("news/feed/", views.feed, name="feed"),
    path("news/<slug:section>/", views.article_list, name="section"),
    path("news/item/<int:article_id>/", views.article_detail, name="article_detail"),
    path(
        "news/item/<int:article_id>/files/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("funds/", views.village_list, name="village_list"),
    path("funds/lookup/", views.lookup, name="lookup"),
    path("funds/<str:code>/", views.village_detail, name="village_detail"),
    path("questions/", views.question_list, name="question_list"),
    path("questions/ask/", views.question_ask, name="question_ask"),
    path("questions/answer/", views.question_answer, name="question_answer"),
    path("statistics/", views.release_list, name="release_list"),
    path("statistics/<int:release_id>/", views.release_detail, name="release_detail"),
    path("guide/", views.guidance, name="guidance"),
    path("staff/publicity/", views_staff.staff_home, name="staff_home"),
    path("staff/publicity/articles/new/", views_staff.article_edit, name="staff_article_new"),
    path("staff/publicity/articles/<int:article_id>/", views_staff.article_detail, name="staff_article"),
    path(
        "staff/publicity/articles/<int:article_id>/edit/", views_staff.article_edit, name="staff_article_edit"
    ),
    path(
        "staff/publicity/articles/<int:article_id>/transition/",
        views_staff.article_transition,
        name="staff_article_transition",
    ),
    path("staff/publicity/disclosures/new/", views_staff.disclosure_new, name="staff_disclosure_new"),
    path(
        "staff/publicity/disclosures/<int:disclosure_id>/",
        views_staff.disclosure_detail,
        name="staff_disclosure",
    ),
    path(
        "staff/publicity/disclosures/<int:disclosure_id>/transition/",
        views_staff.disclosure_transition,
        name="staff_disclosure_transition",
    ),
    path("staff/publicity/statistics/new/", views_staff.release_new, name="staff_release_new"),
    path("staff/publicity/statistics/<int:release_id>/", views_staff.release_detail, name="staff_release"),
    path(
        "staff/publicity/statistics/<int:release_id>/transition/",
        views_staff.release_transition,
        name="staff_release_transition",
    ),
    path("staff/publicity/questions/", views_staff.question_list, name="staff_questions"),
    path("staff/publicity/questions/<int:question_id>/", views_staff.question_answer, name="staff_question"),
]
