"""A synthetic organisation for benchmarks, load tests and demos at scale, generated from a seed.

`organisation_synthesise(seed=..., scale=...)` builds a unit tree, people, customers, service paths,
encounters and submitted customer responses to the organisation's pulse survey, over whole months
ending at `end`. Scores (nps/csat/ces/eqi on the response, DimensionScore rows) are computed exactly
as `feedback.scoring.response_score` computes them, vectorised. Rows go in through `bulkload`
(COPY on PostgreSQL, executemany on SQLite), in one transaction.

Planted effects, so that analyses have something true to find:
- one team listens clearly better (+1 scale point on the listening items);
- a summer dip: July's encounters are rated lower across the organisation;
- one person improves steadily over the whole period.

The same seed, scale and end give the same organisation, figure for figure.
"""

import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from kohtaamo.feedback.models import Answer, DimensionScore, Encounter, RespondentRole, Response
from kohtaamo.feedback.scoring import ELEMENTS, RAW_OUTCOMES
from kohtaamo.feedback.services import pulse_programme_ensure
from kohtaamo.organisations.models import (
    Channel,
    Customer,
    Organisation,
    Person,
    ServicePath,
    Stage,
    Touchpoint,
    Unit,
)

from .bulkload import BulkWriter
from .models import DimensionRollup, ResponseRollup
from .rollup import response_rollup_rebuild

SCALES = {
    # answers is the target; the generator picks the number of responses that gives about that many
    "tiny": {"units": 8, "people": 16, "customers": 400, "years": 1, "answers": 5_000},
    "small": {"units": 20, "people": 120, "customers": 8_000, "years": 2, "answers": 50_000},
    "medium": {"units": 60, "people": 2_000, "customers": 100_000, "years": 3, "answers": 1_000_000},
    "full": {"units": 60, "people": 2_000, "customers": 1_000_000, "years": 3, "answers": 10_000_000},
}
DIP_MONTH = 7  # the summer dip: holiday cover serves customers less well
DIP = 1.0  # in latent units (about 0.7 points on a 1–5 item)
ENCOUNTERS_PER_RESPONSE = 1.25  # not every encounter is answered
ANSWER_RATE = 0.96  # each scale question is answered with this probability
COMMENT_RATE = 0.07
LANGUAGES = (("fi", 0.8), ("sv", 0.12), ("en", 0.08))
COMMENTS = {
    "fi": ["Sain hyvää palvelua, kiitos.", "Jonotin liian kauan.", "Asiantunteva ja ystävällinen palvelu."],
    "sv": ["Bra service, tack.", "Jag fick vänta för länge.", "Kunnig och vänlig service."],
    "en": ["Good service, thank you.", "I waited too long.", "Knowledgeable and friendly service."],
}
TOUCHPOINTS = (
    # service path, stage, touchpoint, channel, share of encounters
    ("Home loan", "First contact", "Web enquiry", Channel.WEB, 0.10),
    ("Home loan", "First contact", "Phone call", Channel.PHONE, 0.16),
    ("Home loan", "Loan meeting", "Branch meeting", Channel.FACE_TO_FACE, 0.22),
    ("Home loan", "Loan meeting", "Video meeting", Channel.VIDEO, 0.08),
    ("Daily banking", "Questions", "Chat", Channel.CHAT, 0.16),
    ("Daily banking", "Questions", "E-mail", Channel.EMAIL, 0.08),
    ("Daily banking", "Service at the branch", "Counter", Channel.FACE_TO_FACE, 0.20),
)
FIRST_NAMES = ("Aino", "Eero", "Helmi", "Juho", "Kaisa", "Lauri", "Maija", "Niko", "Oona", "Pekka", "Saara", "Ville")
SURNAMES = ("Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Lindqvist", "Heikkinen", "Laine", "Sjöberg", "Koski")


@dataclass(frozen=True)
class PlantedEffects:
    listening_unit_id: int  # this team's listening items are one scale point higher
    improving_person_id: int  # this person's encounters improve steadily from start to end
    dip_month: int = DIP_MONTH  # encounters in this calendar month are rated lower


@dataclass
class SynthesisReport:
    organisation_id: int
    slug: str
    start: date
    end: date  # exclusive: the first day after the generated months
    planted: PlantedEffects
    counts: dict[str, int] = field(default_factory=dict)  # rows per table
    seconds: float = 0.0  # generating, writing and committing, the rollup included

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def rows_per_second(self) -> float:
        """Rows generated, written and committed per second."""
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class _Question:
    """The scoring facts of one scale question of the pulse survey."""

    pk: int
    low: int
    high: int
    reverse: bool
    dimension_codes: list[str]


@dataclass
class _Structure:
    organisation: Organisation
    round_id: int
    questionnaire_id: int
    questions: list[_Question]
    comment_question_id: int | None
    dimension_ids: dict[str, int]
    leaf_units: list[Unit]
    person_ids: np.ndarray
    person_units: np.ndarray  # unit id per person
    person_weights: np.ndarray
    touchpoint_ids: np.ndarray
    touchpoint_channels: list[str]
    touchpoint_weights: np.ndarray
    customer_first_id: int
    customers: int
    planted: PlantedEffects
    skills: np.ndarray  # per person
    unit_effects: dict[int, float]


def scale_spec(scale: str | dict) -> dict:
    """A named scale or a dict overriding the small scale's figures."""
    if isinstance(scale, str):
        if scale not in SCALES:
            raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)} or pass a dict")
        return dict(SCALES[scale])
    return {**SCALES["small"], **scale}


def organisation_synthesise(
    *,
    seed: int,
    scale: str | dict = "small",
    database_alias: str = "default",
    progress: bool = True,
    slug: str | None = None,
    end: date | None = None,
) -> SynthesisReport:
    """Generate one organisation (slug `synthetic-<seed>` unless given) and return what was written.

    `scale` is one of SCALES ("tiny", "small", "medium", "full") or a dict with any of units, people,
    customers, years, answers. `end` is the first day after the generated months (default: the first
    day of the current month), so the same seed, scale and end reproduce the same data.
    """
    spec = scale_spec(scale)
    started = time.perf_counter()
    writer = BulkWriter(database_alias)
    with writer.loading(), transaction.atomic(using=database_alias):
        structure = _structure_create(seed=seed, spec=spec, slug=slug or f"synthetic-{seed}", writer=writer)
        months = _months(end=end, years=spec["years"], time_zone=structure.organisation.time_zone)
        report = SynthesisReport(
            organisation_id=structure.organisation.pk,
            slug=structure.organisation.slug,
            start=months[0],
            end=_add_month(months[-1]),
            planted=structure.planted,
        )
        report.counts = {
            "units": Unit.objects.using(database_alias).filter(organisation=structure.organisation).count(),
            "people": len(structure.person_ids),
            "customers": structure.customers,
        }
        _encounters_and_responses(
            structure=structure, spec=spec, seed=seed, months=months, writer=writer, report=report, progress=progress
        )
        if progress:
            tqdm.write("building the dashboard rollup; then the commit checks every foreign key")
        _analyse(writer)  # sees this transaction's rows: the rollup's queries below are planned on them
        response_rollup_rebuild(organisation=structure.organisation, database_alias=database_alias)
        _analyse(writer, models=(ResponseRollup, DimensionRollup))
    report.seconds = time.perf_counter() - started
    return report


# The unit tree too: the dashboard filters on unit paths, and a new tree has no statistics yet.
LOADED = (Unit, Person, Touchpoint, Customer, Encounter, Response, Answer, DimensionScore)


def _analyse(writer: BulkWriter, models=LOADED) -> None:
    """Fresh planner statistics after a bulk load, so the first dashboard query is planned well."""
    if writer.vendor != "postgresql":
        return
    with writer.connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


# --- months ---------------------------------------------------------------------------------------


def _add_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _months(*, end: date | None, years: int, time_zone: str) -> list[date]:
    if end is None:
        end = timezone.localdate(timezone=ZoneInfo(time_zone)).replace(day=1)
    end = end.replace(day=1)
    months = [date(end.year - years, end.month, 1)]
    while _add_month(months[-1]) < end:
        months.append(_add_month(months[-1]))
    return months


# --- the organisation's structure (ORM: at most a few thousand rows) -------------------------------


def _unit_tree(*, organisation: Organisation, units: int, using: str) -> list[Unit]:
    """Root, regions, branches and teams, `units` in all; returns the units people work in."""
    root = Unit(organisation=organisation, name=organisation.name, kind=Unit.Kind.ORGANISATION)
    root.save(using=using)
    rest = max(units - 1, 1)
    regions_n = max(1, rest // 15)
    branches_n = max(1, (rest - regions_n) // 4)
    teams_n = max(0, rest - regions_n - branches_n)
    regions = []
    for i in range(regions_n):
        region = Unit(organisation=organisation, parent=root, name=f"Region {i + 1}", kind=Unit.Kind.REGION)
        region.save(using=using)
        regions.append(region)
    branches = []
    for i in range(branches_n):
        branch = Unit(
            organisation=organisation, parent=regions[i % regions_n], name=f"Branch {i + 1:02d}", kind=Unit.Kind.BRANCH
        )
        branch.save(using=using)
        branches.append(branch)
    teams = []
    for i in range(teams_n):
        team = Unit(
            organisation=organisation, parent=branches[i % branches_n], name=f"Team {i + 1:02d}", kind=Unit.Kind.TEAM
        )
        team.save(using=using)
        teams.append(team)
    return teams or branches


def _touchpoints(*, organisation: Organisation, using: str) -> list[Touchpoint]:
    paths: dict[str, ServicePath] = {}
    stages: dict[tuple[str, str], Stage] = {}
    touchpoints = []
    for order, (path_name, stage_name, name, channel, _share) in enumerate(TOUCHPOINTS, start=1):
        if path_name not in paths:
            paths[path_name] = ServicePath.objects.using(using).create(organisation=organisation, name=path_name)
        if (path_name, stage_name) not in stages:
            stages[path_name, stage_name] = Stage.objects.using(using).create(
                service_path=paths[path_name], name=stage_name, order=len(stages) + 1
            )
        touchpoints.append(
            Touchpoint.objects.using(using).create(
                organisation=organisation,
                stage=stages[path_name, stage_name],
                name=name,
                code=f"tp{order}",
                channel=channel,
                order=order,
            )
        )
    return touchpoints


def _pulse_questions(questionnaire) -> tuple[list[_Question], int | None]:
    """The scale questions in the survey's order (the order scoring sums in) and the comment question."""
    questions, comment = [], None
    for question in questionnaire.questions.select_related("item").prefetch_related("item__dimensions"):
        if question.item_id is None:
            comment = comment or question.pk
            continue
        questions.append(
            _Question(
                pk=question.pk,
                low=question.scale_min,
                high=question.scale_max,
                reverse=question.reverse_coded,
                dimension_codes=[d.code for d in question.item.dimensions.all()],
            )
        )
    return questions, comment


def _structure_create(*, seed: int, spec: dict, slug: str, writer: BulkWriter) -> _Structure:
    using = writer.connection.alias
    rng = np.random.default_rng([seed, 0])
    organisation = Organisation.objects.using(using).create(name=f"Synthetic {seed}", slug=slug)
    leaves = _unit_tree(organisation=organisation, units=spec["units"], using=using)
    people_n = spec["people"]
    person_units = [leaves[i % len(leaves)] for i in range(people_n)]
    people = Person.objects.using(using).bulk_create(
        [
            Person(
                organisation=organisation,
                unit=unit,
                name=f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {SURNAMES[(i // len(FIRST_NAMES)) % len(SURNAMES)]} {i + 1}",
                external_id=f"P{i + 1:05d}",
            )
            for i, unit in enumerate(person_units)
        ]
    )
    touchpoints = _touchpoints(organisation=organisation, using=using)
    programme = pulse_programme_ensure(organisation=organisation)
    questions, comment = _pulse_questions(programme.questionnaire)
    dimension_ids = {
        d.code: d.pk
        for q in programme.questionnaire.questions.select_related("item")
        if q.item
        for d in q.item.dimensions.all()
    }
    customers_n = spec["customers"]
    first_customer = writer.reserve_ids(Customer, customers_n)
    _customers_write(writer=writer, organisation=organisation, first=first_customer, count=customers_n, rng=rng)
    person_ids = np.array([p.pk for p in people], dtype=np.int64)
    shares = np.array([t[4] for t in TOUCHPOINTS])
    return _Structure(
        organisation=organisation,
        round_id=programme.pk,
        questionnaire_id=programme.questionnaire_id,
        questions=questions,
        comment_question_id=comment,
        dimension_ids=dimension_ids,
        leaf_units=leaves,
        person_ids=person_ids,
        person_units=np.array([u.pk for u in person_units], dtype=np.int64),
        person_weights=_normalised(rng.gamma(4.0, 1.0, people_n)),
        touchpoint_ids=np.array([t.pk for t in touchpoints], dtype=np.int64),
        touchpoint_channels=[t.channel for t in touchpoints],
        touchpoint_weights=shares / shares.sum(),
        customer_first_id=first_customer,
        customers=customers_n,
        planted=PlantedEffects(listening_unit_id=leaves[0].pk, improving_person_id=int(person_ids[1 % people_n])),
        skills=rng.normal(0.0, 0.35, people_n),
        unit_effects={u.pk: float(e) for u, e in zip(leaves, rng.normal(0.0, 0.2, len(leaves)), strict=True)},
    )


def _normalised(weights: np.ndarray) -> np.ndarray:
    return weights / weights.sum()


def _customers_write(*, writer: BulkWriter, organisation, first: int, count: int, rng) -> None:
    languages = rng.choice([code for code, _ in LANGUAGES], size=count, p=[p for _, p in LANGUAGES]).tolist()
    segments = rng.choice(["private", "private", "private", "business", "youth"], size=count).tolist()
    step = 250_000
    for start in range(0, count, step):
        stop = min(start + step, count)
        writer.write(
            Customer,
            {
                "id": list(range(first + start, first + stop)),
                "organisation": [organisation.pk] * (stop - start),
                "external_id": [f"C{i + 1:07d}" for i in range(start, stop)],
                "email": [""] * (stop - start),
                "language": languages[start:stop],
                "segment": segments[start:stop],
                "contact_consent": [False] * (stop - start),
            },
        )


# --- encounters, responses, answers and scores (numpy, month by month) ----------------------------


def _month_weights(months: list[date]) -> np.ndarray:
    season = {7: 0.7, 12: 0.85, 1: 0.9}
    growth = np.linspace(0.85, 1.15, len(months))
    return _normalised(np.array([season.get(m.month, 1.0) for m in months]) * growth)


def _expected_answers_per_response(questions: list[_Question]) -> float:
    return len(questions) * ANSWER_RATE + COMMENT_RATE


def _encounters_and_responses(*, structure, spec, seed, months, writer, report, progress) -> None:
    responses_total = max(len(months), round(spec["answers"] / _expected_answers_per_response(structure.questions)))
    per_month = np.floor(_month_weights(months) * responses_total).astype(int)
    per_month[-1] += responses_total - per_month.sum()
    encounters_per_month = np.ceil(per_month * ENCOUNTERS_PER_RESPONSE).astype(int)
    ids = {
        "encounter": writer.reserve_ids(Encounter, int(encounters_per_month.sum())),
        "response": writer.reserve_ids(Response, int(per_month.sum())),
    }
    # Answers and scores come per response; reserve generously and never hand out an id twice.
    answers_cap = int(per_month.sum()) * (len(structure.questions) + 1)
    scores_cap = int(per_month.sum()) * len(structure.dimension_ids)
    ids["answer"] = writer.reserve_ids(Answer, answers_cap)
    ids["score"] = writer.reserve_ids(DimensionScore, scores_cap)
    counts = {"encounters": 0, "responses": 0, "answers": 0, "dimension_scores": 0}
    span = (months[-1] - months[0]).days or 1
    bar = tqdm(total=spec["answers"], unit=" answers", unit_scale=True, disable=not progress, desc="synthesising")
    for index, month in enumerate(months):
        month_rng = np.random.default_rng([seed, 1, index])
        written = _month_write(
            structure=structure,
            month=month,
            progress_share=((month - months[0]).days / span),
            responses=int(per_month[index]),
            encounters=int(encounters_per_month[index]),
            rng=month_rng,
            writer=writer,
            ids=ids,
            seed=seed,
        )
        for key, value in written.items():
            counts[key] += value
        bar.update(written["answers"])
    bar.close()
    report.counts.update(counts)


def _instants(*, month: date, count: int, rng, time_zone: str) -> np.ndarray:
    """Epoch seconds of local office-hours moments in the month, as UTC."""
    days = (_add_month(month) - month).days
    day = rng.integers(0, days, count)
    local_seconds = rng.integers(8 * 3600, 18 * 3600, count)
    tz = ZoneInfo(time_zone)
    midnight_utc = np.array(
        [
            datetime.combine(month + timedelta(days=d), datetime.min.time(), tzinfo=tz).astimezone(UTC).timestamp()
            for d in range(days)
        ],
        dtype=np.int64,
    )
    return midnight_utc[day] + local_seconds


def _month_write(*, structure: _Structure, month, progress_share, responses, encounters, rng, writer, ids, seed):
    organisation_id = structure.organisation.pk
    people = rng.choice(len(structure.person_ids), size=encounters, p=structure.person_weights)
    touchpoints = rng.choice(len(structure.touchpoint_ids), size=encounters, p=structure.touchpoint_weights)
    customers = structure.customer_first_id + rng.integers(0, structure.customers, encounters)
    occurred = _instants(month=month, count=encounters, rng=rng, time_zone=structure.organisation.time_zone)
    units = structure.person_units[people]
    encounter_ids = np.arange(ids["encounter"], ids["encounter"] + encounters)
    ids["encounter"] += encounters
    occurred_text = writer.timestamps(occurred)
    channels = [structure.touchpoint_channels[t] for t in touchpoints.tolist()]
    writer.write(
        Encounter,
        {
            "id": encounter_ids.tolist(),
            "organisation": [organisation_id] * encounters,
            "external_id": [f"S{seed}-E{i}" for i in encounter_ids.tolist()],
            "customer": customers.tolist(),
            "person": structure.person_ids[people].tolist(),
            "unit": units.tolist(),
            "channel": channels,
            "touchpoint": structure.touchpoint_ids[touchpoints].tolist(),
            "occurred_at": occurred_text,
            "transcript": [""] * encounters,
            "created_at": occurred_text,
        },
    )
    # The first `responses` encounters of the month are the answered ones (their order is random).
    n = responses
    latent = (
        structure.skills[people[:n]]
        + np.array([structure.unit_effects[u] for u in units[:n].tolist()])
        + rng.normal(0.0, 0.7, n)
    )
    if month.month == DIP_MONTH:
        latent -= DIP
    improving = structure.person_ids[people[:n]] == structure.planted.improving_person_id
    latent[improving] = -1.2 + 2.4 * progress_share + rng.normal(0.0, 0.4, int(improving.sum()))
    listening_unit = units[:n] == structure.planted.listening_unit_id
    values, answered = _answer_values(structure=structure, latent=latent, listening_unit=listening_unit, rng=rng)
    scores = _scores(structure=structure, values=values, answered=answered)
    languages = rng.choice([c for c, _ in LANGUAGES], size=n, p=[p for _, p in LANGUAGES])
    commented = rng.random(n) < COMMENT_RATE if structure.comment_question_id else np.zeros(n, dtype=bool)
    submitted = occurred[:n] + rng.integers(300, 2 * 86400, n)
    response_ids = np.arange(ids["response"], ids["response"] + n)
    ids["response"] += n
    submitted_text = writer.timestamps(submitted)
    started_text = writer.timestamps(submitted - 240)
    keys = rng.integers(0, 2**63, size=(n, 2), dtype=np.int64)
    raw = scores["raw"]
    writer.write(
        Response,
        {
            "id": response_ids.tolist(),
            "organisation": [organisation_id] * n,
            "round": [structure.round_id] * n,
            "questionnaire": [structure.questionnaire_id] * n,
            "idempotency_key": [uuid.UUID(int=(int(a) << 64) | int(b), version=4).hex for a, b in keys.tolist()],
            "encounter": encounter_ids[:n].tolist(),
            "respondent_role": [RespondentRole.CUSTOMER.value] * n,
            "subject_person": structure.person_ids[people[:n]].tolist(),
            "unit": units[:n].tolist(),
            "channel": channels[:n],
            "touchpoint": structure.touchpoint_ids[touchpoints[:n]].tolist(),
            "language": languages.tolist(),
            "status": [Response.Status.SUBMITTED.value] * n,
            "started_at": started_text,
            "updated_at": submitted_text,
            "submitted_at": submitted_text,
            "nps": raw["nps"],
            "csat": raw["csat"],
            "ces": raw["ces"],
            "eqi": scores["eqi"],
            "has_comment": commented.tolist(),
        },
    )
    answers = _answers_write(
        structure=structure,
        response_ids=response_ids,
        values=values,
        answered=answered,
        commented=commented,
        languages=languages,
        rng=rng,
        writer=writer,
        ids=ids,
    )
    dimension_scores = _scores_write(
        structure=structure, response_ids=response_ids, scores=scores, writer=writer, ids=ids
    )
    return {"encounters": encounters, "responses": n, "answers": answers, "dimension_scores": dimension_scores}


def _answer_values(*, structure: _Structure, latent: np.ndarray, listening_unit: np.ndarray, rng):
    """Values (as stored, reverse-coded ones flipped back) and whether each question was answered."""
    n = len(latent)
    values = np.zeros((n, len(structure.questions)), dtype=np.int64)
    answered = rng.random((n, len(structure.questions))) < ANSWER_RATE
    for j, question in enumerate(structure.questions):
        width = question.high - question.low
        level = latent + rng.normal(0.0, 0.45, n)
        if "listening" in question.dimension_codes:
            level = level + listening_unit / (0.18 * width)  # one scale point more
        oriented = np.clip(np.rint(question.low + width * (0.75 + 0.18 * level)), question.low, question.high)
        oriented = oriented.astype(np.int64)
        values[:, j] = question.low + question.high - oriented if question.reverse else oriented
    return values, answered


def _scores(*, structure: _Structure, values: np.ndarray, answered: np.ndarray) -> dict:
    """Dimension scores, EQI and raw outcomes, with exactly the arithmetic of feedback.scoring."""
    n = values.shape[0]
    asked: dict[str, list[int]] = {}
    raw: dict[str, list] = {code: [None] * n for code in RAW_OUTCOMES}
    for j, question in enumerate(structure.questions):
        for code in question.dimension_codes:
            if code in RAW_OUTCOMES:
                raw[code] = np.where(answered[:, j], values[:, j], -1).tolist()
                raw[code] = [None if v < 0 else v for v in raw[code]]
                continue
            asked.setdefault(code, []).append(j)
    dimensions = {}
    for code, columns in asked.items():
        count = np.zeros(n, dtype=np.int64)
        oriented_sum = np.zeros(n, dtype=np.int64)
        rescaled_sum = np.zeros(n, dtype=np.float64)
        for j in columns:
            q = structure.questions[j]
            oriented = q.low + q.high - values[:, j] if q.reverse else values[:, j]
            rescaled = (oriented - q.low) / (q.high - q.low) * 100
            hit = answered[:, j]
            count += hit
            oriented_sum += np.where(hit, oriented, 0)
            rescaled_sum = rescaled_sum + np.where(hit, rescaled, 0.0)
        scored = (count > 0) & (count * 2 >= len(columns))
        safe = np.maximum(count, 1)
        dimensions[code] = {
            "scored": scored,
            "mean": oriented_sum / safe,
            "score": rescaled_sum / safe,
            "items": count,
        }
    elements_scored = np.ones(n, dtype=bool)
    element_sum = np.zeros(n, dtype=np.float64)
    for code in ELEMENTS:
        if code not in dimensions:
            elements_scored[:] = False
            break
        elements_scored &= dimensions[code]["scored"]
        element_sum = element_sum + np.where(dimensions[code]["scored"], dimensions[code]["score"], 0.0)
    eqi = element_sum / len(ELEMENTS)
    return {
        "raw": raw,
        "dimensions": dimensions,
        "eqi": [float(e) if ok else None for e, ok in zip(eqi.tolist(), elements_scored.tolist(), strict=True)],
    }


def _answers_write(*, structure, response_ids, values, answered, commented, languages, rng, writer, ids) -> int:
    rows_response, rows_question, rows_value, rows_text = [], [], [], []
    for j, question in enumerate(structure.questions):
        hit = answered[:, j]
        rows_response.append(response_ids[hit])
        rows_question.append(np.full(int(hit.sum()), question.pk, dtype=np.int64))
        rows_value.append(values[hit, j])
    response_col = np.concatenate(rows_response)
    order = np.argsort(response_col, kind="stable")
    response_list = response_col[order].tolist()
    question_list = np.concatenate(rows_question)[order].tolist()
    value_list = np.concatenate(rows_value)[order].tolist()
    rows_text = [""] * len(response_list)
    if structure.comment_question_id and commented.any():
        picks = rng.integers(0, 3, int(commented.sum())).tolist()
        response_list += response_ids[commented].tolist()
        question_list += [structure.comment_question_id] * len(picks)
        value_list += [None] * len(picks)
        rows_text += [COMMENTS[lang][p] for lang, p in zip(languages[commented].tolist(), picks, strict=True)]
    count = len(response_list)
    first = ids["answer"]
    ids["answer"] += count
    return writer.write(
        Answer,
        {
            "id": list(range(first, first + count)),
            "organisation": [structure.organisation.pk] * count,
            "response": response_list,
            "question": question_list,
            "value": value_list,
            "text": rows_text,
        },
    )


def _scores_write(*, structure, response_ids, scores, writer, ids) -> int:
    columns = {"response": [], "dimension": [], "mean": [], "score": [], "items_answered": []}
    for code, dimension in scores["dimensions"].items():
        hit = dimension["scored"]
        columns["response"].append(response_ids[hit])
        columns["dimension"].append(np.full(int(hit.sum()), structure.dimension_ids[code], dtype=np.int64))
        columns["mean"].append(dimension["mean"][hit])
        columns["score"].append(dimension["score"][hit])
        columns["items_answered"].append(dimension["items"][hit])
    response_col = np.concatenate(columns["response"])
    order = np.argsort(response_col, kind="stable")
    count = len(order)
    first = ids["score"]
    ids["score"] += count
    return writer.write(
        DimensionScore,
        {
            "id": list(range(first, first + count)),
            "organisation": [structure.organisation.pk] * count,
            "response": response_col[order].tolist(),
            **{name: np.concatenate(parts)[order].tolist() for name, parts in columns.items() if name != "response"},
        },
    )
