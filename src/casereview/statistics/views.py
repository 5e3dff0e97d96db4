"""/statistics/: the published figures (public, no sign-in) with a CSV of the same figures; and,
for managers of the partnership signed in, how often each deadline was met and how long each
stage took. No personal data is ever on this page: only counts."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from casereview.accounts.models import Partnership, Role
from casereview.applications.selectors import first_received_on
from casereview.web.replica import lag_tolerant

from .exports import figures_csv
from .periods import QUARTER_MONTHS, financial_year, financial_year_label, financial_year_of, quarter
from .selectors import deadline_records, figures_for, stage_times

MANAGER_ROLES = (Role.COMMUNITY_SAFETY_MANAGER, Role.SENIOR_MANAGER, Role.ANALYST)


def _years(today) -> list[int]:
    current = financial_year_of(today)
    first = first_received_on()
    start = min(financial_year_of(first), current - 1) if first else current - 1
    return list(range(current, start - 1, -1))


class PeriodForm(forms.Form):
    def __init__(self, *args, partnerships, years, **kwargs):
        super().__init__(*args, **kwargs)
        # The public page is in English or Welsh (web/language.py): every word here in the page's.
        self.fields["partnership"] = forms.ChoiceField(
            label=gettext("Area"),
            choices=[(p.slug, p.name) for p in partnerships],
            error_messages={"invalid_choice": gettext("Select an area from the list")},
        )
        self.fields["year"] = forms.ChoiceField(
            label=gettext("Financial year"),
            choices=[
                (
                    str(y),
                    gettext("%(label)s (1 April %(start)s to 31 March %(end)s)")
                    % {"label": financial_year_label(y), "start": y, "end": y + 1},
                )
                for y in years
            ],
            error_messages={"invalid_choice": gettext("Select a financial year from the list")},
        )
        self.fields["quarter"] = forms.ChoiceField(
            label=gettext("Part of the year"),
            choices=[("", gettext("The whole year")), *[(str(q), _quarter_words(q)) for q in (1, 2, 3, 4)]],
            required=False,
            error_messages={"invalid_choice": gettext("Select the whole year or a quarter")},
        )


def _quarter_words(number: int) -> str:
    """periods.quarter_label in the page's language: "Quarter 1 (April to June)"."""
    first, last = QUARTER_MONTHS[number]
    return gettext("Quarter %(number)s (%(first)s to %(last)s)") % {
        "number": number,
        "first": date_format(dt.date(2000, first, 1), "F"),
        "last": date_format(dt.date(2000, last, 1), "F"),
    }


def _period_words(period) -> str:
    """Period.label in the page's language: "the financial year 2025/26", "1 April to 30 June 2025"."""
    start, end = period.start, period.end
    if start.month == 4 and start.day == 1 and end == dt.date(start.year + 1, 3, 31):
        return gettext("the financial year %(label)s") % {"label": financial_year_label(start.year)}
    return gettext("%(start)s to %(end)s") % {
        "start": date_format(start, "j F Y"),
        "end": date_format(end, "j F Y"),
    }


def _selection(request):
    today = timezone.localdate()
    partnerships = list(Partnership.objects.order_by("name"))
    years = _years(today)
    defaults = {
        "partnership": partnerships[0].slug if partnerships else "",
        "year": str(financial_year_of(today)),
        "quarter": "",
    }
    data = {k: request.GET.get(k, v) for k, v in defaults.items()}
    form = PeriodForm(data, partnerships=partnerships, years=years)
    if form.is_valid():
        chosen = form.cleaned_data
    else:
        chosen = {k: (data[k] if k not in form.errors else defaults[k]) for k in defaults}
    partnership = next((p for p in partnerships if p.slug == chosen["partnership"]), None)
    year = int(chosen["year"])
    period = quarter(year, int(chosen["quarter"])) if chosen["quarter"] else financial_year(year)
    return form, partnership, period, today


def _is_manager_of(user, partnership) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and partnership is not None
        and user.partnership_id == partnership.pk
        and user.has_role(*MANAGER_ROLES)
    )


@lag_tolerant
def statistics_page(request):
    form, partnership, period, today = _selection(request)
    context = {
        "form": form,
        "partnership": partnership,
        "period": period,
        "period_label": _period_words(period),
        "page_error": bool(form.errors),
    }
    if partnership is not None:
        figures = figures_for(partnership=partnership, period=period, as_at=today)
        context["figures"] = figures
        # The CSV link carries the selection only: the form's own fields, never anything else typed
        # into the address.
        selection = request.GET.copy()
        for key in list(selection):
            if key not in form.fields:
                del selection[key]
        context["csv_query"] = selection.urlencode()
        if _is_manager_of(request.user, partnership):
            context["manager"] = True
            context["deadlines"] = deadline_records(partnership=partnership, period=period, as_at=today)
            context["stages"] = stage_times(partnership=partnership, period=period, as_at=today)
    return render(request, "statistics/page.html", context)


@lag_tolerant
def statistics_csv(request):
    form, partnership, period, today = _selection(request)
    if partnership is None:
        return HttpResponse("There are no areas yet.", status=404, content_type="text/plain")
    figures = figures_for(partnership=partnership, period=period, as_at=today)
    response = HttpResponse(figures_csv(figures), content_type="text/csv; charset=utf-8")
    name = f"asb-case-review-{partnership.slug}-{period.start.isoformat()}-to-{period.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
