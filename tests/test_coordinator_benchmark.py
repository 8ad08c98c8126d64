"""Does ``bench/coordinator_benchmark.py`` run, and end with the line the issue asks for?"""

import re
import subprocess
import sys

from graders.notebook_build import ROOT


def test_the_coordinator_benchmark_prints_its_figure(tmp_path):
    done = subprocess.run([sys.executable, "bench/coordinator_benchmark.py", "--submissions", "5",
                           "--databases", "sqlite", "--workdir", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"coordinator: \d+ ms/submission \(sqlite\)", done.stdout.splitlines()[-1]), done.stdout
