from django.urls import path

from socialledger.organisations import views

urlpatterns = [
    path("setup/organisations/new/<str:kind>/", views.organisation_new, name="organisation-new"),
    path("setup/organisations/<int:pk>/", views.organisation_edit, name="setup-organisation"),
    path(
        "setup/organisations/<int:pk>/slavery/",
        views.slavery_assessment,
        name="slavery-assessment",
    ),
]
