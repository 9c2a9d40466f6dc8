from django.urls import path

from socialledger.reports import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report.<str:extension>", views.download, name="report-download"),
    path("working/<slug:code>/", views.working, name="working"),
    path("reports/entries/", views.entries, name="report-entries"),
    path(
        "figures/<str:year>/<slug:code>/<str:basis>/",
        views.figure_history,
        name="figure-history",
    ),
    path("reports/compare/", views.compare, name="report-compare"),
    path("reports/minimum-strength/", views.minimum_strength, name="report-minimum-strength"),
    path("reports/<str:year>/publish/", views.publish, name="report-publish"),
    path("reports/<str:year>/unpublish/", views.unpublish, name="report-unpublish"),
    path("public/<str:provider>/", views.public_reports, name="public-reports"),
    path("public/<str:provider>/<str:year>/", views.public_report, name="public-report"),
    path("public/<str:provider>/<str:year>/report.pdf", views.public_pdf, name="public-pdf"),
    path("public/<str:provider>/<str:year>/report.json", views.public_json, name="public-json"),
]
