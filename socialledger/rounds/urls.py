from django.urls import path

from socialledger.rounds import views

urlpatterns = [
    path("rounds/", views.round_list, name="round-list"),
    path("rounds/new/", views.new_round, name="round-new"),
    path("rounds/<int:pk>/", views.round_detail, name="round-detail"),
]
