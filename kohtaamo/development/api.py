"""The development loop over the API (read-only): clinics and their cases, the case library, mentoring,
role play, development plans, the effect report and saved self-test profiles. Same scope as the pages."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import paginate

from kohtaamo.api.auth import api_scope
from kohtaamo.api.rows import BoundedPageNumberPagination, PagedRows

from . import selectors
from .forms import EffectForm

router = Router(tags=["development"])
PAGE = {"page_size": 50, "max_page_size": 500}


class EstimateOut(Schema):
    value: float | None
    n: int
    ci_low: float | None
    ci_high: float | None
    indicative: bool


class ClinicSeriesOut(Schema):
    id: int
    name: str
    unit: int
    interval: str
    first_session_at: datetime
    duration_minutes: int
    location: str


class ClinicSessionOut(Schema):
    id: int
    series: int
    series_name: str
    unit: int
    starts_at: datetime


class ClinicActionOut(Schema):
    id: int
    case: int
    description: str
    owner: int
    due_date: date
    done_at: datetime | None
    follow_up: str


class ClinicCaseOut(Schema):
    id: int
    session: int
    unit: int
    title: str
    response: int | None
    encounter: int | None
    channel: str
    outcome: str
    incident_kind: str
    situation: str
    went_well: str
    to_improve: str
    lessons: str
    elements: list[str]
    created_at: datetime


class ClinicCaseWithActionsOut(ClinicCaseOut):
    actions: list[ClinicActionOut]


class ClinicSessionDetailOut(ClinicSessionOut):
    notes: str
    cases: list[ClinicCaseWithActionsOut]
    open_actions: list[ClinicActionOut]


class CaseLibraryFilter(Schema):
    element: str | None = None
    channel: str | None = None
    outcome: str | None = None
    incident_kind: str | None = None
    q: str | None = None


class ShadowingObservationOut(Schema):
    item: str
    value: int | None
    note: str


class ShadowingDayOut(Schema):
    id: int
    date: date
    direction: str
    debrief: str
    observations: list[ShadowingObservationOut]


class MentorPairOut(Schema):
    id: int
    unit: int
    mentor: int
    mentee: int
    goals: str
    active: bool


class MentorPairDetailOut(MentorPairOut):
    shadowing_days: list[ShadowingDayOut]


class RolePlaySessionOut(Schema):
    id: int
    unit: int
    scenario: int
    scenario_title: str
    participant: int
    open: bool
    created_at: datetime


class RolePlayElementOut(Schema):
    element: str
    coach: EstimateOut | None
    peer: EstimateOut | None


class RolePlaySessionDetailOut(RolePlaySessionOut):
    coach_ratings: int
    peer_ratings: int
    elements: list[RolePlayElementOut]
    comments: list[str]


class PlanOut(Schema):
    id: int
    unit: int
    person: int
    title: str
    baseline_source: str
    started_at: datetime


class GoalOut(Schema):
    id: int
    dimension: str
    description: str
    target: float | None
    baseline: EstimateOut
    follow_up: EstimateOut
    change: EstimateOut


class PlanActionOut(Schema):
    id: int
    kind: str
    description: str
    due_date: date
    clinic_case: int | None
    done_at: datetime | None


class CheckInOut(Schema):
    id: int
    due_date: date
    held_at: datetime | None
    note: str


class PlanDetailOut(PlanOut):
    goals: list[GoalOut]
    actions: list[PlanActionOut]
    check_ins: list[CheckInOut]


class EffectQuery(Schema):
    subject: str = "plans"
    dimension: str | None = None


class EffectOut(Schema):
    subject: str
    started: bool
    start: datetime | None
    window_days: int | None
    measure: str | None
    participants: EstimateOut | None
    comparison: EstimateOut | None
    effect: EstimateOut | None
    verdict: str | None
    min_n: int | None


class SelfTestOut(Schema):
    id: int
    person: int
    language: str
    profile: dict[str, float | None]
    created_at: datetime


def _series(s) -> dict:
    return {
        "id": s.pk,
        "name": s.name,
        "unit": s.unit_id,
        "interval": s.interval,
        "first_session_at": s.first_session_at,
        "duration_minutes": s.duration_minutes,
        "location": s.location,
    }


def _session(s) -> dict:
    return {
        "id": s.pk,
        "series": s.series_id,
        "series_name": s.series.name,
        "unit": s.unit_id,
        "starts_at": s.starts_at,
    }


def _action(a) -> dict:
    return {
        "id": a.pk,
        "case": a.case_id,
        "description": a.description,
        "owner": a.owner_id,
        "due_date": a.due_date,
        "done_at": a.done_at,
        "follow_up": a.follow_up,
    }


def _case(c, *, actions: bool = False) -> dict:
    out = {
        "id": c.pk,
        "session": c.session_id,
        "unit": c.unit_id,
        "title": c.title,
        "response": c.response_id,
        "encounter": c.encounter_id,
        "channel": c.channel,
        "outcome": c.outcome,
        "incident_kind": c.incident_kind,
        "situation": c.situation,
        "went_well": c.went_well,
        "to_improve": c.to_improve,
        "lessons": c.lessons,
        "elements": [d.code for d in c.dimensions.all()],
        "created_at": c.created_at,
    }
    if actions:
        out["actions"] = [_action(a) for a in c.actions.all()]
    return out


def _case_with_actions(c) -> dict:
    return _case(c, actions=True)


@router.get("/{org}/development/clinic-series", response=list[ClinicSeriesOut], summary="Clinic series")
def list_clinic_series(request, org: str):
    return [_series(s) for s in selectors.clinic_series_visible(scope=api_scope(request, org))]


@router.get(
    "/{org}/development/clinic-sessions", response=list[ClinicSessionOut], summary="Clinic sessions, newest first"
)
@paginate(BoundedPageNumberPagination, **PAGE)
def list_clinic_sessions(request, org: str):
    sessions = selectors.clinic_sessions_visible(scope=api_scope(request, org)).order_by("-starts_at", "-pk")
    return PagedRows(sessions, _session)


@router.get(
    "/{org}/development/clinic-sessions/{session_id}",
    response=ClinicSessionDetailOut,
    summary="A clinic session with its cases, their actions and the series' open actions",
)
def get_clinic_session(request, org: str, session_id: int):
    session = selectors.clinic_session_for(scope=api_scope(request, org), session_id=session_id)
    return {
        **_session(session),
        "notes": session.notes,
        "cases": [_case(c, actions=True) for c in selectors.clinic_cases_of(session=session)],
        "open_actions": [_action(a) for a in selectors.clinic_actions_open_before(session=session)],
    }


@router.get(
    "/{org}/development/cases",
    response=list[ClinicCaseWithActionsOut],
    summary="Case library: every clinic case of the organisation, filtered by element, channel and outcome",
)
@paginate(BoundedPageNumberPagination, **PAGE)
def case_library(request, org: str, filters: Query[CaseLibraryFilter]):
    cases = selectors.clinic_case_library(
        scope=api_scope(request, org),
        dimension=filters.element or "",
        channel=filters.channel or "",
        outcome=filters.outcome or "",
        incident_kind=filters.incident_kind or "",
        text=filters.q or "",
    ).prefetch_related("actions")
    return PagedRows(cases, _case_with_actions)


def _pair(p) -> dict:
    return {
        "id": p.pk,
        "unit": p.unit_id,
        "mentor": p.mentor_id,
        "mentee": p.mentee_id,
        "goals": p.goals,
        "active": p.active,
    }


@router.get("/{org}/development/mentor-pairs", response=list[MentorPairOut], summary="Mentoring pairs")
def list_mentor_pairs(request, org: str):
    return [_pair(p) for p in selectors.mentor_pairs_visible(scope=api_scope(request, org))]


@router.get(
    "/{org}/development/mentor-pairs/{pair_id}",
    response=MentorPairDetailOut,
    summary="A mentoring pair and its shadowing days",
)
def get_mentor_pair(request, org: str, pair_id: int):
    pair = selectors.mentor_pair_for(scope=api_scope(request, org), pair_id=pair_id)
    days = [
        {
            "id": d.pk,
            "date": d.date,
            "direction": d.direction,
            "debrief": d.debrief,
            "observations": [{"item": o.item.code, "value": o.value, "note": o.note} for o in d.observations.all()],
        }
        for d in selectors.shadowing_days_of(pair=pair)
    ]
    return {**_pair(pair), "shadowing_days": days}


def _role_play(s) -> dict:
    return {
        "id": s.pk,
        "unit": s.unit_id,
        "scenario": s.scenario_id,
        "scenario_title": s.scenario.title,
        "participant": s.participant_id,
        "open": s.open,
        "created_at": s.created_at,
    }


@router.get("/{org}/development/role-plays", response=list[RolePlaySessionOut], summary="Role-play sessions")
@paginate(BoundedPageNumberPagination, **PAGE)
def list_role_plays(request, org: str):
    return PagedRows(selectors.role_play_sessions_visible(scope=api_scope(request, org)), _role_play)


def _estimate(estimate) -> dict | None:
    return estimate.as_dict() if estimate is not None else None


@router.get(
    "/{org}/development/role-plays/{session_id}",
    response=RolePlaySessionDetailOut,
    summary="A role-play session and its summary: mean rating (1–5) per element by coach and peers",
)
def get_role_play(request, org: str, session_id: int):
    session = selectors.role_play_session_for(scope=api_scope(request, org), session_id=session_id)
    summary = selectors.role_play_summary(session=session)
    return {
        **_role_play(session),
        "coach_ratings": summary["raters"]["coach"],
        "peer_ratings": summary["raters"]["peers"],
        "elements": [
            {"element": code, "coach": _estimate(entry.get("coach")), "peer": _estimate(entry.get("peer"))}
            for code, entry in summary["rows"].items()
        ],
        "comments": summary["comments"],
    }


def _plan(p) -> dict:
    return {
        "id": p.pk,
        "unit": p.unit_id,
        "person": p.person_id,
        "title": p.title,
        "baseline_source": p.baseline_source,
        "started_at": p.started_at,
    }


@router.get("/{org}/development/plans", response=list[PlanOut], summary="Development plans")
@paginate(BoundedPageNumberPagination, **PAGE)
def list_plans(request, org: str):
    return PagedRows(selectors.plans_visible(scope=api_scope(request, org)), _plan)


@router.get(
    "/{org}/development/plans/{plan_id}",
    response=PlanDetailOut,
    summary="A development plan: goals with baseline, follow-up and change (n, CI), actions and check-ins",
)
def get_plan(request, org: str, plan_id: int):
    plan = selectors.plan_for(scope=api_scope(request, org), plan_id=plan_id)
    return {
        **_plan(plan),
        "goals": [
            {
                "id": g.goal.pk,
                "dimension": g.goal.dimension.code,
                "description": g.goal.description,
                "target": g.goal.target,
                "baseline": g.baseline.as_dict(),
                "follow_up": g.follow_up.as_dict(),
                "change": g.change.as_dict(),
            }
            for g in selectors.plan_progress(plan=plan)
        ],
        "actions": [
            {
                "id": a.pk,
                "kind": a.kind,
                "description": a.description,
                "due_date": a.due_date,
                "clinic_case": a.clinic_case_id,
                "done_at": a.done_at,
            }
            for a in plan.actions.all()
        ],
        "check_ins": [
            {"id": c.pk, "due_date": c.due_date, "held_at": c.held_at, "note": c.note} for c in plan.check_ins.all()
        ],
    }


@router.get(
    "/{org}/development/effects",
    response=EffectOut,
    summary="Did it work? Score change of participants vs non-participants (difference in differences)",
)
def effect(request, org: str, query: Query[EffectQuery]):
    scope = api_scope(request, org)
    if scope.is_employee:
        raise PermissionDenied
    form = EffectForm(
        query.dict(exclude_none=True), subjects=selectors.effect_subjects(scope=scope), organisation=scope.organisation
    )
    if not form.is_valid():
        raise ValidationError(
            [{"loc": ("query", name), "msg": " ".join(messages)} for name, messages in form.errors.items()]
        )
    subject = form.cleaned_data["subject"]
    report = selectors.effect_report_for(
        scope=scope, subject=subject, dimension_code=form.cleaned_data["dimension"] or None
    )
    if report is None:
        return {
            "subject": subject,
            "started": False,
            **dict.fromkeys(
                ("start", "window_days", "measure", "participants", "comparison", "effect", "verdict", "min_n")
            ),
        }
    return {
        "subject": subject,
        "started": True,
        "start": report.start,
        "window_days": report.window_days,
        "measure": report.measure,
        "participants": report.participants.as_dict(),
        "comparison": report.comparison.as_dict(),
        "effect": report.effect.as_dict(),
        "verdict": report.verdict,
        "min_n": report.min_n,
    }


def _selftest(r) -> dict:
    return {"id": r.pk, "person": r.person_id, "language": r.language, "profile": r.profile, "created_at": r.created_at}


@router.get(
    "/{org}/development/self-tests", response=list[SelfTestOut], summary="Saved self-test profiles, newest first"
)
@paginate(BoundedPageNumberPagination, **PAGE)
def list_self_tests(request, org: str, person: int | None = None):
    results = selectors.selftest_results_visible(scope=api_scope(request, org))
    if person:
        results = results.filter(person_id=person)
    return PagedRows(results.order_by("-created_at", "-pk"), _selftest)
