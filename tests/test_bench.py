"""The benchmark's own path through the bare Rasa baseline: trained, started and
load-tested as `make bench` does, on a tiny scale (about a minute)."""
from bench import run
from bench.training import train


def test_the_benchmark_load_tests_the_baseline_without_an_action_server(tmp_path):
    trained = train(run.BASELINE / "config.yml", run.BASELINE / "domain.yml", run.BASELINE / "data",
                    tmp_path / "baseline", "baseline")
    args = run.parse_args(["--quick", "--levels", "1", "--duration", "2", "--saturation-parents", "2"])
    stack = run.baseline_stack(trained["model"], tmp_path / "baseline-server")
    assert stack.actions is None
    result = run.load_test("baseline", stack, args, tmp_path)
    assert [level["parents"] for level in result["levels"]] == [1]
    assert result["levels"][0]["errors"] == 0 and result["levels"][0]["messages"] > 0
    assert result["saturation"]["msg_per_s"] > 0
    assert all(proc.poll() is not None for proc in stack.procs())  # stopped afterwards
