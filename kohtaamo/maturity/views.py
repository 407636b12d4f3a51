from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kohtaamo.organisations.decorators import organisation_view
from kohtaamo.organisations.selectors import units_visible
from kohtaamo.reports.pdf import pdf_render, pdf_response

from .forms import InviteForm, SurveyCreateForm
from .presentation import report_context, report_csv, side_labels
from .selectors import SIDES, maturity_report, survey_for, survey_progress, surveys_visible, theme_trend
from .services import maturity_invitations_create, maturity_invitations_send, maturity_survey_create


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for e in errors:
                form.add_error(name if name in form.fields else None, e)
    else:
        form.add_error(None, error)


@organisation_view(managers_only=True)
@require_http_methods(["GET", "POST"])
def index(request):
    scope = request.scope
    form = SurveyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = maturity_survey_create(
                organisation=scope.organisation, year=form.cleaned_data["year"], name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The maturity survey was created. Invite the respondents next."))
            return redirect("maturity:survey", org=scope.organisation.slug, survey_id=survey.pk)
    years, trend = theme_trend(scope=scope)
    labels = side_labels()
    return render(
        request,
        "maturity/index.html",
        {
            "surveys": surveys_visible(scope=scope),
            "form": form,
            "years": years,
            "trend": trend,
            "sides": [(side, labels[side]) for side in SIDES],
        },
        status=400 if form.errors else 200,
    )


@organisation_view(managers_only=True)
@require_http_methods(["GET", "POST"])
def survey(request, survey_id: int):
    scope = request.scope
    survey = survey_for(scope=scope, survey_id=survey_id)
    form = InviteForm(
        request.POST or None,
        units=units_visible(scope=scope).order_by("path"),
        initial={"language": scope.organisation.default_language},
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitations = maturity_invitations_create(
                survey=survey, role=form.cleaned_data["role"], invitees=form.invitees()
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            sent = maturity_invitations_send(survey=survey)
            messages.success(
                request,
                _("%(created)s invitations created, %(sent)s sent.") % {"created": len(invitations), "sent": sent},
            )
            return redirect("maturity:survey", org=scope.organisation.slug, survey_id=survey.pk)
    progress = survey_progress(survey=survey)
    labels = side_labels()
    return render(
        request,
        "maturity/survey.html",
        {
            "survey": survey,
            "form": form,
            "progress": [(labels[side], progress.invited[side], progress.answered[side]) for side in SIDES],
        },
        status=400 if form.errors else 200,
    )


def _report(request, survey_id: int):
    survey = survey_for(scope=request.scope, survey_id=survey_id)
    return maturity_report(survey=survey, language=get_language())


@organisation_view(managers_only=True)
@require_GET
def report(request, survey_id: int):
    return render(request, "maturity/report.html", report_context(report=_report(request, survey_id)))


@organisation_view(managers_only=True)
@require_GET
def report_pdf(request, survey_id: int):
    result = _report(request, survey_id)
    pdf = pdf_render(template="maturity/report_pdf.html", context=report_context(report=result), request=request)
    return pdf_response(pdf=pdf, filename=f"maturity-{result.survey.year}.pdf")


@organisation_view(managers_only=True)
@require_GET
def report_csv_download(request, survey_id: int):
    result = _report(request, survey_id)
    response = HttpResponse(report_csv(report=result), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="maturity-{result.survey.year}.csv"'
    return response
