"""Who writes (components/role.py): the rules in components/role_rules.yml hold on their examples."""
import pytest

from components.role import matching_role, role_rules

RULES = role_rules()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_positive_matches_its_rule(rule):
    assert len(rule.positives) >= 3, "a rule that matches one sentence is not a rule"
    for text in rule.positives:
        found = matching_role(text)
        assert found is not None and found.role == rule.role, (rule.id, text)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_no_negative_matches_any_rule(rule):
    assert len(rule.negatives) >= 3
    for text in rule.negatives:
        assert matching_role(text) is None, (rule.id, text, matching_role(text).id)


@pytest.mark.parametrize("text", [
    "mijn dochter van 4 wil niet naar bed", "wat is hechting?", "hoe herken ik hechtingsproblemen in de klas",
    "de juf zei dat ze heel stil is", "kunnen pleegkinderen nog hechten?", "ik ben zo moe",
])
def test_a_parent_or_a_general_question_has_no_role(text):
    assert matching_role(text) is None
