"""Which Dutch spaCy pipeline is active: the intended model, else the named offline one."""
import json

import pytest

from components.spacy_pipeline import OFFLINE_NAME, PipelineMissing, resolve


def test_an_installed_model_is_the_intended_pipeline(tmp_path):
    # "spacy" stands in for an installed model package: only its metadata is read.
    found = resolve(intended="spacy", offline_path=tmp_path / "none")
    assert found.name == "spacy" and not found.is_fallback
    assert "intended" in found.describe()


def test_without_the_model_the_offline_pipeline_is_used_and_says_so(tmp_path):
    (tmp_path / "meta.json").write_text(json.dumps({"name": "x"}))
    found = resolve(intended="no_such_model_xyz", offline_path=tmp_path)
    assert found.is_fallback and found.name == OFFLINE_NAME
    assert "OFFLINE FALLBACK" in found.describe() and "NOT installed" in found.describe()


def test_neither_is_a_clear_error(tmp_path):
    with pytest.raises(PipelineMissing, match="make setup"):
        resolve(intended="no_such_model_xyz", offline_path=tmp_path)
