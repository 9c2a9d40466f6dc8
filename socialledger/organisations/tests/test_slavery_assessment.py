"""A yearly modern slavery risk assessment per supplier, shown on the supplier's page; overdue
ones are listed in the provider's set-up page.

Personas: Olivia, the provider's officer; Cara of Calder Retrofit Services (CRS), the supplier.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from socialledger.audit.models import AuditEvent
from socialledger.organisations.actions import record_slavery_assessment


def assess(supplier, **details):
    return record_slavery_assessment(
        supplier, financial_year=2024, by=None, **{"due_on": date(2025, 3, 31), **details}
    )


def test_an_assessment_done_needs_its_date_and_is_audited(supplier):
    with pytest.raises(ValidationError, match="date"):
        assess(supplier, done=True)
    assess(supplier, done=True, done_on=date(2025, 1, 10), evidence="Board minutes, Jan 2025")
    assert supplier.slavery_assessments.get().done
    assert AuditEvent.objects.filter(action="organisation.slavery_assessment_recorded").exists()


def test_a_member_has_no_slavery_assessment(member):
    with pytest.raises(ValidationError, match="Only a supplier"):
        assess(member, done=False)


def test_olivia_records_one_on_the_suppliers_page_and_sees_overdue_ones(
    client, supplier, olivia_officer
):
    client.force_login(olivia_officer)
    page = f"/setup/organisations/{supplier.pk}/"
    assert "Modern slavery risk assessment" in client.get(page).content.decode()
    late = timezone.localdate() - timedelta(days=5)
    client.post(
        f"{page}slavery/", {"year": "2024-25", "due_on": late.isoformat(), "follow_up": "Chase"}
    )
    assert "(overdue)" in client.get(page).content.decode()
    assert "Modern slavery risk assessments overdue" in client.get("/setup/").content.decode()
    client.post(
        f"{page}slavery/",
        {"year": "2024-25", "due_on": late.isoformat(), "done": "on", "done_on": late.isoformat()},
    )
    assert "assessments overdue" not in client.get("/setup/").content.decode()


def test_cara_cannot_record_an_assessment(client, supplier, cara_contributor):
    client.force_login(cara_contributor)
    assert client.get(f"/setup/organisations/{supplier.pk}/slavery/").status_code == 404
