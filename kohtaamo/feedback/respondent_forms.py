"""The respondent form: validation of one answer and of a whole submit, and the fields the page shows.

Validation lives here once; the services in responding.py call it for both the answer-as-you-go
endpoint and the final submit.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kohtaamo.instruments.models import Question

COMMENT_MAX_LENGTH = 5000
FIELD_PREFIX = "q_"
KEY_FIELD = "key"


def field_name(question_id: int) -> str:
    return f"{FIELD_PREFIX}{question_id}"


def raw_answers_from(data: Mapping[str, str]) -> dict[int, str]:
    """Posted answer fields (`q_<question id>`) by question id; other fields are ignored."""
    raw = {}
    for name in data:
        suffix = name.removeprefix(FIELD_PREFIX)
        if name.startswith(FIELD_PREFIX) and suffix.isdigit():
            raw[int(suffix)] = data.get(name) or ""
    return raw


def answer_clean(*, question: Question, raw_value: str | None) -> int | str | None:
    """The stored form of one answer: an int on the question's scale, a comment, or None (no answer)."""
    # Browsers post line breaks as CRLF; count them as the respondent sees them.
    raw = (raw_value or "").replace("\r\n", "\n").strip()
    if not raw:
        return None
    if question.kind == Question.Kind.OPEN:
        if len(raw) > COMMENT_MAX_LENGTH:
            raise ValidationError(
                _("Please shorten your answer to at most %(limit)s characters (it now has %(length)s)."),
                code="too_long",
                params={"limit": COMMENT_MAX_LENGTH, "length": len(raw)},
            )
        return raw
    bounds = {"min": question.scale_min, "max": question.scale_max}
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError(
            _("Choose one of the options from %(min)s to %(max)s."), code="invalid", params=bounds
        ) from None
    if not question.scale_min <= value <= question.scale_max:
        raise ValidationError(_("Choose a value from %(min)s to %(max)s."), code="out_of_range", params=bounds)
    return value


def answers_clean(*, questions: Iterable[Question], raw_answers: Mapping[int, str]) -> dict[int, int | str]:
    """Every answer of a submit, validated; raises one ValidationError keyed by field name."""
    cleaned: dict[int, int | str] = {}
    errors: dict[str, list[ValidationError]] = {}
    for question in questions:
        try:
            value = answer_clean(question=question, raw_value=raw_answers.get(question.pk))
        except ValidationError as error:
            errors[field_name(question.pk)] = error.error_list
            continue
        if value is None:
            if question.required:
                errors[field_name(question.pk)] = [
                    ValidationError(_("This question needs an answer."), code="required")
                ]
            continue
        cleaned[question.pk] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


# What the page shows.


@dataclass(frozen=True)
class Option:
    value: int
    input_id: str
    label: str  # the scale's wording for this point; empty where the scale names only its ends
    checked: bool


@dataclass(frozen=True)
class QuestionField:
    question: Question
    number: int
    name: str
    text: str
    value: str
    errors: list[str] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    # A scale with wording on every point is shown as a list of labelled choices; otherwise as a
    # row of numbers (NPS 0–10) with its end points named.
    every_point_labelled: bool = False
    low_label: str = ""
    high_label: str = ""

    @property
    def fits_one_row(self) -> bool:
        """A labelled scale of up to five points fits side by side on a wide screen."""
        return self.every_point_labelled and len(self.options) <= 5

    @property
    def is_open(self) -> bool:
        return self.question.kind == Question.Kind.OPEN

    @property
    def first_input_id(self) -> str:
        return self.options[0].input_id if self.options else self.name

    @property
    def error_id(self) -> str:
        return f"{self.name}-error"


def _question_field(*, question: Question, number: int, language: str, value: str, errors: list[str]) -> QuestionField:
    name = field_name(question.pk)
    common = {"question": question, "number": number, "name": name, "value": value, "errors": errors}
    if question.kind == Question.Kind.OPEN:
        return QuestionField(text=question.text(language), **common)
    labels = question.labels(language)
    points = range(question.scale_min, question.scale_max + 1)
    every_point_labelled = all(labels.get(str(point)) for point in points)
    options = [
        Option(
            value=point,
            input_id=f"{name}-{point}",
            label=labels.get(str(point), ""),
            checked=value == str(point),
        )
        for point in points
    ]
    return QuestionField(
        text=question.text(language),
        options=options,
        every_point_labelled=every_point_labelled,
        low_label=labels.get(str(question.scale_min), ""),
        high_label=labels.get(str(question.scale_max), ""),
        **common,
    )


def survey_fields(
    *,
    questions: Iterable[Question],
    language: str,
    values: Mapping[int, str],
    errors: Mapping[str, list[str]] | None = None,
) -> list[QuestionField]:
    """The page's questions in order, with the values to show (saved or just posted) and their errors."""
    errors = errors or {}
    return [
        _question_field(
            question=question,
            number=number,
            language=language,
            value=values.get(question.pk, ""),
            errors=list(errors.get(field_name(question.pk), [])),
        )
        for number, question in enumerate(questions, start=1)
    ]


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int


def progress_of(*, questions: Iterable[Question], values: Mapping[int, str]) -> Progress:
    question_ids = [question.pk for question in questions]
    answered = sum(1 for question_id in question_ids if values.get(question_id, "").strip())
    return Progress(answered=answered, total=len(question_ids))
