"""The `hal` command: thin click commands that parse options, call hal.api,
and hand the results to hal.render.  main.py holds the group and the entry
point; each other module holds the commands of one concern.

May import: hal.api, hal.render, and for the commands that describe halemu
itself (isas, services, devices, header) or take a snapshot, hal.core,
hal.toolchain and hal.safety.  Comparisons and schedules are reached only
through hal.api, so the command line and Python give the same numbers.
Nothing imports it.
"""
import gc as _gc

# Start-up makes tens of thousands of objects that all live until the end
# (modules, their functions and classes), and Python's collector, at its
# default threshold of 700 new objects, walks them some 45 times for nothing:
# about a twentieth of a `hal run`.  So the first collection waits for
# STARTUP_OBJECTS new objects, more than any command's start-up makes, and
# then Python's own thresholds come back for the rest of the run.
STARTUP_OBJECTS = 100_000


def _collect_after_startup() -> None:
    default = _gc.get_threshold()
    if default[0] >= STARTUP_OBJECTS:         # already deferred, or tuned by someone
        return

    def restore(phase: str, info: dict) -> None:
        if phase == "stop" and _gc.get_threshold()[0] == STARTUP_OBJECTS:
            _gc.set_threshold(*default)

    _gc.set_threshold(STARTUP_OBJECTS, *default[1:])
    _gc.callbacks.append(restore)


_collect_after_startup()
