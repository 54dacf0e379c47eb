"""What a process used: its own peak memory and CPU time (batch workers report it)."""

from __future__ import annotations

import resource


def own_usage() -> tuple[float, float]:
    """This process's own peak resident memory (MB) and CPU time (s).

    The peak is the kernel's high-water mark of this process's memory since
    it started its program (``VmHWM``). ``getrusage``'s ``ru_maxrss`` would
    also count the copy of the parent the process was forked from: a worker
    started by a 240 MB command reads 240 MB before it has done anything.
    """
    ru = resource.getrusage(resource.RUSAGE_SELF)
    peak = ru.ru_maxrss / 1024
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) / 1024
    except OSError:  # not Linux: the rusage figure is the best there is
        pass
    return peak, ru.ru_utime + ru.ru_stime


def usage_text() -> str:
    peak, cpu = own_usage()
    return f"หน่วยความจำสูงสุด {peak:.0f} MB เวลา CPU {cpu:.1f} วินาที"
