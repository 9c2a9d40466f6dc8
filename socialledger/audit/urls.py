from django.urls import path

from socialledger.audit import views

urlpatterns = [
    path("audit/", views.audit_log, name="audit-log"),
    path("audit.csv", views.audit_export, name="audit-export"),
]
