"""The classroom kit from Python: exercise sheets that check their own
answers, and the guided tour (hal.classroom holds them; these are the API's
doors to them, the same ones `hal exercise` and `hal tour` use).

    >>> hal.exercises()                         # every sheet
    >>> sheet = hal.exercise(1)
    >>> print(sheet.answers())                  # measured now, never stored
    >>> sheet.check("answers.toml").ok          # or a dict {"q1": 2144599, ...}
    >>> hal.tour().write_html("lesson/")        # the first lesson as one web page
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..classroom.sheets import Exercise
    from ..classroom.tour import Tour

__all__ = ["exercise", "exercises", "tour"]


def exercises() -> list["Exercise"]:
    """Every exercise sheet in guests/exercises/, in order (nothing measured yet)."""
    from ..classroom import sheets
    return sheets.all_sheets()


def exercise(number: int | str) -> "Exercise":
    """Exercise sheet N (or by name, "portability"): its questions; .answers()
    measures every answer with halemu now; .check(answers) grades a student's."""
    from ..classroom import sheets
    return sheets.find(number)


def tour() -> "Tour":
    """The guided first lesson, in four steps (portability, devices,
    comparison, consolidation): each with what to say, the command to type
    and what it prints; .text(), .html(), .write_html(DIR)."""
    from ..classroom.tour import Tour
    return Tour()
