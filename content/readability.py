"""Readability of a Dutch answer: words per sentence and the Flesch-Douma score.

Flesch-Douma (Douma 1960, Flesch's reading ease re-fitted for Dutch):
    206.835 - 0.93 * words/sentence - 77 * syllables/word
Higher is easier: 60-70 "normaal", 70-80 "vrij makkelijk", 80+ "makkelijk".

B1 (CEFR; the level Dutch public bodies write for, because most adults read it with
ease) has no official formula. The project's working definition, per answer text
(`meets_b1`):
  * Flesch-Douma >= 60 (at least "normaal"), and
  * on average at most 15 words per sentence (B1 writing guides: 10 to 15), and
  * no sentence over 20 words, because one long sentence hides in an average.
Word choice is the other half of B1, which no formula sees: hard words of the page
keep an explanation in plain words (docs/content.md lists every answer for a human
check). A list item and a line ending in ':' count as a sentence, as a reader sees
them; button titles are short labels and are not measured.

Syllables are counted by vowel groups, with Dutch rules instead of a dictionary
(no extra package): "ij" is a vowel, a diaeresis (ë, ï) starts a new syllable, the
pairs ia, io, iu, ua, eo and ea (not "eau") are two syllables, as is a glide i/ij before
e (bui-en, vrij-en), and an acronym in capitals is read letter by letter (OCRN = 4).
Measured on 125 words counted by hand (tests/data/syllables_nl.yml: the answers' long
words, diaereses, vowel pairs, loanwords): 122 right (97.6 %); the misses are English
loanwords (website, online, team), which the answers hardly use. Numbers (112,
0800-2000) and {placeholders} are not counted as words.
"""
import re
from dataclasses import dataclass
from typing import List

B1_MIN_FLESCH_DOUMA = 60.0
B1_MAX_AVERAGE_SENTENCE = 15.0
B1_MAX_SENTENCE = 20

_VOWELS = "aeiouyÿàáâäèéêëìíîïòóôöùúûü"  # ÿ stands for "ij"
_DIAERESIS = "äëïöü"
_VOWEL_GROUP = re.compile(f"[{_VOWELS}]+")
# Vowel pairs that are two syllables in Dutch: materiaal, radio, situatie, video,
# re-ageren (not cadeau), and a glide before e: bui-en, koei-en, mooi-e, vrij-en.
_HIATUS = re.compile(r"i(?=[aou])|u(?=a)|e(?=o)|e(?=a(?!u))|(?<=[aeouy])i(?=e)|ÿ(?=[aeiou])")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def syllables(word: str) -> int:
    """Syllables of one Dutch word (at least 1)."""
    if len(word) > 1 and word.isupper():
        return len(re.sub(r"[^A-Z]", "", word))
    count = 0
    for group in _VOWEL_GROUP.findall(word.lower().replace("ij", "ÿ")):
        count += 1 + sum(1 for ch in group[1:] if ch in _DIAERESIS)
        count += len(_HIATUS.findall(group))
    return max(count, 1)


def sentences(text: str) -> List[List[str]]:
    """The words of each sentence; every line (a list item, a line ending in ':') ends one."""
    result = []
    for line in _PLACEHOLDER.sub(" ", text).splitlines():
        for sentence in _SENTENCE_END.split(line.strip().lstrip("•").strip()):
            words = _WORD.findall(sentence)
            if words:
                result.append(words)
    return result


@dataclass(frozen=True)
class Readability:
    sentences: int
    words: int
    syllables: int
    longest_sentence: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences

    @property
    def flesch_douma(self) -> float:
        return 206.835 - 0.93 * self.words_per_sentence - 77 * self.syllables / self.words

    @property
    def meets_b1(self) -> bool:
        return (self.flesch_douma >= B1_MIN_FLESCH_DOUMA
                and self.words_per_sentence <= B1_MAX_AVERAGE_SENTENCE
                and self.longest_sentence <= B1_MAX_SENTENCE)


def measure(text: str) -> Readability:
    """Readability of one answer text (must contain at least one word)."""
    parts = sentences(text)
    words = [word for sentence in parts for word in sentence]
    return Readability(sentences=len(parts), words=len(words),
                       syllables=sum(syllables(word) for word in words),
                       longest_sentence=max(len(sentence) for sentence in parts))
