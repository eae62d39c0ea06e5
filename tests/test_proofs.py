"""The proofs layer: every registered claim is decided and compared with its recorded status."""

import json

import numpy as np
import pytest

import optdyn as od
from optdyn.proofs import Check, Claim

CLAIMS = od.proofs.claims()
THEOREMS = od.proofs.claims(source="optdyn")


def _param(cid):
    marks = [pytest.mark.slow] if CLAIMS[cid].slow else []
    return pytest.param(cid, id=cid, marks=marks)


@pytest.mark.parametrize("cid", [_param(c) for c in THEOREMS])
def test_theorem_verdict_matches_its_record(cid):
    claim = od.proofs.get(cid)
    verdict = od.proofs.check(cid, cached=False)
    assert verdict.status == claim.expected, str(verdict)
    assert verdict.evidence, "a verdict carries the evidence it computed"
    json.dumps(verdict.to_dict())  # reports are plain data


def test_registry_is_consistent():
    names = set(od.methods.names())
    for cid, c in CLAIMS.items():
        assert c.id == cid
        assert set(c.methods) <= names, cid
        assert c.statement and c.relation in od.proofs.RELATIONS
        assert c.expected in od.proofs.STATUSES
        if c.source == "optdyn":  # the toolkit's theorems: about methods, stated in LaTeX too
            assert c.methods and c.latex, cid
        else:  # rows of the source texts: their setting, and their section of the source
            assert c.assumptions and c.topic, cid


def test_every_catalogue_method_has_the_stability_theorems():
    from optdyn.proofs.theorems._common import CATALOGUE

    for name in CATALOGUE:
        for kind in ("region", "threshold", "exit"):
            assert f"{name}.{kind}" in THEOREMS


def test_a_wrong_statement_is_caught_with_a_counterexample():
    # the checks of gd.threshold applied to a false threshold (3/lr instead of what holds)
    base = od.proofs.get("gd.threshold")
    wrong = Claim(
        id="gd.threshold-wrong", statement="wrong", latex="wrong", relation="equals",
        methods=("gd",), symbolic=base.symbolic, empirical=base.empirical,
        stated={"threshold": "3/lr"},
    )  # fmt: skip
    v = wrong.check()
    assert v.status == "fails"
    assert v.counterexample
    # ... and a false region
    base = od.proofs.get("heavy_ball.region")
    wrong = Claim(
        id="heavy_ball.region-wrong", statement="wrong", latex="wrong", relation="iff",
        methods=("heavy_ball",), symbolic=base.symbolic, empirical=base.empirical,
        stated={"region": "(momentum < 1) & (lam*lr < 2)", "threshold": "2/lr"},
    )  # fmt: skip
    v = wrong.check()
    assert v.status == "fails" and v.counterexample


def test_verdict_combines_the_least_favourable_status():
    def sym(_):
        return Check(ok=True, evidence={"a": 1})

    def emp(_, __):
        return Check(ok=True, evidence={"b": np.float64(2.0)}, status="imprecise",
                     missing_condition="x > 0")  # fmt: skip

    v = Claim(id="t", statement="s", latex="s", relation="iff", methods=("gd",),
              symbolic=sym, empirical=emp).check()  # fmt: skip
    assert v.status == "imprecise" and v.missing_condition == "x > 0"
    assert v.to_dict()["evidence"] == {"symbolic": {"a": 1}, "empirical": {"b": 2.0}}


def test_bad_input():
    with pytest.raises(KeyError, match=r"did you mean gd\.threshold"):
        od.proofs.check("gd.treshold")
    with pytest.raises(TypeError, match="claim_id must be a str"):
        od.proofs.check(3)
    with pytest.raises(ValueError, match="relation must be one of"):
        Claim(id="x", statement="s", latex="s", relation="implies", methods=("gd",),
              symbolic=lambda c: Check(ok=True))  # fmt: skip
    with pytest.raises(ValueError, match="needs a symbolic or an empirical check"):
        Claim(id="x", statement="s", latex="s", relation="iff", methods=("gd",))
    with pytest.raises(ValueError, match="status must be one of"):
        Check(ok=True, status="maybe")
    with pytest.raises(ValueError, match="already registered"):
        od.proofs.register(od.proofs.get("gd.region"))


def test_committed_theorems_page_is_reproduced():
    # docs/theorems.md is generated (optdyn theorems --out docs/theorems.md); regenerating it
    # from the registry must give the committed file
    from pathlib import Path

    from optdyn.proofs.report import theorems_markdown

    committed = Path(__file__).resolve().parents[1] / "docs" / "theorems.md"
    assert committed.exists(), "run: optdyn theorems --out docs/theorems.md"
    assert theorems_markdown() == committed.read_text()
