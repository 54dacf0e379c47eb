"""Background work on Django's tasks API, stored in the database (django-tasks-db).

The queue, the claiming and the results are the library's (``DBTaskResult``).
What tidtam adds is small and lives here:

- ``background``: the ``task`` decorator plus a Thai label for the jobs page;
- ``enqueue_on_commit`` / ``enqueue_once``: work a request asks for starts
  only when its transaction commits, and an identical task already waiting
  is not queued twice;
- ``recovery``: a task left running by a worker that died (killed, machine
  lost) is put back in the queue, at most ``MAX_ATTEMPTS`` times. Tasks are
  written to be idempotent, so running one again never does its work twice;
- ``worker``: ``tidtam worker``, the library's worker with that recovery.
"""
