"""The classroom kit: a guided tour of halemu for the first lesson (`hal
tour`: portability, devices, comparison, consolidation) and exercise sheets
that check their own answers (`hal exercise`), in the spirit of OSTEP's
homework simulators, whose -c flag computes the answers.

Sheets live in guests/exercises/ as TOML.  A question never stores its
answer: it names what to measure (a probe, probes.py), and halemu measures
it when the sheet is checked, so the sheets stay true when the tools change.

Everything here drives halemu through its public API (hal.api), as a
teacher's own notebook would, and draws through hal.render.

May import: hal.api, hal.render, hal.errors, hal.paths.
"""
