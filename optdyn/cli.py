"""The ``optdyn`` command line."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

__all__ = ["main"]


STATUSES = ("holds", "fails", "imprecise", "out-of-scope")  # as optdyn.proofs.STATUSES


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
    """Decide every claim, render every figure, write DIR/report.md; exit 1 on a failure."""
    import time

    from tqdm import tqdm

    from . import proofs
    from .reproduce import reproduce

    start = time.perf_counter()
    with tqdm(desc="reproduce", unit="job", disable=not sys.stderr.isatty()) as bar:

        def step(label: str, total: int) -> None:
            bar.total = total
            bar.set_postfix_str(label)
            bar.update()

        try:
            r = reproduce(args.out, quick=args.quick, only=args.only, workers=args.jobs,
                          progress=step)  # fmt: skip
        except KeyError as exc:  # a name in --only that is no figure and no claim
            raise _UserError(exc.args[0]) from None
    counts: dict[str, int] = {}
    for v in r.verdicts.values():
        counts[v.status] = counts.get(v.status, 0) + 1
    print(f"{len(r.verdicts)} claims ({', '.join(f'{n} {s}' for s, n in sorted(counts.items()))}), "
          f"{len(r.figures)} figures in {time.perf_counter() - start:.1f} s")  # fmt: skip
    print(f"wrote {r.out / 'report.md'}")
    for cid in r.failed:
        print(f"FAILED: {cid}: {r.verdicts[cid].status}", file=sys.stderr)
    for cid in r.changed:
        print(f"CHANGED: {cid}: {r.verdicts[cid].status} (recorded: {proofs.get(cid).expected})",
              file=sys.stderr)  # fmt: skip
    return 0 if r.ok else 1


def _cmd_check(args: argparse.Namespace) -> int:
    """Decide claims by id and print their verdicts; exit 1 if one differs from its record."""
    import json

    from . import proofs

    ids = args.ids or list(proofs.claims(source="optdyn"))
    try:
        chosen = [proofs.get(i) for i in ids]
    except KeyError as exc:
        raise _UserError(exc.args[0]) from None
    mismatched = 0
    for c in chosen:
        v = proofs.check(c.id)
        mismatched += v.status != c.expected
        if args.format == "json":
            print(json.dumps(v.to_dict()))
        else:
            print(v if args.verbose else f"{v.status:12s} {c.id}")
    return 1 if mismatched else 0


def _cmd_claims(args: argparse.Namespace) -> int:
    """Decide the source texts' claims and list the verdicts (Markdown or JSON)."""
    import json

    from tqdm import tqdm

    from . import proofs
    from .proofs.report import errata_markdown, source_claims, verdict_record

    chosen = source_claims(args.source)
    if not chosen:
        sources = sorted({c.source for c in source_claims().values()})
        raise _UserError(f"no claims from source {args.source!r}; sources: {', '.join(sources)}")
    verdicts = {}
    for cid in tqdm(chosen, desc="claims", disable=args.out is None or not sys.stderr.isatty()):
        verdicts[cid] = proofs.check(cid)
    if args.status:
        verdicts = {k: v for k, v in verdicts.items() if v.status in args.status}
    if args.format == "json":
        text = json.dumps([verdict_record(chosen[k], v) for k, v in verdicts.items()], indent=1)
        text += "\n"
    else:
        text = errata_markdown(verdicts)
    if args.out is None:
        sys.stdout.write(text)
    else:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text)
        print(f"wrote {args.out}")
    mismatched = [k for k, v in verdicts.items() if v.status != chosen[k].expected]
    for cid in mismatched:
        print(f"CHANGED: {cid}: {verdicts[cid].status} (recorded: {chosen[cid].expected})",
              file=sys.stderr)  # fmt: skip
    return 1 if mismatched else 0


def _cmd_theorems(args: argparse.Namespace) -> int:
    """Write the theorem catalogue page."""
    from tqdm import tqdm

    from . import proofs
    from .proofs.report import theorems_markdown

    ids = list(proofs.claims(source="optdyn"))
    with tqdm(total=len(ids), disable=args.out is None or not sys.stderr.isatty(),
              desc="theorems") as bar:  # fmt: skip

        def step(cid):
            bar.set_postfix_str(cid)
            bar.update()

        text = theorems_markdown(ids, progress=step)
    if args.out is None:
        sys.stdout.write(text)
    else:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text)
        print(f"wrote {args.out}")
    return 0


def _fixed_values(pairs: list[str]) -> dict:
    """``NAME=VALUE`` pairs as exact rationals (``0.9`` is 9/10)."""
    import sympy as sp

    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        try:
            if not sep or not name.isidentifier():
                raise ValueError
            out[name] = sp.Rational(value)
        except (ValueError, TypeError):
            msg = f"--fix expects NAME=NUMBER (e.g. momentum=0.9); got {pair!r}"
            raise _UserError(msg) from None
    return out


def _cmd_analyze(args: argparse.Namespace) -> int:
    """Print the derived theory of one method."""
    import json

    from . import methods, theory

    if args.method not in methods.names():
        raise _UserError(f"no method {args.method!r}; methods: {', '.join(methods.names())}")
    try:
        s = theory.summary(args.method, mu=args.mu, L=args.L, closed_form=not args.numeric,
                           **_fixed_values(args.fix or []))  # fmt: skip
    except theory.NotLinearizableError as exc:
        raise _UserError(str(exc)) from None
    if args.format == "json":
        print(json.dumps(s.to_dict(), indent=2))
    else:
        print(s.latex() if args.format == "latex" else s)
    return 0


def _cmd_figures(args: argparse.Namespace) -> int:
    """Compute and draw figures: PNG and PDF in DIR, and DIR/index.md when drawing them all."""
    from . import figures

    chosen = args.only or figures.names()
    unknown = [n for n in chosen if n not in figures.names()]
    if unknown:
        raise _UserError(f"no figure {unknown[0]!r}; figures: {', '.join(figures.names())}")
    for name in chosen:
        for path in figures.render(name, args.out, quick=args.quick):
            print(f"wrote {path}")
    if not args.only:
        index = Path(args.out) / "index.md"
        index.write_text(figures.gallery())
        print(f"wrote {index}")
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
    pr = sub.add_parser(
        "reproduce",
        help="decide every claim, draw every figure, write DIR/report.md",
        description="Decide every theorem and source claim, render every figure (PNG and "
        "PDF) and write DIR/report.md. Exits 1 if a theorem of optdyn's own does not hold "
        "or a source claim's verdict differs from the record.",
    )
    pr.add_argument("--out", default="optdyn-report", metavar="DIR", help="output directory")
    pr.add_argument("--quick", action="store_true",
                    help="small figures; only the claims they show, except slow ones")  # fmt: skip
    pr.add_argument("--only", nargs="+", metavar="NAME",
                    help="only these figures (with the claims they show) or claim ids")  # fmt: skip
    pr.add_argument("-j", "--jobs", type=int, metavar="N",
                    help="worker processes (default: the number of CPUs, at most 4)")  # fmt: skip
    pr.set_defaults(func=_cmd_reproduce)
    pc = sub.add_parser("check", help="decide theorems by id and print their verdicts")
    pc.add_argument("ids", nargs="*", metavar="ID", help="claim ids (default: every theorem)")
    pc.add_argument("-v", "--verbose", action="store_true", help="print the evidence too")
    pc.add_argument("--format", choices=("text", "json"), default="text")
    pc.set_defaults(func=_cmd_check)
    pt = sub.add_parser("theorems", help="write the theorem catalogue (Markdown)")
    pt.add_argument("--out", metavar="FILE", help="output file (default: standard output)")
    pt.set_defaults(func=_cmd_theorems)
    pa = sub.add_parser("analyze", help="derive a method's matrix, region, threshold, tuning")
    pa.add_argument("method", metavar="METHOD", help="a registered method (see: optdyn methods)")
    pa.add_argument("--mu", type=float, help="smallest curvature of the range (with --L)")
    pa.add_argument("--L", type=float, help="largest curvature of the range (with --mu)")
    pa.add_argument("--fix", action="append", metavar="NAME=VALUE",
                    help="hold a hyperparameter, or an adaptive method's frozen statistic "
                    "(e.g. v=4, needed for its tuning); repeatable")  # fmt: skip
    pa.add_argument("--numeric", action="store_true",
                    help="numeric optimal tuning only (skip the closed-form search)")  # fmt: skip
    pa.add_argument("--format", choices=("text", "latex", "json"), default="text")
    pa.set_defaults(func=_cmd_analyze)
    pl = sub.add_parser(
        "claims",
        help="decide the source texts' claims (the errata) and list the verdicts",
        description="Decide every row of claims.tsv by computation and list the verdicts with "
        "their evidence. Exits 1 if a verdict differs from the record.",
    )
    pl.add_argument("--source", metavar="FILE", help="one source file (or its prefix, e.g. 003)")
    pl.add_argument("--status", nargs="+", choices=STATUSES, metavar="S",
                    help=f"only these verdicts ({', '.join(STATUSES)})")  # fmt: skip
    pl.add_argument("--format", choices=("md", "json"), default="md")
    pl.add_argument("--out", metavar="FILE", help="output file (default: standard output)")
    pl.set_defaults(func=_cmd_claims)
    pf = sub.add_parser("figures", help="compute and draw figures (PNG and PDF)")
    pf.add_argument("--only", nargs="+", metavar="NAME", help="only these figures")
    pf.add_argument("--out", default="optdyn-figures", metavar="DIR", help="output directory")
    pf.add_argument("--quick", action="store_true", help="smaller grids, fewer steps")
    pf.set_defaults(func=_cmd_figures)
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
