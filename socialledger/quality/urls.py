from django.urls import path

from socialledger.quality import views

urlpatterns = [
    path("returns/<int:pk>/warnings/check/", views.check_warning, name="warning-check"),
    path("returns/<int:pk>/claims/", views.record_return_claim, name="return-claim"),
    path("claims/", views.record_claim, name="claim-record"),
]
