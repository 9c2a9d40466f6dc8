"""The report as documents: the HTML body (page, PDF and published snapshot share it), the PDF
(WeasyPrint, from that same HTML and SVG) and the XLSX workbook. Each renders the one report
object; none aggregates anything.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from socialledger.lib.csvsafe import safe_cell
from socialledger.lib.memo import Memo
from socialledger.reports import carbon, spend, supply_chain
from socialledger.reports.charts import default_league_code, report_charts
from socialledger.reports.comparisons import per_million_shown
from socialledger.reports.narrative import narrative
from socialledger.reports.renderers import status_lines, title, verification_note
from socialledger.reports.report import AnnualReport
from socialledger.reports.suppression import Suppression
from socialledger.reports.working import headline, method_note, money_lines
from socialledger.reports.years import coverage_words, status_words

# A download's extension: (content type, link text), in the order the report page offers them.
DOWNLOADS = {
    "pdf": ("application/pdf", "PDF"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    "csv": ("text/csv; charset=utf-8", "CSV"),
    "json": ("application/json; charset=utf-8", "JSON"),
    "md": ("text/markdown; charset=utf-8", "Markdown"),
    "txt": ("text/plain; charset=utf-8", "Text"),
}
TEXT_FORMATS = {"csv": "csv", "json": "json", "md": "markdown", "txt": "text"}


def report_file(report: AnnualReport, extension: str, reference: str) -> tuple[bytes, str, str]:
    """The report as a download (one of DOWNLOADS): its bytes, content type and file name
    (which names the provider by its reference)."""
    from socialledger.reports.renderers import render

    if extension == "pdf":
        body = render_pdf(report)
    elif extension == "xlsx":
        body = render_xlsx(report)
    else:
        body = render(report, TEXT_FORMATS[extension]).encode("utf-8")
    name = f"social-value-{reference}-{report.year.label}.{extension}".lower()
    return body, DOWNLOADS[extension][0], name


PRINT_CSS = Path(__file__).resolve().parent.parent / "static" / "socialledger" / "print.css"


def body_context(
    report: AnnualReport,
    *,
    suppression: Suppression | None = None,
    links: bool = False,
    league_code: str | None = None,
) -> dict:
    """What the report body template needs: the report, its charts and its words."""
    codes = {line.code for line in report.measures}
    league = league_code if league_code in codes else default_league_code(report)
    sentences = narrative(report)
    if suppression:
        # A sentence about a hidden figure would give it away: leave it out.
        sentences = [
            s
            for s, line in zip(sentences, report.measures, strict=True)
            if not any(suppression.hides("headline", line.code, y) for y in ("current", "previous"))
        ]
    return {
        "report": report,
        "charts": report_charts(report, league, suppression),
        "suppression": suppression,
        "links": links,
        "narrative": sentences,
        "league_code": league,
        "league_line": report.measure(league) if league else None,
        "money_headline": headline(report) if report.money else "",
        "method_note": method_note(report.money, commands=False) if report.money else "",
        "verification_note": verification_note(report),
        "status_words": status_words(report.status, report.year) if report.status else "",
        "coverage_words": coverage_words(report.status) if report.status else "",
        "money_words": _money_words(report, suppression),
        "trend_years": sorted({f.year for line in report.measures for f in line.history}),
        "supply_chain_lines": [
            line
            for line in report.supply_chain.lines
            if not (suppression and suppression.hides("headline", line.code, "current"))
        ],
        "supply_chain_tiers": supply_chain.TIER_WORDS,
        "spend": report.spend,
        "spend_sentences": [spend.sentence(line) for line in report.spend.lines],
        "spend_words": spend.BUSINESS_AS_USUAL_WORDS,
        "carbon": report.carbon,
        "carbon_rows": carbon.table_rows(report.carbon),
        "carbon_total": carbon.tonnes(report.carbon.total),
        "carbon_baseline": carbon.tonnes(report.carbon.baseline),
        "carbon_words": carbon.APART_WORDS,
    }


def _money_words(report: AnnualReport, suppression: Suppression | None) -> list[str]:
    """The £ in the same sentences as the command-line report; a published report leaves out
    the per-£1 sentence of a grouping with a withheld group, and any hidden measure's £."""
    if report.money is None:
        return []
    # The headline and method note are shown on their own.
    words = money_lines(report, commands=False)[3:]
    if not suppression:
        return words
    withheld = {
        table.title.lower()
        for table in report.money.per_pound
        if any(suppression.hides_group(table.by, row.reference) for row in table.rows)
    }
    hidden = {
        line.name
        for line in report.measures
        if suppression.hides("headline", line.code, "current")
        or suppression.hides("headline", line.code, "previous")
    }
    return [
        w
        for w in words
        if not any(w.startswith(f"Social value per £1 of contract value, {t}") for t in withheld)
        and not any(w.startswith(f"{name}:") for name in hidden)
    ]


def render_body(report: AnnualReport, **options) -> str:
    """The report's sections as HTML, as the page, the PDF and a published snapshot show them."""
    return render_to_string("reports/_report_body.html", body_context(report, **options))


_kept_pages = Memo(settings.REPORTS_KEPT)


def page_body(
    report: AnnualReport, *, league_code: str | None, scope_param: str, can_choose_scope: bool
) -> str:
    """The report's sections as the report page shows them (every figure a link), rendered once
    per report object and choice: `current_report` hands out the same object while the ledger
    stands still, so an unchanged page is not rendered again."""

    def render() -> tuple[AnnualReport, str]:
        context = body_context(report, links=True, league_code=league_code) | {
            "scope_param": scope_param,
            "can_choose_scope": can_choose_scope,
            "league_choices": [line for line in report.measures if line.headline.recorded],
        }
        return report, mark_safe(render_to_string("reports/_report_body.html", context))  # noqa: S308 - our template's output

    key = (id(report), league_code, scope_param, can_choose_scope)
    kept = _kept_pages.get_or_build(key, render)
    if kept[0] is not report:  # another report that has the same id now the first is gone
        kept = render()
        _kept_pages.put(key, kept)
    return kept[1]


def contents(report: AnnualReport) -> list[tuple[str, str]]:
    """The PDF's contents list: (anchor, heading) of each section present."""
    entries = [
        ("headlines", "Headline figures"),
        ("summary", "Summary"),
        ("figures", "Figures"),
        *([("strength", "How sure each figure is")] if report.strengths else []),
        ("commitments", "Commitments against delivery"),
        ("progress", "Return progress"),
        ("quality", "Data quality"),
        *([("claims", "Figures claimed elsewhere")] if report.claims else []),
        ("trends", "Trends across every year on record"),
        ("breakdowns", "Breakdowns"),
    ]
    entries += [(f"group-{t.by}", t.title) for t in report.groups if t.rows]
    if report.groups:
        entries.append(("league", "League tables per £1m of contract value"))
    entries.append(("money", "Social value in £"))
    if report.donations.shown:
        entries.append(("donations", "Donations"))
    if report.supply_chain.lines:
        entries.append(("supply-chain", supply_chain.HEADING))
    if report.spend.lines:
        entries.append(("spend", spend.HEADING))
    if report.carbon.lines:
        entries.append(("carbon", carbon.HEADING))
    entries.append(("method", "Method"))
    return entries


def render_pdf(report: AnnualReport, *, suppression: Suppression | None = None) -> bytes:
    """The report as a PDF: a cover, a contents list with page numbers, the sections (the same
    HTML and SVG charts as the page) and the method note; page numbers on every page."""
    body = render_body(report, suppression=suppression)
    return pdf_from_body(
        title(report), contents(report), body, made_at=timezone.now(), author=str(report.provider)
    )


def pdf_from_body(
    heading: str,
    sections,
    body: str,
    *,
    made_at,
    author: str,
    published: bool = False,
    seal=None,
    provisional: bool = False,
) -> bytes:
    """A PDF around an already rendered report body (a published snapshot prints as it is, with
    the audit chain's head at publication in its words and its metadata): tagged (PDF/UA-1) so a
    screen reader can follow its headings and tables, with its title, language, author, subject
    and bookmarks."""
    from weasyprint import CSS, HTML

    html = render_to_string(
        "reports/pdf.html",
        {
            "title": heading,
            "author": author,
            "contents": sections,
            "body": body,
            "made_at": made_at,
            "published": published,
            "seal": seal,
            "provisional": provisional,
        },
    )
    return HTML(string=html).write_pdf(
        stylesheets=[CSS(filename=str(PRINT_CSS))], pdf_variant="pdf/ua-1"
    )


# --- XLSX -------------------------------------------------------------------------------------


def render_xlsx(report: AnnualReport) -> bytes:
    """The report as a workbook: a sheet per table, numbers stored as numbers with £ and %
    formats, text cells neutralised so that none runs as a formula."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    formats = _Formats(book)
    for name, header, rows in _sheets(report):
        sheet = book.add_worksheet(name)
        sheet.set_column(0, 0, 44)
        sheet.set_column(1, len(header), 16)
        for col, text in enumerate(header):
            sheet.write_string(0, col, str(safe_cell(text)), formats.bold)
        for number, row in enumerate(rows, start=1):
            for col, cell in enumerate(row):
                formats.write(sheet, number, col, cell)
    book.close()
    return out.getvalue()


class _Formats:
    def __init__(self, book) -> None:
        self.bold = book.add_format({"bold": True})
        self.count = book.add_format({"num_format": "#,##0.####"})
        self.pounds = book.add_format({"num_format": "£#,##0.00"})
        self.whole_percent = book.add_format({"num_format": "0%"})
        self.tenth_percent = book.add_format({"num_format": "0.0%"})
        self.rate = book.add_format({"num_format": "#,##0.0"})

    def write(self, sheet, row: int, col: int, cell) -> None:
        if cell is None or cell == "":
            return
        if isinstance(cell, Money):
            sheet.write_number(row, col, float(cell.value), self.pounds)
        elif isinstance(cell, Percent):
            share = cell.value / 100
            fmt = self.tenth_percent if abs(cell.value) < 10 else self.whole_percent
            sheet.write_number(row, col, float(share), fmt)
        elif isinstance(cell, Rate):
            sheet.write_number(row, col, float(cell.value), self.rate)
        elif isinstance(cell, Decimal | int) and not isinstance(cell, bool):
            sheet.write_number(row, col, float(cell), self.count)
        else:
            sheet.write_string(row, col, str(safe_cell(str(cell))))


class Money:
    def __init__(self, value: Decimal) -> None:
        self.value = value


class Percent:
    def __init__(self, value: Decimal) -> None:
        self.value = value


class Rate:
    def __init__(self, value: Decimal) -> None:
        self.value = value


def _amount(line, value: Decimal | None):
    if value is None:
        return None
    return Money(value) if line.is_money else value


def _percent(change):
    return None if change.percent is None else Percent(change.percent)


def _sheets(report: AnnualReport):
    """(sheet name, header, rows) for each table of the report."""
    yield _summary(report)
    yield _figures(report)
    yield _commitments(report)
    yield _trends(report)
    yield _breakdowns(report)
    for table in report.groups:
        yield _group(report, table)
    if report.groups:
        yield _leagues(report)
    if report.money:
        yield _money(report)
    yield _donations(report)
    if report.supply_chain.lines:
        yield _supply_chain(report)
    if report.spend.lines:
        yield _spend(report)
    if report.carbon.lines:
        yield _carbon(report)
    yield _strengths(report)
    yield _quality(report)
    yield _claims(report)


def _quality(report):
    rows = [
        ["Open", report.quality.open],
        ["Checked", report.quality.checked],
        *[["Warning", line] for line in report.quality.lines],
    ]
    return "Data quality", ["", ""], rows


def _claims(report):
    header = ["Measure", "Claimed by", "Source", "Claimed", "Ledger", "Difference", "Differs"]
    rows = [
        [
            claim.name,
            claim.claimed_by,
            claim.source,
            claim.claimed,
            claim.ledger,
            claim.difference,
            "yes" if claim.differs else "no",
        ]
        for claim in report.claims
    ]
    return "Claims", header, rows


def _share(status):
    """Delivery as a share of the target, for a percent-formatted cell."""
    return Percent(status.delivered * 100 / status.target) if status.target else None


def _summary(report):
    rows = [
        ["Report", title(report)],
        ["Provider", report.provider],
        ["Scope", f"{report.scope_kind}: {report.scope_label}"],
        ["Year", report.year.label],
        ["Compared with", report.previous_year.label],
        ["Basis", report.basis],
        *[["Year status", words] for words in status_lines(report)],
        ["Targets judged on", f"{report.as_of:%Y-%m-%d}" if report.as_of else ""],
        ["Like-for-like contracts", report.like_for_like_contracts],
        ["Contracts live", report.coverage.contracts_live],
        ["Contracts reporting", report.coverage.contracts_reporting],
        *[[f"Returns {status.lower()}", n] for status, n in report.coverage.returns_by_status],
        *[["Restatement", note] for note in report.restatements],
        *[["Summary", sentence] for sentence in narrative(report)],
    ]
    return "Summary", ["", ""], rows


def _figures(report):
    this, last = report.year.label, report.previous_year.label
    header = [
        "Measure",
        "Code",
        "Unit",
        this,
        last,
        "Change",
        f"Like-for-like {last}",
        f"Like-for-like {this}",
        "Like-for-like change",
        "Reported, not yet verified",
        "Since records began",
        "Entries",
        "Made of",
        "Change is",
    ]
    rows = []
    for line in report.measures:
        lfl = line.like_for_like
        rows.append(
            [
                line.name,
                line.code,
                line.unit_label,
                _amount(line, line.headline.value) if line.headline.recorded else None,
                _amount(line, line.previous_headline.value)
                if line.previous_headline.recorded
                else None,
                _percent(line.change) if line.comparable else line.change_words,
                _amount(line, lfl.previous) if lfl else None,
                _amount(line, lfl.current) if lfl else None,
                _percent(lfl.change) if lfl else None,
                _amount(line, line.unverified),
                _amount(line, line.cumulative.total) if line.cumulative else None,
                line.headline.entries,
                " + ".join(c.name for c in line.components),
                line.change_words,
            ]
        )
    return "Figures", header, rows


def _commitments(report):
    header = [
        "Measure",
        "Target set on",
        "Target",
        "Expected by now",
        "Delivered",
        "Of target",
        "Status",
    ]
    rows = []
    for line in report.measures:
        c = line.commitments
        for where, status in (
            (f"{c.contracts_committed} contracts", c.on_contracts_status),
            (f"{report.scope_label} as a whole", c.scope_status),
            *[(f"{t.framework}/{t.reference} {t.title}", t.status) for t in c.contracts],
        ):
            if status is not None:
                rows.append(
                    [
                        line.name,
                        where,
                        _amount(line, status.target),
                        _amount(line, status.expected),
                        _amount(line, status.delivered),
                        _share(status),
                        status.label,
                    ]
                )
    return "Commitments", header, rows


def _trends(report):
    years = sorted({f.year for line in report.measures for f in line.history})
    rows = []
    for line in report.measures:
        by_year = {f.year: f.on(report.basis) for f in line.history}
        rows.append(
            [line.name] + [_amount(line, by_year[y].value) if y in by_year else None for y in years]
        )
    return "Trends", ["Measure", *[y.label for y in years]], rows


def _breakdowns(report):
    header = ["Measure", "Breakdown", "Value", report.year.label, report.previous_year.label]
    rows = [
        [line.name, b.name, r.label, _amount(line, r.current), _amount(line, r.previous)]
        for line in report.measures
        for b in line.breakdowns
        if b.has_stated_figures
        for r in b.rows
    ]
    return "Breakdowns", header, rows


def _group(report, table):
    header = [table.by.capitalize(), "Reference", "Contract value live (£)"]
    header += [line.name for line in report.measures]
    rows = [
        [row.name, row.reference, Money(row.contract_value)]
        + [_amount(line, row.cell(line.code).current) for line in report.measures]
        for row in table.rows
    ]
    return table.title[:31], header, rows


def _leagues(report):
    header = [
        "Grouping",
        "Measure",
        "Rank",
        "Name",
        "Figure",
        "Contract value live (£)",
        "Per £1m",
        "Spent in the year (£)",
        "Per £1m spent",
    ]
    rows = []
    for table in report.groups:
        for line in report.measures:
            for rank, row in enumerate(table.league(line.code), start=1):
                cell = row.cell(line.code)
                rows.append(
                    [
                        table.title,
                        line.name,
                        rank if cell.per_million is not None else None,
                        row.name,
                        _amount(line, cell.current),
                        Money(row.contract_value),
                        _rate(cell.per_million),
                        Money(row.spent),
                        _rate(cell.per_million_spent),
                    ]
                )
    return "League tables", header, rows


def _rate(value):
    """A rate per £1m as every output shows it (comparisons.per_million_shown)."""
    return Rate(per_million_shown(value)) if value is not None else None


def _money(report):
    money = report.money
    header = [
        "Measure",
        "Count",
        "£ gross (central)",
        "£ net nominal (central)",
        "£ net nominal (low)",
        "£ net nominal (high)",
        f"£ net real {money.price_year.label}",
    ]
    rows = []
    for line in money.valued:
        w = line.on(report.basis)
        rows.append(
            [
                line.name,
                w.quantity,
                Money(w.nominal_gross.central),
                Money(w.nominal.central),
                Money(w.nominal.low),
                Money(w.nominal.high),
                Money(w.real.central) if w.real else None,
            ]
        )
    total = money.total()
    rows.append(
        [
            "Total",
            None,
            Money(total.gross.central),
            Money(total.net.central),
            Money(total.net.low),
            Money(total.net.high),
            Money(total.real_net.central) if total.real_net else None,
        ]
    )
    return "Social value in £", header, rows


def _donations(report):
    header = ["What was given", "Kind", "Supplier", "Member", "Contract", "Amount", "Verified"]
    rows = [
        [
            d.description,
            d.kind,
            d.supplier,
            d.member,
            d.contract,
            Money(d.amount),
            "yes" if d.verified else "no",
        ]
        for d in report.donations.shown
    ]
    if report.donations.omitted:
        rows.append(
            [
                f"and {report.donations.omitted} more",
                "",
                "",
                "",
                "",
                Money(report.donations.omitted_total),
                "",
            ]
        )
    return "Donations", header, rows


def _supply_chain(report):
    header = ["Measure", "Delivered by", "Tier", "Quantity", "Share of the figure"]
    rows = []
    for line in report.supply_chain.lines:
        rows.append([line.name, "All", "", _amount(line, line.total), None])
        rows.append(
            [
                line.name,
                "Through the supply chain",
                "",
                _amount(line, line.through_supply_chain),
                None if line.share is None else Percent(line.share),
            ]
        )
        rows += [
            [line.name, firm.organisation, firm.tier, _amount(line, firm.quantity), None]
            for firm in line.by
        ]
    return "Supply chain", header, rows


def _spend(report):
    """Each class of firm's spend, additional and business as usual, as shares of all spend."""
    header = ["Spend with", "Additional", "Share", "Business as usual", "Share"]
    header += ["Not yet classed", "All spend", "Rule"]
    rows = [
        [
            line.name,
            Money(line.additional.numerator),
            _ratio_percent(line.additional),
            Money(line.business_as_usual.numerator),
            _ratio_percent(line.business_as_usual),
            Money(line.unclassified),
            Money(line.additional.denominator),
            line.rule,
        ]
        for line in report.spend.lines
    ]
    return "Spend", header, rows


def _ratio_percent(ratio):
    return None if ratio.percent is None else Percent(ratio.percent)


def _carbon(report):
    """Each contract's emissions in tonnes of CO2e; never in £."""
    header = ["Contract", "Scope 1", "Scope 2", "Scope 3", "This year", "Baseline"]
    header += ["Baseline year", "Commitment", "Commitment year"]
    rows = [
        [
            line.contract,
            line.scope_1,
            line.scope_2,
            line.scope_3,
            line.total,
            line.baseline,
            line.baseline_year,
            line.commitment,
            line.commitment_year,
        ]
        for line in report.carbon.lines
    ]
    return "Carbon (tCO2e)", header, rows


def _strengths(report):
    """Each measure's figure by evidence strength, strongest first, with its summary."""
    labels = [part.label for part in report.strengths[0].parts] if report.strengths else []
    header = ["Measure", "Total", *labels, "Counted towards headline", "Reference", "Summary"]
    rows = [
        [
            line.name,
            _amount(line, line.total.value),
            *[_amount(line, part.figure.value) for part in line.parts],
            _amount(line, line.counted_value),
            line.reference,
            line.summary,
        ]
        for line in report.strengths
    ]
    return "Evidence strength", header, rows
