"""Exercise sheets that check their own answers: every sheet's answers, as
`hal exercise answers` prints them, pass `hal exercise check`; every answer
made wrong fails it; nothing on a sheet is an answer (each is measured)."""
import tomllib

import pytest
from test_cli import hal

import hal as api
from hal.classroom import probes, sheets
from hal.classroom.grading import KINDS

SHEETS = sheets.all_sheets()
TOPICS = {"portability", "byte order", "calling conventions", "the trap",
          "port I/O against MMIO", "instruction counts", "the mix", "code size",
          "scheduling policies", "%RDY", "shares", "reservations", "limits", "consolidation",
          "snapshots"}
ISAS = [b.name for b in api.isas()]


def test_at_least_ten_sheets_cover_every_topic():
    assert len(SHEETS) >= 10
    assert [s.number for s in SHEETS] == list(range(1, len(SHEETS) + 1))
    covered = {t for s in SHEETS for t in s.topics}
    assert TOPICS <= covered, TOPICS - covered


def test_sheets_hold_no_answers():
    """A question has only text, kind, ask (a probe), try, why and tolerance:
    the loader refuses anything else, and every ask names a known probe."""
    for s in SHEETS:
        raw = tomllib.loads((sheets.FOLDER / f"{s.name}.toml").read_text())
        for q in raw["question"]:
            assert set(q) <= sheets.QUESTION_KEYS
        for q in s.questions:
            assert q.ask["probe"] in probes.PROBES, (s.name, q.id)


def wrong(kind: str, value):
    """An answer that is plainly not halemu's."""
    if kind in ("count", "address") and not isinstance(value, str):
        return int(value * 1.1) + 7
    if kind == "address":
        return hex(int(value, 16) + 4)
    if kind == "percent":
        return value + 5
    if kind == "ratio":
        return value * 1.5 + 0.1
    if kind == "isa":
        return next(i for i in ISAS if i != value)
    if kind == "isas":
        return sorted(set(ISAS) - set(value)) or ISAS[:1]
    if kind == "yesno":
        return not value
    return "not the answer"


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_check_accepts_the_answers_and_rejects_every_perturbed_one(sheet):
    answers = sheet.answers()
    text = answers.text()
    assert all(f"#   why: " in block for block in text.split("\n\n")[1:])
    grade = sheet.check(text)
    assert grade.ok, grade.text()
    given = tomllib.loads(text)
    for q in sheet.questions:
        bad = dict(given, **{q.id: wrong(q.kind, answers.values[q.id])})
        g = sheet.check(bad)
        assert [m.right for m in g.marks] == [m.question.id != q.id for m in g.marks], \
            (q.id, bad[q.id], g.text())
        assert not g.ok


def test_numbers_have_a_tolerance():
    sheet = api.exercise("counts-and-mix")
    values = sheet.answers().values
    near = {"q1": int(values["q1"] * 1.004), "q3": values["q3"] + 0.1, "q2": values["q2"] * 1.015}
    marks = {m.question.id: m.right for m in sheet.check(near).marks}
    assert marks["q1"] and marks["q2"] and marks["q3"]
    far = {"q1": int(values["q1"] * 1.006), "q3": values["q3"] + 0.2, "q2": values["q2"] * 1.03}
    marks = {m.question.id: m.right for m in sheet.check(far).marks}
    assert not (marks["q1"] or marks["q2"] or marks["q3"])
    # the ways people write numbers and names
    ok = sheet.check({"q1": f"{values['q1']:,}", "q3": f"{values['q3']}%",
                      "q5": values["q5"].upper() + "*"})
    assert [m.right for m in ok.marks][:5] == [True, False, True, False, True]


def test_answers_are_measured_when_checked(monkeypatch):
    """Change what halemu measures and the same answer file turns wrong."""
    sheet = api.exercise(1)
    text = sheet.answers().text()
    assert sheet.check(text).ok
    real = probes.PROBES["run"]
    monkeypatch.setitem(probes.PROBES, "run", lambda **kw: real(**kw) + 1000
                        if kw["field"] == "retired" else real(**kw))
    marks = {m.question.id: m.right for m in sheet.check(text).marks}
    assert marks == {"q1": True, "q2": False, "q3": True, "q4": True, "q5": True}


def test_cli_list_show_check_answers(tmp_path):
    code, out, _ = hal("exercise", "list")
    assert code == 0 and all(s.title[:20] in " ".join(out.split()) for s in SHEETS)
    code, out, _ = hal("exercise", "show", "2")
    assert code == 0 and out.startswith("Exercise 2: Byte order\n")
    template = out[out.index("\nq1 = "):]
    assert set(tomllib.loads(template)) == {q.id for q in SHEETS[1].questions}
    code, out, _ = hal("exercise", "answers", "2")
    assert code == 0
    (tmp_path / "right.toml").write_text(out)
    code, out, _ = hal("exercise", "check", "2", str(tmp_path / "right.toml"))
    assert code == 0 and out.endswith(f"{len(SHEETS[1].questions)} of "
                                      f"{len(SHEETS[1].questions)} right\n")
    (tmp_path / "wrong.toml").write_text(template + "q9 = 1\n")
    code, out, _ = hal("exercise", "check", "2", str(tmp_path / "wrong.toml"))
    assert code == 1 and "q1 wrong: you wrote []" in out and "q9: no such question" in out
    (tmp_path / "bad.toml").write_text("q1 = = 3\n")
    code, _, err = hal("exercise", "check", "2", str(tmp_path / "bad.toml"))
    assert code == 2 and err.startswith("hal: error: ") and "not TOML" in err
    code, _, err = hal("exercise", "show", "99")
    assert code == 2 and "no exercise '99'" in err


def test_a_wrong_kind_of_answer_is_named():
    sheet = api.exercise(1)
    g = sheet.check({"q1": 3, "q2": "many", "q5": 7})
    notes = {m.question.id: m.note for m in g.marks}
    assert notes["q1"] == "the answer should be yes or no, not 3"
    assert notes["q2"] == "the answer should be a number, not 'many'"
    assert notes["q3"] == "no answer"


def test_every_kind_has_a_perturbation_and_a_blank():
    for name, kind in KINDS.items():
        tomllib.loads(f"q = {kind.blank}")
        assert name in {"count", "percent", "ratio", "isa", "isas", "text", "register", "yesno",
                        "address"}
