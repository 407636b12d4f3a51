"""Pages of the development loop for people: mentoring and shadowing, role play, plans, self-test, effects."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kohtaamo.feedback.qr import qr_svg
from kohtaamo.instruments.models import pick_language
from kohtaamo.organisations.decorators import organisation_view
from kohtaamo.organisations.selectors import person_for

from . import selectors, services
from .forms import (
    CheckInForm,
    CheckInScheduleForm,
    DebriefForm,
    EffectForm,
    MentorPairForm,
    PlanActionForm,
    PlanForm,
    RolePlaySessionForm,
    ScenarioForm,
    ShadowingDayForm,
)
from .models import DevelopmentPlan
from .rating import observation_items_for, rating_url, scale_values_from
from .selftest import selftest_answers_clean, selftest_score, statements_for
from .selftest_data import SCALE_LABELS

PLANS_PER_PAGE = 20


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _language() -> str:
    return (translation.get_language() or "fi")[:2]


# -- mentoring -------------------------------------------------------------------------------------------


@organisation_view
def mentoring(request):
    scope = request.scope
    form = None
    if not scope.is_employee:
        form = MentorPairForm(request.POST or None, people=selectors.people_choices(scope=scope))
        if request.method == "POST" and form.is_valid():
            pair = services.mentor_pair_create(scope=scope, **form.cleaned_data)
            return redirect("development:mentor_pair", org=scope.organisation.slug, pair_id=pair.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request, "development/mentoring.html", {"form": form, "pairs": selectors.mentor_pairs_visible(scope=scope)}
    )


@organisation_view
def mentor_pair(request, pair_id: int):
    scope = request.scope
    pair = selectors.mentor_pair_for(scope=scope, pair_id=pair_id)
    items = observation_items_for(organisation=scope.organisation)
    form = ShadowingDayForm(request.POST or None)
    if request.method == "POST":
        try:
            values = scale_values_from(request.POST, items=items, required=False)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            if form.is_valid():
                notes = {item.pk: request.POST.get(f"note-{item.pk}", "")[:500] for item in items}
                observations = {item.pk: (values.get(item.pk), notes[item.pk]) for item in items}
                services.shadowing_day_record(
                    pair=pair,
                    day=form.cleaned_data["date"],
                    direction=form.cleaned_data["direction"],
                    observations=observations,
                    debrief=form.cleaned_data["debrief"],
                )
                messages.success(request, _("Shadowing day recorded."))
                return redirect("development:mentor_pair", org=scope.organisation.slug, pair_id=pair.pk)
    context = {
        "pair": pair,
        "days": selectors.shadowing_days_of(pair=pair),
        "form": form,
        "items": [(item, pick_language(item.texts.get("other", {}))) for item in items],
        "debrief_form": DebriefForm(),
        "scale": range(1, 6),
    }
    return render(request, "development/mentor_pair.html", context)


@organisation_view
@require_POST
def shadowing_debrief(request, pair_id: int, day_id: int):
    scope = request.scope
    pair = selectors.mentor_pair_for(scope=scope, pair_id=pair_id)
    day = pair.shadowing_days.filter(pk=day_id).first()
    form = DebriefForm(request.POST)
    if day is None:
        raise PermissionDenied
    if form.is_valid():
        services.shadowing_debrief_update(day=day, debrief=form.cleaned_data["debrief"])
    else:
        _form_errors(request, form)
    return redirect("development:mentor_pair", org=scope.organisation.slug, pair_id=pair.pk)


# -- role play ---------------------------------------------------------------------------------------------


@organisation_view
def role_play(request):
    scope = request.scope
    scenario_form = session_form = None
    if not scope.is_employee:
        scenarios = selectors.scenarios_visible(scope=scope)
        people = selectors.people_choices(scope=scope)
        which = request.POST.get("form")
        scenario_form = ScenarioForm(request.POST if which == "scenario" else None)
        session_form = RolePlaySessionForm(
            request.POST if which == "session" else None, scenarios=scenarios, people=people
        )
        if which == "scenario" and scenario_form.is_valid():
            services.role_play_scenario_create(scope=scope, **scenario_form.cleaned_data)
            messages.success(request, _("Scenario added to the library."))
            return redirect("development:role_play", org=scope.organisation.slug)
        if which == "session" and session_form.is_valid():
            session = services.role_play_session_create(scope=scope, **session_form.cleaned_data)
            return redirect("development:role_play_session", org=scope.organisation.slug, session_id=session.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "scenarios": selectors.scenarios_visible(scope=scope),
        "sessions": selectors.role_play_sessions_visible(scope=scope)[:30],
        "scenario_form": scenario_form,
        "session_form": session_form,
    }
    return render(request, "development/role_play.html", context)


@organisation_view
def role_play_session(request, session_id: int):
    scope = request.scope
    session = selectors.role_play_session_for(scope=scope, session_id=session_id)
    if request.method == "POST":
        if scope.is_employee:
            raise PermissionDenied
        services.role_play_session_close(session=session)
        return redirect("development:role_play_session", org=scope.organisation.slug, session_id=session.pk)
    summary = selectors.role_play_summary(session=session)
    rows = [
        {"name": pick_language(entry["names"]), "coach": entry.get("coach"), "peer": entry.get("peer")}
        for entry in summary["rows"].values()
    ]
    context = {
        "session": session,
        "rows": rows,
        "raters": summary["raters"],
        "comments": summary["comments"],
        "rating_url": rating_url(session) if not scope.is_employee else None,
    }
    return render(request, "development/role_play_session.html", context)


@organisation_view
def role_play_qr(request, session_id: int):
    scope = request.scope
    if scope.is_employee:
        raise PermissionDenied
    session = selectors.role_play_session_for(scope=scope, session_id=session_id)
    return HttpResponse(qr_svg(rating_url(session), title=session.scenario.title), content_type="image/svg+xml")


# -- plans -------------------------------------------------------------------------------------------------


@organisation_view
def plans(request):
    scope = request.scope
    page = Paginator(selectors.plans_visible(scope=scope), PLANS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"plan": plan, "progress": selectors.plan_progress(plan=plan)} for plan in page]
    context = {"rows": rows, "page": page, "people": selectors.people_choices(scope=scope)}
    return render(request, "development/plans.html", context)


@organisation_view
def plan_new(request):
    scope = request.scope
    person_id = request.POST.get("person") or request.GET.get("person")
    if scope.is_employee:
        person_id = scope.person_id
    if not person_id or not str(person_id).isdigit():
        return redirect("development:plans", org=scope.organisation.slug)
    person = person_for(scope=scope, person_id=int(person_id))
    gaps = selectors.person_gaps(person=person)
    initial = {"dimension": request.GET.get("dimension")} if request.GET.get("dimension") else {}
    form = PlanForm(request.POST or None, initial=initial, organisation=scope.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                scope=scope,
                person=person,
                title=data["title"],
                goals=[(data["dimension"], data["description"], data["target"])],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            return redirect("development:plan", org=scope.organisation.slug, plan_id=plan.pk)
    return render(request, "development/plan_new.html", {"person": person, "gaps": gaps, "form": form})


def _lesson_cases(scope):
    """Cases with lessons from the last year: the ones a plan can point to."""
    since = timezone.now() - timedelta(days=365)
    return selectors.clinic_cases_visible(scope=scope).exclude(lessons="").filter(created_at__gte=since)


def _plan_context(request, plan: DevelopmentPlan) -> dict:
    return {
        "plan": plan,
        "progress": selectors.plan_progress(plan=plan),
        "actions": plan.actions.select_related("clinic_case"),
        "check_ins": plan.check_ins.all(),
        "action_form": PlanActionForm(cases=_lesson_cases(request.scope)),
        "check_in_form": CheckInForm(),
        "schedule_form": CheckInScheduleForm(),
    }


@organisation_view
def plan(request, plan_id: int):
    scope = request.scope
    the_plan = selectors.plan_for(scope=scope, plan_id=plan_id)
    if request.method == "POST":
        what = request.POST.get("form")
        if what == "action":
            form = PlanActionForm(request.POST, cases=_lesson_cases(scope))
            if form.is_valid():
                services.plan_action_add(plan=the_plan, **form.cleaned_data)
            else:
                _form_errors(request, form)
        elif what == "action_done":
            action = the_plan.actions.filter(pk=request.POST.get("action_id") or 0).first()
            if action is not None:
                services.plan_action_done(action=action)
        elif what == "check_in":
            form = CheckInForm(request.POST)
            if form.is_valid():
                scheduled = the_plan.check_ins.filter(held_at__isnull=True).order_by("due_date").first()
                services.plan_check_in_record(plan=the_plan, check_in=scheduled, note=form.cleaned_data["note"])
                messages.success(request, _("Check-in recorded."))
            else:
                _form_errors(request, form)
        elif what == "schedule":
            form = CheckInScheduleForm(request.POST)
            if form.is_valid():
                services.plan_check_in_schedule(plan=the_plan, due_date=form.cleaned_data["due_date"])
            else:
                _form_errors(request, form)
        return redirect("development:plan", org=scope.organisation.slug, plan_id=the_plan.pk)
    return render(request, "development/plan.html", _plan_context(request, the_plan))


# -- self-test (logged in) --------------------------------------------------------------------------------


@organisation_view
def self_test(request):
    scope = request.scope
    language = _language()
    person = person_for(scope=scope, person_id=scope.person_id) if scope.person_id else None
    profile = error = None
    if request.method == "POST":
        if person is None:
            raise PermissionDenied
        try:
            answers = selftest_answers_clean(request.POST)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            services.selftest_save(scope=scope, person=person, answers=answers, language=language)
            messages.success(request, _("Your result was saved to your own view."))
            return redirect("development:self_test", org=scope.organisation.slug)
    latest = selectors.selftest_results_visible(scope=scope).filter(person=person).first() if person else None
    if latest is not None:
        profile = selftest_score(answers=latest.answers, language=language)
    context = {
        "person": person,
        "statements": statements_for(language),
        "labels": sorted(SCALE_LABELS[language if language in SCALE_LABELS else "en"].items()),
        "profile": profile,
        "profile_rows": profile.rows(language) if profile else [],
        "latest": latest,
        "error": error,
        "posted": request.POST,
        "action_links": _action_links(scope.organisation.slug),
    }
    return render(request, "development/self_test.html", context)


def _action_links(slug: str) -> dict[str, str]:
    return {
        "role_play": reverse("development:role_play", kwargs={"org": slug}),
        "mentoring": reverse("development:mentoring", kwargs={"org": slug}),
        "clinic": reverse("development:case_library", kwargs={"org": slug}),
        "plan": reverse("development:plan_new", kwargs={"org": slug}),
    }


# -- did it work? -------------------------------------------------------------------------------------------


@organisation_view
def effects(request):
    scope = request.scope
    if scope.is_employee:
        raise PermissionDenied
    form = EffectForm(
        request.GET or None, subjects=selectors.effect_subjects(scope=scope), organisation=scope.organisation
    )
    report = None
    if form.is_valid():
        report = selectors.effect_report_for(
            scope=scope, subject=form.cleaned_data["subject"], dimension_code=form.cleaned_data["dimension"] or None
        )
    return render(request, "development/effects.html", {"form": form, "report": report})
