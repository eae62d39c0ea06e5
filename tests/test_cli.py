"""The ``optdyn`` command line, end to end."""

from __future__ import annotations

import subprocess
import sys

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
