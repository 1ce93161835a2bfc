"""`make bench` measures the danger model's CPU per message (bench/run.py calls
bench.danger_eval.latency); a commit once removed the function and the benchmark crashed
after both load tests."""
from bench import danger_eval


def test_the_danger_latency_step_of_the_benchmark_runs_and_measures():
    result = danger_eval.latency(messages=50)
    assert result["messages"] == 50
    assert 0 < result["cpu_ms_per_message"] < 1000
