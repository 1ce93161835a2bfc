"""Which Dutch spaCy pipeline the bot uses, and how the offline one is built.

The intended pipeline is spaCy's `nl_core_news_sm`. Where it cannot be installed
(no internet), set-up builds an explicit offline Dutch pipeline instead: a blank
`nl` pipeline with the lookup lemmatizer from `spacy-lookups-data`. It has its own
name and is never presented as `nl_core_news_sm`.
"""
import importlib.metadata
from dataclasses import dataclass
from pathlib import Path

INTENDED_MODEL = "nl_core_news_sm"
OFFLINE_NAME = "nl_ocrn_offline_lookup"
PROJECT_ROOT = Path(__file__).resolve().parents[1]
OFFLINE_PATH = PROJECT_ROOT / "var" / "spacy" / OFFLINE_NAME


class PipelineMissing(RuntimeError):
    """Neither the intended model nor the offline pipeline is installed."""


@dataclass(frozen=True)
class ResolvedPipeline:
    name: str
    location: str
    is_fallback: bool

    def describe(self) -> str:
        if self.is_fallback:
            return (
                f"OFFLINE FALLBACK spaCy pipeline '{self.name}' "
                f"(blank 'nl' + lookup lemmatizer, no tagger/parser/vectors) "
                f"from {self.location}; '{INTENDED_MODEL}' is NOT installed"
            )
        return f"spaCy model '{self.name}' (the intended pipeline)"


def resolve(
    intended: str = INTENDED_MODEL, offline_path: Path = OFFLINE_PATH
) -> ResolvedPipeline:
    """Return the intended model when installed, else the offline pipeline.

    Reads package metadata only (as `spacy.util.is_package` does): importing spaCy
    takes 10-20 s here, because it imports TensorFlow, and every `make run` asks.
    """
    if _is_installed(intended):
        return ResolvedPipeline(intended, intended, is_fallback=False)
    if (offline_path / "meta.json").is_file():
        return ResolvedPipeline(OFFLINE_NAME, str(offline_path), is_fallback=True)
    raise PipelineMissing(
        f"No Dutch spaCy pipeline: '{intended}' is not installed and there is no "
        f"offline pipeline at {offline_path}. Run `make setup`."
    )


def _is_installed(package: str) -> bool:
    try:
        importlib.metadata.distribution(package)
        return True
    except importlib.metadata.PackageNotFoundError:
        return False


def build_offline(path: Path = OFFLINE_PATH) -> Path:
    """Build the offline Dutch pipeline: blank `nl` + lookup lemmatizer."""
    import spacy

    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lemma lookup table from spacy-lookups-data
    nlp.meta.update(
        {
            "name": OFFLINE_NAME.removeprefix("nl_"),
            "version": "1.0.0",
            "description": (
                "OCRN offline fallback: blank Dutch pipeline with lookup "
                f"lemmatizer. Not {INTENDED_MODEL}."
            ),
            "spacy_version": f">={spacy.about.__version__},<3.5.0",
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(path)
    return path
