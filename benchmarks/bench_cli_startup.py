"""Wall time of ``positrons --help`` (and of each command's ``--help``) against ``python -c pass``.

Run: ``python benchmarks/bench_cli_startup.py [REPEATS]``.  Prints the best of REPEATS
(default 5) fresh interpreters for each case; the target is ``positrons --help`` within
0.3 s.  The check that no physics is imported is tests/test_cli_startup.py.
"""

from __future__ import annotations

import subprocess
import sys
import time

CASES = [
    ("python -c pass (baseline)", ["-c", "pass"]),
    ("positrons --help", ["-m", "positrons.cli", "--help"]),
    *[(f"positrons {name} --help", ["-m", "positrons.cli", name, "--help"])
      for name in ("data", "secondary", "modulate", "belt", "cache", "pbh", "propagate", "fraction")],
]


def best_time(args, repeats: int) -> float:
    """Shortest wall time [s] of ``python *args`` over ``repeats`` runs."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def main(repeats: int = 5) -> None:
    baseline = None
    for label, args in CASES:
        t = best_time(args, repeats)
        baseline = t if baseline is None else baseline
        print(f"{label:36s} {t:6.3f} s  (+{t - baseline:6.3f} s over the baseline)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
