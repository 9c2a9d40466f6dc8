from django.urls import path

from socialledger.contracts import setup_views, supply_chain_views, views

urlpatterns = [
    path("contracts/", views.contract_list, name="contract-list"),
    path("contracts/new/", setup_views.contract_new, name="contract-new"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/edit/", setup_views.contract_edit, name="contract-edit"),
    path(
        "contracts/<int:pk>/commitments/new/",
        setup_views.commitment_new,
        name="commitment-new",
    ),
    path("contracts/<int:pk>/spend/new/", setup_views.spend_new, name="spend-new"),
    path("contracts/<int:pk>/emissions/new/", setup_views.emissions_new, name="emissions-new"),
    path(
        "contracts/<int:pk>/subcontractors/new/",
        supply_chain_views.subcontractor_new,
        name="subcontractor-new",
    ),
    path(
        "subcontractors/<int:pk>/invite/",
        supply_chain_views.subcontractor_invite,
        name="subcontractor-invite",
    ),
    path("setup/", setup_views.setup_home, name="setup"),
    path("setup/frameworks/new/", setup_views.framework_new, name="framework-new"),
    path("setup/frameworks/<int:pk>/", setup_views.framework_detail, name="setup-framework"),
    path("setup/frameworks/<int:pk>/edit/", setup_views.framework_edit, name="framework-edit"),
    path("setup/frameworks/<int:pk>/lots/new/", setup_views.lot_new, name="lot-new"),
    path("setup/lots/<int:pk>/", setup_views.lot_edit, name="setup-lot"),
    path("setup/lots/<int:pk>/appoint/", setup_views.lot_appoint, name="lot-appoint"),
    path(
        "setup/lots/<int:pk>/suppliers/<int:supplier_pk>/remove/",
        setup_views.lot_remove_supplier,
        name="lot-remove-supplier",
    ),
    path("setup/commitments/", setup_views.commitments, name="setup-commitments"),
    path("setup/commitments/new/", setup_views.commitment_set, name="commitment-set"),
    path("setup/commitments/<int:pk>/edit/", setup_views.commitment_edit, name="commitment-edit"),
    path(
        "setup/commitments/<int:pk>/remove/",
        setup_views.commitment_remove,
        name="commitment-remove",
    ),
]
