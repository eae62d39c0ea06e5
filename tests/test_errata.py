"""Errata of the source texts: every registered row of claims.tsv decided again."""

from __future__ import annotations

from pathlib import Path

import pytest

import optdyn as od
from optdyn.proofs import errata

SOURCE_CLAIMS = {k: c for k, c in od.proofs.claims().items() if c.source != "optdyn"}
SHARED_TSV = Path(__file__).resolve().parents[1].parent / "shared" / "claims" / "claims.tsv"


#: SHA-256 of the project's ../shared/claims/claims.tsv that the package ships
PROJECT_TSV_SHA256 = "567bba897fbda925304612f0f01fb75dccc871cab6d319815f5b303c77a11df8"


def test_the_packaged_list_is_the_projects_list():
    import hashlib

    assert hashlib.sha256(errata.TSV.read_bytes()).hexdigest() == PROJECT_TSV_SHA256
    if SHARED_TSV.exists():  # beside the project's tree: the list has not changed since
        assert hashlib.sha256(SHARED_TSV.read_bytes()).hexdigest() == PROJECT_TSV_SHA256


def test_rows_parse():
    rows = errata.rows()
    assert len(rows) == len(errata.TSV.read_text(encoding="utf-8").splitlines()) - 1
    assert all(r.id.split(":")[0] == r.source[:3] for r in rows.values())


def test_registered_source_claims_are_rows():
    rows = errata.rows()
    for cid, c in SOURCE_CLAIMS.items():
        assert cid in rows and c.source == rows[cid].source and c.statement == rows[cid].claim


@pytest.mark.parametrize("cid", list(SOURCE_CLAIMS))
def test_verdict_matches_the_record(cid):
    claim = SOURCE_CLAIMS[cid]
    v = od.proofs.check(cid)
    assert v.status == claim.expected, str(v)
    # what each status owes the reader
    if v.status == "fails":
        assert v.counterexample and v.correct_statement, str(v)
    elif v.status == "imprecise":
        assert v.missing_condition and v.correct_statement, str(v)
    elif v.status == "out-of-scope":
        assert any("why out of scope" in ev for ev in v.evidence.values()), str(v)
    assert claim.topic, "each row names its section of the source"


def test_every_row_has_a_registry_entry():
    missing = [cid for cid in errata.rows() if cid not in SOURCE_CLAIMS]
    assert not missing, f"{len(missing)} rows of claims.tsv are not decided: {missing[:10]}"


def test_out_of_scope_is_the_exception():
    # out-of-scope is for what no quadratic model can decide; each one states why (see above)
    n = sum(c.expected == "out-of-scope" for c in SOURCE_CLAIMS.values())
    assert n < len(SOURCE_CLAIMS) / 4


def test_the_errata_page_is_current():
    # docs/errata.md is generated (optdyn claims --format md --out docs/errata.md); the
    # verdicts are cached from the tests above
    from optdyn.proofs.report import errata_markdown, source_claims

    page = Path(__file__).resolve().parents[1] / "docs" / "errata.md"
    verdicts = {cid: od.proofs.check(cid) for cid in source_claims()}
    assert page.read_text() == errata_markdown(verdicts), "regenerate docs/errata.md"
