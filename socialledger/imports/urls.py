from django.urls import path

from socialledger.imports import views

urlpatterns = [
    path("returns/<int:pk>/workbook.xlsx", views.download_workbook, name="return-workbook"),
    path("returns/<int:pk>/workbook/", views.upload_workbook, name="return-workbook-upload"),
    path("entries.<str:extension>", views.export_entries, name="entries-export"),
]
