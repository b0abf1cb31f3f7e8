"""What a finished schedule measured, as plain data: per core, per guest, overall.

Everything here is derived from the scheduler's exact tick counts, so the
same workload always gives the same numbers; the JSON form is the schema
other tools read (documented in the README under `hal schedule`).

Each guest's run + ready + limited + blocked ticks add up to its lifetime:
from tick 0 to its completion, or to the makespan if the run deadlocked
before it ended (completion is then None).  Switch ticks count as ready.
"""
from __future__ import annotations

from .scheduler import Scheduler

SCHEMA_VERSION = 2


def _ratio(a: int, b: int) -> float:
    return round(a / b, 6) if b else 0.0


def collect(s: Scheduler) -> dict:
    span = s.makespan
    cores = [{"core": c.id, "busy": c.busy, "idle": c.idle, "switch": c.switch,
              "utilization": _ratio(c.busy, span)} for c in s.cores]
    guests = []
    for g in s.guests:
        m = g.machine
        guests.append({
            "guest": g.id, "label": g.label, "isa": g.isa,
            "weight": g.weight, "reservation": g.reservation, "limit": g.limit,
            "retired": m.retired, "run": g.run, "ready": g.ready, "limited": g.limited,
            "blocked": g.blocked, "completion": g.completion, "slices": g.slices,
            "migrations": g.migrations, "cores": sorted(set(g.cores)),
            "exit_code": m.exit_code, "fault": m.fault.summary() if m.fault else None,
            "output": m.console.text,
        })
    retired = sum(g["retired"] for g in guests)
    return {
        "schema": SCHEMA_VERSION,
        "policy": s.policy.name,
        "policy_description": s.policy.describe,
        "cores": len(s.cores),
        "quantum": s.quantum,
        "switch_cost": s.switch_cost,
        "makespan": span,
        "mean_utilization": _ratio(sum(c.busy for c in s.cores), span * len(s.cores)),
        "throughput": _ratio(retired, span),
        "retired": retired,
        "core_stats": cores,
        "guest_stats": guests,
        "timeline": [{"core": seg.core, "start": seg.start, "end": seg.end, "kind": seg.kind,
                      "guest": seg.guest} for seg in s.timeline],
        "events": s.events,
        "deadlock": s.deadlock,
    }
