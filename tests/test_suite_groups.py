"""The suite's own scheduling: tests that share a built site run on one worker.

``make test`` runs two xdist workers with ``--dist loadgroup``. The tests that read the
bilingual site or the random history carry ``xdist_group`` marks so that one worker builds
that site while the other goes on with other tests; without the grouping both workers ask for
the site at once and one of them waits, idle, for the whole build (minutes). A pytest or
xdist release that breaks the grouping does so silently, so this runs a small suite the same
way and checks where its tests ran.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

GROUPED = '''
import pytest

pytestmark = pytest.mark.xdist_group("site")


def test_first():
    pass


@pytest.mark.parametrize("n", [1, 2, 3])
def test_more(n):
    pass
'''

ALONE = '''
def test_elsewhere():
    pass


def test_elsewhere_too():
    pass
'''


def test_tests_of_one_xdist_group_run_on_one_worker(tmp_path: Path) -> None:
    (tmp_path / "test_grouped.py").write_text(GROUPED, encoding="utf-8")
    (tmp_path / "test_alone.py").write_text(ALONE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    ran = re.findall(r"\[(gw\d+)\] \[\s*\d+%\] PASSED \S*test_grouped\.py::(\S+)", done.stdout)
    assert len(ran) == 4, done.stdout[-3000:]
    assert len({worker for worker, _ in ran}) == 1, f"the group was split across workers: {ran}"
