"""The deterministic age-group extraction."""
import pytest

from components.age_extractor import band_for_years, find_age_band, only_tells_age


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


@pytest.mark.parametrize("text, band", [
    # numbers: decimals with a comma or a point, halves in digits and words, words
    ("2,5", "peuter_kleuter"), ("11.5", "schoolkind"), ("zeven en een half", "schoolkind"),
    ("tweeënhalf", "peuter_kleuter"), ("5 1/2 jaar", "peuter_kleuter"), ("vijftien", "puber"),
    ("net zes", "schoolkind"), ("ruim 12", "puber"), ("een jaar of 9", "schoolkind"),
    ("ze is nog maar 1", "peuter_kleuter"), ("hij wordt volgende maand 13", "puber"),
    ("en als ze al dertien is?", "puber"), ("wanneer ze 3 wordt", "peuter_kleuter"),
    # months and weeks
    ("negen maandjes", "baby"), ("22 mnd", "peuter_kleuter"), ("drieëntwintig maanden", "peuter_kleuter"),
    ("ze is 7 weken", "baby"), ("een half jaar oud", "baby"), ("baby van 3 weekjes", "baby"),
    ("zes weken", "baby"), ("hij is in juni 12 geworden", "puber"), ("ze is deze zomer 5 geworden", "peuter_kleuter"),
    # Dutch and Flemish school years
    ("groep zeven", "schoolkind"), ("gr 2", "peuter_kleuter"), ("ze zit in klas 2 van het vwo", "puber"),
    ("vmbo 3", "puber"), ("2de kleuterklas", "peuter_kleuter"), ("het vijfde leerjaar", "schoolkind"),
    ("derde middelbaar", "puber"), ("hij gaat naar het secundair", "puber"), ("zit in de derde klas", "puber"),
    ("ze gaat nog naar de peuterspeelzaal", "peuter_kleuter"), ("zit op de lagere school", "schoolkind"),
    # words, and an age inside a longer reply
    ("een hummeltje", "peuter_kleuter"), ("echt een puber al", "puber"), ("ze is een baby nog", "baby"),
    ("hij is 8 en heeft het nu moeilijk op school", "schoolkind"),
    ("tja, onze oudste is 16, maar het gaat over haar broertje", "puber"),
])
def test_finds_the_age_group_in_every_way_parents_write_it(text, band):
    assert find_age_band(text)["value"] == band


def test_a_number_beats_a_school_year_and_a_word():
    assert find_age_band("ze zit in groep 8 en is net 12")["value"] == "puber"
    assert find_age_band("onze puber van 11")["value"] == "schoolkind"


@pytest.mark.parametrize("text", [
    "wat is hechting",
    "ik heb 3 kinderen",
    "hij is 3 keer gevallen",
    "ze is een schat",
    "ik ben 35",
    "het is 2 uur",
    "",
    "we wonen hier al 3 jaar",
    "2 jaar geleden zijn we verhuisd",
    "ik ben 12 weken zwanger van de tweede",
    "al een jaar wachten we op hulp",
    "hij is 3 weken ziek geweest",
    "hij wordt elke nacht 2 keer wakker",
    "mijn kleuterjuf zegt dat het goed gaat",
    "ze staat op de tweede plaats",
    "het is op 3 plekken misgegaan",
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


@pytest.mark.parametrize("text", [
    "9", "bijna 4!", "ze is 14", "hij zit in groep 5", "puber", "18 maanden oud", "pas 3 hoor",
    "ons dochterke is tweeënhalf jaar",
])
def test_a_message_that_only_tells_the_age(text):
    assert only_tells_age(text)


@pytest.mark.parametrize("text", [
    "hij is 9 en slaat zijn zusje", "wat is hechting", "ik heb 3 kinderen",
    "is het normaal voor een puber om te liegen", "groep 7 en hij wil niet meer naar school",
])
def test_a_message_that_says_more_than_the_age(text):
    assert not only_tells_age(text)
