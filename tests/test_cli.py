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


def test_reproduce_quick_writes_a_report(tmp_path, capsys):
    assert main(["reproduce", "--quick", "--out", str(tmp_path / "rep")]) == 0
    report = (tmp_path / "rep" / "report.md").read_text()
    for name in od.methods.names():
        assert f"| {name} |" in report


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
