"""What a teacher and students hand the grader: the spec is checked in full
before anything runs (one line per mistake), the class folder is read as it
is meant, and a submission that reaches outside its folder is refused, however
it spells the #include."""
from decimal import Decimal
from pathlib import Path

import pytest

from hal.errors import HalError
from hal.grading import guard, spec, submissions
from hal.grading.submissions import Submission


def write_spec(tmp_path, text: str) -> Path:
    p = tmp_path / "tests.toml"
    p.write_text(text)
    return p


def test_a_spec_with_defaults_files_and_regexes(tmp_path):
    (tmp_path / "in.txt").write_bytes(b"1 2\n")
    (tmp_path / "out.txt").write_bytes(b"3\n")
    s = spec.load(write_spec(tmp_path, """
[defaults]
isas = "ppc,mips"
max_instructions = 5000
points = 0.5
[[test]]
name = "file"
stdin_file = "in.txt"
stdout_file = "out.txt"
[[test]]
name = "regex"
stdout_regex = 'sum: \\d+\\n'
isas = "all"
points = 2
exit_code = 0
"""))
    first, second = s.tests
    assert first.stdin == b"1 2\n" and first.stdout == b"3\n" and first.isas == ("mips", "ppc")
    assert first.max_instructions == 5000 and first.points == Decimal("0.5")
    assert first.max_output == 64 << 10 and first.memory == 1 << 20
    assert second.isas == ("x86", "mips", "ppc", "alpha") and second.exit_code == 0
    assert s.max_points == Decimal("0.5") * 2 + 2 * 4
    assert second.passes(b"sum: 12\n", 0) and not second.passes(b"sum: 12\n", 1)
    assert not second.passes(b"sum: 12\nmore", 0)          # the whole output must match
    assert s.isas == ("x86", "mips", "ppc", "alpha")


@pytest.mark.parametrize("text, message", [
    ("", "no tests: add at least one [[test]] table"),
    ("[[test]]\nname = 'a'\n", "test 'a': give exactly one of stdout, stdout_file and stdout_regex"),
    ("[[test]]\nname = 'a'\nstdout = 'x'\nstdout_regex = 'x'\n",
     "test 'a': give exactly one of stdout, stdout_file and stdout_regex"),
    ("[[test]]\nname = 'a'\nstdot = 'x'\n", "test 'a': unknown key 'stdot'"),
    ("[[test]]\nname = 'a b'\nstdout = 'x'\n", "test 1: needs a name of letters"),
    ("[[test]]\nname = 'a'\nstdout = 'x'\n[[test]]\nname = 'a'\nstdout = 'y'\n",
     "test 'a' is named twice"),
    ("[[test]]\nname = 'a'\nstdout = 'x'\nisas = ['vax']\n", "unknown ISA 'vax'"),
    ("[[test]]\nname = 'a'\nstdout = 'x'\nmax_instructions = 0\n",
     "max_instructions must be an integer from 1 to 1,000,000,000,000, not 0"),
    ("[[test]]\nname = 'a'\nstdout = 'x'\nmax_output = -1\n", "max_output must be an integer"),
    ("[[test]]\nname = 'a'\nstdout = 'x'\nmemory = '9G'\n", "memory: memory size 9G is outside"),
    ("[[test]]\nname = 'a'\nstdout = 'x'\npoints = -1\n", "points must be from 0"),
    ("[[test]]\nname = 'a'\nstdout = 'x'\npoints = 'many'\n", "points must be a number"),
    ("[[test]]\nname = 'a'\nstdout_regex = '('\n", "stdout_regex is not a regular expression"),
    ("[[test]]\nname = 'a'\nstdout = 'x'\nexit_code = 300\n", "exit_code must be an integer from 0"),
    ("[[test]]\nname = 'a'\nstdout = 'x'\nstdin_file = 'nope.txt'\n",
     "stdin_file nope.txt: cannot read: No such file or directory"),
    ("[defaults]\nmax_instructons = 5\n[[test]]\nname = 'a'\nstdout = 'x'\n",
     "[defaults]: unknown key 'max_instructons'"),
    ("[grading]\n", "unknown section 'grading'"),
    ("[[test]\n", "not valid TOML"),
])
def test_spec_mistakes_are_one_line_each(tmp_path, text, message):
    with pytest.raises(HalError) as e:
        spec.load(write_spec(tmp_path, text))
    assert message in str(e.value) and "\n" not in str(e.value)
    assert str(e.value).startswith(str(tmp_path / "tests.toml") + ": ")


def test_the_class_folder(tmp_path):
    (tmp_path / "zed.c").write_text("int main(void){return 0;}")
    (tmp_path / "amy").mkdir()
    (tmp_path / "amy" / "b.c").write_text("")
    (tmp_path / "amy" / "sub").mkdir()
    (tmp_path / "amy" / "sub" / "a.S").write_text("")
    (tmp_path / "amy" / "x.h").write_text("")
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.md").write_text("")
    (tmp_path / ".git").mkdir()
    subs, skipped = submissions.find(tmp_path)
    assert [s.student for s in subs] == ["amy", "empty", "zed"]
    assert [p.name for p in subs[0].sources] == ["b.c", "a.S"]
    assert subs[1].sources == () and subs[2].sources == (tmp_path / "zed.c",)
    assert skipped == ["notes.md"]


def test_two_submissions_for_one_student_is_bad_input(tmp_path):
    (tmp_path / "amy.c").write_text("")
    (tmp_path / "amy").mkdir()
    with pytest.raises(HalError, match="two submissions for 'amy'"):
        submissions.find(tmp_path)


def one_file(tmp_path, text: str, name: str = "s.c") -> Submission:
    (tmp_path / "class").mkdir(exist_ok=True)
    p = tmp_path / "class" / name
    p.write_text(text)
    return Submission(p.stem, p, (p,))


def folder(tmp_path, files: dict[str, str]) -> Submission:
    root = tmp_path / "class" / "sue"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return Submission("sue", root, tuple(sorted(root.rglob("*.c"))))


@pytest.mark.parametrize("text", [
    '#include "../tests.toml"\n',
    '#include "/etc/passwd"\n',
    '#include <../../tests/secret.h>\n',
    '  #  include_next "../x"\n',
    '#import "/etc/hosts"\n',
    'static const char d[] = {\n#embed "/etc/hostname"\n};\n',
    '#define F "/etc/passwd"\n#include F\n',                     # a path built by a macro
    '#inc\\\nlude "/etc/passwd"\n',                               # a line splice
    '#/* hidden */include "/etc/passwd"\n',                     # a comment in the directive
    '%:include "/etc/passwd"\n',                                 # a digraph
    '??=include "/etc/passwd"\n',                                # a trigraph
    '#if __has_include("/etc/shadow")\n#endif\n',
    '__asm__(".incbin \\"/etc/passwd\\"");\n',
    '__asm__(".inc" "bin \\"x\\"");\n',                           # adjacent literals
    'asm(".include \\"evil.s\\"");\n',
    '#define S(x) #x\n__asm__(S(.inc) S(bin) " \\"/etc/passwd\\"");\n',
    '#include "other.c"\n',                                      # a classmate's file
])
def test_one_file_that_reaches_out_is_refused(tmp_path, text):
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "other.c").write_text("int answer;")
    sub = one_file(tmp_path, text)
    problem = guard.check(sub)
    assert problem is not None and problem.startswith("s.c: ")
    assert "\n" not in problem


@pytest.mark.parametrize("text", [
    '#include "hal.h"\n#include <stdint.h>\nint main(void){return 0;}\n',
    '#include "stdio.h"\n',                                     # not here: the toolchain's
    '#if defined __has_include\n#if __has_include(<stdio.h>)\n#endif\n#endif\n',
    '/* #include "/etc/passwd" is what we must never do */\n',
    'const char *s = "#include \\"/etc/passwd\\"";\n',          # only a string
    'int include = 1, incbin = 2;\n',
    '#define TWICE(x) x x\nint y = TWICE(1 +) 1;\n',              # macros without asm are fine
])
def test_ordinary_one_file_sources_pass(tmp_path, text):
    assert guard.check(one_file(tmp_path, text)) is None


def test_a_folder_may_include_its_own_files_only(tmp_path):
    sub = folder(tmp_path, {"main.c": '#include "lib/util.h"\n#include "top.h"\n',
                            "lib/util.h": '#include "../top.h"\n', "top.h": "",
                            "lib/x.c": '#include "../top.h"\n'})
    assert guard.check(sub) is None
    (sub.root / "lib" / "util.h").write_text('#include "../../amy/main.c"\n')
    assert guard.check(sub) == ('lib/util.h: #include "../../amy/main.c": '
                                "reaches outside the submission's folder")


def test_a_link_out_of_the_folder_is_refused(tmp_path):
    sub = folder(tmp_path, {"main.c": '#include "answers.h"\n'})
    secret = tmp_path / "answers.h"
    secret.write_text("int answer = 42;")
    (sub.root / "answers.h").symlink_to(secret)
    assert guard.check(sub) == "answers.h is a link to a file outside the submission"


def test_assembly_sources_may_not_read_files(tmp_path):
    sub = folder(tmp_path, {"main.c": "", "data.S": '  .incbin "/etc/passwd"\n'})
    assert guard.check(sub) == ("data.S: the assembler directive .incbin reads files; "
                                "it is not allowed in a submission")


def test_huge_sources_are_refused_before_they_are_read(tmp_path):
    sub = folder(tmp_path, {"main.c": "int x;\n" * (200_000)})
    assert guard.check(sub) == "main.c is larger than 1 MiB"
