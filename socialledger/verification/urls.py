from django.urls import path

from socialledger.verification import views

urlpatterns = [
    path("verification/", views.overview, name="verification"),
    path("verification/samples/", views.draw, name="sample-draw"),
    path("verification/samples/<int:pk>/", views.sample_detail, name="sample-detail"),
    path("verification/items/<int:pk>/", views.check, name="sample-check"),
]
