"""Several questions in one message: each is classified, and all are answered in order.

"Wat is hechting en hoe meld ik me aan?" holds two questions; one intent can name
only one of them. Rasa's own multi-intents (`intent_tokenization_flag`) only predict
combinations that are in the training data, and each combination needs its own
rules: with 21 content intents that is hundreds of combinations. Instead, two small
components use the trained classifier itself on each question:

- `QuestionSplitter` (first in the pipeline) cuts a message into its questions
  (`split_questions`) and appends each as an extra `Message` to the list the NLU
  pipeline processes. Every later component handles each message in the list, so the
  questions are tokenised, featurised and classified like any other message.
- `QuestionJoiner` (after the classifiers) takes the questions out of the list again.
  A follow-up among them leans on the question before it (`_resolve_follow_ups`).
  When at least two of them ask for different content answers, each with confidence,
  the message gets the intent `ask_several_questions` and the output key `questions`
  (text, intent and confidence of each); otherwise the message keeps the intent the
  classifier gave the whole text.

A long story with one question at the end (25+ words) gets that question classified
too; when the classifier is surer of the question than of the whole story, or could
not place the story (the fallback), the question's intent is taken (`focus_intent`).

The rule for `ask_several_questions` runs `action_answer`, which gives the answers one
after the other (actions/answers.py); a follow-up among the questions is passed on with
its kind (`ask_follow_up`, `kind`), and the answer action decides what answers it. A message with an emergency in
any question keeps its own intent: the safety net and the classifier decide on the
whole text.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.names import (
    EMERGENCY_INTENT,
    FALLBACK_INTENT,
    FOLLOW_UP_INTENT,
    QUESTIONS_KEY,
    SEVERAL_QUESTIONS_INTENT,
)
from components.follow_up import HOME, HOW, SCHOOL, follow_up_kind, follow_up_shaped
from components.rule_component import RuleComponent
from content.topics import content_intents

# Set on the extra messages: (index of the whole message in the list, index of the question).
PART_KEY = "ocrn_question_of"
# Output key: the question of a long story that decided its intent.
FOCUS_KEY = "focus_question"
MAX_QUESTIONS = 3
# Below this classifier confidence a question does not count as understood.
MIN_CONFIDENCE = 0.5
ANSWERABLE = content_intents()
# Follow-up kinds that ask something new within the same message (see _resolve_follow_ups).
NEW_ASPECTS = {SCHOOL, HOME, HOW}

_WH = (r"(?:wat|hoe|waar|wanneer|waarom|wie|welke|welk|hoeveel|hoelang|hoe lang|waarmee|waardoor|"
       r"waaraan|wa|wrm)")
_VERB_FIRST = (r"(?:kan|kun|kunnen|mag|mogen|moet|moeten|is|heeft|hebben|heb|ben|wordt|zou|zouden|"
               r"zal|geldt|bestaat|bestaan|weet|hoort|ligt|krijgt|krijgen|helpt|werkt|speelt|gaat|klopt|"
               r"doen|doe|bieden|geven|vergoedt)")
# "... en hoe meld ik me aan", "..., wat kost het": a second question joined to the first
# by a comma or a conjunction ("de invloed van afwijzing op hoe een kind hecht" is one).
_PREPOSITION = r"(?:(?:bij|met|van|voor|aan|naar|over|op|in|door|tot)\s+)?"
_JOINED = re.compile(rf"(?:\s*[,;]\s*(?:(?:en|maar|of|ook)\s+)?|\s+(?:en|maar|of|en ook|plus)\s+)"
                     rf"(?={_PREPOSITION}\b{_WH}\b)")
# A conjunction that only joins a question to the one before it.
_LEADING_JOIN = re.compile(r"^(?:(?:en|maar|of|ook|en ook|plus|verder|daarnaast)\b[\s,:]*)+", re.I)
# A question needs this many words of its own; shorter ones ("en hoe dan?") belong to
# the question before them.
MIN_WORDS = 3
# A story this long gets its last question classified on its own (`focus_question`).
FOCUS_MIN_WORDS = 25
FOCUS = "focus"  # the question number of a focus question in PART_KEY
# A question of several that is shaped like a follow-up about another place or what to
# do keeps the classifier's intent when the classifier understood it ("..., en wat
# doen jullie in zo'n geval?" is the treatment, not what the follow-up table says).
KEEP_CONFIDENCE = MIN_CONFIDENCE
_SENTENCE = re.compile(r"[^?!.\n]+[?!.]*|[?!.]+")
_STARTS_AS_QUESTION = re.compile(rf"^\W*(?:(?:en|maar|of|ook|en ook)\s+)?(?:{_WH}|{_VERB_FIRST})\b")


def _is_question(chunk: Text) -> bool:
    return chunk.rstrip().endswith("?") or bool(_STARTS_AS_QUESTION.match(chunk.lower()))


def _joined_parts(sentence: Text) -> List[Text]:
    """Cut a sentence before a joined question word, when both sides have 2+ words."""
    parts, start = [], 0
    for match in _JOINED.finditer(sentence.lower()):
        if match.start() == 0 or match.end() == len(sentence):
            continue
        left, right = sentence[start:match.start()], sentence[match.end():]
        if len(left.split()) >= 2 and len(right.split()) >= 2 and _is_question(left):
            parts.append(left)
            start = match.end()
    parts.append(sentence[start:])
    return parts


def split_questions(text: Optional[Text]) -> List[Text]:
    """The questions in `text`, in order, or [] when it holds fewer than two.

    Statements are kept with the question after them ("Mijn zoon slaat. Is dat
    normaal?" is one question), so a question that refers back keeps its story.
    """
    text = (text or "").strip()
    if not text or text.startswith("/"):
        return []
    chunks = [part.strip() for sentence in _SENTENCE.findall(text)
              for part in _joined_parts(sentence) if part.strip()]
    questions: List[Text] = []
    pending = ""
    for chunk in chunks:
        pending = f"{pending} {chunk}".strip()
        if _is_question(chunk):
            own = _LEADING_JOIN.sub("", pending)
            if questions and len(own.split()) < MIN_WORDS:
                questions[-1] = f"{questions[-1]} {pending}"
            else:
                questions.append(own)
            pending = ""
    if pending and questions:
        questions[-1] = f"{questions[-1]} {pending}"
    return questions[:MAX_QUESTIONS] if len(questions) >= 2 else []


def focus_question(text: Optional[Text]) -> Optional[Text]:
    """The last question of a long story (2+ sentences, FOCUS_MIN_WORDS+ words), or None.

    In a long story the classifier's confidence is spread over the story's topics;
    the question at the end says what the parent wants to know."""
    text = (text or "").strip()
    if not text or text.startswith("/") or len(text.split()) < FOCUS_MIN_WORDS:
        return None
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    questions = [s for s in sentences if _is_question(s) and len(s.split()) >= MIN_WORDS]
    return questions[-1] if len(sentences) >= 2 and questions else None


def _resolve_follow_ups(questions: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """A follow-up (classified so, or shaped so: `follow_up_shaped`) after another
    question of the same message leans on that question.
    About another place or what to do ("... en wat kan ik thuis doen?", "..., en hoe
    pak ik dat aan?") it asks for an answer of its own: the one the classifier gave it
    when it is sure enough (KEEP_CONFIDENCE: "..., en wat doen jullie in zo'n geval?"
    is the treatment), else it stays a follow-up of that kind (`kind`), which the answer
    action answers on the question before it. "Why" or "more" ("wat is hechting, en
    waarom doet het ertoe?") only explain the question before it and get no answer of
    their own."""
    resolved, topic = [], None
    for question in questions:
        sure = question["intent"] in ANSWERABLE and question["confidence"] >= KEEP_CONFIDENCE
        leans = (question["intent"] == FOLLOW_UP_INTENT or follow_up_shaped(question["text"])
                 or (not sure and follow_up_shaped(question["text"], after_question=True)))
        if topic and leans:
            kind = follow_up_kind(question["text"])
            if not (kind in NEW_ASPECTS and sure):
                question = {**question, "intent": FOLLOW_UP_INTENT}
                if kind in NEW_ASPECTS:
                    question["kind"] = kind
            question["asked"] = FOLLOW_UP_INTENT
        if question["intent"] in ANSWERABLE and (question.get("asked") or question["confidence"] >= MIN_CONFIDENCE):
            topic = question["intent"]
        resolved.append(question)
    return resolved


def _understood(question: Dict[Text, Any]) -> bool:
    if question["intent"] == FOLLOW_UP_INTENT:
        return "kind" in question
    return question["intent"] in ANSWERABLE and (question.get("asked") == FOLLOW_UP_INTENT
                                                  or question["confidence"] >= MIN_CONFIDENCE)


def several_questions(questions: List[Dict[Text, Any]]) -> Optional[List[Dict[Text, Any]]]:
    """The questions to answer one by one, or None when the message is one question.

    Needs two or more questions with different answerable intents, each classified
    with at least MIN_CONFIDENCE or resolved as a follow-up on the question before it
    (`_resolve_follow_ups`: "..., en wat kan je zelf doen?" is clear from the question
    before it, whatever the classifier made of it alone), and no emergency among them.
    """
    if any(q["intent"] == EMERGENCY_INTENT for q in questions):
        return None
    understood = [q for q in _resolve_follow_ups(questions) if _understood(q)]
    distinct: List[Dict[Text, Any]] = []
    for question in understood:
        if all((question["intent"], question.get("kind")) != (kept["intent"], kept.get("kind")) for kept in distinct):
            distinct.append(question)
    return distinct if len(distinct) >= 2 else None


def focus_intent(whole: Optional[Text], whole_confidence: float, focus: Dict[Text, Any]) -> Optional[Text]:
    """The intent of a long story's last question, when the classifier understood the
    question (MIN_CONFIDENCE) better than the whole story, or could not place the story
    at all (the fallback). A story spreads the classifier's confidence over its topics
    (grandparents tell how the child sleeps badly: behaviour, 0.80; their question
    "wat kunnen wij thuis doen?": help at home, 1.00). Never instead of an emergency."""
    if whole == EMERGENCY_INTENT or focus["intent"] not in ANSWERABLE:
        return None
    if focus["confidence"] >= MIN_CONFIDENCE and (whole == FALLBACK_INTENT or focus["confidence"] > whole_confidence):
        return focus["intent"]
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class QuestionSplitter(RuleComponent):
    """Appends each question of a message as an extra message (first in the pipeline)."""

    def process(self, messages: List[Message]) -> List[Message]:
        extra = []
        for index, message in enumerate(messages):
            questions = list(enumerate(split_questions(message.get(TEXT))))
            if not questions and focus_question(message.get(TEXT)):
                questions = [(FOCUS, focus_question(message.get(TEXT)))]
            for number, question in questions:
                part = Message(data={TEXT: question})
                part.set(PART_KEY, (index, number))
                extra.append(part)
        return messages + extra


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class QuestionJoiner(RuleComponent):
    """Takes the questions out again and sets `ask_several_questions` where they differ."""

    def process(self, messages: List[Message]) -> List[Message]:
        wholes = [m for m in messages if m.get(PART_KEY) is None]
        found: Dict[int, List[Dict[Text, Any]]] = {}
        focus: Dict[int, Dict[Text, Any]] = {}
        for part in messages:
            if part.get(PART_KEY) is not None:
                index, number = part.get(PART_KEY)
                intent = part.get(INTENT) or {}
                question = {"text": part.get(TEXT), "intent": intent.get(INTENT_NAME_KEY),
                            "confidence": float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0)}
                if number == FOCUS:
                    focus[index] = question
                else:
                    found.setdefault(index, []).append(question)
        for index, question in focus.items():
            whole = messages[index].get(INTENT) or {}
            intent = focus_intent(whole.get(INTENT_NAME_KEY), float(whole.get(PREDICTED_CONFIDENCE_KEY) or 0.0),
                                  question)
            if intent:
                messages[index].set(INTENT, {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: question["confidence"]},
                                    add_to_output=True)
                messages[index].set(FOCUS_KEY, question["text"], add_to_output=True)
        for index, questions in found.items():
            answer = several_questions(questions)
            if answer:
                message = messages[index]
                message.set(INTENT, {INTENT_NAME_KEY: SEVERAL_QUESTIONS_INTENT,
                                     PREDICTED_CONFIDENCE_KEY: 1.0}, add_to_output=True)
                message.set(QUESTIONS_KEY, answer, add_to_output=True)
        return wholes
