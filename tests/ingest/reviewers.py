"""People and offices for the review-page tests of imported drafts."""

from __future__ import annotations

from django.test import Client

from tests import seed004
from tests.conftest import make_user
from tidtam.orgs.models import OrgType, OrgUnit


def signed_in(role: str, org: OrgUnit, name: str = "reviewer") -> Client:
    """A browser session of a new user holding ``role`` on ``org``."""
    client = Client()
    client.force_login(make_user(name, role, org.code))
    return client


def trial_office(code: str, suffix: str) -> OrgUnit:
    """A secondary area office beside 004's, with no ratings: an accept lands on empty ground."""
    spm = OrgUnit.objects.get(code=seed004.ORG)
    return OrgUnit.objects.create(
        code=code, name_th=f"สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา{suffix}",
        short_name_th=f"สพม.{suffix}", type=OrgType.SECONDARY_AREA, parent=spm.parent,
    )
