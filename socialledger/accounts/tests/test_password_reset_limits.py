"""Password-reset e-mails are limited per address and per client, across every server process
(the count is kept in the shared cache)."""

from django.core import mail


def ask_for_reset(client, email, address="203.0.113.7"):
    return client.post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR=address)


def test_one_address_gets_a_few_links_an_hour_and_the_answer_never_changes(
    client, olivia_officer, settings
):
    settings.PASSWORD_RESETS_PER_ADDRESS = 2
    answers = [
        ask_for_reset(client, "olivia@example.org", address=f"203.0.113.{n}") for n in range(4)
    ]
    assert len(mail.outbox) == 2
    # The same page each time, so nobody can tell a limited address from an unknown one.
    assert {answer.status_code for answer in answers} == {302}
    assert {answer["Location"] for answer in answers} == {"/accounts/password_reset/done/"}


def test_one_client_asking_for_many_addresses_is_told_to_wait(client, olivia_officer, settings):
    settings.PASSWORD_RESETS_PER_CLIENT = 3
    for n in range(3):
        assert ask_for_reset(client, f"someone{n}@example.org").status_code == 302
    refused = ask_for_reset(client, "olivia@example.org")
    assert refused.status_code == 429
    assert "Too many password-reset requests" in refused.content.decode()
    assert mail.outbox == []
    assert ask_for_reset(client, "olivia@example.org", address="198.51.100.1").status_code == 302
    assert len(mail.outbox) == 1


def test_the_counts_are_kept_in_the_shared_database_cache(settings):
    assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
