"""Demo data: real offices, the ratings of seed 004, and a demo login.

The demo is loaded through the same importers an administrator uses, so the
demo also exercises them. ``ratings_2566.csv`` reproduces seed 004 exactly;
``ratings_2566_synthetic.csv`` is made up, to show more than one sheet.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction

from tidtam.evaluation.importer import import_ratings
from tidtam.evaluation.models import Recommendation
from tidtam.frameworks.models import FrameworkNode
from tidtam.orgs.importer import import_orgs
from tidtam.orgs.models import OrgUnit

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEMO_USER = "demo"
DEMO_PASSWORD = "tidtam-demo-2566"


def load_recommendations(path: Path) -> int:
    changed = 0
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    with transaction.atomic():
        for e in entries:
            org = OrgUnit.objects.get(code=e["org"])
            node = FrameworkNode.objects.get(
                framework__code=e["framework"], framework__fiscal_year=int(e["year"]),
                code=str(e["node"]),
            )
            rec, created = Recommendation.objects.get_or_create(
                org=org, node=node, defaults={"text": e["text"].strip()}
            )
            if created:
                changed += 1
            elif rec.text != e["text"].strip():
                rec.text = e["text"].strip()
                rec.save()
                changed += 1
    return changed


def ensure_demo_user() -> bool:
    User = get_user_model()
    if User.objects.filter(username=DEMO_USER).exists():
        return False
    User.objects.create_superuser(DEMO_USER, "demo@example.invalid", DEMO_PASSWORD)
    return True


def load_schedules(path: Path) -> int:
    from tidtam.frameworks.models import Framework
    from tidtam.reporting.models import RoundSchedule

    changed = 0
    for e in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        fw = Framework.objects.get(code=e["framework"], fiscal_year=int(e["year"]))
        values = {"opens_on": e["opens"], "due_on": e["due"],
                  "block_late": bool(e.get("block_late", False))}
        obj, created = RoundSchedule.objects.get_or_create(
            framework=fw, round=e["round"], defaults=values)
        if created:
            changed += 1
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save()
            changed += 1
    return changed


def load_users(path: Path) -> int:
    from tidtam.accounts.models import Profile, RoleAssignment

    User = get_user_model()
    changed = 0
    for e in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        org = OrgUnit.objects.get(code=e["org"])
        names = {"first_name": e["first_name"], "last_name": e["last_name"],
                 "email": f"{e['username']}@example.invalid"}
        user = User.objects.filter(username=e["username"]).first()
        if user is None:
            user = User.objects.create_user(e["username"], password=DEMO_PASSWORD, **names)
            changed += 1
        elif any(getattr(user, k) != v for k, v in names.items()):
            User.objects.filter(pk=user.pk).update(**names)
            changed += 1
        profile = {"org": org, "position": e.get("position", "")}
        _, created = Profile.objects.get_or_create(user=user, defaults=profile)
        if not created and Profile.objects.filter(user=user).exclude(**profile).update(**profile):
            created = True
        changed += int(created)
        _, created = RoleAssignment.objects.get_or_create(user=user, role=e["role"], org=org)
        changed += int(created)
    return changed


def load_demo() -> int:
    """Load everything; returns how many rows changed (0 on a second run)."""
    changed = 0
    demo = "ข้อมูลตัวอย่าง (tidtam init --demo)"
    r = import_orgs((FIXTURES / "orgs.csv").read_bytes(), comment=demo)
    changed += r.created + r.updated
    for name in sorted(FIXTURES.glob("ratings_*.csv")):
        rr = import_ratings(name.read_bytes(), comment=f"{demo}: {name.name}")
        changed += rr.created + rr.updated
    for name in sorted(FIXTURES.glob("recommendations_*.yaml")):
        changed += load_recommendations(name)
    from tidtam.plans.loader import load_demo_plans

    changed += sum(r.created for r in load_demo_plans())
    for name in sorted(FIXTURES.glob("schedule_*.yaml")):
        changed += load_schedules(name)
    changed += load_users(FIXTURES / "users.yaml")
    changed += int(ensure_demo_user())
    changed += load_demo_children()
    return changed


DEMO_CHILDREN = "รายชื่อตัวอย่าง (tidtam init --demo)"


def load_demo_children() -> int:
    """A made-up list of the office's children out of school, and a few steps taken."""
    import datetime as dt

    from django.utils import timezone

    from tidtam.children.importer import check_rows, import_rows, records
    from tidtam.children.loader import load_children_options
    from tidtam.children.models import Case, ImportBatch
    from tidtam.children.steps import StepInput, take_step

    changed = load_children_options()
    if ImportBatch.objects.filter(name=DEMO_CHILDREN).exists():
        return changed
    teacher = get_user_model().objects.get(username="kru5251")
    data = (FIXTURES / "children.csv").read_bytes()
    today = timezone.localdate()
    summary = import_rows(teacher, check_rows(teacher, records(data, "children.csv")),
                          DEMO_CHILDREN, listed_on=today - dt.timedelta(days=40))
    cases = list(Case.objects.filter(pk__in=summary.created).exclude(state="moved")
                 .order_by("pk"))
    # the first walked to school, the next found and helped, one verified; the rest wait
    walks = [["verify", "find", "help", "return"], ["verify", "find", "help"], ["verify"]]
    for case, walk in zip(cases, walks, strict=False):
        for i, kind in enumerate(walk):
            case.refresh_from_db()
            take_step(teacher, case, StepInput(
                kind=kind, on=today - dt.timedelta(days=30 - 5 * i), version=case.version,
                latitude="18.288800", longitude="99.492800", help_kind="scholarship",
                note="ข้อมูลตัวอย่าง"))
    return changed + len(summary.created)
def load_demo_registers() -> int:
    """The demo's cases in the registers (``tidtam init --demo``).

    Apart from ``load_demo`` because the cases feed observations: the tests'
    shared database, loaded by ``load_demo``, starts with no observation.
    """
    from tidtam.incidents.demo import load_demo_incidents

    return sum(load_demo_incidents(name) for name in sorted(FIXTURES.glob("incidents_*.yaml")))
