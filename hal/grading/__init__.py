"""Grading a whole class: every student's submission built once per ISA,
every test run on every ISA it names, on local worker processes or a Dask
cluster, into a gradebook that is the same byte for byte whatever ran it.

    spec.py         the teacher's tests.toml, checked in full before anything runs
    submissions.py  a folder of submissions: one .c file or one folder per student
    guard.py        refuses sources that reach for files outside their folder
    builds.py       each submission built once per ISA through the build cache
    judge.py        one test on one ISA: run the ELF bytes, compare, award points
    workers.py      forked runner processes: a guest that kills one is retried, then reported
    engines.py      where the tests run: local workers (--jobs) or Dask (--engine dask)
    gradebook.py    the results as plain data, CSV and JSON
    reports.py      one text report per student: diffs, fault reports, compiler messages
    grade.py        the pipeline: find, build, run, judge, collect

May import: hal.core (loading and running an ELF), hal.toolchain (building),
hal.personality (a C library program's system calls), hal.safety (the crash
report of an isolated run), hal.errors, hal.paths.
The public face is hal.grade (hal/api/grades.py); the CLI reaches grading
only through it.  Dask is imported only when --engine dask asks for it.
"""
