from django.urls import path

from socialledger.kpis import views

urlpatterns = [
    path("contracts/<int:pk>/kpis/add/", views.kpi_add, name="kpi-add"),
    path("contracts/<int:pk>/kpis/<int:kpi_pk>/rate/", views.kpi_rate, name="kpi-rate"),
    path("kpis/due/", views.kpi_due, name="kpi-due"),
    path("kpis/ratings.<str:fmt>", views.kpi_export, name="kpi-export"),
]
