"""The new-round form says how to write a date, and a refused form comes back with everything
that was typed still in it, each error tied to its field."""

from django.urls import reverse


def test_the_date_fields_are_date_inputs_that_say_their_format(client, olivia_officer):
    client.force_login(olivia_officer)
    page = client.get(reverse("round-new")).content.decode()
    assert page.count('type="date"') == 2
    assert 'aria-describedby="id_opens_on_helptext"' in page
    assert "Day, month and year, for example 1 April 2025" in page


def test_a_refused_form_keeps_what_was_typed(client, olivia_officer):
    client.force_login(olivia_officer)
    typed = {
        "name": "Annual return 2024-25",
        "year": "not a year",
        "opens_on": "2025-04-01",
        "closes_on": "2025-06-30",
        "min_spend": "25000",
    }
    page = client.post(reverse("round-new"), typed).content.decode()
    assert 'aria-invalid="true"' in page
    assert 'id="id_year_error"' in page
    assert 'value="Annual return 2024-25"' in page
    assert 'value="not a year"' in page
    assert 'value="2025-04-01"' in page
    assert 'value="2025-06-30"' in page
    assert 'value="25000"' in page
