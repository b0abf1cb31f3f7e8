"""Every invariant a schedule's JSON must satisfy, checked from the JSON alone
(so a saved `--json` file can be checked as well as a live run).

Shared by the example tests, the hypothesis property test and the test of
every bundled workload."""
from __future__ import annotations

import json
from collections import defaultdict


def check(m: dict) -> None:
    """Raise AssertionError, naming what broke, unless `m` is consistent."""
    text = json.dumps(m, allow_nan=False)           # strict JSON: no NaN, no Infinity
    assert json.loads(text) == m
    span = m["makespan"]
    by_guest = defaultdict(list)
    for c in m["core_stats"]:
        segs = sorted((s for s in m["timeline"] if s["core"] == c["core"]), key=lambda s: s["start"])
        assert c["busy"] + c["idle"] + c["switch"] == span, c
        assert min(c["busy"], c["idle"], c["switch"]) >= 0, c
        if span:
            assert segs[0]["start"] == 0 and segs[-1]["end"] == span, (c, segs[:1], segs[-1:])
        assert all(a["end"] == b["start"] for a, b in zip(segs, segs[1:])), f"core {c['core']} gap"
        assert all(s["end"] > s["start"] for s in segs)
        for kind, total in (("run", "busy"), ("idle", "idle"), ("switch", "switch")):
            assert sum(s["end"] - s["start"] for s in segs if s["kind"] == kind) == c[total], (c, kind)
        for s in segs:
            if s["kind"] != "idle":
                by_guest[s["guest"]].append(s)

    for g in m["guest_stats"]:
        gid = g["guest"]
        for key in ("run", "ready", "limited", "blocked", "retired"):
            assert g[key] >= 0, (g["label"], key, g[key])
        life = span if g["completion"] is None else g["completion"]
        assert g["run"] + g["ready"] + g["limited"] + g["blocked"] == life, (
            g["label"], g["run"], g["ready"], g["limited"], g["blocked"], life)
        assert g["run"] == g["retired"], g["label"]
        if g["completion"] is not None:
            assert g["retired"] <= g["completion"] <= span, g["label"]   # arrival is tick 0
        else:
            assert m["deadlock"] and g["exit_code"] is None and g["fault"] is None, g["label"]
        # never in two places at once, never running after its end
        segs = sorted(by_guest[gid], key=lambda s: s["start"])
        assert all(a["end"] <= b["start"] for a, b in zip(segs, segs[1:])), (
            f"{g['label']} on two cores at once: "
            + str(next((a, b) for a, b in zip(segs, segs[1:]) if a["end"] > b["start"])))
        runs = [s for s in segs if s["kind"] == "run"]
        assert sum(s["end"] - s["start"] for s in runs) == g["run"], g["label"]
        assert len(runs) <= g["slices"], g["label"]
        if runs and g["completion"] is not None:
            assert runs[-1]["end"] <= g["completion"], g["label"]
    _check_events(m, by_guest)


def _check_events(m: dict, by_guest: dict) -> None:
    events = m["events"]
    ticks = [e["tick"] for e in events]
    assert ticks == sorted(ticks), "events out of time order"
    sent = {}
    received = set()
    blocked_at: dict[int, int] = {}
    blocked_total: dict[int, int] = defaultdict(int)
    for e in events:
        gid, t = e["guest"], e["tick"]
        if e["kind"] == "send":
            assert e["message"] not in sent
            sent[e["message"]] = e
        elif e["kind"] == "recv":
            s = sent.get(e["message"])
            assert s is not None, f"message {e['message']} received but never sent"
            assert s["tick"] <= t, f"message {e['message']} received at {t}, sent at {s['tick']}"
            assert (s["channel"], s["value"]) == (e["channel"], e["value"])
            assert e["message"] not in received
            received.add(e["message"])
        elif e["kind"] == "block":
            assert gid not in blocked_at, f"guest {gid} blocked twice"
            blocked_at[gid] = t
        elif e["kind"] == "wake":
            assert gid in blocked_at, f"guest {gid} woken but not blocked"
            start = blocked_at.pop(gid)
            assert start <= t, f"guest {gid} woken at {t} before it blocked at {start}"
            blocked_total[gid] += t - start
            for s in by_guest[gid]:
                assert s["end"] <= start or s["start"] >= t, f"guest {gid} ran while blocked"
        else:
            assert e["kind"] in ("exit", "fault"), e
            assert gid not in blocked_at
            assert m["guest_stats"][gid]["completion"] == t
    for gid, start in blocked_at.items():         # blocked at the deadlock
        assert m["deadlock"], f"guest {gid} still blocked without a deadlock"
        blocked_total[gid] += m["makespan"] - start
        for s in by_guest[gid]:
            assert s["end"] <= start, f"guest {gid} ran while blocked"
    for g in m["guest_stats"]:
        assert blocked_total[g["guest"]] == g["blocked"], (g["label"], blocked_total[g["guest"]])
        ended = [e for e in events if e["guest"] == g["guest"] and e["kind"] in ("exit", "fault")]
        assert len(ended) == (g["completion"] is not None), g["label"]
