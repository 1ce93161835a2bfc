"""Deterministic safety net: emergency messages always get `report_emergency`.

The intent classifier can miss an emergency phrased in an unusual way. This
component runs after it and forces `report_emergency` whenever a message matches
one of the patterns below, so the bot answers with the help lines at once. The
patterns favour recall: a false alarm costs a parent a few lines of text, a miss
can cost much more.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

EMERGENCY_INTENT = "report_emergency"

# Building blocks.
_ADULT = (
    r"(?:man|vrouw|partner|vriend|vriendin|ex|vader|papa|pa|moeder|mama|ma|mams|paps|"
    r"stief\w+|opa|oma|oom|tante|nonkel|buurman|buurvrouw|broer|zus|oppas|trainer|"
    r"leraar|meester|juf|coach|neef|schoonvader|schoonmoeder|echtgeno\w+|vent|"
    r"volwassene|iemand|hij|zij|ze)"
)
_VICTIM = (
    r"(?:mij|me|ons|hem|haar|de kinderen|de kids|de kleine|de baby|"
    r"(?:mijn|ons|onze|m'n|mn|zijn|haar) (?:kind\w*|zoon\w*|dochter\w*|baby\w*|kleine|"
    r"jongste|oudste|vrouw|man|moeder|broertje|zusje|pleeg\w+|meisje|jongen|kids))"
)
_HIT = (
    r"(?:slaat|sloeg|slagen|slaan|schopt|schopte|schoppen|stompt|stompte|wurgt|wurgde|"
    r"knijpt|duwt|duwde|mishandelt|mishandeld|mishandelde|bedreigt|bedreigde|bedreigd|"
    r"trapt|trapte|bijt|beet|verbrandt|verbrandde|molesteert|terroriseert|"
    r"pijn doet|pijn deed|iets aan doet|iets aandoet|iets aan deed|iets aandeed)"
)
_CHILD_SUBJECT = (
    r"(?:peuter\w*|kleuter\w*|dreumes|kind\w*|zoon\w*|dochter\w*|jongen|meisje|leerling\w*|"
    r"broertje|zusje|hij|zij|ze)"
)

_PATTERNS = [
    # Suicide and wanting to be dead.
    r"zelfmoord\w*|zelfmoort\w*|zelf ?doding|suicid\w*|suizid\w*|\b113\b",
    r"\b(?:wil|wilt|willen|wou|wilde)\b[\w\s,]{0,25}\bdood\b",
    r"\bdood (?:wil|wilt|willen|gaan|zijn wil)\b",
    r"niet meer (?:willen |wil )?(?:leven|bestaan|verder|wakker worden|wakker)\b",
    r"\b(?:wil|wilt|willen)\b[\w\s]{0,15}\bniet meer (?:leven|bestaan|zijn|hier zijn|wakker)",
    r"er niet meer (?:willen |wil )?zijn|niet meer op deze wereld",
    r"(?:een )?einde? aan (?:maken|mijn leven|zijn leven|haar leven|het leven|alles)",
    r"er (?:een )?(?:eind|einde|punt) aan (?:maken|te maken|breien)",
    r"(?:zie|ziet|zien) het (?:allemaal |echt |even )?niet meer zitten",
    r"(?:iedereen|jullie|ze|hij|zij) (?:is|zijn|zou|zouden) beter af zonder",
    r"\b(?:ophangen|opgehangen|voor de trein|van (?:de|het|een) (?:flat|brug|dak) (?:springen|af))",
    r"\b(?:pillen|medicijnen|tabletten) (?:slikken|ingenomen|innemen|geslikt)\b.*\b(?:allemaal|dood|alle)\b",
    r"leven (?:beeindigen|beeindigd)|levensmoe|doodswens",
    # Self-harm.
    r"zelfbeschadig\w*|zelfverwond\w*|automutil\w*|self ?harm",
    r"\b(?:snijdt|snijden|sneed|snijd|kerft|krast|kraste|krassen|kras)\b[\w\s]{0,20}\b(?:zich|zichzelf|mezelf|zelf|arm\w*|pols\w*|been|benen|huid)\b",
    r"\b(?:zich|zichzelf|mezelf|mijzelf)\b[\w\s]{0,20}\b(?:pijn (?:doet|doen|gedaan|deed)|snijdt|verwondt|slaat|krabt tot|iets aan ?(?:doet|doen|te doen))",
    r"(?:hoofd|kop)[\w\s]{0,25}\b(?:tegen de muur|bloed\w*)",
    r"\b(?:mezelf|mijzelf|zichzelf|mijn leven)\b[\w\s]{0,10}\b(?:iets aandoen|iets aan doen|iets aan te doen|beroven)",
    # Abuse and violence at home.
    r"mishandel\w*|misbruik\w*|verkracht\w*|aangerand\w*|aanrand\w*|incest\w*|pedo\w*|"
    r"huiselijk geweld|kindermishandeling|seksueel (?:geweld|misbruik|overschrijdend)",
    r"(?:onge(?:past|wenst)|verkeerd|raar|vies) aan(?:ge)?raakt|aan (?:hem|haar|mij|me|zijn|haar) (?:heeft )?gezeten|aan zit(?:ten)?\b",
    r"(?:geweld|geslagen|slaag|klappen)\b[\w\s]{0,20}\b(?:thuis|in huis|bij ons|bij mij)\b",
    r"\b(?:thuis|in huis|bij ons)\b[\w\s]{0,20}\b(?:geweld|geslagen|slaan|klappen|mishandel\w*)\b",
    r"\b" + _ADULT + r"\b[\w\s]{0,25}\b" + _HIT + r"\s+" + _VICTIM + r"\b",
    r"\b" + _HIT + r"\s+" + _VICTIM + r"\b(?:[\w\s]{0,20}\b(?:elke|iedere|vaak|weer|dood|bloed|blauw|hard))",
    r"\b(?:word|wordt|werd|worden)\b[\w\s]{0,20}\b(?:geslagen|geschopt|gewurgd|mishandeld|bedreigd|opgesloten|misbruikt)\b",
    r"\bblauwe plekken\b|\bbrandwonden\b",
    r"\bbang (?:voor|van) (?:mijn|haar|zijn|onze|m'n|mn|de) (?:man|vrouw|partner|vriend|vriendin|ex|vader|moeder|stief\w+)\b",
    r"\b(?:bedreig\w*|dreigt\b)[\w\s]{0,30}\b(?:dood|mes|vermoorden|pijn|slaan|meenemen|ontvoeren)",
    r"\b(?:mes|messen|wapen|pistool|vuurwapen)\b",
    r"vermoord\w*|dood ?(?:maken|maakt|slaan|slaat|schieten|steken)|\bwurg\w*|verstik\w*",
    # A parent afraid of hurting the child.
    r"(?:geschud|door elkaar (?:geschud|schudden|geschut)|shaken baby)",
    r"\bbang dat ik\b[\w\s]{0,25}\b(?:iets aan|pijn|sla|slaan|doe)\b",
    r"\b(?:ik|wij) (?:sla|sloeg|slaan|schop|schopte)\b[\w\s]{0,10}\b(?:mijn|ons|onze|m'n|mn|hem|haar) ?(?:kind\w*|zoon\w*|dochter\w*|baby\w*)?",
    r"\bik (?:doe|ga) (?:mijn|ons|m'n|mn) (?:kind|zoon|dochter|baby)\w* (?:iets|wat) aan",
    r"\bik (?:kan|kon) (?:mijn|m'n|mn) (?:handen|woede) niet (?:meer )?thuishouden",
    # A child in danger, missing or not safe.
    r"\bin (?:direct |acuut |levens)?gevaar\b|levensgevaar",
    r"\bniet (?:meer )?veilig\b(?!e? ?gehecht)|\bonveilig (?:thuis|bij)\b|\bonveilige (?:thuis|situatie)",
    r"\bveilig thuis\b",
    r"\b(?:weggelopen|weg gelopen|vermist|ontvoerd|ontvoering|spoorloos)\b",
    r"\bkrijgt\b[\w\s]{0,20}\b(?:geen eten|niks te eten|niets te eten)|\bopgesloten\b",
    r"\b(?:help|hulp)\b[\w\s]{0,5}\b(?:nu|snel|dringend|nodig)\b.*\b(?:slaat|geweld|gevaar|dood|pijn|bang)\b",
    r"\bnoodgeval\b|\bnoodsituatie\b|\bspoed\b",
]
_EMERGENCY = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))

# Child behaviour that only looks like violence: a toddler who hits, a pupil who kicks.
_CHILD_BEHAVIOUR = re.compile(
    r"\b" + _CHILD_SUBJECT + r"\b[\w\s()]{0,30}\b(?:slaat|schopt|bijt|duwt|knijpt|krabt|trapt)\b"
    r"(?:\s+(?:mij|me|ons|hem|haar|anderen|andere kind\w*|zijn \w+|haar \w+|de \w+))?"
    r"(?![\w\s]{0,25}\b(?:dood|bloed|zichzelf|zich|mes)\b)"
)


def normalise(text: Optional[Text]) -> Text:
    """Lower-case, strip accents and fold white space, so `suïcide` is `suicide`."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.lower()).strip()


def is_emergency(text: Optional[Text]) -> bool:
    """True when the message talks about danger, abuse, violence or suicide."""
    clean = normalise(text)
    match = _EMERGENCY.search(clean)
    if not match:
        return False
    # A child who hits or kicks is difficult behaviour, unless more is said.
    without_child_behaviour = _CHILD_BEHAVIOUR.sub(" ", clean)
    return bool(_EMERGENCY.search(without_child_behaviour))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class SafetyNet(GraphComponent):
    """Overrides the predicted intent with `report_emergency` on a pattern match."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyNet:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if is_emergency(message.get(TEXT)):
                forced = {INTENT_NAME_KEY: EMERGENCY_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, forced, add_to_output=True)
                message.set("safety_net", True, add_to_output=True)
        return messages
