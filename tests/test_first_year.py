"""A provider's first year, from an empty database to a published report, through the product's
own doors only (the `setup` command, then pages): no Django admin, no demo data. It is the worked
example in docs/first-year.md."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from socialledger.accounts.models import Role
from socialledger.measures.models import Measure
from socialledger.returns.models import Return, Status

STRONG = "correct-horse-battery-staple"


def signed_in(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": STRONG})
    assert response.status_code == 302, "sign-in refused"
    return client


def done(response, to: str | None = None):
    """A form that was accepted redirects; one that was refused is shown again with why."""
    errors = response.context and response.context.get("form") and response.context["form"].errors
    assert response.status_code == 302, errors
    if to:
        assert to in response["Location"]
    return response


def invitation_link() -> str:
    body = mail.outbox[-1].body
    line = next(line for line in body.splitlines() if "/invitations/" in line)
    return line.strip().removeprefix("http://testserver")


@pytest.mark.django_db
def test_a_first_year_from_an_empty_database_to_a_published_report(
    tmp_path, django_capture_on_commit_callbacks
):
    # 1. Start: the provider and its first admin, from the command line.
    password_file = tmp_path / "password"
    password_file.write_text(STRONG)
    call_command(
        "setup",
        name="Northway Procurement",
        reference="NWPP",
        username="ada",
        email="ada@northway.example",
        password_file=str(password_file),
        no_input=True,
        stdout=StringIO(),
    )
    ada = signed_in("ada")

    # 2. Set up on the web: a framework, its lot, a member, a supplier appointed to the lot.
    done(
        ada.post(
            "/setup/frameworks/new/",
            {
                "reference": "DEC",
                "name": "Decarbonisation",
                "starts_on": "2024-04-01",
                "ends_on": "2028-03-31",
            },
        )
    )
    framework_url = ada.get("/setup/").context["frameworks"][0]
    done(
        ada.post(
            f"/setup/frameworks/{framework_url.pk}/lots/new/",
            {"reference": "1", "name": "Whole-house retrofit"},
        )
    )
    done(
        ada.post(
            "/setup/organisations/new/member/",
            {"reference": "LFH", "name": "Larkfield Homes", "sector": "housing"},
        )
    )
    done(
        ada.post(
            "/setup/organisations/new/supplier/",
            {"reference": "CRS", "name": "Calder Retrofit Services"},
        )
    )
    home = ada.get("/setup/").context
    member, supplier = home["members"][0], home["suppliers"][0]
    lot = framework_url.lots.get()
    done(ada.post(f"/setup/lots/{lot.pk}/appoint/", {"supplier": supplier.pk}))

    # 3. Let a contract, set its commitment and record a year's spend.
    response = done(
        ada.post(
            "/contracts/new/",
            {
                "lot": lot.pk,
                "reference": "DEC-001",
                "title": "Retrofit of 200 homes",
                "member": member.pk,
                "supplier": supplier.pk,
                "value": "2000000",
                "starts_on": "2024-04-01",
            },
        )
    )
    contract_url = response["Location"]
    jobs = Measure.objects.get(code="jobs-created", provider__isnull=True)
    done(
        ada.post(
            f"{contract_url}commitments/new/",
            {
                "measure": jobs.pk,
                "year": "2024-25",
                "basis": "per-million",
                "quantity": "10",
            },
        )
    )
    for quarter_end in ("2024-06-30", "2024-09-30", "2024-12-31", "2025-03-31"):
        done(ada.post(f"{contract_url}spend/new/", {"period_end": quarter_end, "amount": "400000"}))

    # 4. Invite the supplier's first contributor; the link arrives by e-mail and they join.
    with django_capture_on_commit_callbacks(execute=True):
        done(
            ada.post(
                "/people/invite/",
                {
                    "email": "cara@calder.example",
                    "organisation": supplier.pk,
                    "role": Role.SUPPLIER_CONTRIBUTOR,
                },
            )
        )
    cara = Client()
    done(
        cara.post(
            invitation_link(), {"username": "cara", "password": STRONG, "password_again": STRONG}
        )
    )

    # 5. Open the year's return round: the contract is in scope by its spend.
    today = timezone.localdate()
    done(
        ada.post(
            "/rounds/new/",
            {
                "name": "Annual return 2024-25",
                "year": "2024-25",
                "opens_on": today.isoformat(),
                "closes_on": (today + timedelta(days=42)).isoformat(),
                "min_spend": "100000",
            },
        )
    )
    ret = Return.objects.get()  # the round made one return, for Calder
    assert ret.supplier == supplier
    assert [s.contract for s in ret.scope.all()] == [contract_for(contract_url)]

    # 6. The supplier fills in its figure and submits; an officer verifies it.
    contract = contract_for(contract_url)
    prefix = f"c{contract.pk}-m{jobs.pk}"
    saved = cara.post(
        f"/returns/{ret.pk}/contracts/{contract.pk}/measures/{jobs.pk}/",
        {f"{prefix}-total": "24"},
        headers={"HX-Request": "true"},
    )
    assert "Saved" in saved.content.decode()
    done(cara.post(f"/returns/{ret.pk}/submit/"))
    done(ada.post(f"/returns/{ret.pk}/decisions/verify/", {"note": "Checked against payroll"}))
    ret.refresh_from_db()
    assert ret.status == Status.VERIFIED

    # 7. Publish: anyone can read the report, with the verified figure against the target.
    preview = ada.get("/reports/2024-25/publish/").content.decode()
    assert "Read what will go out before you confirm" in preview
    # The round is still open, so the year is in progress: it goes out as provisional.
    assert "Publish as provisional" in preview
    confirmed = {"confirm": "yes", "provisional": "yes"}
    done(ada.post("/reports/2024-25/publish/", confirmed), to="/public/NWPP/2024-25/")
    public = Client().get("/public/NWPP/2024-25/")
    assert public.status_code == 200
    text = public.content.decode()
    assert "Northway Procurement" in text
    assert "24" in text
    # Nobody needed the Django admin: there is no superuser, nor any staff account.
    assert not get_user_model().objects.filter(is_staff=True).exists()


def contract_for(url: str):
    from socialledger.contracts.models import Contract

    return Contract.objects.get(pk=int(url.strip("/").split("/")[-1]))
