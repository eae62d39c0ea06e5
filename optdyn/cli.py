"""The ``optdyn`` command line."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

__all__ = ["main"]


class _UserError(Exception):
    """An error in the user's input: reported as one line, exit status 2."""


def _cmd_methods(args: argparse.Namespace) -> int:
    from . import methods

    for name in methods.names():
        m = methods.get(name)
        hyper = ", ".join(
            f"{k} in {d.describe()}" + ("" if d.required else f" (default {d.default})")
            for k, d in m.hyper.items()
        )
        print(f"{name}: {hyper}")
        if args.verbose:
            print(f"    state: {', '.join(m.state)}; source: {m.reference}")
    return 0


def _cmd_reproduce(args: argparse.Namespace) -> int:
    """Run every registered method on a reference problem and write a report."""
    import numpy as np

    from . import methods, simulate

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    steps = 200 if args.quick else 2000
    seeds = 16 if args.quick else 256
    problem = simulate.DiagonalQuadratic(np.geomspace(1.0, 100.0, 8))
    noise = simulate.AdditiveNoise(sigma=0.01)
    lines = [
        "# optdyn report",
        "",
        f"Every registered method on a diagonal quadratic with eigenvalues in [1, 100] "
        f"(8 coordinates), additive gradient noise sigma = 0.01, {seeds} seeds, "
        f"{steps} steps, x0 = x* + 1, each method at the learning rate of its typical range "
        "that gives the lowest final loss among 8 log-spaced values.",
        "",
        "| method | lr | final excess loss (mean over seeds) | diverged runs |",
        "|---|---|---|---|",
    ]
    for name in methods.names():
        m = methods.get(name)
        lo, hi = m.hyper["lr"].typical
        lrs = np.geomspace(lo, hi, 8)
        extra = {"momentum": 0.9} if "momentum" in m.hyper and m.hyper["momentum"].required else {}
        r = simulate.run(m, problem, steps=steps, seeds=seeds, rng=0, noise=noise, lr=lrs, **extra)
        mean = np.mean(np.where(r.diverged, np.inf, r.final_loss), axis=-1)
        best = int(np.argmin(mean))
        lines.append(
            f"| {name} | {lrs[best]:.3g} | {mean[best]:.3e} "
            f"| {int(r.diverged[best].sum())}/{seeds} |"
        )
    report = out / "report.md"
    report.write_text("\n".join(lines) + "\n")
    print(f"wrote {report}")
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="optdyn",
        description="Analytical theory of first-order optimizers on quadratic models.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    pm = sub.add_parser("methods", help="list the registered methods and their hyperparameters")
    pm.add_argument("-v", "--verbose", action="store_true", help="also show states and sources")
    pm.set_defaults(func=_cmd_methods)
    pr = sub.add_parser("reproduce", help="run every registered method and write DIR/report.md")
    pr.add_argument("--out", default="optdyn-report", metavar="DIR", help="output directory")
    pr.add_argument("--quick", action="store_true", help="fewer seeds and steps")
    pr.set_defaults(func=_cmd_reproduce)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``optdyn`` console script."""
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # output piped into a reader that stopped early (| head)
        sys.stdout = open(os.devnull, "w")
        return 0
    except (_UserError, ValueError, TypeError, OSError) as exc:
        print(f"optdyn {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
