"""User-facing text: faithful to the OCRN page, Dutch, 'je', the right help lines."""
import re
from pathlib import Path

import pytest
import yaml

from content.register import page_text

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
TEXTS = {name: [v["text"] for v in variants] for name, variants in DOMAIN["responses"].items()}


def bullets(response):
    return [line[2:].strip() for line in TEXTS[response][0].splitlines() if line.startswith("• ")]


def test_every_rule_and_story_action_has_a_response_or_action():
    known = set(TEXTS) | set(DOMAIN["actions"])
    used = set()
    for path in ("data/rules.yml", "data/stories.yml"):
        for item in yaml.safe_load((ROOT / path).read_text())[path.split("/")[1][:-4]]:
            used |= {step["action"] for step in item["steps"] if "action" in step}
    assert used - known == set()


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_addresses_the_parent_as_je_not_u(name):
    for text in TEXTS[name]:
        assert not re.search(r"\b(u|uw|U|Uw)\b", text), text


@pytest.mark.parametrize("index", range(len(TEXTS["utter_emergency"])))
def test_every_emergency_answer_has_every_help_line(index):
    text = TEXTS["utter_emergency"][index]
    for line in ("112", "Veilig Thuis", "0800-2000", "Kindertelefoon", "0800-0432",
                 "113", "0800-0113", "huisarts", "huisartsenpost"):
        assert line in text


def test_the_safety_question_shows_the_same_help_lines_and_the_way_to_the_emergency_answer():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    check = domain["responses"]["utter_safety_check"][0]
    for line in ("112", "Veilig Thuis", "0800-2000", "113", "0800-0113", "Kindertelefoon", "0800-0432"):
        assert line in check["text"]
    assert "/report_emergency" in [b["payload"] for b in check["buttons"]]


@pytest.mark.parametrize("response, page_words", [
    ("utter_signs_home", ["contact", "egocentrisch", "boos", "vriendschappen", "troost"]),
    ("utter_signs_school", ["oppervlakkig", "materialistische", "lichaamsverzorging", "motivatie",
                            "aanval", "manipuleren", "wantrouwen", "afstoten"]),
    ("utter_teacher_tips", ["actief luisteren", "lage eisen", "complimenten", "emotioneel neutraal"]),
])
def test_lists_carry_every_item_of_the_page(response, page_words):
    text = TEXTS[response][0].lower()
    assert all(word in text for word in page_words)
    assert len(bullets(response)) >= len(page_words) - 1


def test_page_is_the_source_of_the_lists():
    page = page_text().lower()
    for word in ("egocentrisch", "materialistische", "lage eisen stellen", "emotioneel-neutraal",
                 "pleeggezin", "traumatische ervaring", "consultatiebureau"):
        assert word in page


def test_age_note_has_a_sentence_for_every_age_band():
    conditions = {v["condition"][0]["value"] for v in DOMAIN["responses"]["utter_age_band_note"] if v.get("condition")}
    assert conditions == {"baby", "peuter_kleuter", "schoolkind", "puber"}


def test_age_buttons_send_intent_and_age_band_without_interpolation_errors(parse, capsys, caplog):
    """Rasa fills `{slot}` placeholders in button payloads too; the age buttons' JSON
    braces are doubled so that Rasa returns them as plain braces without logging an
    interpolation error for each button (docs/rasa-upgrade.md)."""
    import asyncio

    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(ROOT / "domain.yml"))
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    message = asyncio.run(nlg.generate("utter_ask_child_age",
                                       DialogueStateTracker("t", domain.slots), "rest"))
    payloads = [button["payload"] for button in message["buttons"]]
    bands = ["baby", "peuter_kleuter", "schoolkind", "puber"]
    assert payloads == [f'/inform_age{{"age_band": "{band}"}}' for band in bands]
    logged = capsys.readouterr().out + caplog.text
    assert "interpolat" not in logged, logged
    for payload, band in zip(payloads, bands):
        parsed = parse(payload)
        assert parsed["intent"]["name"] == "inform_age"
        assert [(e["entity"], e["value"]) for e in parsed["entities"]] == [("age_band", band)]


# --- readability (content/readability.py) -----------------------------------------

def test_syllable_counter_is_right_for_most_hand_counted_dutch_words():
    from content.readability import syllables

    gold = yaml.safe_load((ROOT / "tests" / "data" / "syllables_nl.yml").read_text(encoding="utf-8"))
    wrong = {word: (count, syllables(word)) for word, count in gold.items() if syllables(word) != count}
    print(f"\nsyllables: {len(gold) - len(wrong)} of {len(gold)} right; wrong (hand, counted): {wrong}")
    assert len(wrong) <= 0.05 * len(gold), wrong


def test_sentences_end_at_punctuation_and_at_each_line_and_skip_numbers():
    from content.readability import measure, sentences

    text = "Bel ons gerust. Kan dat?\nDit zijn drie punten:\n• een korte regel\n• bel 0800-2000 of {url}"
    assert sentences(text) == [["Bel", "ons", "gerust"], ["Kan", "dat"], ["Dit", "zijn", "drie", "punten"],
                               ["een", "korte", "regel"], ["bel", "of"]]
    result = measure(text)
    assert (result.sentences, result.words, result.longest_sentence) == (5, 14, 4)


def test_flesch_douma_falls_with_long_sentences_and_long_words():
    from content.readability import measure

    plain = measure("Ik ben er voor je. Je kind is lief. Dat zie ik.")
    hard = measure("Hechtingsproblematiek veroorzaakt interpersoonlijke communicatieproblemen "
                   "binnen gezinssystemen, waarbij professionele ondersteuning noodzakelijk is.")
    assert plain.flesch_douma > 100 and plain.meets_b1
    assert hard.flesch_douma < 0 and not hard.meets_b1
    assert not measure(" ".join(["Dit is een zin met vijf woorden"] * 4) + ".").meets_b1  # 28 words


# --- content register (content/register.yml) and docs/content.md --------------------

def test_every_answer_has_a_source_on_the_page_or_a_reason_for_the_addition():
    from content.register import REGISTER, load_yaml, problems

    assert problems(DOMAIN["responses"], load_yaml(REGISTER), page_text()) == []


PAGE_SAMPLE = "Kop\n\nEen kind hecht zich aan de ouders.\n • Moeilijk   troostbaar\n"
ONE = [{"text": "Een tekst."}]


@pytest.mark.parametrize("responses, register, expected", [
    ({"utter_a": ONE}, {"utter_a": {"source": ["Een kind hecht zich\naan de ouders."]}}, []),
    ({"utter_a": ONE}, {"utter_a": {"source": ["Moeilijk troostbaar"], "addition": "uitleg"}}, []),
    ({"utter_a": ONE}, {}, ["utter_a: 1 variant(s) in domain.yml, 0 in the register",
                            "utter_a[0]: neither a source on the page nor a reason for an addition"]),
    ({"utter_a": ONE}, {"utter_a": {"addition": "  "}},
     ["utter_a[0]: neither a source on the page nor a reason for an addition"]),
    ({"utter_a": ONE}, {"utter_a": {"source": ["Een kind hecht zich aan de ouder."]}},
     ["utter_a[0]: not on the page: 'Een kind hecht zich aan de ouder.'"]),
    ({"utter_a": ONE}, {"utter_a": {"source": [""]}}, ["utter_a[0]: not on the page: ''"]),
    ({"utter_a": ONE}, {"utter_a": {"addition": "x"}, "utter_gone": {"addition": "x"}},
     ["utter_gone: in the register, but domain.yml has no such response"]),
    ({"utter_a": ONE * 2}, {"utter_a": {"addition": "x"}},
     ["utter_a: 2 variant(s) in domain.yml, 1 in the register",
      "utter_a[1]: neither a source on the page nor a reason for an addition"]),
    ({"utter_a": ONE}, {"utter_a": {"sources": ["Kop"]}},
     ["utter_a[0]: unknown key(s) ['sources']; use source or addition",
      "utter_a[0]: neither a source on the page nor a reason for an addition"]),
])
def test_register_check_finds_each_kind_of_mistake(responses, register, expected):
    from content.register import problems

    assert problems(responses, register, PAGE_SAMPLE) == expected


def test_report_lists_text_buttons_origin_and_readability_of_each_variant():
    from content.report import render

    responses = {"utter_a": [{"condition": [{"type": "slot", "name": "age_band", "value": "baby"}],
                              "text": "Eerste zin.\n• een punt", "buttons": [{"title": "Knop", "payload": "/x"}]},
                             {"text": "Tweede tekst hier."}]}
    register = {"utter_a": [{"source": ["Moeilijk troostbaar"]}, {"addition": "Omdat het moet."}]}
    text = render(responses, register)
    for part in ("## utter_a (age_band = baby)", "> Eerste zin.\n> - een punt", "Buttons: Knop",
                 '- "Moeilijk troostbaar"', "## utter_a (no condition)", "**Addition:** Omdat het moet.",
                 "| utter_a (age_band = baby) | page | 2.0 | 2 |",
                 "1 from the page, 0 from the page with an addition, 1 additions"):
        assert part in text, part


def test_docs_content_md_is_up_to_date_with_domain_and_register():
    from content.report import COMMAND, OUTPUT, current

    assert OUTPUT.read_text(encoding="utf-8") == current(), f"run {COMMAND}"


# --- B1: readable answers, hard page words explained --------------------------------

ANSWERS = [(f"{name}[{index}]", text) for name, texts in TEXTS.items() for index, text in enumerate(texts)]


@pytest.mark.parametrize("label, text", ANSWERS, ids=[label for label, _ in ANSWERS])
def test_every_answer_is_at_b1(label, text):
    """B1 as defined in content/readability.py; button titles are labels, not measured."""
    from content.readability import measure

    score = measure(text)
    assert score.meets_b1, (f"{label}: {score.words_per_sentence:.1f} words/sentence, longest "
                            f"{score.longest_sentence}, Flesch-Douma {score.flesch_douma:.1f}")


# Page words that many parents do not know. The answers keep the page word, so a parent
# recognises what the practice says, with a plain explanation in brackets right after
# it, or put it in brackets after the plain words: "... voelt (emotioneel beschikbaar)".
HARD_PAGE_WORDS = [
    "egocentrisch gedrag", "contact juist afhouden", "oppervlakkig of onecht contact",
    "materialistische instelling", "lichaamsverzorging", "motivatie", "manipuleren",
    "wantrouwen naar volwassenen", "afstoten", "actief luisteren", "lage eisen stellen",
    "emotioneel neutraal reageren", "zakelijke houding", "verwaarloosd", "traumatische ervaring",
    "emotioneel beschikbaar", "aan te sluiten", "te verplaatsen",
]


@pytest.mark.parametrize("phrase", HARD_PAGE_WORDS)
def test_hard_page_words_come_with_a_plain_explanation(phrase):
    uses = [(label, text, match) for label, text in ANSWERS for match in re.finditer(re.escape(phrase), text)]
    assert uses, f"no answer uses {phrase!r} any more: take it off this list"
    for label, text, match in uses:
        explained_after = text[match.end():].startswith(" (")
        is_the_bracket = text[match.start() - 1:match.start()] == "(" and text[match.end():].startswith(")")
        assert explained_after or is_the_bracket, f"{label}: {phrase!r} without a plain explanation"


def test_a_missing_page_says_where_it_is_expected_and_how_to_point_to_it(monkeypatch, tmp_path):
    import content.register

    monkeypatch.setattr(content.register, "PAGE", tmp_path / "nowhere.txt")
    with pytest.raises(FileNotFoundError, match="nowhere.txt.*OCRN_CONTENT_PAGE"):
        content.register.page_text()
