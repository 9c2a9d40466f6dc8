"""A job's page shows each step as the work goes (reading, checking, writing, the summaries) with
counts, follows it until it ends, and then shows its result; the person who started a job that
took more than a minute is e-mailed a link to it."""

from django.core import mail
from django.db import transaction

from socialledger.jobs.models import Job, Stage
from socialledger.jobs.runner import Reporter
from socialledger.jobs.tests.conftest import GOOD_ROWS, figures_file, upload


def test_a_running_jobs_page_shows_its_step_and_counts_and_keeps_following_it(
    ledger, olivia, olivia_officer
):
    job = Job.objects.create(
        provider=ledger, started_by=olivia_officer, kind="figures", stage=Stage.CHECKING, done=40
    )
    page = olivia.get(f"/jobs/{job.pk}/").content.decode()
    assert "Reading the file: done" in page
    assert "Checking: <strong>in progress</strong> – 40 rows so far" in page
    assert "Writing: to come" in page
    assert 'hx-trigger="every 2s"' in page


def test_counts_inside_the_all_or_nothing_write_reach_the_page_before_it_commits(
    ledger, olivia, olivia_officer, monkeypatch
):
    monkeypatch.setattr("socialledger.jobs.runner.SEND_EVERY", 0)
    job = Job.objects.create(provider=ledger, started_by=olivia_officer, kind="figures")
    reporter = Reporter(job)
    with reporter.progress("Writing entries", 10) as writing, transaction.atomic():
        writing.advance(4)
        writing.advance(1)
        # The job's row still says what it said as the write began ...
        assert Job.objects.values_list("stage", "done").get(pk=job.pk) == (Stage.WRITING, 0)
        page = olivia.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    # ... while its page already shows how far the write has got.
    assert "Writing: <strong>in progress</strong> – 5 of 10 rows" in page
    assert "<html" not in page  # HTMX gets the progress part alone


def test_once_every_row_is_written_the_step_is_the_summaries(ledger, olivia_officer):
    job = Job.objects.create(provider=ledger, started_by=olivia_officer, kind="figures")
    reporter = Reporter(job)
    with reporter.progress("Writing entries", 3) as writing, transaction.atomic():
        writing.advance(3)
        assert job.live()["stage"] == Stage.SUMMARIES


def test_a_finished_job_stops_being_followed(ledger, olivia):
    page = upload(olivia, figures_file(*GOOD_ROWS)).content.decode()
    assert "hx-trigger" not in page


def test_the_starter_is_emailed_when_a_job_took_more_than_a_minute(ledger, olivia, settings):
    settings.JOB_EMAIL_AFTER_SECONDS = -1  # every job "took longer"
    upload(olivia, figures_file(*GOOD_ROWS))
    job = Job.objects.get()
    (sent,) = mail.outbox
    assert sent.to == ["olivia@example.org"]
    assert sent.subject == "Finished: Check: Figures (CSV or workbook) (figures.csv)"
    assert "Would import 3 rows" in sent.body
    assert f"/jobs/{job.pk}/" in sent.body


def test_a_quick_job_sends_no_email(ledger, olivia):
    upload(olivia, figures_file(*GOOD_ROWS))
    assert mail.outbox == []


def test_the_report_summaries_are_rebuilt_as_a_job(ledger, olivia):
    page = olivia.post("/jobs/rebuild-summaries/", follow=True).content.decode()
    assert "The report summaries were worked out again from 0 entries." in page
    assert Job.objects.get().stage == Stage.DONE
