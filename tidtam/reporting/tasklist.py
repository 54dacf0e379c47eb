"""The evaluator's and approver's lists on the task page: filtered, sorted, paged.

An evaluator of OBEC has 245 offices; a list of whatever arrived first is of
no use to them. The filters are plain GET parameters, so a filtered list is
a link one can keep or send.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.http import HttpRequest, QueryDict

from tidtam.accounts.models import Role
from tidtam.accounts.permissions import org_filter
from tidtam.frameworks.models import Framework
from tidtam.reporting.models import RoundSchedule, State, Submission

PER_PAGE = 50
SORTS = {
    "submitted": (("submitted_at", "pk"), "ส่งก่อนขึ้นก่อน"),
    "-submitted": (("-submitted_at", "-pk"), "ส่งล่าสุดขึ้นก่อน"),
    "office": (("org__code", "framework__order", "round"), "ตามรหัสหน่วยงาน"),
    "report": (("framework__order", "round", "org__code"), "ตามรายงานและรอบ"),
}


@dataclass(frozen=True)
class TaskFilter:
    q: str = ""
    framework: str = ""
    round: str = ""
    late: bool = False
    sort: str = "submitted"

    @classmethod
    def from_query(cls, params: QueryDict) -> TaskFilter:
        sort = params.get("sort", "submitted")
        return cls(q=params.get("q", "").strip()[:100], framework=params.get("framework", ""),
                   round=params.get("round", ""), late=params.get("late") == "1",
                   sort=sort if sort in SORTS else "submitted")

    @property
    def active(self) -> bool:
        return bool(self.q or self.framework or self.round or self.late)

    def apply(self, qs: QuerySet[Submission]) -> QuerySet[Submission]:
        if self.q:
            qs = qs.filter(Q(org__name_th__icontains=self.q) | Q(org__code__icontains=self.q)
                           | Q(org__short_name_th__icontains=self.q))
        if self.framework:
            qs = qs.filter(framework__code=self.framework)
        if self.round:
            qs = qs.filter(round=self.round)
        due = RoundSchedule.objects.filter(framework=OuterRef("framework"),
                                           round=OuterRef("round")).values("due_on")[:1]
        # Late by the Bangkok calendar day of submission, as Submission.is_late says.
        late = Q(submitted_at__date__gt=F("due_on"))
        qs = qs.annotate(due_on=Subquery(due)).annotate(
            was_late=ExpressionWrapper(late, output_field=BooleanField()))
        if self.late:
            qs = qs.filter(late)
        return qs.order_by(*SORTS[self.sort][0])

    def keep(self, *without: str) -> list[tuple[str, str]]:
        """The parameters to carry in links and forms (minus ``without``)."""
        pairs = [("q", self.q), ("framework", self.framework), ("round", self.round),
                 ("late", "1" if self.late else ""), ("sort", self.sort)]
        return [(k, v) for k, v in pairs if v and k not in without]


def page_of(qs: QuerySet[Submission], request: HttpRequest, param: str) -> Page:
    return Paginator(qs, PER_PAGE).get_page(request.GET.get(param))


def waiting(user: Any, role: str, states: list[str], year: int,
            flt: TaskFilter) -> QuerySet[Submission]:
    return flt.apply(Submission.objects.filter(
        org_filter(user, {role}, "org__"), state__in=states, framework__fiscal_year=year,
    ).select_related("org", "framework"))


def to_rate(user: Any, year: int, flt: TaskFilter) -> QuerySet[Submission]:
    return waiting(user, Role.EVALUATOR, [State.SUBMITTED, State.RESUBMITTED], year, flt)


def to_approve(user: Any, year: int, flt: TaskFilter) -> QuerySet[Submission]:
    return waiting(user, Role.APPROVER, [State.RATED], year, flt)


def filter_choices(year: int) -> dict[str, Any]:
    frameworks = list(Framework.objects.submitted(year))
    rounds: dict[str, str] = {}
    for fw in frameworks:
        rounds.update(fw.round_labels())
    return {"frameworks": frameworks, "rounds": list(rounds.items()),
            "sorts": [(k, label) for k, (_order, label) in SORTS.items()]}


def progress(user: Any, year: int, schedules: list[RoundSchedule]) -> list[dict[str, Any]]:
    """Per round: how many of the offices the user oversees are at each state.

    The offices are those the dashboard counts for the same user — held
    directly, or serving one of the user's provinces — so a regional viewer
    sees the same offices in both, not zeros beside a dashboard of twelve.
    """
    from tidtam.analytics.dashboard import readable_offices

    office_ids = [o.pk for o in readable_offices(user)]
    counts = Counter(
        Submission.objects.filter(org_id__in=office_ids, framework__fiscal_year=year)
        .values_list("framework_id", "round", "state")
    )
    rows = []
    for sched in schedules:
        by_state = {s: counts.get((sched.framework_id, sched.round, s), 0) for s in State}
        started = sum(by_state.values())
        rows.append({
            "schedule": sched, "offices": len(office_ids),
            "round_label": dict(sched.framework.round_labels()).get(sched.round, sched.round),
            "not_started": max(len(office_ids) - started, 0),
            "states": [(State(s).label, n) for s, n in by_state.items()],
            "done": by_state[State.APPROVED],
        })
    return rows
