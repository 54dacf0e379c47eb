"""Which ratings are official: what a result sheet shows anyone but the evaluators and approvers.

An evaluator sets levels on a submission while it is submitted or rated;
they become official when an approver approves that submission. The audit
log says which submission each change came through (``set_rating`` records
it), so a change is *pending* while its submission has not been approved
since the change was made (``approved_at`` before the change, or never).
A rating changed since its last approval therefore shows its value from
before the pending changes (the ``before`` of the oldest of them), and a
rating that exists only through pending changes is not shown at all.

A target node's result is not part of the rating: it is an observation, and
what readers see of it is what the submission pinned when it was sent, and
again when it is approved (``tidtam.evaluation.actuals.shown``).

Ratings written with no submission — ``tidtam ratings import``, an accepted
e-MES draft, the demo data, a correction in the Django admin — are official
results: nobody approves them in tidtam, they arrive decided.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet

from tidtam.accounts.models import Role
from tidtam.accounts.permissions import AnyUser, can_see_unapproved, org_filter
from tidtam.audit.models import Action, AuditEntry
from tidtam.evaluation.models import Rating, Status
from tidtam.reporting.models import Submission

#: an audit entry whose change is not approved yet
PENDING = Q(submission__isnull=False) & (
    Q(submission__approved_at__isnull=True) | Q(submission__approved_at__lt=F("at"))
)
SETTLED = Q(submission__isnull=True) | Q(submission__approved_at__gte=F("at"))
UNAPPROVED_ROLES = {Role.EVALUATOR, Role.APPROVER}


def _rating_entries() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Rating))


def official(ratings: list[Rating]) -> list[Rating]:
    """The ratings as last approved (copies where pending changes are taken back)."""
    by_rating: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        _rating_entries().filter(object_id__in=[r.pk for r in ratings])
        .annotate(pending=ExpressionWrapper(PENDING, output_field=BooleanField()))
        .order_by("-at", "-pk")
        .values("object_id", "before", "pending")
    )
    for row in rows:
        by_rating[row["object_id"]].append(row)
    out = []
    for rating in ratings:
        head = []
        for row in by_rating.get(rating.pk, []):
            if not row["pending"]:
                break
            head.append(row)
        if not head:
            out.append(rating)
            continue
        before = head[-1]["before"]
        if before is None:
            continue  # the rating exists only through changes not yet approved
        out.append(_as_before(rating, before))
    return out


def _as_before(rating: Rating, before: dict[str, Any]) -> Rating:
    shown = copy.copy(rating)
    shown.level = before.get("level")
    shown.status = before.get("status") or Status.RATED
    if "target" in before:
        shown.target_value = Decimal(before["target"]) if before["target"] is not None else None
    if "note" in before:
        shown.note = before["note"] or ""
    return shown


def visible_to_readers() -> Q:
    """Ratings that have an official value (the SQL twin of ``official`` for listings).

    Either no audited change created the rating (it came before the log, or
    from a fixture), or some change of it is settled — after which it has an
    approved value whatever is pending since.
    """
    entries = _rating_entries().filter(object_id=OuterRef("pk"))
    return ~Exists(entries.filter(before__isnull=True)) | Exists(entries.filter(SETTLED))


def ratings_seen_by(user: AnyUser, ratings: QuerySet[Rating] | None = None) -> QuerySet[Rating]:
    """The ratings a user may see: all of those they rate or approve, official ones elsewhere."""
    qs = Rating.objects.all() if ratings is None else ratings
    working = org_filter(user, UNAPPROVED_ROLES, "org__")
    readable = org_filter(user, field="org__")
    return qs.filter(working | (readable & visible_to_readers()))


def ratings_of(user: AnyUser, submission: Submission) -> list[Rating]:
    """A submission's framework's ratings of its office, as this user may see them."""
    ratings = list(Rating.objects.filter(org=submission.org, framework=submission.framework)
                   .select_related("node"))
    return ratings if can_see_unapproved(user, submission.org) else official(ratings)


def submission_log(user: AnyUser, submission: Submission) -> QuerySet[AuditEntry]:
    """The submission's audit log; levels not yet approved only for evaluators and approvers."""
    entries = (AuditEntry.objects.filter(submission=submission)
               .select_related("user", "submission__framework").prefetch_related("obj"))
    if not can_see_unapproved(user, submission.org):
        entries = entries.exclude(Q(action=Action.RATING) & PENDING)
    return entries
