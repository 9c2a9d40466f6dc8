from django.urls import path

from socialledger.reports import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
