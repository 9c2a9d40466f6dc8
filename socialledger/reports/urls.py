from django.urls import path

from socialledger.reports import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report.<str:extension>", views.download, name="report-download"),
    path("working/<slug:code>/", views.working, name="working"),
]
