"""A contract records the outcome model version it was procured under, chosen by the day its
procurement started unless named; when it is over the KPI threshold, the contract page suggests
KPIs from that model's reporting metrics that the contract's measures already cover."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from socialledger.audit.models import AuditEvent
from socialledger.contracts.models import Contract
from socialledger.outcomes.actions import OutcomeError, record_procured_under
from socialledger.outcomes.reading import suggested_kpis
from socialledger.outcomes.tests.factories import (
    make_example_crosswalk,
    make_example_model,
    model_version,
)
from socialledger.returns.tests.factories import make_return


@pytest.fixture
def versions(provider):
    """The example model's 2026-1 text for procurements from April 2026 to the end of 2026,
    and a 2027-1 version from 1 January 2027."""
    first = make_example_model(provider, model_version("2026-1", "2026-04-01", "2026-12-31"))
    later = make_example_model(provider, model_version("2027-1", "2027-01-01"))
    return first, later


def test_the_version_is_chosen_by_the_day_the_procurement_started(contract, versions):
    first, later = versions
    chosen = record_procured_under(
        contract,
        code="northshire-themes",
        procurement_started_on=date(2026, 11, 3),
        by=None,
    )
    assert chosen == first
    assert (
        record_procured_under(
            contract, code="northshire-themes", procurement_started_on=date(2027, 1, 1), by=None
        )
        == later
    )
    contract.refresh_from_db()
    assert (contract.outcome_model, contract.procurement_started_on) == (later, date(2027, 1, 1))


def test_a_named_version_is_kept_whatever_the_date(contract, versions):
    first, _ = versions
    record_procured_under(contract, model=first, procurement_started_on=date(2027, 3, 1), by=None)
    assert Contract.objects.get(pk=contract.pk).outcome_model == first


def test_without_a_version_in_force_that_day_nothing_is_recorded(contract, versions):
    with pytest.raises(OutcomeError, match="started on 1 April 2021"):
        record_procured_under(contract, code="northshire-themes", by=None)  # its start date
    assert Contract.objects.get(pk=contract.pk).outcome_model is None


def test_another_providers_model_is_refused(contract, other_provider):
    theirs = make_example_model(other_provider)
    with pytest.raises(OutcomeError, match="another provider"):
        record_procured_under(contract, model=theirs, by=None)


def test_recording_it_is_audited_once(contract, versions):
    first, _ = versions
    for _ in range(2):
        record_procured_under(contract, model=first, by=None)
    event = AuditEvent.objects.get(action="contract.procured_under")
    assert event.after == {
        "outcome_model": "northshire-themes@2026-1",
        "procurement_started_on": None,
    }


@pytest.fixture
def covered(provider, supplier, contract, versions):
    """Jobs and apprenticeships on the contract, mapped under the 2026-1 version."""
    first, _ = versions
    make_example_crosswalk(provider, first)
    make_return(supplier, [(contract, "jobs-created", 4), (contract, "apprenticeships-created", 3)])
    record_procured_under(contract, model=first, by=None)
    return first


def test_suggested_kpis_are_the_metrics_the_contracts_measures_cover(contract, covered):
    suggestions = suggested_kpis(contract)
    assert [(s.metric_code, s.outcome, s.measures) for s in suggestions] == [
        ("N1.1a", "N1.1 More Northshire residents in work", (("jobs-created", "Jobs created"),)),
        (
            "N1.2a",
            "N1.2 More young people starting a trade",
            (("apprenticeships-created", "Apprenticeships created"),),
        ),
        (
            "N2.1a",
            "N2.1 Residents gaining skills and qualifications",
            (("apprenticeships-created", "Apprenticeships created"),),
        ),
    ]


def test_a_contract_with_no_model_recorded_has_no_suggestions(contract):
    assert suggested_kpis(contract) == ()


def test_the_contract_page_asks_an_officer_for_the_three_most_material(
    contract, covered, olivia_officer, settings
):
    settings.KPI_THRESHOLD = 1_000_000
    client = Client()
    client.force_login(olivia_officer)
    text = client.get(reverse("contract-detail", args=[contract.pk])).content.decode()
    assert "KPIs suggested by Northshire Council social value themes" in text
    assert "Choose the three most material" in text
    assert "N1.1a People starting work on the contract" in text
