"""A released snapshot as the page, PDF, CSV and API show it: labels, rows and charts."""

import csv
import io

from django.utils.translation import gettext as _

from kohtaamo.feedback.models import RespondentRole
from kohtaamo.instruments.models import Dimension, pick_language
from kohtaamo.reports.pdf_assessments import pdf_render_many
from kohtaamo.reports.svg import bar_svg, radar_svg

from .releasing import ALL_OTHERS
from .selectors import norm_for, trend_for


def group_label(key: str) -> str:
    if key == ALL_OTHERS:
        return _("All raters but self")
    if key == "others":
        return _("Other raters (merged)")
    return str(RespondentRole(key).label)


def flag_label(flag: str) -> str:
    return {"blind_spot": _("Blind spot"), "hidden_strength": _("Hidden strength")}.get(flag, "")


def _cells(row: dict, groups: list[dict]) -> list[dict | None]:
    """The row's cells in group order; a cell's own n is written out only where it differs from its group's."""
    cells = []
    for g in groups:
        cell = row["cells"].get(g["key"])
        cells.append({**cell, "own_n": cell["n"] != g["n"]} if cell else None)
    return cells


def report_context(*, release, participant, language: str) -> dict:
    snapshot = release.snapshot
    groups = [{**g, "label": group_label(g["key"])} for g in snapshot["groups"]]
    dimensions = [
        {
            **d,
            "name": pick_language(d["names"], language),
            "row": _cells(d, groups),
            "flag_label": flag_label(d["flag"]),
        }
        for d in snapshot["dimensions"]
    ]
    items = {
        i["id"]: {
            **i,
            "text": pick_language(i["texts"], language),
            "row": _cells(i, groups),
            "flag_label": flag_label(i["flag"]),
        }
        for i in snapshot["items"]
    }
    elements = [d for d in dimensions if d["group"] == Dimension.Group.ELEMENT]
    rhetoric = [d for d in dimensions if d["group"] == Dimension.Group.RHETORIC]
    norm = norm_for(assessment=participant.assessment)
    trend = trend_for(participant=participant)

    def scores(rows, key):
        return [(d["cells"].get(key) or {}).get("score") for d in rows]

    element_series = {
        _("Self"): scores(elements, RespondentRole.SELF),
        _("All raters but self"): scores(elements, ALL_OTHERS),
    }
    if norm:
        element_series[_("Organisation norm")] = [norm.get(d["code"], {}).get("score") for d in elements]
    for d in elements:
        d["norm"] = norm.get(d["code"])
    for d in dimensions:
        before = trend.get(d["code"])
        now = (d["cells"].get(ALL_OTHERS) or {}).get("mean")
        d["trend"] = (
            {"before": before.get(ALL_OTHERS), "change": round(now - before[ALL_OTHERS], 2)}
            if before and before.get(ALL_OTHERS) is not None and now is not None
            else None
        )
    by_dimension = [
        {"dimension": d, "items": [i for i in items.values() if i["dimension"] == d["code"]]} for d in dimensions
    ]
    return {
        "release": release,
        "participant": participant,
        "person": participant.person,
        "snapshot": snapshot,
        "groups": groups,
        "dimensions": dimensions,
        "elements": elements,
        "rhetoric": rhetoric,
        "items_by_dimension": [b for b in by_dimension if b["items"]],
        "strongest": [items[i] for i in snapshot["strongest"] if i in items],
        "weakest": [items[i] for i in snapshot["weakest"] if i in items],
        "comments": [
            {"question": pick_language(c["texts"], language), "answers": c["answers"]} for c in snapshot["comments"]
        ],
        "has_trend": bool(trend),
        "has_norm": bool(norm),
        "element_chart": radar_svg(labels=[d["name"] for d in elements], series=element_series, size=320),
        "rhetoric_chart": radar_svg(
            labels=[d["name"] for d in rhetoric],
            series={
                _("Self"): scores(rhetoric, RespondentRole.SELF),
                _("All raters but self"): scores(rhetoric, ALL_OTHERS),
            },
            size=260,
        ),
        "group_chart": bar_svg(
            rows=[
                (
                    g["label"] + f" (n={g['n']})",
                    sum(filter(None, scores(elements, g["key"]))) / len(elements)
                    if all(s is not None for s in scores(elements, g["key"]))
                    else None,
                )
                for g in groups
            ]
        ),
        "balance": snapshot["rhetoric"]["balance"],
    }


def report_csv(*, release, language: str) -> str:
    """The released figures as CSV: one row per dimension or item and shown group; nothing below the threshold."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["level", "code", "name", "group", "n", "mean", "score_0_100", "self_other_gap", "flag"])
    snapshot = release.snapshot
    for kind, rows, name_key in (("dimension", snapshot["dimensions"], "names"), ("item", snapshot["items"], "texts")):
        for row in rows:
            for group in snapshot["groups"]:
                cell = row["cells"].get(group["key"])
                if cell is None:
                    continue
                writer.writerow(
                    [
                        kind,
                        row["code"],
                        pick_language(row[name_key], language),
                        group["key"],
                        cell["n"],
                        cell["mean"],
                        cell.get("score", ""),
                        row["gap"] if row["gap"] is not None else "",
                        row["flag"],
                    ]
                )
    return out.getvalue()


def report_public(*, release) -> dict:
    """The API's view of a release: the snapshot's shown figures only (never the members)."""
    snapshot = release.snapshot
    return {
        "release": release.number,
        "released_at": release.released_at.isoformat(),
        "threshold": snapshot["threshold"],
        "groups": snapshot["groups"],
        "some_answers_not_shown": snapshot["hidden"],
        "dimensions": [
            {"code": d["code"], "cells": d["cells"], "self_other_gap": d["gap"], "flag": d["flag"]}
            for d in snapshot["dimensions"]
        ],
        "items": [
            {"code": i["code"], "cells": i["cells"], "self_other_gap": i["gap"], "flag": i["flag"]}
            for i in snapshot["items"]
        ],
        "comments": snapshot["comments"],
        "rhetoric": snapshot["rhetoric"],
    }


def report_pdf(*, release, participant, language: str, request=None) -> bytes:
    """The released report as a PDF (WeasyPrint, charts as inline SVG)."""
    context = report_context(release=release, participant=participant, language=language)
    return pdf_render_many(template="assessments/report_pdf.html", context=context, request=request)
