"""The shared builders of the errata modules: :func:`verdict` and :func:`stated_number`."""

from __future__ import annotations

import math

import numpy as np
import pytest

from optdyn.proofs import Claim
from optdyn.proofs.errata import half_unit, stated_number, verdict


def _status(check) -> str:
    claim = Claim(id="t", statement="", latex="", relation="qualitative", methods=(),
                  symbolic=lambda _c: check)  # fmt: skip
    return claim.check().status


# -- verdict -------------------------------------------------------------------------------------
def test_holds_drops_what_only_a_wrong_statement_needs():
    ev = {"rate": 0.5}
    c = verdict(ev, holds=True, missing="m", correct="c", counterexample={"x": 1},
                derivation=["a = b"], seeds=[3, 4], tolerances={"rate": "1e-9"})  # fmt: skip
    assert c.ok and c.status is None and _status(c) == "holds"
    assert c.counterexample is None and c.missing_condition is None
    assert c.correct_statement is None
    assert c.evidence is ev  # used as given
    assert c.derivation == ["a = b"] and c.seeds == (3, 4) and c.tolerances == {"rate": "1e-9"}


def test_fails_carries_counterexample_and_correct_statement():
    c = verdict({"rate": 1.2}, holds=False, counterexample={"lr": 2.5}, correct="rate 1.2")
    assert not c.ok and c.status is None and _status(c) == "fails"
    assert c.counterexample == {"lr": 2.5} and c.correct_statement == "rate 1.2"
    assert c.missing_condition is None


def test_a_failing_statement_ignores_condition_needed():
    c = verdict({}, holds=False, condition_needed=True, missing="m", counterexample={"x": 0},
                correct="c")  # fmt: skip
    assert _status(c) == "fails"


def test_imprecise_carries_missing_condition_and_correct_statement():
    c = verdict({"rate": 0.9}, holds=True, condition_needed=True, missing="lr < 2/L",
                correct="converges iff lr < 2/L")  # fmt: skip
    assert c.status == "imprecise" and _status(c) == "imprecise"
    assert c.missing_condition == "lr < 2/L" and c.correct_statement == "converges iff lr < 2/L"
    assert c.counterexample is None
    kept = verdict({}, holds=True, condition_needed=True, missing="m", correct="c",
                   counterexample={"without m": 3})  # fmt: skip
    assert kept.counterexample == {"without m": 3}


def test_parts_are_confirmed_in_the_evidence_and_refuted_ones_are_the_counterexample():
    ev = {"rate": 0.5}
    c = verdict(ev, holds={"stable": True, "monotone": np.bool_(False)}, correct="oscillates")
    assert _status(c) == "fails"
    assert c.evidence == {"rate": 0.5, "confirmed: stable": True, "confirmed: monotone": False}
    assert ev == {"rate": 0.5}  # not modified
    assert c.counterexample == {"refuted": ["monotone"]}
    ok = verdict({}, holds={"stable": True})
    assert _status(ok) == "holds" and ok.evidence == {"confirmed: stable": True}
    given = verdict({}, holds={"a": False}, counterexample={"a": -1}, correct="c")
    assert given.counterexample == {"a": -1}


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"holds": False, "correct": "c"}, "counterexample"),
        ({"holds": False, "counterexample": {"x": 1}}, "correct"),
        ({"holds": {"a": False}}, "correct"),
        ({"holds": True, "condition_needed": True, "correct": "c"}, "missing"),
        ({"holds": True, "condition_needed": True, "missing": "m"}, "correct"),
    ],
)
def test_forgotten_fields_raise(kw, match):
    with pytest.raises(ValueError, match=match):
        verdict({}, **kw)


# -- stated_number -------------------------------------------------------------------------------
def test_half_unit_of_the_last_printed_digit():
    assert half_unit("0.818") == pytest.approx(5e-4)
    assert half_unit("3") == 0.5
    assert half_unit("100.0") == pytest.approx(0.05)
    assert half_unit("1e-3") == pytest.approx(5e-4)
    assert half_unit("1.5e-3") == pytest.approx(5e-5)
    assert half_unit("2.0E+2") == pytest.approx(5.0)
    assert half_unit("≈3") == 0.5
    assert half_unit("−0.25") == pytest.approx(5e-3)  # unicode minus
    # a number: its shortest repr
    assert half_unit(0.818) == pytest.approx(5e-4)
    assert half_unit(1e-05) == pytest.approx(5e-6)
    assert half_unit(665) == 0.5
    assert half_unit(np.float64(0.25)) == pytest.approx(5e-3)
    with pytest.raises(ValueError):
        half_unit("three")
    with pytest.raises(ValueError):
        half_unit(float("inf"))


def test_stated_number_at_the_printed_precision():
    ok, rec = stated_number("0.818", 9 / 11)
    assert ok and rec == {"stated": "0.818", "computed": 0.818182, "tolerance": 0.0005,
                          "agree": True}  # fmt: skip
    ok, rec = stated_number("0.818", 0.8195)
    assert not ok and rec["agree"] is False
    assert stated_number("0.82", 0.8195)[0]  # fewer digits, wider tolerance
    # exactly half a unit away still rounds to the stated value
    assert stated_number("0.5", 0.55)[0]
    assert not stated_number("0.5", 0.5501)[0]


def test_stated_number_with_slack_and_relative_allowance():
    assert not stated_number("≈3", 3.8)[0]
    assert stated_number("≈3", 3.8, slack=2)[0]
    assert stated_number("3", 3.8, rel=0.1)[0]  # 0.5 + 0.3
    assert not stated_number("3", 3.9, rel=0.1)[0]
    ok, rec = stated_number(3.0, 3.2, tol=0.25)
    assert ok and rec["tolerance"] == 0.25


def test_stated_number_in_scientific_notation():
    assert stated_number("1e-3", 1.4e-3)[0]
    assert not stated_number("1e-3", 1.6e-3)[0]
    assert stated_number("2.5e-4", 2.54e-4)[0]
    assert not stated_number("2.5e-4", 2.56e-4)[0]
    assert stated_number(1e-05, 1.2e-05)[0]


def test_a_value_never_reached_never_agrees():
    ok, rec = stated_number("7", None)
    assert not ok and math.isnan(rec["computed"])
