"""The press pack for a published year: the press-release text, the headline figures with their
evidence strength, approved case studies consented for the press placed beside the figures they
illustrate, a headline image for social media and the report's charts.

Every number comes from the published snapshot (`PublishedReport.press`, taken by
`press_snapshot` in the same transaction as the report's body), never from the ledger as it is
now; only the case studies are read live, so a withdrawn consent takes a story out at once.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from matplotlib.figure import Figure

from socialledger.casestudies.models import CaseStudy, Use
from socialledger.lib.numbers import format_quantity
from socialledger.reports.charts import default_league_code, report_charts
from socialledger.reports.narrative import narrative
from socialledger.reports.strength import shown_parts

# The social media image: 1200×675 (16:9) is what the common sites show uncropped.
IMAGE_SIZE, IMAGE_DPI = (12, 6.75), 100
HEADLINES_IN_IMAGE = 4
# What a part hidden so that a small one cannot be worked out is shown as (reports/strength.py).
SUPPRESSED = "suppressed"


def press_snapshot(report, suppression) -> dict:
    """What the press pack needs from a report as it is published: the same sentences, figures
    and charts as the published body, with the same figures hidden."""

    def hidden(code: str) -> bool:
        return any(suppression.hides("headline", code, y) for y in ("current", "previous"))

    sentences = [
        {"code": line.code, "text": text}
        for text, line in zip(narrative(report), report.measures, strict=True)
        if not hidden(line.code)
    ]
    headlines = [
        _headline(line, report, suppression)
        for line in report.measures
        if line.headline.recorded and not hidden(line.code)
    ]
    charts = report_charts(report, default_league_code(report), suppression)
    drawn = [charts.trends, charts.targets, *(b.chart for b in charts.breakdowns)]
    return {
        "sentences": sentences,
        "headlines": headlines,
        "charts": [
            {"title": c.title, "description": c.description, "svg": c.svg} for c in drawn if c
        ],
    }


def _headline(line, report, suppression) -> dict:
    strength = next((s for s in report.strengths if s.code == line.code), None)
    backed = ""
    if strength is not None:
        backed = "; ".join(
            _backed(part, text)
            for part, text in shown_parts(strength, suppression)
            if part.figure.value
        )
    return {
        "code": line.code,
        "name": line.name,
        "unit": line.unit_label,
        "value": str(line.headline.value),
        "text": format_quantity(line.headline.value, money=line.is_money),
        "change": line.change_words,
        "strength": backed,
    }


def _backed(part, text: str) -> str:
    """One part in words: "54 on the supplier's statement", "fewer than 5 not borne out by a
    check", or "checked in a sample (suppressed)" where the amount is withheld."""
    return f"{part.phrase} ({text})" if text == SUPPRESSED else f"{text} {part.phrase}"


@dataclass(frozen=True)
class PressFigure:
    """One headline figure in the pack, with the case studies that illustrate it."""

    code: str
    name: str
    unit: str
    text: str
    change: str
    strength: str
    sentence: str
    case_studies: tuple[CaseStudy, ...]


@dataclass(frozen=True)
class PressPack:
    """A published year's press pack: its figures (from the snapshot) and stories (live)."""

    published: object
    figures: tuple[PressFigure, ...]
    sentences: tuple[str, ...]
    charts: tuple[dict, ...]
    case_studies: tuple[CaseStudy, ...]

    @property
    def title(self) -> str:
        return f"Press pack: {self.published.title}"

    @property
    def image_alt(self) -> str:
        """The headline image's alt text: every figure it shows, in words."""
        shown = "; ".join(f"{f.text} {f.name.lower()}" for f in self.image_figures)
        return (
            f"{self.published.provider.name}, social value in {self.published.year.label}: {shown}."
        )

    @property
    def image_figures(self) -> tuple[PressFigure, ...]:
        return self.figures[:HEADLINES_IN_IMAGE]


def press_pack(published, on: date) -> PressPack:
    """The press pack of a published report, with the case studies usable for the press today."""
    snapshot = published.press or {}
    stories = tuple(
        CaseStudy.objects.for_provider(published.provider)
        .in_year(published.financial_year)
        .usable_for(Use.PRESS, on)
        .select_related("contract")
        .prefetch_related("measures", "photos")
    )
    said = {s["code"]: s["text"] for s in snapshot.get("sentences", [])}
    figures = tuple(
        PressFigure(
            h["code"],
            h["name"],
            h["unit"],
            h["text"],
            h["change"],
            h["strength"],
            said.get(h["code"], ""),
            tuple(s for s in stories if h["code"] in {m.code for m in s.measures.all()}),
        )
        for h in snapshot.get("headlines", [])
    )
    return PressPack(
        published,
        figures,
        tuple(said.values()),
        tuple(snapshot.get("charts", [])),
        stories,
    )


def press_text(pack: PressPack) -> str:
    """The press release as plain text: the sentences, each figure's strength and stories."""
    published = pack.published
    lines = [pack.title, "", f"Published {published.published_at:%-d %B %Y}.", ""]
    lines += list(pack.sentences)
    lines += ["", "How sure each figure is", ""]
    lines += [f"- {f.name}: {f.text} ({f.strength})." for f in pack.figures if f.strength]
    if pack.case_studies:
        lines += ["", "The people behind the figures", ""]
        for story in pack.case_studies:
            lines += [story.title, "", story.story, ""]
            if story.quote:
                lines += [f"“{story.quote}” — {story.quoted}", ""]
    return "\n".join(lines).rstrip() + "\n"


def headline_png(pack: PressPack) -> bytes:
    """The headline figures as one image for social media (its words are in `image_alt`)."""
    fig = Figure(figsize=IMAGE_SIZE, dpi=IMAGE_DPI, facecolor="#1f5f8b")
    fig.text(0.05, 0.88, pack.published.provider.name, color="white", fontsize=26, weight="bold")
    fig.text(0.05, 0.80, f"Social value in {pack.published.year.label}", color="white", fontsize=20)
    for index, figure in enumerate(pack.image_figures):
        x, y = 0.05 + (index % 2) * 0.47, 0.52 - (index // 2) * 0.34
        fig.text(x, y, figure.text, color="white", fontsize=48, weight="bold")
        fig.text(x, y - 0.08, figure.name, color="white", fontsize=17)
    out = io.BytesIO()
    fig.savefig(out, format="png", facecolor=fig.get_facecolor(), metadata={"Software": None})
    return out.getvalue()


def press_zip(pack: PressPack) -> bytes:
    """Everything in one ZIP: the page, the text, the figures as JSON, the image, the charts and
    the case studies' photos."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("press-release.txt", press_text(pack))
        archive.writestr(
            "press-pack.html", render_to_string("casestudies/press_pack_file.html", {"pack": pack})
        )
        archive.writestr("figures.json", json.dumps(_figures_data(pack), indent=2))
        archive.writestr("headline-figures.png", headline_png(pack))
        archive.writestr("headline-figures-alt-text.txt", pack.image_alt + "\n")
        for number, chart in enumerate(pack.charts, start=1):
            archive.writestr(f"charts/{number:02d}-{_slug(chart['title'])}.svg", chart["svg"])
        for story in pack.case_studies:
            for photo in story.photos.all():
                with photo.file.open("rb") as handle:
                    name = photo.file.name.rsplit("/", 1)[-1]
                    archive.writestr(f"photos/{story.pk}-{name}", handle.read())
    return out.getvalue()


def _figures_data(pack: PressPack) -> dict:
    published = pack.published
    return {
        "title": published.title,
        "year": published.year.label,
        "published_at": published.published_at.isoformat(),
        "figures": [
            {
                "measure": f.code,
                "name": f.name,
                "figure": f.text,
                "unit": f.unit,
                "change": f.change,
                "strength": f.strength,
                "case_studies": [s.title for s in f.case_studies],
            }
            for f in pack.figures
        ],
    }


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart"


def public_stories(published, on: date):
    """The case studies shown beside a published year's public page and PDF today."""
    return (
        CaseStudy.objects.for_provider(published.provider)
        .in_year(published.financial_year)
        .usable_for(Use.PUBLIC, on)
        .select_related("contract")
        .prefetch_related("measures", "photos")
    )


def stories_html(published, on: date, *, photos: bool) -> str:
    """The public case studies as HTML: with photos on the page, as text in the PDF."""
    return render_to_string(
        "casestudies/_stories.html",
        {
            "stories": public_stories(published, on),
            "published": published,
            "photo_url": "public-case-study-photo" if photos else "",
        },
    )
