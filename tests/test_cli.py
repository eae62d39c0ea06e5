"""The ``optdyn`` command line, end to end."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import optdyn as od
from optdyn.cli import main


def test_methods_lists_every_registered_method(capsys):
    assert main(["methods", "-v"]) == 0
    out = capsys.readouterr().out
    for name in od.methods.names():
        assert f"{name}:" in out
    assert "momentum in [0, 1)" in out  # ema_momentum's domain, printed from the definition


def test_reproduce_writes_figures_and_a_report(tmp_path, capsys):
    out = tmp_path / "rep"
    assert main(["reproduce", "--quick", "--only", "rate_vs_lr", "--out", str(out)]) == 0
    report = (out / "report.md").read_text()
    assert (out / "figures" / "rate_vs_lr.png").stat().st_size > 1000
    assert (out / "figures" / "rate_vs_lr.pdf").stat().st_size > 1000
    assert "![rate_vs_lr](figures/rate_vs_lr.png)" in report
    # each claim the figure shows: decided, with its statement, evidence and figure link
    for cid in od.figures.get("rate_vs_lr").claims:
        claim = od.proofs.get(cid)
        assert f"### `{cid}`: holds" in report and claim.statement in report
    assert "Evidence (empirical):" in report and "Shown in [`rate_vs_lr`]" in report
    assert "claims (3 holds), 1 figures" in capsys.readouterr().out


def test_reproduce_exits_1_when_a_theorem_fails(tmp_path, monkeypatch, capsys):
    import dataclasses

    real = od.proofs.check

    def broken(cid, **kw):
        v = real(cid, **kw)
        return dataclasses.replace(v, status="fails") if cid == "gd.threshold" else v

    monkeypatch.setattr(od.proofs, "check", broken)
    argv = ["reproduce", "--only", "gd.threshold", "gd.exit", "-j", "1", "--out", str(tmp_path)]
    assert main(argv) == 1
    assert "FAILED: gd.threshold: fails" in capsys.readouterr().err
    report = (tmp_path / "report.md").read_text()
    assert "**Theorems that do not hold:** `gd.threshold`" in report
    assert "### `gd.exit`: holds" in report


def test_reproduce_unknown_name_is_one_line(capsys):
    assert main(["reproduce", "--only", "gd.treshold"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "did you mean gd.threshold" in err


def test_user_errors_are_one_line_and_nonzero(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    proc = subprocess.run(
        [sys.executable, "-m", "optdyn.cli", "reproduce", "--quick", "--out", str(blocker)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "error" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_check_prints_verdicts(capsys):
    import json

    assert main(["check", "gd.threshold", "heavy_ball.threshold"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split() for line in out] == [
        ["holds", "gd.threshold"],
        ["holds", "heavy_ball.threshold"],
    ]
    assert main(["check", "gd.threshold", "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["id"] == "gd.threshold" and record["status"] == "holds"
    assert record["evidence"]["symbolic"]["stated threshold"] == "2/lr"


def test_check_unknown_id_is_one_line(capsys):
    assert main(["check", "gd.treshold"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "did you mean gd.threshold" in err


def test_theorems_writes_the_page(tmp_path, capsys, monkeypatch):
    from optdyn.proofs import report

    # only the stability theorems of gd, to keep this end-to-end test short
    full = report.theorems_markdown

    def few(ids, progress=None):
        return full([i for i in ids if i == "gd.threshold"], progress)

    monkeypatch.setattr(report, "theorems_markdown", few)
    out = tmp_path / "docs" / "theorems.md"
    assert main(["theorems", "--out", str(out)]) == 0
    text = out.read_text()
    assert text.startswith("# Theorems") and "### `gd.threshold`: holds" in text


def test_figures_quick(tmp_path, capsys):
    assert main(["figures", "--quick", "--only", "rate_vs_lr", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "rate_vs_lr.png").exists() and (tmp_path / "rate_vs_lr.pdf").exists()
    assert main(["figures", "--only", "nope"]) == 2
    assert "no figure 'nope'" in capsys.readouterr().err


# --------------------------------------------------------------------------- analyze
def test_analyze_json_is_consistent_with_numeric_eigenvalues(capsys):
    # the printed matrix, threshold and optimal rate are checked against numpy: the spectral
    # radius of the printed matrix crosses 1 at the printed threshold, and its maximum over
    # [mu, L] at the printed optimum is the printed rate
    import json

    import sympy as sp

    assert main(["analyze", "heavy_ball", "--mu", "1", "--L", "10", "--numeric",
                 "--format", "json"]) == 0  # fmt: skip
    d = json.loads(capsys.readouterr().out)
    assert d["method"] == "heavy_ball" and d["states"] == ["x", "x_prev"]
    syms = {n: sp.Symbol(n) for n in ("lam", "lr", "momentum")}
    M = sp.Matrix([[sp.sympify(e, locals=syms) for e in row] for row in d["matrix"]])
    f = sp.lambdify([syms["lam"], syms["lr"], syms["momentum"]], M, "numpy")

    def radius(lam, lr, mom):
        return max(abs(np.linalg.eigvals(np.array(f(lam, lr, mom), dtype=float))))

    thr = float(sp.sympify(d["threshold"], locals=syms).subs({"lr": 0.3, "momentum": 0.4}))
    assert radius(thr * 0.999, 0.3, 0.4) < 1 < radius(thr * 1.001, 0.3, 0.4)
    opt = d["optimal"]
    rate = max(radius(lam, opt["hyper"]["lr"], opt["hyper"]["momentum"])
               for lam in np.linspace(1, 10, 901))  # fmt: skip
    assert rate == pytest.approx(opt["rate"], rel=1e-3)


def test_analyze_text_and_latex(capsys):
    assert main(["analyze", "gd"]) == 0
    out = capsys.readouterr().out
    assert "gd: exact" in out and "stable iff" in out and "optimal" not in out
    argv = ["analyze", "adam", "--mu", "1", "--L", "10", "--fix", "v=4", "--numeric"]
    assert main([*argv, "--format", "latex"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\\begin{align*}") and "\\rho^\\star" in out
    assert main(["analyze", "adam", "--mu", "1", "--L", "10"]) == 0
    assert "needs its frozen statistics: give v" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["analyze", "nope"], "no method 'nope'"),
        (["analyze", "lion"], "lion cannot be linearized"),
        (["analyze", "gd", "--mu", "1"], "give both mu and L"),
        (["analyze", "gd", "--mu", "2", "--L", "1"], "mu must be < L"),
        (["analyze", "gd", "--fix", "lr"], "--fix expects NAME=NUMBER"),
        (["analyze", "gd", "--fix", "momentum=0.5"], "gd has no hyperparameter 'momentum'"),
        (["analyze", "heavy_ball", "--fix", "lr=-1"], "lr must be in [0, inf)"),
    ],
)
def test_analyze_user_errors(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_reproduce_quick_end_to_end(tmp_path, capsys):
    # the whole --quick run: every figure, and every claim the figures show except slow ones
    assert main(["reproduce", "--quick", "--out", str(tmp_path)]) == 0
    report = (tmp_path / "report.md").read_text()
    for name in od.figures.names():
        assert (tmp_path / "figures" / f"{name}.png").exists(), name
        assert (tmp_path / "figures" / f"{name}.pdf").exists(), name
        assert f"![{name}](figures/{name}.png)" in report, name
    shown = {c for n in od.figures.names() for c in od.figures.get(n).claims}
    for cid in shown:
        assert (f"### `{cid}`: holds" in report) != od.proofs.get(cid).slow, cid


def test_figure_gallery_lists_every_figure():
    page = od.figures.gallery()
    for name in od.figures.names():
        assert f"![{name}]({name}.png)" in page and f"[PDF]({name}.pdf)" in page


# --------------------------------------------------------------------------- claims
def test_claims_json_has_every_field(capsys):
    import json

    from optdyn.cli import STATUSES

    assert STATUSES == od.proofs.STATUSES
    assert main(["claims", "--source", "003", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    rows = [r for r in od.proofs.errata.rows().values() if r.id.startswith("003:")]
    assert [r["id"] for r in records] == [r.id for r in rows]
    for r in records:
        assert {"id", "status", "evidence", "correct_statement"} <= r.keys()
        assert r["status"] == od.proofs.get(r["id"]).expected
        assert r["source"].startswith("003") and r["line"] > 0 and r["section"]


def test_claims_markdown_groups_by_source_and_section(tmp_path, capsys):
    out = tmp_path / "errata.md"
    assert main(["claims", "--source", "003", "--status", "imprecise", "--out", str(out)]) == 0
    text = out.read_text()
    assert text.startswith("# Errata of the source texts") and "## 003_" in text
    chosen = [c for c in od.proofs.claims() if c.startswith("003:")
              and od.proofs.check(c).status == "imprecise"]  # fmt: skip
    assert chosen
    for cid in chosen:
        assert f"#### `{cid}`" in text
    assert text.count("#### `") == len(chosen)


def test_claims_unknown_source_is_one_line(capsys):
    assert main(["claims", "--source", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no claims from source 'nope'" in err
