"""Reports: anonymous statistics over a period, as a page with charts and as CSV."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from enquiries.forms.reports import PeriodForm
from enquiries.privacy.csv_safe import to_csv
from enquiries.reports import figures, report
from enquiries.reports.tables import tables
from enquiries.views.guards import desk_view


def _report(request: HttpRequest) -> tuple[PeriodForm, figures.Report]:
    form = PeriodForm(request.GET or None)
    return form, report.build(form.chosen(today=timezone.localdate()))


@desk_view
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    form, report = _report(request)
    return render(
        request,
        "enquiries/desk/reports.html",
        {
            "form": form,
            "report": report,
            "tables": list(tables(report).values()),
            "query": request.GET.urlencode(),
        },
    )


@desk_view
@require_GET
def reports_csv(request: HttpRequest, table: str) -> HttpResponse:
    _form, report = _report(request)
    chosen = tables(report).get(table)
    if chosen is None:
        raise Http404
    response = HttpResponse(
        to_csv([str(cell) for cell in chosen.header], chosen.rows),
        content_type="text/csv; charset=utf-8",
    )
    period = report.period
    name = f"pressdesk-{table}-{period.start.isoformat()}-{period.last_day.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
