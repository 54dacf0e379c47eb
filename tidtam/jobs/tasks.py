"""Declaring and queueing tidtam's background tasks."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult
from typing_extensions import ParamSpec

P = ParamSpec("P")
T = TypeVar("T")

# task path → Thai label shown on the jobs page
LABELS: dict[str, str] = {}


def background(label_th: str, **options: Any) -> Callable[[Callable[P, T]], Task[P, T]]:
    """``@task(**options)`` that also names the task in Thai for the jobs page."""

    def wrap(func: Callable[P, T]) -> Task[P, T]:
        made: Task[P, T] = task(**options)(func)
        LABELS[made.module_path] = label_th
        return made

    return wrap


def label_of(task_path: str) -> str:
    if task_path not in LABELS:
        with contextlib.suppress(ImportError):  # the module registers its labels when imported
            import_string(task_path)
    return LABELS.get(task_path, task_path.rsplit(".", 1)[-1])


def _args_kwargs(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    # As the backend stores them: JSON, so tuples become lists.
    from django_tasks.utils import normalize_json

    return dict(normalize_json({"args": args, "kwargs": kwargs}))


def waiting(t: Task[Any, Any], *args: Any, **kwargs: Any) -> DBTaskResult | None:
    """The same task with the same arguments, queued and not started yet."""
    return (DBTaskResult.objects.ready().filter(task_path=t.module_path,
                                               args_kwargs=_args_kwargs(args, kwargs))
            .first())


def enqueue_once(t: Task[Any, Any], *args: Any, **kwargs: Any) -> str:
    """Queue ``t`` unless the very same call is already waiting; returns the result id."""
    same = waiting(t, *args, **kwargs)
    if same is not None:
        return str(same.id)
    return t.enqueue(*args, **kwargs).id


def enqueue_on_commit(t: Task[Any, Any], *args: Any, once: bool = False,
                      **kwargs: Any) -> None:
    """Queue ``t`` when the current transaction commits (at once outside one).

    A rolled-back change queues nothing, and the worker reads the rows as
    committed. Queueing must never undo the change that asked for it: a
    failure is logged (``robust``).
    """

    def go() -> None:
        if once:
            enqueue_once(t, *args, **kwargs)
        else:
            t.enqueue(*args, **kwargs)

    transaction.on_commit(go, robust=True)
