"""The deterministic age-group extraction."""
import pytest

from components.age_extractor import band_for_years, find_age_band


@pytest.mark.parametrize("text, band", [
    ("hij is 3", "peuter_kleuter"),
    ("ze is net 14", "puber"),
    ("mijn zoon van 3 slaat als hij boos is", "peuter_kleuter"),
    ("onze dochter (8) liegt steeds", "schoolkind"),
    ("een baby van 9 maanden", "baby"),
    ("mijn kind van 18 maanden", "peuter_kleuter"),
    ("4", "peuter_kleuter"),
    ("twee jaar", "peuter_kleuter"),
    ("anderhalf", "peuter_kleuter"),
    ("bijna 6", "schoolkind"),
    ("mijn 4-jarige", "peuter_kleuter"),
    ("onze driejarige", "peuter_kleuter"),
    ("ze zit in groep 5", "schoolkind"),
    ("hij zit in groep 1", "peuter_kleuter"),
    ("peuter", "peuter_kleuter"),
    ("mijn puber sluit zich op", "puber"),
    ("een pasgeboren baby", "baby"),
    ("hij zit in de brugklas", "puber"),
    ("ze is 17 jaar", "puber"),
])
def test_finds_the_age_group(text, band):
    assert find_age_band(text)["value"] == band


@pytest.mark.parametrize("text", [
    "wat is hechting",
    "ik heb 3 kinderen",
    "hij is 3 keer gevallen",
    "ze is een schat",
    "ik ben 35",
    "het is 2 uur",
    "",
])
def test_no_age_where_none_is_told(text):
    assert find_age_band(text) is None


def test_bands_have_clear_edges():
    assert [band_for_years(y) for y in (0, 0.9, 1, 5.9, 6, 11.9, 12, 18)] == [
        "baby", "baby", "peuter_kleuter", "peuter_kleuter",
        "schoolkind", "schoolkind", "puber", "puber"]
    assert band_for_years(19) is None


def test_span_points_at_the_age():
    text = "mijn dochter van 7 huilt veel"
    found = find_age_band(text)
    assert "7" in text[found["start"]:found["end"]]
