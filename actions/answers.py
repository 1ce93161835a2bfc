"""The one place that chooses what the assistant answers: `choose(State) -> Plan`.

The NLU components only classify and extract (intent, follow-up kind, questions,
age band, role, country); the rules send every content question to `action_answer`
(actions/actions.py), which reads the conversation into a `State` and sends the
`Plan` this module makes. What answers which question comes from the topic table
(content/topics.yml). Plain data and functions without Rasa imports, tested in
tests/test_answers.py.

What the conversation changes (docs/decisions.md, "One place chooses the answer"):
- **the reader** (`audience`): a teacher or other professional, a parent in Belgium,
  or a parent of a child of school age or a teenager gets a response's variant for
  them (`<response>_<audience>` when domain.yml has one), or another topic (`for:`);
- **the age**: asked once at most, never when the conversation knows it;
- **what was said**: a response already sent is never sent again word for word; the
  topic asked again gets "Ik noemde al ..." and another angle: the topic in plain
  words (`explain`), then the offer of a person;
- **the feedback question**: once per group of topics per conversation.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

from actions.names import (
    ACKNOWLEDGE_RESPONSE,
    AGE_KIND,
    AGE_NOTE_RESPONSE,
    ALREADY_COVERED_RESPONSE,
    ASK_AGE_RESPONSE,
    ASK_FEEDBACK_RESPONSE,
    BEHAVIOUR_INTENT,
    CAPABILITIES_RESPONSE,
    DENY_DANGER_INTENT,
    EXPLAIN_KIND,
    FALLBACK_INTENT,
    FEEDBACK_NEGATIVE_INTENT,
    FOLLOW_UP_INTENT,
    GOODBYE_INTENT,
    GREET_INTENT,
    INFORM_AGE_INTENT,
    MORE_KIND,
    NO_DANGER_RESPONSE,
    OFFER_PERSON_RESPONSE,
    OTHER_LANGUAGE_INTENT,
    OUT_OF_SCOPE_INTENT,
    SEVERAL_QUESTIONS_INTENT,
    SEVERAL_QUESTIONS_RESPONSE,
    WHAT_WAS_MISSING_RESPONSE,
)
from content.topics import Topic, topics

TOPICS: Dict[str, Topic] = topics()
CONTENT_INTENTS: FrozenSet[str] = frozenset(TOPICS)
SEEK_HELP = ("utter_seek_help", "utter_talk_to_others")
TEACHER_ROLES = {"teacher", "professional"}
OLDER_BANDS = {"schoolkind", "puber"}
# Responses whose text depends on the age band: sent again for another age.
AGE_DEPENDENT = {AGE_NOTE_RESPONSE}
# Conversation turns the answer action answers too, so that they are not repeated word for
# word: the first answer, then another, then a short one (also when the action server is
# down, channels/action_server.py sends the first).
CAPABILITIES_INTENT = "ask_capabilities"
TURNS: Dict[str, Tuple[str, ...]] = {
    FALLBACK_INTENT: ("utter_default", "utter_default_again", "utter_default_short"),
    OUT_OF_SCOPE_INTENT: ("utter_out_of_scope", "utter_out_of_scope_again"),
    GREET_INTENT: ("utter_greet", "utter_greet_again"),
    GOODBYE_INTENT: ("utter_goodbye", "utter_goodbye_again"),
    "bot_challenge": ("utter_i_am_a_bot", "utter_i_am_a_bot_again"),
    CAPABILITIES_INTENT: (CAPABILITIES_RESPONSE, "utter_capabilities_again", "utter_capabilities_short"),
    OTHER_LANGUAGE_INTENT: ("utter_only_dutch", "utter_only_dutch_again"),
    FEEDBACK_NEGATIVE_INTENT: (WHAT_WAS_MISSING_RESPONSE, "utter_feedback_negative", "utter_feedback_negative_again"),
}
# Short turns of the conversation, which may come again.
# After "Wat miste je?" (the first answer to feedback_negative), words outside the topics or
# another "nee" are the parent's reply: thanks.
AFTER_WHAT_WAS_MISSING = {FALLBACK_INTENT, OUT_OF_SCOPE_INTENT, FEEDBACK_NEGATIVE_INTENT}
# The last option of each of TURNS is short (under 80 characters) and may come again.
REPEATABLE = {ASK_FEEDBACK_RESPONSE, SEVERAL_QUESTIONS_RESPONSE, NO_DANGER_RESPONSE,
              *(options[-1] for options in TURNS.values())}


@dataclass
class State:
    """What the answer depends on: the message as understood, and the conversation."""
    intent: Optional[str]
    follow_up_kind: Optional[str] = None
    questions: List[dict] = field(default_factory=list)  # several questions: {"intent", "kind"}
    last_topic: Optional[str] = None
    age_band: Optional[str] = None
    role: Optional[str] = None
    country: Optional[str] = None
    pending_topic: Optional[str] = None
    sent: Set[str] = field(default_factory=set)  # `sent_key`s of this conversation
    feedback_asked: List[str] = field(default_factory=list)
    available: Set[str] = field(default_factory=set)  # the responses of domain.yml
    last_response: Optional[str] = None  # what the bot said last, before this message


@dataclass
class Plan:
    responses: List[Tuple[str, Dict[str, str]]] = field(default_factory=list)  # (response, its fields)
    topic: Optional[str] = None  # the topic answered last: the next follow-up leans on it
    feedback_asked: Optional[List[str]] = None  # new value of the slot, when the question is asked

    def names(self) -> List[str]:
        return [name for name, _ in self.responses]


def sent_key(response: str, age_band: Optional[str]) -> str:
    return f"{response}:{age_band}" if response in AGE_DEPENDENT else response


def audience(state: State) -> Optional[str]:
    """Who reads the answer, when not a parent in the Netherlands of a young child."""
    if state.role in TEACHER_ROLES:
        return "teacher"
    if state.country == "be":
        return "be"
    if state.age_band in OLDER_BANDS:
        return "older"
    return None


def follow_up_target(topic: Optional[str], kind: Optional[str]) -> Optional[str]:
    """The intent that answers a follow-up of `kind` on `topic` (content/topics.yml)."""
    if topic not in TOPICS:
        return None
    return TOPICS[topic].follow_ups.get(kind or MORE_KIND)


AGE_NOTE = "age_note"  # a follow-up about an age: the age note (`follow_up_answer`)


def follow_up_answer(topic: Optional[str], kind: Optional[str]) -> Optional[str]:
    """What answers a follow-up of `kind` on `topic`: a content intent, the topic itself
    in plain words (EXPLAIN, when it has `explain`), AGE_NOTE, or None without a topic."""
    if kind == AGE_KIND:
        return AGE_NOTE
    if kind == EXPLAIN_KIND and topic in TOPICS and TOPICS[topic].explain:
        return topic
    return follow_up_target(topic, MORE_KIND if kind == EXPLAIN_KIND else kind)


class _Builder:
    """Collects the responses of one turn, without anything sent before."""

    def __init__(self, state: State):
        self.state, self.plan = state, Plan()
        self.reader = audience(state)
        self.planned: Set[str] = set()
        self.done: Set[str] = set()

    def variant(self, response: str) -> str:
        for_reader = f"{response}_{self.reader}"
        return for_reader if self.reader and for_reader in self.state.available else response

    def fresh(self, response: str) -> bool:
        key = sent_key(response, self.state.age_band)
        return response in REPEATABLE or (key not in self.state.sent and key not in self.planned)

    def add(self, response: str, **fields: str) -> None:
        self.plan.responses.append((response, fields))
        self.planned.add(sent_key(response, self.state.age_band))

    def turn(self, options: Tuple[str, ...]) -> None:
        """A turn of the conversation: its first answer not sent yet, else the last (short) one."""
        self.add(next((r for r in options if r not in self.state.sent), options[-1]))

    def topic(self, intent: str) -> None:
        """The answer to a content question, for this reader, without repeats."""
        intent = TOPICS[intent].redirect.get(self.reader or "", intent)
        if intent in self.done:  # two questions of one message with the same answer
            return
        self.done.add(intent)
        topic = TOPICS[intent]
        wanted = [self.variant(r) for r in self.responses_of(topic)]
        new = [r for r in wanted if self.fresh(r)]
        if not new:
            self.add(ALREADY_COVERED_RESPONSE, topic_name=topic.name)
            other = [self.variant(r) for r in (topic.explain, OFFER_PERSON_RESPONSE) if r]
            new = [r for r in other if self.fresh(r)][:1]
        for response in new:
            self.add(response)
        self.plan.topic = intent

    def responses_of(self, topic: Topic) -> List[str]:
        if topic.intent != BEHAVIOUR_INTENT:
            return list(topic.answer)
        if self.state.age_band:
            return [ACKNOWLEDGE_RESPONSE, AGE_NOTE_RESPONSE, *SEEK_HELP]
        if ASK_AGE_RESPONSE in self.state.sent:  # asked once already: no second time
            return [ACKNOWLEDGE_RESPONSE, AGE_NOTE_RESPONSE, *SEEK_HELP]
        return [ACKNOWLEDGE_RESPONSE, ASK_AGE_RESPONSE]

    def age_note(self) -> None:
        for response in [AGE_NOTE_RESPONSE, *SEEK_HELP]:
            response = self.variant(response)
            if self.fresh(response):
                self.add(response)
        if not self.plan.responses:
            self.add(ALREADY_COVERED_RESPONSE, topic_name=TOPICS[BEHAVIOUR_INTENT].name)
        self.plan.topic = BEHAVIOUR_INTENT

    def follow_up(self, kind: Optional[str]) -> None:
        topic = self.state.last_topic
        target = follow_up_answer(topic, kind)
        if target == AGE_NOTE:
            return self.age_note()
        if target is None:
            return self.turn(TURNS[CAPABILITIES_INTENT])
        explain = TOPICS[target].explain if target == topic and kind == EXPLAIN_KIND else None
        if explain and self.fresh(self.variant(explain)):
            self.add(self.variant(explain))
            self.plan.topic = topic
            return None
        return self.topic(target)

    def feedback(self, answered: List[str]) -> None:
        """The feedback question once per group, not after a question of the bot."""
        names = self.plan.names()
        if not names or names[-1] == ASK_AGE_RESPONSE or names[-1] in TURNS[CAPABILITIES_INTENT]:
            return
        groups = [TOPICS[i].feedback for i in answered if i in TOPICS and TOPICS[i].feedback]
        new = [g for g in dict.fromkeys(groups) if g not in self.state.feedback_asked]
        if new:
            self.add(ASK_FEEDBACK_RESPONSE)
            self.plan.feedback_asked = self.state.feedback_asked + new


def choose(state: State) -> Plan:
    """The responses that answer the message in this conversation, in order."""
    build = _Builder(state)
    answered: List[str] = []
    if state.intent == SEVERAL_QUESTIONS_INTENT:
        build.add(SEVERAL_QUESTIONS_RESPONSE)
        asks_age: List[Tuple[str, Dict[str, str]]] = []
        for question in state.questions:
            start = len(build.plan.responses)
            intent = question.get("intent")
            if intent == FOLLOW_UP_INTENT:
                build.state.last_topic = build.plan.topic or state.last_topic
                build.follow_up(question.get("kind"))
            elif intent in CONTENT_INTENTS:
                build.topic(intent)
            answered.append(build.plan.topic)
            # An answer that ends with the age question goes last: the next message answers it.
            if build.plan.responses[-1][0] == ASK_AGE_RESPONSE:
                asks_age += build.plan.responses[start:]
                del build.plan.responses[start:]
        build.plan.responses.extend(asks_age)
    elif state.intent == FOLLOW_UP_INTENT:
        build.follow_up(state.follow_up_kind)
        answered.append(build.plan.topic)
    elif state.intent == INFORM_AGE_INTENT:
        build.age_note()
        answered.append(BEHAVIOUR_INTENT)
    elif state.intent == DENY_DANGER_INTENT:
        build.add(NO_DANGER_RESPONSE)
        if state.pending_topic in CONTENT_INTENTS:
            build.topic(state.pending_topic)
            answered.append(build.plan.topic)
        else:
            build.turn(TURNS[CAPABILITIES_INTENT])
    elif state.intent in CONTENT_INTENTS:
        build.topic(state.intent)
        answered.append(build.plan.topic)
    elif state.last_response == WHAT_WAS_MISSING_RESPONSE and state.intent in AFTER_WHAT_WAS_MISSING:
        # The reply to "Wat miste je?" in the parent's own words: thanks, not "dat begreep ik niet".
        build.turn(TURNS[FEEDBACK_NEGATIVE_INTENT][1:])
    elif state.intent in TURNS:
        build.turn(TURNS[state.intent])
    else:
        build.turn(TURNS[CAPABILITIES_INTENT])
    build.feedback([a for a in answered if a])
    return build.plan
