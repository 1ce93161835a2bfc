"""Stamps on the generated sections of docs/benchmarks.md and the check that finds stale
ones (bench/sections.py), on a throwaway git repository with real commits."""
import subprocess

import pytest

from bench import sections

QUALITY_START, QUALITY_END = sections.QUALITY
SECTION = f"{QUALITY_START}\n## Quality\n\nfigures\n{QUALITY_END}"


def git(repo, *args):
    return subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org",
                           "-c", "commit.gpgsign=false", *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout.strip()


def commit(repo, files: dict, message: str) -> str:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    git(repo, "add", *files)
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "--short", "HEAD")


@pytest.fixture
def repo(tmp_path):
    git(tmp_path, "init", "-q")
    commit(tmp_path, {"config.yml": "pipeline: []\n", "data/nlu.yml": "nlu: []\n", "README.md": "hello\n",
                      "docs/benchmarks.md": "# Benchmarks\n"}, "start")
    return tmp_path


def stamp_lines(text: str) -> list:
    return [line for line in text.splitlines() if line.startswith("_Measured at commit")]


def test_replace_stamps_the_section_under_its_heading_with_the_measured_commit(repo):
    page = repo / "docs" / "benchmarks.md"
    head = git(repo, "rev-parse", "--short", "HEAD")
    sections.replace(page, sections.QUALITY, SECTION, root=repo)
    lines = page.read_text().splitlines()
    at = lines.index("## Quality")
    assert lines[at + 1] == "" and lines[at + 2].startswith(f"_Measured at commit `{head}` on ")
    assert "uncommitted" not in lines[at + 2] and "data/" in lines[at + 2]
    assert lines[at + 3] == "" and lines[at + 4] == "figures"
    assert sections.check(page, ["quality"], root=repo) == []


def test_a_second_write_keeps_one_stamp_and_the_carried_section_keeps_it(repo):
    page = repo / "docs" / "benchmarks.md"
    sections.replace(page, sections.QUALITY, SECTION, root=repo)
    again = sections.kept(page).replace("figures", "new figures")  # a writer that reuses its old section
    sections.replace(page, sections.QUALITY, again, root=repo)
    text = page.read_text()
    assert len(stamp_lines(text)) == 1 and "new figures" in text
    assert len(stamp_lines(sections.kept(page))) == 1


def test_the_stamp_says_uncommitted_only_when_the_measured_inputs_are_dirty(repo):
    page = repo / "docs" / "benchmarks.md"
    (repo / "README.md").write_text("changed, not measured\n")
    sections.replace(page, sections.QUALITY, SECTION, root=repo)
    assert "+ uncommitted changes" not in stamp_lines(page.read_text())[0]
    (repo / "data" / "nlu.yml").write_text("nlu: [changed]\n")
    sections.replace(page, sections.QUALITY, SECTION, root=repo)
    assert "+ uncommitted changes" in stamp_lines(page.read_text())[0]
    (repo / "data" / "nlu.yml").write_text("nlu: []\n")
    (repo / "data" / "new.yml").write_text("nlu: []\n")  # untracked: Rasa trains on it too
    sections.replace(page, sections.QUALITY, SECTION, root=repo)
    assert "+ uncommitted changes" in stamp_lines(page.read_text())[0]


def test_a_later_commit_to_a_measured_input_makes_the_section_stale(repo):
    page = repo / "docs" / "benchmarks.md"
    measured = git(repo, "rev-parse", "--short", "HEAD")
    sections.replace(page, sections.QUALITY, SECTION, root=repo)
    later = commit(repo, {"data/nlu.yml": "nlu: [more]\n"}, "more data")
    problems = sections.check(page, ["quality"], root=repo)
    assert len(problems) == 1
    assert problems[0].startswith("quality: ") and f"`{measured}`" in problems[0] and f"`{later}`" in problems[0]
    assert "data/nlu.yml" in problems[0] and "make quality" in problems[0]


def test_an_unrelated_commit_leaves_the_section_current(repo):
    page = repo / "docs" / "benchmarks.md"
    sections.replace(page, sections.QUALITY, SECTION, root=repo)
    commit(repo, {"README.md": "more words\n", "docs/benchmarks.md": page.read_text()}, "docs only")
    assert sections.check(page, ["quality"], root=repo) == []
    sections.replace(page, sections.QUALITY, SECTION, root=repo)  # written again on the newer commit
    assert sections.check(page, ["quality"], root=repo) == []


def test_figures_of_a_dirty_tree_are_stale_once_their_changes_are_committed(repo):
    page = repo / "docs" / "benchmarks.md"
    (repo / "config.yml").write_text("pipeline: [changed]\n")
    sections.replace(page, sections.QUALITY, SECTION, root=repo)
    assert sections.check(page, ["quality"], root=repo) == []  # at the end of its own run
    commit(repo, {"config.yml": "pipeline: [changed]\n"}, "the change that was measured")
    assert sections.check(page, ["quality"], root=repo)  # which commit it measured is unknowable


def test_unstamped_and_missing_sections_are_reported_and_records_are_not(repo):
    page = repo / "docs" / "benchmarks.md"
    sealed_start, sealed_end = sections.SEALED
    page.write_text(f"# Benchmarks\n\n{SECTION}\n\n{sealed_start}\n## Sealed\n\nonce\n{sealed_end}\n")
    problems = sections.check(page, root=repo)
    assert [p.split(":")[0] for p in problems] == ["load", "quality", "review-scale"]
    assert "unstamped (written before stamps)" in problems[1]
    assert "written before stamps, or absent" in problems[0]


def test_a_stamp_with_a_commit_git_does_not_know_is_stale(repo):
    page = repo / "docs" / "benchmarks.md"
    sections.replace(page, sections.QUALITY, SECTION, root=repo,
                     measured=sections.Stamp("0123abc", False, "2026-01-01 10:00"))
    assert "unknown to git" in sections.check(page, ["quality"], root=repo)[0]


def test_the_load_section_goes_first_and_the_marked_ones_stay(repo):
    page = repo / "docs" / "benchmarks.md"
    sections.replace(page, sections.QUALITY, SECTION, root=repo)
    start, end = sections.LOAD
    page.write_text(sections.kept(page) + "\n")  # as bench/report.py rewrites the page
    sections.replace(page, sections.LOAD, f"{start}\n# Benchmarks\n\nload figures\n{end}", root=repo, top=True)
    text = page.read_text()
    assert text.startswith(start) and text.index(end) < text.index(QUALITY_START)
    assert len(stamp_lines(text)) == 2 and sections.check(page, ["load", "quality"], root=repo) == []


def test_the_benchmark_run_fails_loudly_on_its_own_stale_section(repo, capsys):
    run = pytest.importorskip("bench.run")
    page = repo / "docs" / "benchmarks.md"
    start, end = sections.LOAD
    page.write_text(f"{start}\n# Benchmarks\n\nold load figures\n{end}\n")
    assert run.stale_check(page, root=repo) == 1
    err = capsys.readouterr().err
    assert "STALE load: " in err and "make bench FAILED" in err
    sections.replace(page, sections.LOAD, f"{start}\n# Benchmarks\n\nload figures\n{end}", root=repo)
    assert run.stale_check(page, root=repo) == 0


def test_the_command_line_check_exits_non_zero_with_one_line_per_stale_section(repo, capsys):
    page = repo / "docs" / "benchmarks.md"
    page.write_text(f"# Benchmarks\n\n{SECTION}\n")
    assert sections.main(["--check", "--page", str(page), "--section", "quality"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("STALE quality: unstamped")
