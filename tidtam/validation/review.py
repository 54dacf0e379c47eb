"""What an evaluator should look at for one office and year, before rating it.

Three kinds of question, each with the figures behind it: the office rated far
apart on two frameworks that ask about the same topic (``crosscheck``), a
figure far from its peers' or its own history (``outliers``), and a second
value of a fact that an import or a migration brought and nobody has resolved
(``Disagreement``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tidtam.measures.models import Disagreement, DisagreementStatus
from tidtam.orgs.models import OrgUnit
from tidtam.validation.crosscheck import LevelGap, level_gaps
from tidtam.validation.outliers import Outlier, outliers


@dataclass
class Review:
    level_gaps: list[LevelGap] = field(default_factory=list)
    outliers: list[Outlier] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.level_gaps or self.outliers or self.disagreements)


def for_evaluator(org: OrgUnit, fiscal_year: int) -> Review:
    return Review(
        level_gaps=level_gaps(org, fiscal_year),
        outliers=outliers(org, fiscal_year),
        disagreements=list(Disagreement.objects.filter(
            org=org, period__fiscal_year=fiscal_year, status=DisagreementStatus.OPEN,
        ).select_related("measure", "period", "observation")),
    )
