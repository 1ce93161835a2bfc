"""The danger model: how likely a message tells of an emergency now, and of which kind.

Pure scikit-learn, no Rasa imports; the Rasa component is `components.danger`. Two
linear models on the same features (word 1-2-grams and character 2-5-grams within
words, TF-IDF, of the normalised text): a logistic regression for danger against
harmless, and a multinomial one for the kind of danger, trained on the emergencies.
A long story is scored as a whole and by its closing sentences, and the highest
score counts, because parents often tell the danger only at the end.

The corpus, its writers and the leave-one-writer-out figures are described in
docs/decisions.md ("The danger model") and bench/danger_eval.py.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Text

import yaml

KINDS = (
    "self_harm_suicide", "domestic_violence", "child_physical_abuse", "sexual_abuse_grooming",
    "neglect", "medical_emergency", "missing_child", "threat_weapon", "overdose_collapse",
    "honour_violence_forced_marriage", "parent_fear_of_harming",
)
# Which emergency answer a kind gets (a condition on the slot `danger_answer` in domain.yml):
# 112 and the huisartsenpost first, 113 first, 112 for a missing child, 112 and Veilig
# Thuis for violence, Veilig Thuis for a parent afraid to lose control.
ANSWER_FOR_KIND = {
    "medical_emergency": "medical", "overdose_collapse": "medical",
    "self_harm_suicide": "suicide", "missing_child": "missing",
    "domestic_violence": "violence", "child_physical_abuse": "violence",
    "sexual_abuse_grooming": "violence", "neglect": "violence", "threat_weapon": "violence",
    "honour_violence_forced_marriage": "violence", "parent_fear_of_harming": "parent_fear",
}
# Sentences of a story scored on their own (the last ones), besides the whole text.
TAIL_SENTENCES = 2
MIN_SENTENCES_FOR_TAIL = 3

_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")


def normalise(text: Optional[Text]) -> Text:
    """Lower-case, strip accents and fold white space, so `suïcide` is `suicide`."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.lower()).strip()


def tail(text: Text) -> Optional[Text]:
    """The closing sentences of a story of several sentences, else None."""
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s.strip()]
    if len(sentences) < MIN_SENTENCES_FOR_TAIL:
        return None
    return " ".join(sentences[-TAIL_SENTENCES:])


def level(probability: float, rule: Optional[Text], lower: float, upper: float) -> Optional[Text]:
    """"emergency" for a rule or P >= upper, "question" for lower <= P < upper, else None."""
    if rule or probability >= upper:
        return "emergency"
    return "question" if probability >= lower else None


@dataclass(frozen=True)
class Example:
    text: Text
    danger: bool
    kind: Optional[Text]  # the kind of danger (or the kind a look-alike resembles)
    writer: Text
    form: Text = ""


def load_corpus_file(path: Path) -> List[Example]:
    """The messages of one writer's corpus file."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [Example(item["text"], item["label"] == "danger",
                    item.get("kind") if item.get("kind") in KINDS else None, data["writer"], item.get("form", ""))
            for item in data["messages"]]


def load_corpus(folder: Path) -> List[Example]:
    """Every message of the corpus files in `folder` (one file per writer)."""
    return [example for path in sorted(Path(folder).glob("*.yml")) for example in load_corpus_file(path)]


class DangerModel:
    """Danger probability and kind of a message; `fit` then `score`."""

    def __init__(self, c: float = 4.0, char_ngrams: Sequence[int] = (2, 5), min_df: int = 2):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion

        self.features = FeatureUnion([
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                      token_pattern=r"(?u)\b\w+\b", min_df=1)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(char_ngrams),
                                      sublinear_tf=True, min_df=min_df)),
        ])
        self.c = c
        self.danger = None
        self.kind = None

    def fit(self, texts: Sequence[Text], danger: Sequence[bool],
            kinds: Sequence[Optional[Text]]) -> "DangerModel":
        from sklearn.linear_model import LogisticRegression

        x = self.features.fit_transform([normalise(t) for t in texts])
        self.danger = LogisticRegression(C=self.c, class_weight="balanced", max_iter=3000)
        self.danger.fit(x, list(danger))
        rows = [i for i, (d, k) in enumerate(zip(danger, kinds)) if d and k]
        self.kind = LogisticRegression(C=self.c, max_iter=3000)
        self.kind.fit(x[rows], [kinds[i] for i in rows])
        return self

    def probabilities(self, texts: Iterable[Text]) -> List[float]:
        """P(danger) of each text: the highest of the whole text and its closing sentences."""
        texts = list(texts)
        parts, owner = [], []
        for i, text in enumerate(texts):
            for part in (text, tail(text)):
                if part:
                    parts.append(normalise(part))
                    owner.append(i)
        scores = self.danger.predict_proba(self.features.transform(parts))[:, 1]
        best = [0.0] * len(texts)
        for i, score in zip(owner, scores):
            best[i] = max(best[i], float(score))
        return best

    def kinds(self, texts: Iterable[Text]) -> List[Dict[Text, float]]:
        """The kind of danger each text speaks of, as {kind: probability}."""
        rows = self.kind.predict_proba(self.features.transform([normalise(t) for t in texts]))
        return [dict(zip(self.kind.classes_, map(float, row))) for row in rows]

    def score(self, text: Text) -> Dict[Text, object]:
        """{"probability": P(danger), "kind": most likely kind, "kind_probability": its share}.

        One feature transform for the text and its closing sentences (the cost per
        message is mostly sklearn's per-call overhead, not the arithmetic).
        """
        closing = tail(text)
        x = self.features.transform([normalise(text)] + ([normalise(closing)] if closing else []))
        probability = float(self.danger.predict_proba(x)[:, 1].max())
        kinds = self.kind.predict_proba(x[0])[0]
        best = int(kinds.argmax())
        return {"probability": probability, "kind": str(self.kind.classes_[best]),
                "kind_probability": float(kinds[best])}
