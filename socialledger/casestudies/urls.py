from django.urls import path

from socialledger.casestudies import views

urlpatterns = [
    path("case-studies/", views.case_study_list, name="case-studies"),
    path("case-studies/new/", views.case_study_new, name="case-study-new"),
    path("case-studies/<int:pk>/", views.case_study_detail, name="case-study"),
    path("case-studies/<int:pk>/photos/", views.photo_add, name="case-study-photo-add"),
    path("case-studies/<int:pk>/consents/", views.consent_add, name="case-study-consent-add"),
    path("case-studies/<int:pk>/approve/", views.approve, name="case-study-approve"),
    path(
        "case-studies/consents/<int:pk>/withdraw/",
        views.consent_withdraw,
        name="case-study-consent-withdraw",
    ),
    path("case-studies/photos/<int:pk>/", views.photo, name="case-study-photo"),
    path(
        "public/<str:provider>/<str:year>/photos/<int:pk>/",
        views.public_photo,
        name="public-case-study-photo",
    ),
    path("reports/<str:year>/press/", views.press, name="press-pack"),
    path("reports/<str:year>/press.zip", views.press_download, name="press-pack-download"),
    path("reports/<str:year>/press/headline.png", views.press_image, name="press-pack-image"),
]
