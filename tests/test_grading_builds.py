"""Submissions are built as their authors would build them by hand: a folder
of several sources is one program, a standard C program (stdio) gets the C
library and is graded like any HAL guest, and a build that fails names the
student and the file as the student named it."""
import shutil
from pathlib import Path

import hal

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "grading"

STDIO = r"""/* lou: the exercise in standard C */
#include <stdio.h>

int main(void)
{
    int sum = 0, value;
    while (scanf("%d", &value) == 1)
        sum += value;
    unsigned u = (unsigned)sum;
    printf("sum %d\nbytes %02x %02x %02x %02x\n", sum, u >> 24, (u >> 16) & 255,
           (u >> 8) & 255, u & 255);
    return 0;
}
"""


def test_a_folder_of_sources_is_one_program_and_its_mistakes_name_the_student(tmp_path):
    (tmp_path / "class").mkdir()
    shutil.copytree(EXAMPLE / "class" / "dee", tmp_path / "class" / "dee")
    shutil.copytree(EXAMPLE / "class" / "dee", tmp_path / "class" / "dot")
    sum_c = tmp_path / "class" / "dot" / "sum.c"
    sum_c.write_text(sum_c.read_text().replace("return sum;", "return sum"))
    g = hal.grade(tmp_path / "class", EXAMPLE / "tests.toml", jobs=2)
    assert [line.split(",")[:3] for line in g.to_csv().splitlines()[1:]] == [
        ["dee", "20", "20"], ["dot", "0", "20"]]
    cell = next(c for c in g["dot"].cells if c.column == "small@x86")
    assert cell.outcome.why() == "does not build: dot does not build for x86:"  # not "main"
    report = g.report("dot")
    assert "on x86, ppc, alpha: does not build\n  sum.c:22:15: error: expected ';'" in report
    assert str(tmp_path) not in report


def test_a_standard_c_program_is_graded_like_any_other(tmp_path):
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "lou.c").write_text(STDIO)
    shutil.copy(EXAMPLE / "class" / "ada.c", tmp_path / "class")
    g = hal.grade(tmp_path / "class", EXAMPLE / "tests.toml", jobs=2)
    assert g.to_csv().splitlines()[1:] == ["ada,20,20" + ",1" * 12 + ",2,2,2,2,",
                                           "lou,20,20" + ",1" * 12 + ",2,2,2,2,"]
    assert g.status == 0
