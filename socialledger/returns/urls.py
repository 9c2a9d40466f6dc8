from django.urls import path

from socialledger.returns import spend_views, supply_chain_views, views

urlpatterns = [
    path("returns/", views.return_list, name="return-list"),
    path("returns/<int:pk>/", views.return_detail, name="return-detail"),
    path(
        "returns/<int:pk>/contracts/<int:contract_pk>/measures/<int:measure_pk>/",
        views.save_figures,
        name="return-figures",
    ),
    path("returns/<int:pk>/figures/", views.save_all, name="return-save-all"),
    path("returns/<int:pk>/contracts/<int:contract_pk>/nil/", views.set_nil, name="return-nil"),
    path("returns/<int:pk>/submit/", views.submit, name="return-submit"),
    path("returns/<int:pk>/evidence/", views.add_evidence, name="evidence-add"),
    path("returns/<int:pk>/spend-lines/", spend_views.add_spend_line, name="spend-line-add"),
    path(
        "returns/<int:pk>/spend-lines/<int:line_pk>/remove/",
        spend_views.remove_spend,
        name="spend-line-remove",
    ),
    path("returns/<int:pk>/decisions/<str:decision>/", views.decide, name="return-decide"),
    path(
        "supply-chain/parts/<int:pk>/<str:decision>/",
        supply_chain_views.part_decide,
        name="part-decide",
    ),
    path("supply-chain/", supply_chain_views.supply_chain_home, name="supply-chain"),
    path(
        "supply-chain/<int:subcontract_pk>/returns/<int:pk>/",
        supply_chain_views.part_detail,
        name="part-detail",
    ),
    path(
        "supply-chain/<int:subcontract_pk>/returns/<int:pk>/send/",
        supply_chain_views.part_send,
        name="part-send",
    ),
    path("evidence/<int:pk>/", views.download_evidence, name="evidence-download"),
    path("evidence/<int:pk>/grade/", views.grade_evidence, name="evidence-grade"),
    path("evidence/<int:pk>/remove/", views.remove_evidence, name="evidence-remove"),
]
