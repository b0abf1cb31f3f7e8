"""Many guests, of any ISAs, multiplexed over N emulated cores on a virtual
clock: the scheduler, its policies (pinned, rr, affinity, shares), workloads
from the command line or TOML, and the metrics of a finished schedule.

May import: hal.core, hal.toolchain (to build a workload's guests),
hal.errors.  Results are plain data; drawing them belongs to hal.render.
"""
