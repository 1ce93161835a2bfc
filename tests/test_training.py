"""The training stamp: one function decides when to train and when a model is too old to test."""
import shutil

import pytest

from launcher import training
from launcher.settings import ROOT


@pytest.fixture
def project(tmp_path):
    """A copy of the files the stamp reads."""
    for path in training.stamp_inputs(ROOT):
        target = tmp_path / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    return tmp_path


def test_the_stamp_changes_with_every_input(project):
    before = training.training_stamp(project, pipeline="p")
    assert training.training_stamp(project, pipeline="p") == before
    assert training.training_stamp(project, pipeline="other") != before
    for name in ("data/nlu.yml", "config.yml", "domain.yml", "components/age_extractor.py"):
        path = project / name
        original = path.read_bytes()
        path.write_bytes(original.replace(b"\n", b"\n ", 1))
        assert training.training_stamp(project, pipeline="p") != before, name
        path.write_bytes(original)


def test_the_training_environment_is_part_of_the_stamp(project, monkeypatch):
    before = training.training_stamp(project, pipeline="p")
    monkeypatch.setitem(training.DETERMINISTIC_ENV, "TF_INTRA_OP_PARALLELISM_THREADS", "4")
    assert training.training_stamp(project, pipeline="p") != before


def test_a_new_data_file_changes_the_stamp(project):
    before = training.training_stamp(project, pipeline="p")
    (project / "data" / "extra.yml").write_text("version: '3.1'\n")
    assert training.training_stamp(project, pipeline="p") != before


def test_a_model_older_than_the_data_is_refused_with_a_clear_reason(project, monkeypatch):
    monkeypatch.setattr(training, "training_stamp", lambda root: "now")
    model, stamp = project / "m.tar.gz", project / "m.stamp"
    assert "No trained model" in training.stale_model_reason(model, stamp, project)
    model.write_bytes(b"model")
    assert "no training stamp" in training.stale_model_reason(model, stamp, project)
    stamp.write_text("before\n")
    assert "older than the data" in training.stale_model_reason(model, stamp, project)
    stamp.write_text("now\n")
    assert training.stale_model_reason(model, stamp, project) is None


def test_train_sh_uses_the_one_stamp_function():
    script = (ROOT / "scripts" / "train.sh").read_text()
    assert "launcher.training" in script and "sha256sum" not in script


def test_training_is_single_threaded_and_seeded():
    env = training.training_env()
    assert env["TF_INTRA_OP_PARALLELISM_THREADS"] == env["TF_INTER_OP_PARALLELISM_THREADS"] == "1"
    assert env["PYTHONHASHSEED"] == "0" and env["TF_DETERMINISTIC_OPS"] == "1"
