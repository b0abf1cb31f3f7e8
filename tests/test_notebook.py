"""examples/lesson.ipynb runs, top to bottom, in a real Jupyter kernel (nbclient
driving ipykernel, both from the test extra), without an error or a warning,
and shows the command line's numbers."""
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "examples" / "lesson.ipynb"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The lesson, executed in the kernel spec of this interpreter's environment
    (JUPYTER_PATH puts it before any a user may have installed elsewhere),
    talking to it over local sockets (IPC), not TCP."""
    from jupyter_client.manager import KernelManager
    runtime = tmp_path_factory.mktemp("jupyter")
    mp = pytest.MonkeyPatch()
    mp.setenv("JUPYTER_PATH", str(Path(sys.prefix) / "share" / "jupyter"))
    mp.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    mp.setenv("JUPYTER_PLATFORM_DIRS", "1")
    mp.setenv("IPYTHONDIR", str(runtime / "ipython"))
    try:
        nb = nbformat.read(LESSON, as_version=4)
        km = KernelManager(kernel_name="python3", transport="ipc", ip=str(runtime / "kernel"))
        try:
            NotebookClient(nb, km=km, timeout=600,
                           resources={"metadata": {"path": str(LESSON.parent)}}).execute()
        finally:
            if km.has_kernel:       # a kernel manager we made is ours to shut down
                km.shutdown_kernel()
    finally:
        mp.undo()
    return nb


def outputs(nb, mime: str) -> list[str]:
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and mime == out.name:
                found.append(out.text)
            elif mime in out.get("data", {}):
                found.append(out.data[mime])
    return found


def test_the_lesson_runs_without_an_error_or_a_warning(executed):
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    assert outputs(executed, "stderr") == []


def test_its_results_show_as_html_with_charts_inline(executed):
    html = "\n".join(outputs(executed, "text/html"))
    assert html.count("<svg") >= 6          # mix charts, Gantt charts
    assert "identical output on all 4 ISAs" in html
    assert "&lt;- HAL trap" in html


def test_it_shows_the_command_lines_numbers(executed, tmp_path):
    """The makespans it prints are those of `hal schedule --json`."""
    report = tmp_path / "run.json"
    subprocess.run([sys.executable, "-m", "hal", "schedule", "--workload",
                    str(ROOT / "guests" / "workloads" / "consolidation.toml"), "--json",
                    str(report)], check=True, capture_output=True)
    runs = json.loads(report.read_text())["runs"]
    printed = "\n".join(outputs(executed, "stdout"))
    rr3 = next(m for m in runs if (m["policy"], m["cores"]) == ("rr", 3))
    pinned = next(m for m in runs if m["policy"] == "pinned")
    assert f"rr      on 3 cores: makespan {rr3['makespan']:>8,} ticks" in printed
    assert f"pinned  on 8 cores: makespan {pinned['makespan']:>8,} ticks" in printed
    assert f"switch cost   100 ticks: makespan {rr3['makespan']:>9,}" in printed
