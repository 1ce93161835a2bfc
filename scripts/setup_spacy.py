"""Make a Dutch spaCy pipeline available, and say loudly which one it is.

1. `nl_core_news_sm` already installed: use it.
2. Otherwise try spaCy's own download (it picks the version matching spaCy 3.4).
3. When that fails (no internet), build the offline pipeline
   (blank `nl` + lookup lemmatizer) under var/spacy/.

spaCy's import pulls in TensorFlow when it is installed (thinc probes for it), which
costs 7-20 s and is not needed to download a model or build a blank pipeline: both
here and in the download's own process, `tensorflow` is marked as absent. Measured:
building the offline pipeline 9.6 s -> 2.5 s, the same files.
"""
import subprocess
import sys

sys.modules.setdefault("tensorflow", None)  # see the docstring

from components import spacy_pipeline  # noqa: E402

# `python -m spacy download MODEL`, in a process where TensorFlow is marked absent.
_SPACY_DOWNLOAD = ("import runpy, sys; sys.modules['tensorflow'] = None; "
                   "sys.argv = ['spacy', 'download', sys.argv[1]]; "
                   "runpy.run_module('spacy', run_name='__main__')")

BANNER = "=" * 78


def try_download(model: str) -> bool:
    print(f"[spaCy] Trying spaCy's own download of '{model}' ...", flush=True)
    try:
        result = subprocess.run(
            [sys.executable, "-c", _SPACY_DOWNLOAD, model],
            capture_output=True, text=True, timeout=300,
        )
    except subprocess.TimeoutExpired:
        print("[spaCy] Download timed out.")
        return False
    if result.returncode != 0 or "Download and installation successful" not in result.stdout:
        last = (result.stderr.strip() or result.stdout.strip()).splitlines()[-1:] or ["?"]
        print(f"[spaCy] Download failed: {last[0][:200]}")
        return False
    return True


def main() -> int:
    force = "--retry-download" in sys.argv
    try:
        current = spacy_pipeline.resolve()
    except spacy_pipeline.PipelineMissing:
        current = None
    if current is None or (force and current.is_fallback):
        if not try_download(spacy_pipeline.INTENDED_MODEL):
            path = spacy_pipeline.build_offline()
            print(f"[spaCy] Built the offline Dutch pipeline at {path}")
        current = spacy_pipeline.resolve()
    if current.is_fallback:
        print(BANNER)
        print("[spaCy] WARNING: using the OFFLINE FALLBACK pipeline, not nl_core_news_sm.")
        print(f"[spaCy] {current.describe()}")
        print("[spaCy] With internet, run `make spacy-model` to install nl_core_news_sm.")
        print(BANNER)
    else:
        print(f"[spaCy] Active: {current.describe()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
