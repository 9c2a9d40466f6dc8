from django.urls import path

from socialledger.jobs import views

urlpatterns = [
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<int:pk>/", views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/confirm/", views.confirm, name="job-confirm"),
    path("jobs/rebuild-summaries/", views.rebuild_summaries, name="job-rebuild-summaries"),
]
