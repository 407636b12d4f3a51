"""Building and releasing a participant's 360 report as a frozen snapshot (DESIGN.md sections 3 and 6).

Every figure is computed from a set of submitted responses per shown rater group. The groups come
from the threshold rule (analytics.anonymity.plan_groups); across releases, a group is updated only
when at least `threshold` new answers arrived since it was last shown, so comparing two releases
never isolates fewer than `threshold` raters.
"""

from collections import defaultdict
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Sum, When
from django.utils import timezone
from django.utils.translation import gettext as _

from kohtaamo.analytics.anonymity import plan_groups, threshold_for
from kohtaamo.feedback.models import Answer, DimensionScore, RespondentRole, Response
from kohtaamo.instruments.models import Dimension, Question

from .models import RATER_GROUPS, Participant, Release, ReleaseFigure

EXEMPT = (RespondentRole.SELF, RespondentRole.SUPERVISOR)
ALL_OTHERS = "all_others"  # every shown rater but self: the basis of the self–other gap
GAP_LIMIT = 0.5  # scale points (DESIGN.md section 3)
REPORT_GROUPS = (Dimension.Group.ELEMENT, Dimension.Group.RHETORIC)

Members = dict[str, frozenset[int]]


def _violates(
    ids: frozenset[int], previous: list[dict[str, list[int]]], threshold: int, exempt_ids: frozenset[int]
) -> bool:
    """Whether `ids` differs from something shown before by fewer than `threshold` anonymous answers."""
    ids = ids - exempt_ids
    for release in previous:
        old_sets = [frozenset(v) - exempt_ids for k, v in release.items() if k not in EXEMPT]
        inside = [a for a in old_sets if a and a <= ids]
        candidates = inside + ([frozenset().union(*inside)] if inside else [])
        if any(a < ids and len(ids - a) < threshold for a in candidates):
            return True
        if any(ids < a and len(a - ids) < threshold for a in old_sets):
            return True
    return False


def members_safe(
    *, candidate: Members, previous: list[dict[str, list[int]]], threshold: int
) -> tuple[Members, list[str]]:
    """The groups a new release may show. `previous` are earlier releases' members, newest first.

    A group too close to something shown before keeps its last released members (it is "not
    updated"), or is left out when it was never shown. Returns (members, keys not updated).
    """
    exempt_ids = frozenset().union(*(ids for key, ids in candidate.items() if key in EXEMPT))
    safe: Members = {}
    frozen: list[str] = []
    for key, ids in candidate.items():
        if key in EXEMPT or not _violates(ids, previous, threshold, exempt_ids):
            safe[key] = ids
            continue
        prior = next((frozenset(r[key]) for r in previous if key in r and frozenset(r[key]) <= ids), None)
        if prior is not None:
            safe[key] = prior
            frozen.append(key)
    pool = frozenset().union(*(ids for key, ids in safe.items() if key != RespondentRole.SELF))
    if pool and not _violates(pool, [{ALL_OTHERS: r.get(ALL_OTHERS, [])} for r in previous], threshold, exempt_ids):
        safe[ALL_OTHERS] = pool
    return safe, frozen


def candidate_members(*, by_role: dict[str, set[int]], threshold: int) -> tuple[Members, bool]:
    """The threshold rule on response ids per rater role: (shown group -> ids, whether anything is hidden)."""
    plan = plan_groups({role: len(ids) for role, ids in by_role.items()}, threshold=threshold, exempt=EXEMPT)
    members = {key: frozenset().union(*(by_role[role] for role in roles)) for key, roles in plan.shown.items()}
    return members, bool(plan.hidden)


def _responses_by_role(*, participant: Participant) -> dict[str, set[int]]:
    rows = Response.objects.filter(
        round_id=participant.assessment.round_id,
        subject_person_id=participant.person_id,
        status=Response.Status.SUBMITTED,
        respondent_role__in=RATER_GROUPS,
    ).values_list("respondent_role", "pk")
    by_role: dict[str, set[int]] = defaultdict(set)
    for role, pk in rows:
        by_role[role].add(pk)
    return by_role


def _oriented_value():
    return Case(
        When(question__reverse_coded=True, then=F("question__scale_min") + F("question__scale_max") - F("value")),
        default=F("value"),
        output_field=IntegerField(),
    )


def _cell(total: float, n: int, score_total: float | None = None) -> dict:
    cell = {"mean": round(total / n, 3), "n": n}
    if score_total is not None:
        cell["score"] = round(score_total / n, 2)
    return cell


def _flag(gap: float | None) -> str:
    if gap is None:
        return ""
    if gap >= GAP_LIMIT:
        return "blind_spot"
    if gap <= -GAP_LIMIT:
        return "hidden_strength"
    return ""


def _group_of(members: Members) -> dict[int, list[str]]:
    groups: dict[int, list[str]] = defaultdict(list)
    for key, ids in members.items():
        for pk in ids:
            groups[pk].append(key)
    return groups


def _fold(rows, members: Members, *, value_key: str, with_score: bool) -> dict[int, dict[str, dict]]:
    """Per-response rows (response id, thing id, sums) folded into {thing: {group: cell}}."""
    groups_of = _group_of(members)
    totals: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0, 0]))
    for row in rows:
        for group in groups_of.get(row["response_id"], ()):
            acc = totals[row[value_key]][group]
            acc[0] += row["total"]
            acc[1] += row.get("score_total") or 0.0
            acc[2] += row["n"]
    return {
        thing: {g: _cell(t, n, s if with_score else None) for g, (t, s, n) in cells.items() if n}
        for thing, cells in totals.items()
    }


def _gap(cells: dict) -> float | None:
    if RespondentRole.SELF in cells and ALL_OTHERS in cells:
        return round(cells[RespondentRole.SELF]["mean"] - cells[ALL_OTHERS]["mean"], 3)
    return None


def report_build(
    *, participant: Participant, members: Members, threshold: int, frozen: list[str], hidden: bool
) -> dict:
    """The snapshot a release shows, computed in the database from the members of each shown group."""
    assessment = participant.assessment
    ids = sorted(frozenset().union(*members.values())) if members else []
    dimension_rows = (
        DimensionScore.objects.filter(response_id__in=ids, dimension__group__in=REPORT_GROUPS)
        .values("response_id", "dimension_id")
        .annotate(total=Sum("mean"), score_total=Sum("score"), n=Count("pk"))
    )
    # One row per response and thing: the folding into groups is over a handful of raters.
    dimension_cells = _fold(dimension_rows, members, value_key="dimension_id", with_score=True)
    item_rows = (
        Answer.objects.filter(response_id__in=ids, value__isnull=False, question__item__isnull=False)
        .values("response_id", item_id=F("question__item_id"))
        .annotate(total=Sum(_oriented_value()), n=Count("pk"))
    )
    item_cells = _fold(item_rows, members, value_key="item_id", with_score=False)
    dimensions = list(
        Dimension.objects.filter(framework_id=assessment.questionnaire_other.framework_id, group__in=REPORT_GROUPS)
    )
    items = list(
        Question.objects.filter(questionnaire_id=assessment.questionnaire_other_id, item__isnull=False)
        .select_related("item")
        .prefetch_related("item__dimensions")
        .order_by("order")
    )
    dimension_list = []
    for d in dimensions:
        cells = dimension_cells.get(d.pk, {})
        gap = _gap(cells)
        dimension_list.append(
            {
                "id": d.pk,
                "code": d.code,
                "group": d.group,
                "names": d.names,
                "cells": cells,
                "gap": gap,
                "flag": _flag(gap),
            }
        )
    item_list = []
    for q in items:
        cells = item_cells.get(q.item_id, {})
        gap = _gap(cells)
        home = min(q.item.dimensions.all(), key=lambda d: (d.group != Dimension.Group.ELEMENT, d.order))
        item_list.append(
            {
                "id": q.item_id,
                "code": q.item.code,
                "dimension": home.code,
                "texts": q.texts,
                "cells": cells,
                "gap": gap,
                "flag": _flag(gap),
            }
        )
    rated = [i for i in item_list if ALL_OTHERS in i["cells"]]
    rated.sort(key=lambda i: (i["cells"][ALL_OTHERS]["mean"], i["code"]))
    comments = []
    pool = members.get(ALL_OTHERS, frozenset())
    anonymous_pool = pool - members.get(RespondentRole.SUPERVISOR, frozenset())
    # Comments are never attributed: only shown when the anonymous raters alone meet the threshold.
    if len(anonymous_pool) >= threshold:
        texts = {
            q.order: q.texts
            for q in Question.objects.filter(
                questionnaire_id=assessment.questionnaire_other_id, kind=Question.Kind.OPEN
            )
        }
        by_order: dict[int, list[str]] = defaultdict(list)
        for order, text in (
            Answer.objects.filter(response_id__in=sorted(pool), question__kind=Question.Kind.OPEN)
            .exclude(text="")
            .order_by("question__order", "text")
            .values_list("question__order", "text")
        ):
            by_order[order].append(text)
        comments = [{"texts": texts.get(order, {}), "answers": answers} for order, answers in sorted(by_order.items())]
    rhetoric = {
        d["code"]: d["cells"].get(ALL_OTHERS, {}).get("score")
        for d in dimension_list
        if d["group"] == Dimension.Group.RHETORIC
    }
    rhetoric_self = {
        d["code"]: d["cells"].get(RespondentRole.SELF, {}).get("score")
        for d in dimension_list
        if d["group"] == Dimension.Group.RHETORIC
    }
    values = [v for v in rhetoric.values() if v is not None]
    order = [key for key in (*RATER_GROUPS, "others", ALL_OTHERS) if key in members]
    return {
        "threshold": threshold,
        "groups": [{"key": key, "n": len(members[key])} for key in order],
        "hidden": hidden,
        "frozen": frozen,
        "dimensions": dimension_list,
        "items": item_list,
        "strongest": [i["id"] for i in rated[::-1][:3]],
        "weakest": [i["id"] for i in rated[:3]],
        "comments": comments,
        "rhetoric": {
            "others": rhetoric,
            "self": rhetoric_self,
            "balance": round(max(values) - min(values), 2) if len(values) == 3 else None,
        },
    }


@transaction.atomic
def report_release(*, participant: Participant, released_by=None, now: datetime | None = None) -> Release:
    """Freeze the participant's report as a new release; the earlier one stays stored but is superseded."""
    participant = (
        Participant.objects.select_for_update()
        .select_related("assessment__organisation", "assessment__questionnaire_other", "person")
        .get(pk=participant.pk)
    )
    threshold = threshold_for(participant.assessment.organisation)
    previous = list(participant.releases.order_by("-number"))
    candidate, hidden = candidate_members(by_role=_responses_by_role(participant=participant), threshold=threshold)
    members, frozen = members_safe(candidate=candidate, previous=[r.members for r in previous], threshold=threshold)
    if previous and all(
        set(members.get(k, ())) == set(previous[0].members.get(k, ())) for k in set(members) | set(previous[0].members)
    ):
        raise ValidationError(
            _("There are no new answers that could be released without revealing a rater."), code="nothing_new"
        )
    snapshot = report_build(
        participant=participant,
        members=members,
        threshold=threshold,
        frozen=frozen,
        hidden=hidden or bool(set(candidate) - set(members)),
    )
    participant.releases.filter(current=True).update(current=False)
    release = Release.objects.create(
        participant=participant,
        number=(previous[0].number + 1) if previous else 1,
        released_at=now or timezone.now(),
        released_by=released_by,
        snapshot=snapshot,
        members={key: sorted(ids) for key, ids in members.items()},
    )
    ReleaseFigure.objects.bulk_create(
        [
            ReleaseFigure(
                release=release, group=group, dimension_id=d["id"], mean=cell["mean"], score=cell["score"], n=cell["n"]
            )
            for d in snapshot["dimensions"]
            for group, cell in d["cells"].items()
        ]
    )
    return release


def reports_release_due(*, assessment, now: datetime | None = None, released_by=None) -> int:
    """Release every not yet released report of a round whose report date has come."""
    now = now or timezone.now()
    from .services import _today

    if _today(assessment, now) < assessment.report_on:
        return 0
    released = 0
    for participant in assessment.participants.filter(releases__isnull=True):
        report_release(participant=participant, released_by=released_by, now=now)
        released += 1
    return released
