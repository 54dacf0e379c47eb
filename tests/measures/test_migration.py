"""Moving figures into observations and texts into blocks loses nothing, field by field.

The check runs in a subprocess on a database of its own (a temporary SQLite file,
or a temporary database on the PostgreSQL server the suite uses), migrated to the
schema before the store, filled at national scale, then migrated forward.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

CHECK = Path(__file__).with_name("migration_check.py")


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        yield f"sqlite:///{tmp_path / 'before.sqlite3'}"
        return
    import psycopg

    name = f"tidtam_migration_{uuid.uuid4().hex[:8]}"
    params = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"],
              "password": db["PASSWORD"], "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**params) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    try:
        yield f"postgres://{user}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    finally:
        with psycopg.connect(**params) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_every_typed_value_survives_the_move_into_observations(
    fresh_database_url: str, tmp_path: Path
) -> None:
    env = {**os.environ, "DATABASE_URL": fresh_database_url,
           "TIDTAM_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, str(CHECK)], env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["values_before"] > 15_000  # national scale: 245 offices, two rounds
    assert result["lost"] == 0 and result["mismatched"] == []
    assert result["kept"] + result["as_disagreement"] == result["values_before"]
    # Shared facts typed equal collapse into one observation; typed differently, the
    # second value waits for review as a disagreement.
    assert result["as_disagreement"] == result["disagreements"] > 0
    assert result["observations"] < result["kept"]
    # Narratives, problem rows and best practices become blocks, field by field.
    texts = result["texts"]
    for key in ("narrative", "problem_row", "best_practice"):
        assert texts[key]["lost"] == 0, (key, texts[key])
        assert texts[key]["kept"] + texts[key]["empty"] == texts[key]["before"] > 0, key
    assert texts["narrative"]["empty"] > 0  # blank boxes are the only thing not moved
    # Evaluators' results of AP target nodes become observations of the nodes' bindings,
    # a second differing value of one office's result a disagreement; none is lost.
    moved = texts["actuals"]
    assert moved["before"] > 6 * 245 and moved["lost"] == 0, moved
    assert moved["kept"] + moved["as_disagreement"] == moved["before"]
    assert moved["as_disagreement"] > 0 and moved["bindings"] == 6
    assert texts["blocks"] == sum(texts[k]["kept"] for k in
                                  ("narrative", "problem_row", "best_practice"))
