"""The £ in words and as data: ranges, the method note, and the working behind any £ figure.

Every door (text, Markdown, JSON, CSV, the dashboard, the working page and `socialledger explain`)
uses these, so a £ figure is described the same way wherever it appears.
"""

from __future__ import annotations

from decimal import Decimal

from socialledger.lib.numbers import format_estimate, format_pence, format_quantity, normalise
from socialledger.lib.periods import FinancialYear
from socialledger.lib.valuation import Band, Working
from socialledger.reports.report import AnnualReport, Money, MoneyLine, MoneyTotal

TOTAL = "total"


def band_words(band: Band | None) -> str:
    """ "£2.41m to £4.39m (central £3.33m)", or one value where there is no range."""
    if band is None:
        return "not available"
    if not band.is_range:
        return format_estimate(band.central)
    low, central, high = (format_estimate(v) for v in (band.low, band.central, band.high))
    return f"{low} to {high} (central {central})"


def pence_words(band: Band | None) -> str:
    if band is None:
        return "no contract value"
    if not band.is_range:
        return format_pence(band.central)
    return (
        f"{format_pence(band.low)} to {format_pence(band.high)} "
        f"(central {format_pence(band.central)})"
    )


def exact(value: Decimal) -> str:
    """A £ amount to the penny, for the working (display rounding only, half-up)."""
    return format_quantity(value, money=True)


def exact_band(band: Band) -> str:
    if not band.is_range:
        return exact(band.central)
    return f"{exact(band.central)} (low {exact(band.low)}, high {exact(band.high)})"


def headline(report: AnnualReport) -> str:
    """The one sentence that gives the year's £, with its range and price basis."""
    money = report.money
    state = "verified" if report.basis == "verified" else "reported"
    totals = money.total()
    return (
        f"Social value {report.year.label} ({state}, net): {band_words(totals.net)} in "
        f"{report.year.label} prices; {band_words(totals.real_net)} in "
        f"{money.price_year.label} prices."
    )


def method_note(money: Money, *, commands: bool = True) -> str:
    """Plain words on how the £ was made, printed wherever the £ is; pages (commands=False) point
    to the working page and the JSON download, never to a command or a file of the code base."""
    unvalued = len(money.unvalued)
    return (
        f"Method: counts come first; the £ beside them is an estimate from {money.value_set} "
        f"(chosen {money.chosen_on}). Each valued measure's £ is its count × £ per unit × "
        "adjustments (deadweight, attribution, displacement and leakage; drop-off and discounting "
        "over the years it lasts) × the GDP deflator. Ranges are the sources' low and high "
        f"values. Nominal £ are in the prices of the year delivered, real £ in "
        f"{money.price_year.label} prices ({money.deflator_source}). {unvalued} "
        f"{'measure is' if unvalued == 1 else 'measures are'} counted, not monetised. "
        + (
            "Full working: `socialledger explain`, the working page, or the JSON export; "
            "method: docs/methodology.md."
            if commands
            else "Full working: the working page behind each £ figure, or the JSON download."
        )
    )


def gross_net_words(total: MoneyTotal) -> str:
    if total.gross == total.net:
        return (
            f"gross {band_words(total.gross)}; net the same, as the value set applies no "
            "deadweight, attribution, displacement, leakage or drop-off"
        )
    return f"gross {band_words(total.gross)}; net {band_words(total.net)}"


def money_lines(report: AnnualReport, *, commands: bool = True) -> list[str]:
    """The £ section of the text and Markdown reports, as plain lines (no heading)."""
    money = report.money
    if money is None:
        return [
            "Not monetised: no value set has been chosen, so figures are counted only. Choose "
            "one with `socialledger value_sets --choose CODE --reason WHY`."
        ]
    lines = [headline(report), method_note(money, commands=commands)]
    lines.append(f"Value set: {money.value_set}.")
    other = "reported" if report.basis == "verified" else "verified"
    lines.append(
        f"{report.year.label} ({report.basis}, {report.year.label} prices): "
        f"{gross_net_words(money.total())}. On {other} figures, net: "
        f"{band_words(money.total(other).net)}."
    )
    lines.append(
        f"{report.previous_year.label} in {money.price_year.label} prices (real, net): "
        f"{band_words(money.previous_real)}."
    )
    lines += [_measure_words(report, line, commands=commands) for line in money.valued]
    lines += [f"Counted, not monetised: {line.name}. {line.reason}" for line in money.unvalued]
    lines += _commitment_words(money)
    lines += _per_pound_words(money)
    lines.append(_cumulative_words(report))
    lines += [
        f"Restated: {r.year.label} was valued under {r.before_label} at {band_words(r.before)}; "
        f"under {r.after_label}, chosen {r.changed_on}, it is {band_words(r.after)} "
        f"({money.price_year.label} prices, same entries). Reason: {r.reason}"
        for r in money.restatements
    ]
    lines += [f"Not re-based: {problem}" for problem in money.problems]
    return lines


def _measure_words(report: AnnualReport, line: MoneyLine, *, commands: bool = True) -> str:
    working = line.on(report.basis)
    measure = report.measure(line.code)
    unit = working.unit
    count = f"{normalise(working.quantity):,} {measure.unit_label}"
    if measure.is_money:
        count = exact(working.quantity)
    words = (
        f"{line.name}: {count} × {band_words(unit.band)} per unit "
        f"({unit.price_year_label}) = {band_words(working.nominal)} in "
        f"{report.year.label} prices."
    )
    if not commands:
        return words
    return f"{words} Working: socialledger explain --year {report.year.label} --measure {line.code}"


def _commitment_words(money: Money) -> list[str]:
    return [
        f"Commitments in £: {c.name}: {band_words(c.committed)} committed on contracts; "
        f"{band_words(c.delivered)} delivered on those contracts."
        for c in money.commitments
    ]


def _per_pound_words(money: Money) -> list[str]:
    words = []
    for table in money.per_pound:
        if not table.rows:
            continue
        parts = "; ".join(f"{row.name} {pence_words(row.per_pound)}" for row in table.rows)
        words.append(
            f"Social value per £1 of contract value, {table.title.lower()} (net, nominal; "
            f"contracts live in the year, whole contract value): {parts}."
        )
    return words


def _cumulative_words(report: AnnualReport) -> str:
    cumulative = report.money.cumulative
    opening = cumulative.opening
    if cumulative.total is None:
        return (
            f"Since records began: included in the opening balance of "
            f"{format_estimate(opening.amount)} to {opening.covers_until.label}, as previously "
            f"reported by another method ({opening.source})."
        )
    words = f"Since records began (real, net, {report.money.price_year.label} prices): "
    words += band_words(cumulative.total)
    if opening:
        words += (
            f", including an opening balance of {format_estimate(opening.amount)} to "
            f"{opening.covers_until.label}, as previously reported by another method and not "
            f"re-based ({opening.source})"
        )
    elif cumulative.first_year:
        words += f" since {cumulative.first_year.label}"
    return words + "."


# --- The working -------------------------------------------------------------------------------


def working_lines(report: AnnualReport, code: str, basis: str | None = None) -> list[str]:
    """Every step behind one measure's £ (or, for "total", every measure's and their sum)."""
    money = report.money
    if money is None:
        return ["No value set has been chosen, so no £ figure was made."]
    basis = basis or report.basis
    head = [
        f"£ working: {report.scope_label}, {report.year.label}, {basis} figures",
        f"Value set: {money.value_set} (code {money.value_set_code}), chosen {money.chosen_on}: "
        f"{money.chosen_reason}",
        f"Deflator: {money.deflator_source}",
        "",
    ]
    if code == TOTAL:
        return head + _total_working(report, basis)
    line = money.line(code)
    if not line.valued:
        return [*head, f"{line.name}: counted, not monetised. {line.reason}"]
    return head + _measure_working(report, line, line.on(basis), basis)


def _measure_working(report, line: MoneyLine, w: Working, basis: str) -> list[str]:
    measure = report.measure(line.code)
    figure = measure.current.on(basis)
    unit, adj = w.unit, w.unit.adjustments
    count = exact(w.quantity) if measure.is_money else f"{normalise(w.quantity):,}"
    unit_words = "" if measure.is_money else f" {measure.unit_label}"  # "£750", not "£750 £"
    steps = [
        f"{line.name}",
        f"1. Count: {count}{unit_words}, the sum of {figure.entries} {basis} "
        f"entries for {report.year.label}.",
        f"2. £ per unit: {exact_band(unit.band)}, {unit.price_year_label}, {unit.geography}.",
        f"   Source: {unit.source}",
        f"   Licence: {unit.licence}" + (f"; {unit.source_url}" if unit.source_url else ""),
        f"   Split: {_split_words(unit)}",
    ]
    if unit.notes:
        steps.append(f"   Notes: {unit.notes}")
    steps += [
        f"3. Gross = {count} × £ per unit × {adj.duration_years} "
        f"year{'s' if adj.duration_years != 1 else ''} = {exact_band(w.gross)}.",
        f"4. Adjustments: {_adjustment_words(adj)}.",
        f"   Net = {exact_band(w.net)}.",
        _rebasing_words(5, "Nominal", report.year.label, w.to_nominal, w.nominal),
        _rebasing_words(6, "Real", w_price_label(w), w.to_real, w.real),
        _one_line(count, w),
    ]
    if w.problem:
        steps.append(f"Not available: {w.problem}")
    return steps


def w_price_label(working: Working) -> str:
    return FinancialYear(working.price_year).label


def _split_words(unit) -> str:
    parts = [
        f"{name} {exact(getattr(unit, name))}"
        if getattr(unit, name) is not None
        else f"{name} not given"
        for name in ("fiscal", "economic", "social")
    ]
    return ", ".join(parts)


def _pct(share: Decimal) -> str:
    return f"{normalise(share * 100)}%"


def _adjustment_words(adj) -> str:
    shares = ", ".join(f"{name} {_pct(getattr(adj, name))}" for name in adj.SHARES)
    return (
        f"{shares} → × {normalise(adj.additionality)}; lasting {adj.duration_years} "
        f"year(s), drop-off {_pct(adj.drop_off)} a year, discounted at "
        f"{_pct(adj.discount_rate)} a year after the first → × {normalise(adj.years_factor)}"
    )


def _one_line(count: str, w: Working) -> str:
    """The whole chain in one line, central values: entries × value × adjustments × deflator."""
    adj = w.unit.adjustments
    chain = [
        count,
        exact(w.unit.band.central),
        str(normalise(adj.additionality)),
        str(normalise(adj.years_factor)),
    ]
    chain += [f"{s.to_index}/{s.from_index}" for s in (w.to_nominal, w.to_real) if s]
    result = w.real if w.real is not None else w.nominal
    shown = exact(result.central) if result else "not available"
    return f"7. In one line (central, real): {' × '.join(chain)} = {shown}."


def _rebasing_words(number: int, kind: str, label: str, step, band: Band | None) -> str:
    if band is None:
        return f"{number}. {kind} ({label} prices): not available."
    how = f"{step}" if step else "no re-basing needed (already in those prices)"
    return f"{number}. {kind} ({label} prices): {how} = {exact_band(band)}."


def _total_working(report: AnnualReport, basis: str) -> list[str]:
    money = report.money
    steps = []
    for line in money.valued:
        steps += [*_measure_working(report, line, line.on(basis), basis), ""]
    totals = money.total(basis)
    steps += [
        f"Total of the valued measures, nominal ({report.year.label} prices): gross "
        f"{exact_band(totals.gross)}; net {exact_band(totals.net)}.",
        f"Total, real ({money.price_year.label} prices): gross "
        f"{exact_band(totals.real_gross) if totals.real_gross else 'not available'}; net "
        f"{exact_band(totals.real_net) if totals.real_net else 'not available'}.",
    ]
    steps += [f"Counted, not monetised: {line.name}. {line.reason}" for line in money.unvalued]
    return steps


# --- As data (JSON) ----------------------------------------------------------------------------


def band_data(band: Band | None) -> dict | None:
    if band is None:
        return None
    return {"low": str(band.low), "central": str(band.central), "high": str(band.high)}


def working_data(w: Working | None) -> dict | None:
    """One working as plain data: every input, factor and result, Decimals as exact strings."""
    if w is None:
        return None
    unit, adj = w.unit, w.unit.adjustments
    return {
        "quantity": str(w.quantity),
        "unit_value": band_data(unit.band),
        "price_year": unit.price_year_label,
        "geography": unit.geography,
        "split": {
            k: None if getattr(unit, k) is None else str(getattr(unit, k))
            for k in ("fiscal", "economic", "social")
        },
        "source": unit.source,
        "source_url": unit.source_url,
        "licence": unit.licence,
        "notes": unit.notes,
        "adjustments": {
            **{name: str(getattr(adj, name)) for name in adj.SHARES},
            "duration_years": adj.duration_years,
            "drop_off": str(adj.drop_off),
            "discount_rate": str(adj.discount_rate),
            "additionality_factor": str(adj.additionality),
            "years_factor": str(adj.years_factor),
        },
        "gross": band_data(w.gross),
        "net": band_data(w.net),
        "to_nominal": _rebasing_data(w.to_nominal),
        "nominal_gross": band_data(w.nominal_gross),
        "nominal_net": band_data(w.nominal),
        "to_real": _rebasing_data(w.to_real),
        "real_gross": band_data(w.real_gross),
        "real_net": band_data(w.real),
        "problem": w.problem or None,
    }


def _rebasing_data(step) -> dict | None:
    if step is None:
        return None
    return {
        "from_year": w_label(step.from_year),
        "to_year": w_label(step.to_year),
        "from_index": str(step.from_index),
        "to_index": str(step.to_index),
    }


def w_label(start_year: int) -> str:
    return FinancialYear(start_year).label


def money_data(report: AnnualReport) -> dict | None:
    """The report's £ as plain data, with the working of every valued measure."""
    money = report.money
    if money is None:
        return None
    return {
        "value_set": {
            "name": money.value_set,
            "code": money.value_set_code,
            "version": money.value_set_version,
            "description": money.value_set_description,
            "chosen_on": money.chosen_on,
            "reason": money.chosen_reason,
        },
        "price_year": money.price_year.label,
        "deflator": money.deflator_source,
        "method_note": method_note(money),
        "totals": {basis: _total_data(money.total(basis)) for basis in ("verified", "reported")},
        "previous_year_real_net": band_data(money.previous_real),
        "measures": [
            {
                "code": line.code,
                "name": line.name,
                "monetised": line.valued,
                "reason_not_monetised": line.reason or None,
                "verified": working_data(line.verified),
                "reported": working_data(line.reported),
                "previous_year": working_data(line.previous),
            }
            for line in money.lines
        ],
        "commitments": [
            {
                "code": c.code,
                "committed": band_data(c.committed),
                "delivered": band_data(c.delivered),
            }
            for c in money.commitments
        ],
        "per_pound_of_contract_value": [
            {
                "by": table.by,
                "rows": [
                    {
                        "reference": row.reference,
                        "name": row.name,
                        "social_value": band_data(row.social_value),
                        "contract_value": str(row.contract_value),
                        "per_pound": band_data(row.per_pound),
                    }
                    for row in table.rows
                ],
            }
            for table in money.per_pound
        ],
        "cumulative": {
            "real_net": band_data(money.cumulative.total),
            "first_year_on_record": money.cumulative.first_year.label
            if money.cumulative.first_year
            else None,
            "opening_balance": str(money.cumulative.opening.amount)
            if money.cumulative.opening
            else None,
        },
        "restatements": [
            {
                "year": r.year.label,
                "before": {"value_set": r.before_label, "real_net": band_data(r.before)},
                "after": {"value_set": r.after_label, "real_net": band_data(r.after)},
                "reason": r.reason,
                "changed_on": r.changed_on,
            }
            for r in money.restatements
        ],
        "problems": list(money.problems),
    }


def _total_data(total: MoneyTotal) -> dict:
    return {
        "gross": band_data(total.gross),
        "net": band_data(total.net),
        "real_gross": band_data(total.real_gross),
        "real_net": band_data(total.real_net),
    }
