from django.urls import path

from socialledger.returns import views

urlpatterns = [
    path("returns/", views.return_list, name="return-list"),
    path("returns/<int:pk>/", views.return_detail, name="return-detail"),
]
