"""The public Python API: what `import hal` offers notebooks, scripts and
other tools (grading, classroom kits).  A handful of documented functions
(`hal.run`, `hal.run_all`, `hal.build`, `hal.compare`, `hal.schedule`,
`hal.compare_policies`, `hal.disasm`, `hal.trace`, `hal.resume`, `hal.load`,
`hal.debug`, `hal.debug_schedule`, `hal.grade`)
return result objects with short reprs and rich notebook displays.  The
`hal` command is a thin layer on these same functions, so the two always
give the same numbers.

May import: hal.core, hal.toolchain, hal.safety, hal.inspection,
hal.scheduling, hal.grading, hal.render, hal.personality (its table of
calls), hal.debugger, hal.errors, hal.paths.  Only hal.cli and
hal/__init__.py import it.
"""
