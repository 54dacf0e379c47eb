"""Reading and writing observations: the one path every form, import and register uses.

Writing is optimistic (``UPDATE … WHERE version = n``): whoever saves second
gets a ``Conflict`` carrying the stored value and loses nothing. Every write
appends a revision. A document that is sent or approved *pins* the revisions
it shows, and reads them back instead of the current values, so a later edit
never rewrites an official document.

How a document picks the observation for its period: each binding asks for
the document's own round (the e-MES round of a submission, the inspection
round of a contribution, the plan's fiscal year), or for the period type it
names (``period: year``). A period is a span of dates, so two period types
that cover the same dates name one period: the 12-month round, inspection
round 2 and the fiscal year are the same period, and a figure typed in any of
them is the figure of the others. There is no fallback to another period: a
figure reported for the 6-month round is not shown as the 12-month figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from tidtam.limits import MAX_TEXT, FigureLimit, OutOfLimits, check_figure, check_text
from tidtam.measures.models import (
    Disagreement,
    Measure,
    Observation,
    ObservationRevision,
    Period,
    Pin,
    PinnedDocument,
    SourceKind,
)
from tidtam.measures.values import parse_value
from tidtam.orgs.models import OrgUnit

VALUE_LIMIT = FigureLimit.of(Observation._meta.get_field("value_decimal"))


class ObservationConflict(Exception):
    """Someone saved the observation since it was read; carries what is stored now."""

    def __init__(self, observation: Observation) -> None:
        super().__init__("ค่าข้อมูลนี้ถูกแก้ไขโดยผู้อื่นแล้ว")
        self.observation = observation


class ValueRefused(ValueError):
    """Typed text that is not a value of the measure; the message is Thai."""


def parse(measure: Measure, text: str) -> dict[str, Any]:
    """Typed text → the stored columns; raise ``ValueRefused`` with a Thai reason."""
    if measure.is_computed:
        raise ValueRefused(f"{measure.name_th} คำนวณจากข้อมูลอื่น จึงกรอกเองไม่ได้")
    try:
        text = check_text(text, "ข้อความ", MAX_TEXT).strip()
        value = parse_value(measure.value_type, text)
        if isinstance(value, Decimal):
            value = check_figure(value, VALUE_LIMIT)
        elif isinstance(value, list):
            value = [check_text(v, "รายการ", MAX_TEXT) for v in value]
    except OutOfLimits as exc:
        raise ValueRefused(exc.message) from None
    except ValueError as exc:
        raise ValueRefused(str(exc)) from None
    return {
        "text": text,
        "value_decimal": value if isinstance(value, Decimal) else None,
        "value_date": value if isinstance(value, dt.date) else None,
        "value_list": value if isinstance(value, list) else None,
    }


def find(org: OrgUnit, measure: Measure, period: Period, category: str = ""
         ) -> Observation | None:
    return Observation.objects.filter(org=org, measure=measure, period=period,
                                      category=category).first()


def observations(keys: Iterable[tuple[int, int, int, str]]) -> dict[tuple[int, int, int, str],
                                                                   Observation]:
    """(org id, measure id, period id, category) → observation, in one query per org/period."""
    wanted = set(keys)
    if not wanted:
        return {}
    q = models.Q()
    for org_id, period_id in {(k[0], k[2]) for k in wanted}:
        q |= models.Q(org_id=org_id, period_id=period_id,
                      measure_id__in=[k[1] for k in wanted if k[0] == org_id and k[2] == period_id])
    out = {}
    for o in Observation.objects.filter(q).select_related("measure", "period", "updated_by"):
        key = (o.org_id, o.measure_id, o.period_id, o.category)
        if key in wanted:
            out[key] = o
    return out


@dataclass
class Written:
    observation: Observation
    before: str
    changed: bool


def write(
    user: Any, org: OrgUnit, measure: Measure, period: Period, text: str, version: int, *,
    category: str = "", source_kind: str = SourceKind.TYPED, source: dict[str, Any] | None = None,
) -> Written:
    """Store ``text`` as the observation, if nobody saved it since ``version`` was read.

    ``version`` is the one the writer loaded (0 when there was no observation).
    A repeated save of what is stored changes nothing and is not a conflict.
    The caller checks that ``user`` may write for ``org`` and audits the change.
    """
    fields = parse(measure, text)
    source = source or {}
    by = user if user is not None and getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        obs, created = Observation.objects.get_or_create(
            org=org, measure=measure, period=period, category=category,
            defaults={**fields, "version": 0, "source_kind": source_kind, "source": source},
        )
        before = "" if created else obs.text
        if (not created and obs.source_kind == SourceKind.REGISTER
                and source_kind != SourceKind.REGISTER):
            # The register is where this fact lives; a form or an import that
            # wrote over it would make a second, drifting copy.
            name = obs.source.get("name_th") or "ทะเบียนข้อมูล"
            raise ValueRefused(f"ค่านี้มาจาก{name} จึงแก้ไขในแบบรายงานไม่ได้ "
                               "(แก้ไขที่รายการในทะเบียน แล้วค่าจะปรับตามเอง)")
        if not created and obs.text == fields["text"]:
            return Written(obs, before, changed=False)
        if not created and source_kind == SourceKind.REGISTER \
                and obs.source_kind != SourceKind.REGISTER:
            # The register takes the fact over from what was typed or imported before
            # it fed this office; the other value is kept for the evaluator to review.
            record_disagreement(org, measure, period, obs.text, category=category,
                                source_kind=obs.source_kind, source=obs.source,
                                observation=obs)
        now = timezone.now()
        updated = Observation.objects.filter(pk=obs.pk, version=version).update(
            **fields, source_kind=source_kind, source=source, version=F("version") + 1,
            updated_by=by, updated_at=now,
        )
        if not updated:
            raise ObservationConflict(Observation.objects.select_related("updated_by")
                                      .get(pk=obs.pk))
        obs.refresh_from_db()
        ObservationRevision.objects.create(
            observation=obs, version=obs.version, at=now, by=by,
            source_kind=source_kind, source=source, **fields,
        )
    return Written(obs, before, changed=True)


def record_disagreement(
    org: OrgUnit, measure: Measure, period: Period, text: str, *, category: str = "",
    source_kind: str, source: dict[str, Any], observation: Observation | None = None,
) -> Disagreement:
    """Keep a second value for review (an import, a migration); the stored one stays."""
    try:
        fields = parse(measure, text)
    except ValueRefused:
        fields = {"text": text, "value_decimal": None, "value_date": None, "value_list": None}
    return Disagreement.objects.create(
        org=org, measure=measure, period=period, category=category, observation=observation,
        source_kind=source_kind, source=source, **fields,
    )


# --- documents that pin what they printed ------------------------------------------


def _document_key(document: models.Model) -> dict[str, Any]:
    return {"document_type": ContentType.objects.get_for_model(document),
            "document_id": int(document.pk)}


def pin(document: models.Model, chosen: Sequence[Observation], *,
        revisions: dict[int, ObservationRevision] | None = None) -> PinnedDocument:
    """``document`` shows these observations as they are now, and only these, from now on.

    ``revisions`` (observation id → revision) pins an older revision instead: a
    document compiled from sent documents prints what those pinned.
    """
    # One fact bound in several places of a document (learners_total in QP1, QP3
    # and QP8) is one observation, and it is pinned once.
    chosen = list({obs.pk: obs for obs in chosen}.values())
    latest = {r.observation_id: r for r in ObservationRevision.objects.filter(
        observation__in=chosen, version=F("observation__version"))}
    latest.update(revisions or {})
    with transaction.atomic():
        PinnedDocument.objects.filter(**_document_key(document)).delete()
        doc = PinnedDocument.objects.create(**_document_key(document))
        for obs in chosen:
            rev = latest.get(obs.pk)
            if rev is None:  # a value from before revisions were kept: keep it as one now
                rev = ObservationRevision.objects.create(
                    observation=obs, version=obs.version, at=obs.updated_at,
                    by=obs.updated_by, source_kind=obs.source_kind, source=obs.source,
                    **obs.value_columns(),
                )
            Pin.objects.create(document=doc, observation=obs, revision=rev)
    return doc


def repin(document: models.Model, chosen: Sequence[Observation]) -> None:
    """An already pinned ``document`` now prints these observations as they are now.

    Its other pins stay: approving a rated report takes the evaluator's
    corrections into what it prints without taking anything else that
    changed since it was sent.
    """
    doc = pinned_document(document)
    if doc is None:
        pin(document, chosen)
        return
    with transaction.atomic():
        for obs in chosen:
            rev = ObservationRevision.objects.filter(observation=obs,
                                                     version=obs.version).first()
            if rev is None:
                rev = ObservationRevision.objects.create(
                    observation=obs, version=obs.version, at=obs.updated_at,
                    by=obs.updated_by, source_kind=obs.source_kind, source=obs.source,
                    **obs.value_columns(),
                )
            Pin.objects.update_or_create(document=doc, observation=obs,
                                         defaults={"revision": rev})


def unpin(document: models.Model) -> None:
    """The document is a draft again and shows live values."""
    PinnedDocument.objects.filter(**_document_key(document)).delete()


def pinned_document(document: models.Model) -> PinnedDocument | None:
    return PinnedDocument.objects.filter(**_document_key(document)).first()


def pinned(document: models.Model) -> dict[int, ObservationRevision] | None:
    """observation id → the revision ``document`` printed; ``None`` while it is not pinned."""
    doc = pinned_document(document)
    if doc is None:
        return None
    return {p.observation_id: p.revision for p in doc.pins.select_related("revision")}
