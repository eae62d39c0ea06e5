"""Speed of the working tree against a baseline revision, task by task, side by side.

Run from the repository root::

    python bench/speed.py                     # against HEAD~1
    python bench/speed.py --base c9fa685      # against a given revision
    python bench/speed.py --quick             # skip the long tasks

The baseline revision is checked out into a temporary git worktree. Each task
runs in a fresh Python process per tree (so every cache starts cold), the two
trees alternating, best of ``--repeat``; only the task is timed, not the
imports. Ratios (baseline / working tree) are reported, never asserted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: name -> (setup, timed statement, long?)
TASKS = {
    "spectral_radius, nesterov, 1e5 points": (
        "import numpy as np, optdyn as od\n"
        "ls = od.theory.linearize('nesterov'); g = np.random.default_rng(0)\n"
        "v = dict(lam=g.uniform(0, 5, 100000), lr=g.uniform(0, 1, 100000), "
        "momentum=g.uniform(0, 1.2, 100000)); ls.spectral_radius(**v)",
        "ls.spectral_radius(**v)",
        False,
    ),
    "optimal numeric, 4 methods x 4 ranges": (
        "import optdyn as od",
        "[od.theory.optimal(m, mu=1, L=k, closed_form=False) for k in (10, 100, 1e3, 1e4) "
        "for m in ('gd', 'heavy_ball', 'nesterov', 'ema_momentum')]",
        False,
    ),
    "optimal closed form, heavy_ball + nesterov + ema_momentum": (
        "import optdyn as od",
        "[od.theory.optimal(m, mu=1, L=100) for m in ('heavy_ball', 'nesterov', 'ema_momentum')]",
        False,
    ),
    "every row of the source texts (errata), decided": (
        "import optdyn as od\nfrom optdyn.proofs import errata\nerrata.load()",
        "[od.proofs.check(c) for c, k in od.proofs.claims().items() if k.source != 'optdyn']",
        True,
    ),
    "every theorem of the catalogue, decided": (
        "import optdyn as od",
        "[od.proofs.check(c) for c in od.proofs.claims(source='optdyn')]",
        True,
    ),
}

RUNNER = """
import sys, time
sys.path.insert(0, {tree!r})
exec({setup!r})
t = time.perf_counter()
exec({stmt!r})
print(time.perf_counter() - t)
"""


def time_task(tree: Path, setup: str, stmt: str) -> float:
    code = RUNNER.format(tree=str(tree), setup=setup, stmt=stmt)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=tree)  # fmt: skip
    return float(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--base", default="HEAD~1", help="baseline revision (default: HEAD~1)")
    p.add_argument("--repeat", type=int, default=3, help="best of this many runs per tree")
    p.add_argument("--quick", action="store_true", help="skip the long tasks, best of 1")
    args = p.parse_args(argv)
    repeat = 1 if args.quick else args.repeat
    rev = subprocess.run(["git", "rev-parse", "--short", args.base], capture_output=True,
                         text=True, check=True, cwd=ROOT).stdout.strip()  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", str(base), rev], check=True,
                       cwd=ROOT, capture_output=True)  # fmt: skip
        try:
            print(f"baseline {rev} against the working tree; seconds, best of {repeat}")
            print(f"{'task':60s} {'baseline':>9s} {'tree':>9s} {'ratio':>7s}")
            for name, (setup, stmt, long) in TASKS.items():
                if long and args.quick:
                    continue
                t_base, t_tree = [], []
                for _ in range(repeat):  # alternate the trees so that load affects both
                    t_base.append(time_task(base, setup, stmt))
                    t_tree.append(time_task(ROOT, setup, stmt))
                b, t = min(t_base), min(t_tree)
                print(f"{name:60s} {b:9.3f} {t:9.3f} {b / t:6.1f}x")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT,
                           check=False, capture_output=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
