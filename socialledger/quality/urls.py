from django.urls import path

from socialledger.quality import views

urlpatterns = [
    path("returns/<int:pk>/warnings/check/", views.check_warning, name="warning-check"),
]
