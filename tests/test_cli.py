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
