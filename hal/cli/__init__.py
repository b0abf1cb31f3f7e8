"""The `hal` command: thin click commands that parse options, call hal.api,
and hand the results to hal.render.  main.py holds the group and the entry
point; each other module holds the commands of one concern.

May import: hal.api, hal.render, and for the commands that describe halemu
itself (isas, services, devices, header) or take a snapshot, hal.core,
hal.toolchain and hal.safety.  Comparisons and schedules are reached only
through hal.api, so the command line and Python give the same numbers.
Nothing imports it.
"""
