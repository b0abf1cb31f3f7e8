"""System calls about time, on the machine's virtual clock, and chance.

Virtual time is exact and repeatable: one retired instruction is one
nanosecond (a 1 GHz machine that does one instruction a cycle), the same
tick the HAL's hal_time() counts, and the wall clock started at
2000-01-01 00:00:00 UTC.  Sleeping blocks the guest on the HAL's sleep
service, so under `hal schedule` a sleeping program leaves its core to
others, and sched_yield is the HAL's yield.  getrandom hands out the same
bytes on every run.
"""
from __future__ import annotations

EPOCH = 946_684_800                  # 2000-01-01T00:00:00Z, in Unix seconds
NS_PER_TICK = 1
REALTIME = (0, 5, 8, 11)             # CLOCK_REALTIME, _COARSE, _ALARM, CLOCK_TAI
MONOTONIC = (1, 2, 3, 4, 6, 7, 9)    # MONOTONIC, PROCESS/THREAD_CPUTIME, _RAW, _COARSE, BOOTTIME...
TIMER_ABSTIME = 1
GRND_MAX = 1 << 20


def _now(p, clock) -> int | None:
    """Nanoseconds on `clock`, or None for a clock there is not."""
    clock = p.int32(clock)
    ns = p.machine.clock() * NS_PER_TICK
    if clock in REALTIME:
        return EPOCH * 1_000_000_000 + ns
    return ns if clock in MONOTONIC else None


def _timespec(p, ns: int, wide: bool) -> bytes:
    """struct timespec: longs, or two 64-bit fields for the *_time64 calls."""
    seconds, rest = divmod(ns, 1_000_000_000)
    return p.pack(seconds, 8) + p.pack(rest, 8) if wide else p.word(seconds) + p.word(rest)


def _read_timespec(p, address, wide: bool) -> int | None:
    size = 8 if wide else p.backend.word_bytes
    raw = p.read(address, 2 * size)
    if raw is None:
        return None
    seconds, rest = p.unpack(raw[:size], signed=True), p.unpack(raw[size:], signed=True)
    if seconds < 0 or not 0 <= rest < 1_000_000_000:
        return -1
    return seconds * 1_000_000_000 + rest


def _gettime(p, clock, ts, wide):
    ns = _now(p, clock)
    if ns is None:
        return p.error("EINVAL")
    return 0 if p.write(ts, _timespec(p, ns, wide)) else p.error("EFAULT")


def clock_gettime(p, clock, ts):
    return _gettime(p, clock, ts, p.backend.bits == 64)


def clock_gettime64(p, clock, ts):
    return _gettime(p, clock, ts, True)


def _getres(p, clock, ts, wide):
    if _now(p, clock) is None:
        return p.error("EINVAL")
    return 0 if not ts or p.write(ts, _timespec(p, NS_PER_TICK, wide)) else p.error("EFAULT")


def clock_getres(p, clock, ts):
    return _getres(p, clock, ts, p.backend.bits == 64)


def clock_getres_time64(p, clock, ts):
    return _getres(p, clock, ts, True)


def gettimeofday(p, tv, tz):
    seconds, ns = divmod(_now(p, 0), 1_000_000_000)
    if tv and not p.write(tv, p.word(seconds) + p.word(ns // 1000)):
        return p.error("EFAULT")
    if tz and not p.write(tz, bytes(8)):
        return p.error("EFAULT")
    return 0


def time(p, tloc):
    seconds = _now(p, 0) // 1_000_000_000
    if tloc and not p.write(tloc, p.word(seconds)):
        return p.error("EFAULT")
    return seconds


def _sleep(p, clock, flags, req, wide):
    ns = _read_timespec(p, req, wide)
    if ns is None:
        return p.error("EFAULT")
    now = _now(p, clock)
    if ns < 0 or now is None:
        return p.error("EINVAL")
    if flags & TIMER_ABSTIME:
        ns = max(0, ns - now)
    ticks = -(-ns // NS_PER_TICK)
    if ticks:
        p.machine.block("sleep", ticks)
    return 0


def nanosleep(p, req, rem):
    return _sleep(p, 1, 0, req, p.backend.bits == 64)


def clock_nanosleep(p, clock, flags, req, rem):
    return _sleep(p, clock, flags, req, p.backend.bits == 64)


def clock_nanosleep_time64(p, clock, flags, req, rem):
    return _sleep(p, clock, flags, req, True)


def sched_yield(p):
    p.machine.block("yield")
    return 0


def getrandom(p, buf, length, flags):
    length = min(length, GRND_MAX)
    return length if p.write(buf, p.random.randbytes(length)) else p.error("EFAULT")
