"""Redaction of personal data on a planted set: every item caught, clean messages untouched."""
import re
from pathlib import Path

import pytest
import yaml

from bench.quality import redaction_recall
from tracker_store.redact import PLACEHOLDERS, bsn_eleven_test, iban_checksum_ok, redact
from tracker_store.redact_names import FIRST_NAMES, NAME_WORDS

CASES = yaml.safe_load((Path(__file__).parent / "data" / "redaction_cases.yml").read_text(encoding="utf-8"))


PERSONAL_SECTIONS = ("personal", "personal_new", "personal_fresh", "personal_policy")  # reported apart, and together
# (caught, planted) per section with the rules before the name list (commit 09ae089),
# measured with this file's scoring; printed beside today's figures, never asserted.
RECALL_BEFORE_NAME_LIST = {"personal": (92, 105), "personal_new": (49, 129), "personal_fresh": (20, 53),
                           "personal_policy": (0, 4)}
CLEAN_SECTIONS = ("clean", "clean_new", "clean_fresh")


def test_the_planted_set_is_big_enough_and_covers_every_kind():
    assert PLACEHOLDERS[-5:] == ("[geboortedatum]", "[kenteken]", "[account]", "[school]", "[plaats]")
    kinds = {kind for case in CASES["personal"] for kind in case["pii"]}
    assert kinds == {p.strip("[]") for p in PLACEHOLDERS}
    assert len(CASES["personal"]) >= 60 and len(CASES["clean"]) >= 40
    assert len(CASES["personal_new"]) >= 40


def test_recall_is_complete_on_the_planted_set(figures):
    failures = []
    for label, cases in [(name, CASES[name]) for name in PERSONAL_SECTIONS] + [
            ("whole set", [case for name in PERSONAL_SECTIONS for case in CASES[name]])]:
        caught, planted, failed = redaction_recall(cases)
        before = [RECALL_BEFORE_NAME_LIST[name] for name in PERSONAL_SECTIONS if label in (name, "whole set")]
        was = sum(c for c, _ in before), sum(p for _, p in before)
        figures(f"redaction recall ({label}): {caught / planted:.3f} "
                f"({caught}/{planted} items in {len(cases)} messages);"
                f" before the name list {was[0] / was[1]:.3f} ({was[0]}/{was[1]})")
        if label != "whole set":
            failures += failed
    for _text, redacted, missed in failures:
        print(f"  missed {missed} in {redacted!r}")
    assert failures == []


def test_no_false_positives_on_clean_messages():
    texts = [text for name in CLEAN_SECTIONS for text in CASES[name]]
    changed = [(text, redact(text)) for text in texts if redact(text) != text]
    print(f"\nredaction false positives: {len(changed)} of {len(texts)} clean messages: {changed}")
    assert changed == []


def test_the_name_lists_hold_lower_case_single_names():
    assert len(FIRST_NAMES) >= 2500
    assert all(name == name.lower() and not any(ch.isspace() or ch.isdigit() for ch in name) for name in FIRST_NAMES)
    assert NAME_WORDS <= FIRST_NAMES


@pytest.mark.parametrize("text, expected", [
    # A name that is also a word counts with a capital inside a sentence, not in lower case.
    ("morgen gaat Roos voor het eerst naar de opvang", "morgen gaat [naam] voor het eerst naar de opvang"),
    ("morgen gaat roos voor het eerst naar de opvang", "morgen gaat roos voor het eerst naar de opvang"),
    # After an article it is a thing, and in Title Case a capital says nothing.
    ("hij is bang voor de Storm", "hij is bang voor de Storm"),
    ("Hij Luistert Max Vijf Minuten En Dan Is Het Op", "Hij Luistert Max Vijf Minuten En Dan Is Het Op"),
    # A name from the list needs no cue and takes its surname along.
    ("gisteren liep wiktoria weg", "gisteren liep [naam] weg"),
    ("Vandaag belde Agnieszka Nowak van de opvang", "Vandaag belde [naam] van de opvang"),
    # Shops and children's characters are no one's name.
    ("we kwamen Daan tegen bij de Albert Heijn", "we kwamen [naam] tegen bij de Albert Heijn"),
    # A spelled-out address needs a known top-level domain at the end.
    ("hij kijkt at home naar de tv", "hij kijkt at home naar de tv"),
    ("mail: tim punt bos at ziggo punt nl", "mail: [e-mail]"),
])
def test_names_that_are_words_and_spelled_out_mail(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [None, "", "   ", "👍", "/feedback_negative", "x" * 20000])
def test_odd_input_passes_through(text):
    assert redact(text) == text


def test_checksums():
    assert bsn_eleven_test("123456782") and not bsn_eleven_test("123456789")
    assert iban_checksum_ok("NL91ABNA0417164300") and not iban_checksum_ok("NL92ABNA0417164300")


def test_redaction_is_idempotent():
    texts = [case["text"] for name in PERSONAL_SECTIONS for case in CASES[name]]
    texts += [case["text"] for data in WRITERS.values() for case in data["personal"]]
    not_idempotent = [redact(text) for text in texts if redact(redact(text)) != redact(text)]
    assert not_idempotent == []


# --- sets by independent writers (tests/data/redaction_writers) ----------------------
# Written by helper sessions that saw neither the rules nor each other, measured once with
# the rules as they were (docs/benchmarks.md, "Personal data: sets by writers the rules
# never saw"), then used to write the rules for the new kinds. Scored as bench/redaction_eval.py
# scores them: an item is caught when it no longer occurs in the redacted message.
WRITERS = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
           for path in sorted((Path(__file__).parent / "data" / "redaction_writers").glob("*.yml"))}
# Each writer's first measurement: pii_a..pii_c before any rule for the new kinds, pii_d and
# pii_e (kept apart in tests/data/redaction_measured until the rules learnt from them by kind)
# with the rules of commit e8b5ddf, pii_f with those of commit c88f7cc, pii_g with those of commit fce4b4b,
# pii_h with those of commit 53bd780, pii_i with those of commit 6a93496, pii_j with those of commit f30338e.
WRITER_RECALL_BEFORE = {"pii_a_ouders_druk": (201, 356), "pii_b_pleeg_grootouders": (185, 296),
                        "pii_c_jongeren_whatsapp": (106, 181), "pii_d_werkende_ouders": (162, 177),
                        "pii_e_leerkrachten_hulpverleners": (190, 196), "pii_f": (203, 244),
                        "pii_g": (285, 344), "pii_h": (361, 422), "pii_i": (470, 530),
                        "pii_j": (424, 459)}
KIND_RECALL_BEFORE = {"account": (12, 29), "adres": (56, 71), "bsn": (31, 31), "e-mail": (35, 35),
                      "geboortedatum": (0, 56), "kenteken": (0, 26), "naam": (272, 316), "plaats": (6, 94),
                      "school": (3, 93), "telefoon": (77, 82)}  # pii_a..pii_c
KIND_RECALL_MEASURED_D_E = {"account": (13, 13), "adres": (18, 18), "bsn": (14, 14), "e-mail": (16, 16),
                            "geboortedatum": (19, 21), "kenteken": (14, 14), "naam": (142, 145), "plaats": (44, 51),
                            "school": (40, 49), "telefoon": (32, 32)}  # pii_d and pii_e
KIND_RECALL_MEASURED_F = {"account": (9, 10), "adres": (8, 8), "bsn": (6, 7), "e-mail": (7, 7),
                          "geboortedatum": (10, 14), "kenteken": (5, 6), "naam": (81, 89), "plaats": (38, 56),
                          "school": (23, 31), "telefoon": (16, 16)}  # pii_f
KIND_RECALL_MEASURED_G = {"account": (12, 13), "adres": (20, 23), "bsn": (5, 5), "e-mail": (9, 9),
                          "geboortedatum": (15, 16), "kenteken": (6, 6), "naam": (114, 120), "plaats": (52, 85),
                          "school": (30, 45), "telefoon": (22, 22)}  # pii_g
KIND_RECALL_MEASURED_H = {"account": (10, 13), "adres": (21, 23), "bsn": (12, 12), "e-mail": (11, 12),
                          "geboortedatum": (20, 22), "kenteken": (7, 8), "naam": (136, 138), "plaats": (70, 105),
                          "school": (44, 59), "telefoon": (30, 30)}  # pii_h
KIND_RECALL_MEASURED_I = {"account": (7, 7), "adres": (24, 24), "bsn": (4, 7), "e-mail": (18, 18),
                          "geboortedatum": (22, 24), "kenteken": (6, 6), "naam": (194, 200), "plaats": (81, 109),
                          "school": (58, 79), "telefoon": (56, 56)}  # pii_i
KIND_RECALL_MEASURED_J = {"account": (12, 13), "adres": (22, 23), "bsn": (6, 6), "e-mail": (18, 18),
                          "geboortedatum": (20, 20), "kenteken": (5, 5), "naam": (174, 184), "plaats": (82, 99),
                          "school": (51, 57), "telefoon": (34, 34)}  # pii_j
WRITER_RECALL_TARGET = 0.98


def _ratio(pair):
    return f"{pair[0] / pair[1]:.3f} ({pair[0]}/{pair[1]})"


def test_the_independent_writers_sets_are_caught_per_writer_and_kind(figures):
    from bench.redaction_eval import recall

    result = recall([Path(__file__).parent / "data" / "redaction_writers" / f"{name}.yml" for name in WRITERS], redact)
    figures(f"redaction recall on the independent writers' sets: {_ratio(result['total'])}; "
            f"before the rules for the new kinds 0.591 (492/833)")
    for writer, pair in result["writers"].items():
        figures(f"  writer {writer}: {_ratio(pair)}; before {_ratio(WRITER_RECALL_BEFORE[writer])}")
    for kind, pair in result["kinds"].items():
        figures(f"  {kind}: {_ratio(pair)}; first measured {_ratio(KIND_RECALL_BEFORE[kind])} (pii_a..c),"
                f" {_ratio(KIND_RECALL_MEASURED_D_E[kind])} (pii_d, pii_e),"
                f" {_ratio(KIND_RECALL_MEASURED_F[kind])} (pii_f), {_ratio(KIND_RECALL_MEASURED_G[kind])} (pii_g),"
                f" {_ratio(KIND_RECALL_MEASURED_H[kind])} (pii_h), {_ratio(KIND_RECALL_MEASURED_I[kind])} (pii_i),"
                f" {_ratio(KIND_RECALL_MEASURED_J[kind])} (pii_j)")
    figures(f"  clean messages changed: {result['clean'][0]} of {result['clean'][1]}")
    assert set(result["writers"]) == set(WRITER_RECALL_BEFORE) and result["total"][1] == 3205
    for data in WRITERS.values():
        for case in data["personal"]:
            redacted = redact(case["text"])
            missed = [item for items in case["pii"].values() for item in items if item in redacted]
            if missed:
                print(f"  missed {missed} in {redacted!r}")
    low = {writer: pair for writer, pair in result["writers"].items() if pair[0] / pair[1] < WRITER_RECALL_TARGET}
    assert low == {}
    assert result["clean"][0] == 0


def test_the_independent_writers_clean_messages_are_left_alone():
    changed = [(text, redact(text)) for data in WRITERS.values() for text in data["clean"] if redact(text) != text]
    assert changed == []


# Each rule of the new kinds with what it must catch and what it must leave alone
# (tracker_store/redact_tokens.py and redact_places.py).
@pytest.mark.parametrize("text, expected", [
    # dates of birth: after a birth cue, in every written form; appointments and years stay
    ("hij is geboren op 3/9/14 in het ziekenhuis", "hij is geboren op [geboortedatum] in het ziekenhuis"),
    ("Sam, geb. 17 aug. 2013", "[naam], geb. [geboortedatum]"),
    ("mijn dochter (°14/08/2015) praat weinig", "mijn dochter (°[geboortedatum]) praat weinig"),
    ("zoon, 03-09-2014, huilt veel", "zoon, [geboortedatum], huilt veel"),
    ("ze is op 2 januari jarig, geboren 2014", "ze is op [geboortedatum]"),
    ("Op 12-03-2024 om 10:30 hebben we een gesprek", "Op 12-03-2024 om 10:30 hebben we een gesprek"),
    ("hij is geboren in 2015 en zit in groep 4", "hij is geboren in 2015 en zit in groep 4"),
    ("sinds 1 maart woont ze bij ons", "sinds 1 maart woont ze bij ons"),
    # licence plates: Dutch side codes and Belgian plates; with spaces only after a cue
    ("een witte bus, 4-TFX-87, stond er weer", "een witte bus, [kenteken], stond er weer"),
    ("Belgische nummerplaat 1-ABC-234", "Belgische nummerplaat [kenteken]"),
    ("kenteken hx 412 p", "kenteken [kenteken]"),
    ("hij is 0-4 jaar geweest, groep 3-4", "hij is 0-4 jaar geweest, groep 3-4"),
    # accounts: @name, a handle after a platform; ordinary words stay
    ("hij heet daar @kevinn_hlm", "hij heet daar [account]"),
    ("op fortnite heet hij xX_rayanpro_Xx", "op fortnite heet hij [account]"),
    ("insta: mama_van_drie", "insta: [account]"),
    ("ze zit de hele dag op tiktok en snapchat", "ze zit de hele dag op tiktok en snapchat"),
    ("ik snap het niet, mijn account is geblokkeerd", "ik snap het niet, mijn account is geblokkeerd"),
    # schools, daycare, clubs, workplaces; a school in general stays
    ("hij voetbalt bij vv quick boys", "hij voetbalt bij [school]"),
    ("ze zit in groep 6 van De Kleine Reus", "ze zit in groep 6 van [school]"),
    ("Hij zit op het Grotius College", "Hij zit op [school]"),
    ("ik werk in ploegen in het UZ Gent", "ik werk in ploegen in [school]"),
    ("de school zegt dat het ADHD is", "de school zegt dat het ADHD is"),
    ("veranderen van kinderdagverblijf invloed op hechting", "veranderen van kinderdagverblijf invloed op hechting"),
    ("ik werk in de kinderopvang", "ik werk in de kinderopvang"),
    # towns after a residence cue; countries, regions and towns without a cue stay
    ("we wonen in rotterdam-zuid op de dordtselaan 140b", "we wonen in [plaats] op de [adres]"),
    ("Ik ben Evi Claes uit Hoboken", "Ik ben [naam] uit [plaats]"),
    ("Wij wonen in Vlaanderen, wordt dat terugbetaald?", "Wij wonen in Vlaanderen, wordt dat terugbetaald?"),
    ("Wij zijn naar Antwerpen op vakantie geweest", "Wij zijn naar Antwerpen op vakantie geweest"),
    ("In Rotterdam-Zuid is de wachtlijst lang", "In Rotterdam-Zuid is de wachtlijst lang"),
    ("is er een eigen risico als mijn kind bij jullie in behandeling is",
     "is er een eigen risico als mijn kind bij jullie in behandeling is"),
    # phone numbers: dotted, Belgian fixed lines, spelled out; addresses with additions
    ("bel 06.12.34.56.78 of 09 231 47 85", "bel [telefoon] of [telefoon]"),
    ("bel op nul zes, twaalf, vierendertig, zesenvijftig, achtenzeventig", "bel op [telefoon]"),
    ("Kerkstraat 87 bus 2, 2060 Antwerpen", "[adres], [postcode] [plaats]"),
    ("hij woont op de kerkstraat 3-II in haarlem", "hij woont op de [adres] in [plaats]"),
    # names that are also words: with a cue, a capital inside a sentence, a surname or a name beside
    ("ik ben wil, de opa van bas", "ik ben [naam], de opa van [naam]"),
    ("Naam kind: Hoop Mulder. Hoop heeft moeite met overgangen",
     "Naam kind: [naam]. [naam] heeft moeite met overgangen"),
    ("Hoogachtend, J.W. Brouwer", "Hoogachtend, [naam]"),
    ("'k Ben drie weken geleden bevallen", "'k Ben drie weken geleden bevallen"),
    ("ik hoop dat het goed komt", "ik hoop dat het goed komt"),
])
def test_the_rules_for_the_new_kinds(text, expected):
    assert redact(text) == expected


# Rules learnt by kind from the fourth and fifth writers (pii_d, pii_e), each with what it must
# catch and what it must leave alone; none of these sentences is in a planted set.
@pytest.mark.parametrize("text, expected", [
    # care institutions and every kind of club or association before a capitalised name
    ("ze ligt op de kinderafdeling van Ziekenhuis Rivierenland", "ze ligt op de kinderafdeling van [school]"),
    ("ik werk in verzorgingshuis De Berkenhof als kok", "ik werk in [school] als kok"),
    ("hij zit op korfbalvereniging Oranje Wit", "hij zit op [school]"),
    ("hij ligt in het ziekenhuis en ik slaap er ook", "hij ligt in het ziekenhuis en ik slaap er ook"),
    ("ze wil niet meer naar de tennisclub", "ze wil niet meer naar de tennisclub"),
    # club abbreviations in capitals before a name
    ("de trainer van FC Lisse belde me", "de trainer van [school] belde me"),
    ("mijn dochter zit bij HC Tilburg in de meisjes D", "mijn dochter zit bij [school] in de meisjes D"),
    ("we halen eten bij KFC als hij goed geslapen heeft", "we halen eten bij KFC als hij goed geslapen heeft"),
    # workplaces: also after "op", up to 60 characters after the work cue; the practice and services stay
    ("ik werk als bagagemedewerker op Eindhoven Airport", "ik werk als bagagemedewerker op [school]"),
    ("mijn man werkt sinds vorig jaar in ploegen als operator bij Tata Steel",
     "mijn man werkt sinds vorig jaar in ploegen als operator bij [school]"),
    ("ik werk bij Philips", "ik werk bij [school]"),
    ("ik werk op Zaterdag tot 5 uur", "ik werk op Zaterdag tot 5 uur"),
    ("ik werk op maandag en vrijdag", "ik werk op maandag en vrijdag"),
    ("hoe werkt de behandeling van hechtingsproblemen bij OCRN",
     "hoe werkt de behandeling van hechtingsproblemen bij OCRN"),
    ("dat werkt zo bij de Kindertelefoon en bij Veilig Thuis",
     "dat werkt zo bij de Kindertelefoon en bij Veilig Thuis"),
    # a branch named with its street
    ("je kunt me vinden bij de Jumbo aan de Dorpsstraat", "je kunt me vinden bij de [school]"),
    # towns: a residence verb after the town (a lower-case town only from the gazetteer)
    ("sinds we in Zoetermeer wonen slaapt ze slecht", "sinds we in [plaats] wonen slaapt ze slecht"),
    ("toen we nog in deventer woonden ging het beter", "toen we nog in [plaats] woonden ging het beter"),
    ("ze heeft in drie pleeggezinnen gewoond", "ze heeft in drie pleeggezinnen gewoond"),
    # a move to a town
    ("sinds onze verhuizing naar Breda huilt hij veel", "sinds onze verhuizing naar [plaats] huilt hij veel"),
    ("we zijn vorige maand naar Utrecht verhuisd", "we zijn vorige maand naar [plaats] verhuisd"),
    ("we zijn verhuisd naar zwolle", "we zijn verhuisd naar [plaats]"),
    ("we zijn verhuisd naar een kleiner huis", "we zijn verhuisd naar een kleiner huis"),
    ("sinds de verhuizing naar de nieuwe flat", "sinds de verhuizing naar de nieuwe flat"),
    # a town that narrows a country or region down (gazetteer)
    ("wij wonen in Limburg (Heerlen)", "wij wonen in Limburg ([plaats])"),
    ("ik woon in Nederland, in Almelo, met twee kinderen", "ik woon in Nederland, in [plaats], met twee kinderen"),
    ("we wonen in België (Vlaanderen)", "we wonen in België (Vlaanderen)"),
    ("we wonen in Nederland, in de buurt van de zee", "we wonen in Nederland, in de buurt van de zee"),
    # who writes, what they do and where (gazetteer, capitalised)
    ("ik ben pedagogisch medewerker in Amersfoort", "ik ben pedagogisch medewerker in [plaats]"),
    ("ik werk als kapster in Hoorn", "ik werk als kapster in [plaats]"),
    ("ik ben moeder in Nederland", "ik ben moeder in Nederland"),
    ("Ik ben juf in Groep 7 en een leerling is stil", "Ik ben juf in Groep 7 en een leerling is stil"),
    # Limburgish "ich bin" and "oet"
    ("ich bin Truus oet Kerkrade", "ich bin [naam] oet [plaats]"),
    ("ich bin moe", "ich bin moe"),
    # dates of birth: a year after an apostrophe, the cue after the date
    ("geb. 3-4-'16", "geb. [geboortedatum]"),
    ("ze is op 12 maart 2016 geboren", "ze is op [geboortedatum] geboren"),
    ("op 12 maart hebben we een gesprek, ze is in 2016 geboren",
     "op 12 maart hebben we een gesprek, ze is in 2016 geboren"),
    # names that are words: before an age, or between commas after "een dochter"
    ("Hoop is vier en slaapt slecht", "[naam] is vier en slaapt slecht"),
    ("Storm is voorbij", "Storm is voorbij"),
    ("Hoop is er altijd", "Hoop is er altijd"),
    ("ik heb een dochter, Roos, van 4", "ik heb een dochter, [naam], van 4"),
    ("ik heb een dochter, dus ik weet het", "ik heb een dochter, dus ik weet het"),
])
def test_the_rules_learnt_from_the_fourth_and_fifth_writers(text, expected):
    assert redact(text) == expected


# Rules learnt by kind from the sixth writer (pii_f: villages and rural towns), each with what it must
# catch and what it must leave alone; none of these sentences is in a planted set.
@pytest.mark.parametrize("text, expected", [
    # dates of birth: spelled out, "geb datum", eight digits after a cue, a date in a record after a name
    ("hij is geboren op twaalf maart tweeduizend achttien", "hij is geboren op [geboortedatum]"),
    ("geb. datum: 5 juli 2016", "geb. datum: [geboortedatum]"),
    ("de geboortedatum van mijn zoon is 20160705", "de geboortedatum van mijn zoon is [geboortedatum]"),
    ("ons klantnummer bij de bieb is 20160705", "ons klantnummer bij de bieb is 20160705"),
    ("Gegevens: Daan Smit | 2016-07-05", "Gegevens: [naam] | [geboortedatum]"),
    ("gesprek met Lisa - 12-03-2031 om 10:30", "gesprek met [naam] - 12-03-2031 om 10:30"),
    ("Lisa - 12-03-2031", "[naam] - 12-03-2031"),
    # licence plates: a few words between the cue and the plate
    ("het kenteken heb ik genoteerd: gx 214 k", "het kenteken heb ik genoteerd: [kenteken]"),
    ("het kenteken weet ik niet meer, 12 jaar geleden", "het kenteken weet ik niet meer, 12 jaar geleden"),
    # the Belgian rijksregisternummer (mod-97 check); Belgian 07x service numbers are no one's
    ("zijn rijksregisternummer is 14050312348", "zijn rijksregisternummer is [bsn]"),
    ("rijksregisternr: 85.07.30-033.28", "rijksregisternr: [bsn]"),
    ("staat er 85.07.30-033.28 op", "staat er [bsn] op"),
    # a mistyped number after the cue is still the child's (since pii_i); one that opens with no date is not
    ("zijn rijksregisternummer is 14050312349 denk ik", "zijn rijksregisternummer is [bsn] denk ik"),
    ("zijn rijksregisternummer is 14990312349 denk ik", "zijn rijksregisternummer is 14990312349 denk ik"),
    ("Kind en Gezin: 078 150 100", "Kind en Gezin: 078 150 100"),
    ("bel me op 078-6123456", "bel me op [telefoon]"),
    # names: clergy, trainers, colleagues, neighbours; a family; a nickname; surname and first name fields
    ("de dominee Bakker kwam langs", "de dominee [naam] kwam langs"),
    ("mijn collega Ineke zegt dat het wel meevalt", "mijn collega [naam] zegt dat het wel meevalt"),
    ("de trainer max twee keer per week", "de trainer max twee keer per week"),
    ("bij het gezin Jansen thuis", "bij het gezin [naam] thuis"),
    ("het gezin waarin ze opgroeit", "het gezin waarin ze opgroeit"),
    ("thuis noemen we haar Pip", "thuis noemen we haar [naam]"),
    ("ze noemt iedereen mama", "ze noemt iedereen mama"),
    ("een jongen die zich DarkWolf noemt", "een jongen die zich [naam] noemt"),
    ("Bobbie (zo noemen we hem) is 4", "[naam] (zo noemen we hem) is 4"),
    ("voornaam Eline, achternaam De Wit", "voornaam [naam], achternaam [naam]"),
    ("ik wil mijn naam niet geven", "ik wil mijn naam niet geven"),
    ("een peuter van 2 jaar, Nova, bijt", "een peuter van 2 jaar, [naam], bijt"),
    ("een kind van 3 jaar, toch, is dat normaal", "een kind van 3 jaar, toch, is dat normaal"),
    ("een jongen uit Colombia (6)", "een jongen uit Colombia (6)"),
    ("de week erna ging het beter", "de week erna ging het beter"),
    # youth movements, institutes, a church with its town, Flemish school abbreviations
    ("hij zit bij de Chiro Sint-Jan", "hij zit bij de [school]"),
    ("hij gaat graag naar de chiro", "hij gaat graag naar de chiro"),
    ("ze zit op het Sint-Jozefinstituut", "ze zit op [school]"),
    ("we zitten bij de Evangelische Gemeente in Houten", "we zitten bij de [school] in [plaats]"),
    ("de Katholieke Kerk in Nederland zegt", "de Katholieke Kerk in Nederland zegt"),
    ("de Protestantse Kerk in Nederland", "de Protestantse Kerk in Nederland"),
    ("hij zit op het VTI in Brugge", "hij zit op [school] in [plaats]"),
    ("ze zit op VBS De Klimop", "ze zit op [school]"),
    ("TI is een afkorting", "TI is een afkorting"),
    # workplaces: shifts and the till; what the writer is at a workplace named after an article
    ("ik draai nachtdiensten bij Tata Steel", "ik draai nachtdiensten bij [school]"),
    ("ik sta achter de kassa bij de Lidl", "ik sta achter de kassa bij [school]"),
    ("ik draai diensten bij de thuiszorg", "ik draai diensten bij de thuiszorg"),
    ("ik ben verpleegkundige in het Maasziekenhuis", "ik ben verpleegkundige in [school]"),
    ("ik ben al bij de Huisarts geweest", "ik ben al bij de Huisarts geweest"),
    # towns: where someone works, the origin of a move, "als <role> in", after an address even when
    # the town is a word, a place of daily life with its town, before school, a corrected town
    ("mijn man werkt nachten in Emmen", "mijn man werkt nachten in [plaats]"),
    ("werkt dat ook in Antwerpen?", "werkt dat ook in Antwerpen?"),
    ("sinds de verhuizing vanuit Zwolle slaapt hij slecht", "sinds de verhuizing vanuit [plaats] slaapt hij slecht"),
    ("we zijn verhuisd uit Syrië", "we zijn verhuisd uit Syrië"),
    ("als pleegmoeder in Emmen zie ik dat vaak", "als pleegmoeder in [plaats] zie ik dat vaak"),
    ("als het in Utrecht niet lukt, wat dan?", "als het in Utrecht niet lukt, wat dan?"),
    ("we wonen nu op de Kerkstraat 4 in Best", "we wonen nu op de [adres] in [plaats]"),
    ("het werkt het best in de ochtend", "het werkt het best in de ochtend"),
    ("hij wacht bij het station in Zwolle", "hij wacht bij het station in [plaats]"),
    ("ze lag in het ziekenhuis van Assen", "ze lag in het ziekenhuis van [plaats]"),
    ("ik heb een opvang aan huis in Bergen op Zoom", "ik heb een opvang aan huis in [plaats]"),
    ("hebben jullie ook een praktijk in Rotterdam?", "hebben jullie ook een praktijk in Rotterdam?"),
    ("ze zit in Assen op school", "ze zit in [plaats] op school"),
    ("in Nederland op school", "in Nederland op school"),
    ("we wonen in Assen, nee sorry, in Emmen", "we wonen in [plaats], nee sorry, in [plaats]"),
    ("we wonen in Assen. Nee, dat is niet erg", "we wonen in [plaats]. Nee, dat is niet erg"),
    ("wij wonen in Son en Breugel", "wij wonen in [plaats]"),
])
def test_the_rules_learnt_from_the_sixth_writer(text, expected):
    assert redact(text) == expected


def test_the_gazetteer_holds_dutch_and_belgian_places_in_lower_case():
    from tracker_store.redact_places import PLACES

    assert len(PLACES) >= 4000
    assert {"amsterdam", "antwerpen", "den haag", "kerkrade", "lanaken", "tilburg"} <= PLACES
    assert all(place == place.lower() for place in PLACES)
    assert not {"nederland", "belgië", "vlaanderen", "hechting", "huisarts"} & PLACES


def test_a_hint_inside_a_longer_hint_still_opens_its_rule():
    from tracker_store.redact import hints_in

    assert {"work", "self"} <= hints_in("ik werk")
    assert {"birth", "resident"} <= hints_in("geboren")


def test_the_store_writes_only_redacted_events_and_a_restart_reads_them(tmp_path):
    """In-process: save through RedactingSQLTrackerStore, then open a new store on the same file."""
    import asyncio
    import sqlite3

    from rasa.core.tracker_store import create_tracker_store
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
    from rasa.utils.endpoints import EndpointConfig

    db = tmp_path / "tracker.db"
    config = EndpointConfig(type="tracker_store.redacting.RedactingSQLTrackerStore", dialect="sqlite", db=str(db))
    domain = Domain.load(str(Path(__file__).parents[1] / "domain.yml"))
    raw = "Ik ben Fatima, bel 06-12345678 of mail f.bakker@example.nl"

    async def conversation():
        store = create_tracker_store(config, domain)
        tracker = await store.get_or_create_tracker("parent")
        # Keys that components add to the parse data are stored redacted too.
        parse_data = {"questions": [{"text": raw, "intent": "greet"}], "any_new_key": {"deep": [raw]}}
        tracker.update(UserUttered(raw, {"name": "greet", "confidence": 0.9},
                                   [{"entity": "age_band", "value": "puber", "text": "Fatima"}],
                                   parse_data=parse_data, metadata={"note": raw}))
        tracker.update(BotUttered("Hoi Fatima!", data={"buttons": [{"title": "Fatima", "payload": "/greet"}]}))
        tracker.update(SlotSet("age_band", "bel 06-12345678"))
        assert tracker.latest_message.text == raw  # the current turn keeps the raw text
        await store.save(tracker)
        restarted = create_tracker_store(config, domain)
        return await restarted.retrieve("parent")

    reloaded = asyncio.run(conversation())
    redacted = "Ik ben [naam], bel [telefoon] of mail [e-mail]"
    assert reloaded.latest_message.text == redacted
    assert reloaded.latest_message.entities[0]["value"] == "puber"
    assert reloaded.latest_message.intent["name"] == "greet"
    assert reloaded.latest_message.parse_data["questions"][0] == {"text": redacted, "intent": "greet"}
    with sqlite3.connect(db) as connection:
        cells = [str(cell) for row in connection.execute("select * from events") for cell in row]
    assert not [cell for cell in cells for secret in ("Fatima", "06-12345678", "f.bakker") if secret in cell]
    assert any("[naam]" in cell for cell in cells)



def test_the_sqlite_store_commits_without_waiting_for_the_disk(tmp_path):
    """WAL journal, synchronous=NORMAL, and a pooled connection (benchmarks: commit cost)."""
    from rasa.core.tracker_store import create_tracker_store
    from rasa.shared.core.domain import Domain
    from rasa.utils.endpoints import EndpointConfig

    config = EndpointConfig(type="tracker_store.redacting.RedactingSQLTrackerStore",
                            dialect="sqlite", db=str(tmp_path / "tracker.db"))
    store = create_tracker_store(config, Domain.empty())
    for _ in range(2):
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
            assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
            raw = connection.connection.connection
    assert store.engine.pool.checkedin() == 1  # the connection stays open for the next turn
    with store.engine.connect() as connection:
        assert connection.connection.connection is raw

# Training examples that hold personal data on purpose, with the reason; all
# other examples of data/nlu.yml must come out of redact() unchanged.
NLU_EXAMPLES_WITH_PERSONAL_DATA = {
    "Wij zijn net naar Antwerpen verhuisd en kennen hier nog niemand. Ik maak me zorgen over de hechting van ons"
    " kindje van 2. Bij wie kan ik best met die zorgen terecht?":
        "a move names the town the family lives in (docs/decisions.md); the intent does not hang on the town",
}
# And those the independent writers wrote with a name or a town, listed with their writer.
NLU_EXAMPLES_WITH_PERSONAL_DATA.update(
    (item["text"], f"written by {item['writer']}: a name or the family's town, as parents write")
    for item in yaml.safe_load((Path(__file__).parent / "data" / "nlu_personal_data.yml").read_text(
        encoding="utf-8"))["examples"])
_ENTITY_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def _nlu_texts(path):
    """Example texts of a Rasa NLU YAML file, entity annotations [text](entity) reduced to their text."""
    from conftest import nlu_examples

    return [_ENTITY_ANNOTATION.sub(r"\1", text) for text, _ in nlu_examples(path)]


def test_entity_annotations_are_stripped_from_nlu_examples(tmp_path):
    path = tmp_path / "nlu.yml"
    path.write_text('nlu:\n- intent: x\n  examples: |\n    - mijn [dochter](child) is [4]{"entity": "age"}\n',
                    encoding="utf-8")
    assert _nlu_texts(path) == ["mijn dochter is 4"]


def test_the_parent_questions_of_the_training_data_are_left_alone():
    """Strict: no example of data/nlu.yml may change, except the listed ones."""
    from launcher.settings import ROOT

    texts = _nlu_texts(ROOT / "data" / "nlu.yml")
    changed = [(text, redact(text)) for text in texts
               if redact(text) != text and text not in NLU_EXAMPLES_WITH_PERSONAL_DATA]
    print(f"\nredaction false positives on data/nlu.yml: {len(changed)} of {len(texts)}: {changed}")
    assert changed == []
    assert all(text in texts and redact(text) != text for text in NLU_EXAMPLES_WITH_PERSONAL_DATA)


def test_held_out_parent_questions_are_left_alone():
    """The held-out messages were never used to tune the rules: a check on unseen text."""
    from launcher.settings import ROOT

    texts = _nlu_texts(ROOT / "tests" / "nlu_heldout.yml")
    changed = [(text, redact(text)) for text in texts if redact(text) != text]
    print(f"\nredaction false positives on tests/nlu_heldout.yml: {len(changed)} of {len(texts)}: {changed}")
    assert len(changed) <= 0.005 * len(texts)


def test_the_domains_names_pass_the_stores_redaction_unchanged():
    """The store redacts every string of an event, names of intents, actions and slots too."""
    from launcher.settings import ROOT
    from tracker_store.redacting import redact_tree

    from conftest import load_yaml

    domain = load_yaml(ROOT / "domain.yml")
    names = (list(domain["intents"]) + list(domain["responses"]) + list(domain.get("actions", []))
             + list(domain.get("slots", {})) + list(domain.get("entities", []))
             + ["DIETClassifier", "FallbackClassifier", "RegexEntityExtractor", "socketio", "rest"])
    names = [name if isinstance(name, str) else next(iter(name)) for name in names]
    assert redact_tree({"names": names}) == {"names": names}


def test_the_bots_own_responses_are_stored_unchanged():
    """Bot texts are redacted too (a response may fill in a slot); none of the domain's may change."""
    from launcher.settings import ROOT

    from conftest import load_yaml

    texts = [variant.get("text", "") for variants in load_yaml(ROOT / "domain.yml")["responses"].values()
             for variant in variants]
    assert [text for text in texts if redact(text) != text] == []


# Rules learnt by kind from the seventh writer (pii_g: city districts and suburbs, many backgrounds), each with
# what it must catch and what it must leave alone; none of these sentences is in a planted set.
@pytest.mark.parametrize("text, expected", [
    # institutions: community and faith houses before a name, a house of prayer named before its type word,
    # compounds with -gemeente; a denomination or a nationality before the type word stays
    ("hij hangt vaak rond bij jeugdhuis De Schakel", "hij hangt vaak rond bij [school]"),
    ("we halen eten bij voedselbank Noord", "we halen eten bij [school]"),
    ("ze gaat naar de kerk Sint Maarten", "ze gaat naar de [school]"),
    ("hij leert Arabisch in de Ulu moskee", "hij leert Arabisch in de [school]"),
    ("we bidden in de Turkse moskee", "we bidden in de Turkse moskee"),
    ("ze gaat graag naar het buurthuis", "ze gaat graag naar het buurthuis"),
    ("we zijn lid van de Baptistengemeente Sion", "we zijn lid van de [school]"),
    # schools named by their playground, a child skipping or refusing them
    ("iemand stond bij het schoolplein van De Regenboog", "iemand stond bij het schoolplein van [school]"),
    ("hij is geschorst van het Stedelijk Lyceum", "hij is geschorst van [school]"),
    ("ze wil niet meer naar De Toermalijn gaan", "ze wil niet meer naar [school] gaan"),
    ("ze wil niet naar de opvang gaan", "ze wil niet naar de opvang gaan"),
    ("hij spijbelt van school", "hij spijbelt van school"),
    # workplaces: a part of a company, the company before the work verb; a name or service there stays a name
    ("hij draait diensten bij het magazijn van Bol", "hij draait diensten bij het magazijn van [school]"),
    ("sinds mijn man bij Philips in de nacht werkt", "sinds mijn man bij [school] in de nacht werkt"),
    ("bij ons werkt dat anders", "bij ons werkt dat anders"),
    # the family's business, its town and its name
    ("we hebben een toko in Amsterdam-Noord, Warung Sari, en", "we hebben een toko in [plaats], [school], en"),
    ("is het erg als een kind in de zaak meehelpt?", "is het erg als een kind in de zaak meehelpt?"),
    # towns and districts: a district after its town, "in de <District>" after a cue, who someone is before "uit",
    # where someone came from, back to a town, a neighbourhood worker's district, a class in a town
    ("wij wonen in Utrecht, Lunetten.", "wij wonen in [plaats], [plaats]."),
    ("wij wonen in Tilburg, Nederland.", "wij wonen in [plaats], Nederland."),
    ("ze woont bij haar oma in de Vogelwijk", "ze woont bij haar oma in de [plaats]"),
    ("wij wonen in de Randstad", "wij wonen in de Randstad"),
    ("bij ons in de Ramadan eten we laat", "bij ons in de Ramadan eten we laat"),
    ("ze speelt met meiden uit Lombok", "ze speelt met meiden uit [plaats]"),
    ("een leerling uit Syrië", "een leerling uit Syrië"),
    ("kinderen uit gescheiden gezinnen", "kinderen uit gescheiden gezinnen"),
    ("ze kwam drie jaar geleden uit Aleppo", "ze kwam drie jaar geleden uit [plaats]"),
    ("toen we uit Mosul zijn gevlucht", "toen we uit [plaats] zijn gevlucht"),
    ("hij kwam huilend uit bed", "hij kwam huilend uit bed"),
    ("ze wil terug naar Mostar", "ze wil terug naar [plaats]"),
    ("ze wil terug naar Nederland", "ze wil terug naar Nederland"),
    ("Buurtwerker Lombok hier, een vraag", "Buurtwerker [plaats] hier, een vraag"),
    ("ik ben juf van groep 3 in Zwolle", "ik ben juf van groep 3 in [plaats]"),
    ("mijn ouders werken in Casablanca.", "mijn ouders werken in [plaats]."),
    ("ik werk in Excel met lijstjes", "ik werk in Excel met lijstjes"),
    ("hij wacht bij het winkelcentrum in Transvaal", "hij wacht bij het winkelcentrum in [plaats]"),
    ("ik ben [naam] uit Best", "ik ben [naam] uit [plaats]"),
    ("hij zit op de Vonk zaterdagschool in Almere", "hij zit op [school] zaterdagschool in [plaats]"),
    # addresses: a street without a street word after "op/aan/naar de", French streets, a Belgian postcode
    ("ze zijn verhuisd naar de Bloemgracht 12", "ze zijn verhuisd naar de [adres]"),
    ("hij zit op de Groep 7 van juf Anna", "hij zit op de Groep 7 van juf [naam]"),
    ("we komen op de Kinderboekenweek 2 keer", "we komen op de Kinderboekenweek 2 keer"),
    ("ze woont Avenue Louise 54, 1050.", "ze woont [adres], [postcode]."),
    # names: "en heet" with a capital, plurals of children, a child named after where it is from
    ("mijn kleinzoon is 4 en heet Milan", "mijn kleinzoon is 4 en heet [naam]"),
    ("doe er een pan en heet water bij", "doe er een pan en heet water bij"),
    ("mijn zonen Noah en Lucas ruziën veel", "mijn zonen [naam] en [naam] ruziën veel"),
    ("mijn dochters zijn 3 en 5", "mijn dochters zijn 3 en 5"),
    ("er is een leerling uit Lombok, Daan Smit, die", "er is een leerling uit [plaats], [naam], die"),
    ("een meisje van 9, Liv, huilt vaak", "een meisje van 9, [naam], huilt vaak"),
    # accounts behind a gaming cue, dates of birth a few words before a colon
    ("hij gamet als Dark_Wolf_07 tot diep in de nacht", "hij gamet als [account] tot diep in de nacht"),
    ("hij gamet als een gek", "hij gamet als een gek"),
    ("haar verjaardag heb ik genoteerd: 2 mei 2016", "haar verjaardag heb ik genoteerd: [geboortedatum]"),
    ("haar verjaardag vieren we op 2 mei", "haar verjaardag vieren we op 2 mei"),
])
def test_the_rules_learnt_from_the_seventh_writer(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "als ik het goed snap: dat komt door de verhuizing?",
    "even kijken of ik het snap: hij mag dus gewoon boos zijn",
    "ik snap: je bedoelt dat ik rustig moet blijven",
])
def test_the_verb_snappen_before_a_colon_is_no_snapchat_account(text):
    assert redact(text) == text


@pytest.mark.parametrize("text, handle", [
    ("haar snapchat: lottevb", "lottevb"), ("snap: @lotte_08", "@lotte_08"), ("insta: jesse.k", "jesse.k"),
])
def test_accounts_after_a_platform_and_a_colon_are_still_found(text, handle):
    assert handle not in redact(text)


# Rules learnt by kind from the eighth writer (pii_h: the east and south of the Netherlands, Brussels), each with
# what it must catch and what it must leave alone; none of these sentences is in a planted set.
@pytest.mark.parametrize("text, expected", [
    # towns: near the town named, a named area, between two villages, where someone is from, a relative's town,
    # home, another person's town after a comma, a move with its auxiliary or out of a town, before a named school
    ("we wonen in Markelo, net buiten Goor", "we wonen in [plaats], net buiten [plaats]"),
    ("ze woont in Ulft, vlakbij Gendringen", "ze woont in [plaats], vlakbij [plaats]"),
    ("we wonen in de wijk Het Zand", "we wonen in de wijk [plaats]"),
    ("de wijk is onrustig", "de wijk is onrustig"),
    ("(gemeente Berkelland)", "(gemeente [plaats])"),
    ("we wonen op een boerderij tussen Lochem en Laren", "we wonen op een boerderij tussen [plaats] en [plaats]"),
    ("we wonen hier tussen 3 en 5 uur niet", "we wonen hier tussen 3 en 5 uur niet"),
    ("mijn vrouw komt van Hasselt", "mijn vrouw komt van [plaats]"),
    ("mijn man is van slag", "mijn man is van slag"),
    ("zijn vader zit in Maastricht", "zijn vader zit in [plaats]"),
    ("mijn zus is juf in Venlo", "mijn zus is juf in [plaats]"),
    ("mijn zoon is goed in Engels", "mijn zoon is goed in Engels"),
    ("mijn moeder zit in de put", "mijn moeder zit in de put"),
    ("hij is weer thuis in Oldenzaal", "hij is weer thuis in [plaats]"),
    ("ze is thuis in haar eigen bed", "ze is thuis in haar eigen bed"),
    ("ik woon in Enschede, hij in Hengelo.", "ik woon in [plaats], hij in [plaats]."),
    ("sinds we verhuisd zijn naar Tiel", "sinds we verhuisd zijn naar [plaats]"),
    ("we zijn uit Leeds naar Deventer verhuisd", "we zijn uit [plaats] naar [plaats] verhuisd"),
    ("ze gaat in Eibergen naar OBS De Zonnewijzer", "ze gaat in [plaats] naar [school]"),
    ("de oppas, Ria de Vries, in Neede", "de oppas, [naam], in [plaats]"),
    ("wonend bij ons (pleeggezin Jansen) in Twello", "wonend bij ons (pleeggezin [naam]) in [plaats]"),
    ("we wonen in 't Zandt", "we wonen in [plaats]"),
    ("bij oma in driebergen slaapt ze goed", "bij oma in [plaats] slaapt ze goed"),
    ("ze staat bij het raam in Neede te wachten", "ze staat bij het raam in [plaats] te wachten"),
    # institutions: employers after what someone does, military bases and units, village associations,
    # hospitals by abbreviation, a school after "school was" or between commas, schools across the border,
    # a house of prayer with a capital type word, "op t" for "op 't"
    ("ik ben vrachtwagenchauffeur bij Van den Heuvel Transport", "ik ben vrachtwagenchauffeur bij [school]"),
    ("ik rij voor Jan de Rooy", "ik rij voor [school]"),
    ("ik rij voor de deur langs", "ik rij voor de deur langs"),
    ("de begeleider bij Jeugdzorg zegt", "de begeleider bij Jeugdzorg zegt"),
    ("hij werkt op de vliegbasis Leeuwarden", "hij werkt op de [school]"),
    ("mijn man zit bij het 13 Lichte Brigade in Oirschot", "mijn man zit bij het [school] in [plaats]"),
    ("hij zit bij de schutterij Sint Joris", "hij zit bij de [school]"),
    ("ze speelt bij de harmonie St. Cecilia", "ze speelt bij de [school]"),
    ("hij ligt in het UMCG", "hij ligt in het [school]"),
    ("de oude school was De Vlinder in Haaksbergen", "de oude school was [school] in [plaats]"),
    ("haar school, Het Assink, belt vaak", "haar school, [school], belt vaak"),
    ("de school, ik weet het niet", "de school, ik weet het niet"),
    ("hij gaat naar de Grundschule Kranenburg", "hij gaat naar de [school]"),
    ("we bidden in de Fatih Camii", "we bidden in de [school]"),
    ("hij zit op t Twents Carmel", "hij zit op [school]"),
    # names in apposition after a relative, a foster family; dates, plates, mail, accounts and Belgian addresses
    ("zijn oma, Jet Hoving, belt", "zijn oma, [naam], belt"),
    ("bij het pleeggezin De Boer", "bij het pleeggezin [naam]"),
    ("geboortedatum volgens het paspoort 3 mei 2015", "geboortedatum volgens het paspoort [geboortedatum]"),
    ("born 12/05/2016", "born [geboortedatum]"),
    ("Duits kenteken KLE-AB 123", "Duits kenteken [kenteken]"),
    ("mail: jan.b(at)gmail(punt)com", "mail: [e-mail]"),
    ("wechat: lili_nl88", "wechat: [account]"),
    ("zijn naam online is Gamer_Boy12", "zijn naam online is [account]"),
    ("Boulevard Anspach 12 bus 3, 1000 Brussel", "[adres], [postcode] [plaats]"),
])
def test_the_rules_learnt_from_the_eighth_writer(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "we wonen bij ons in netwerkpleegzorg",
    "hij woont bij ons in gezinshuisverband",
    "het gaat bij ons in golven",
    "bij ons in huis mag dat niet",
    "ze woont hier in onzekerheid",
    "bij mijn moeder in bed slaapt ze wel",
    "bij ons in de pleegzorg gaat dat anders",
])
def test_lower_case_words_after_a_residence_cue_are_no_town(text):
    """A lower-case word after "bij ons in" and other cues is a town only when the gazetteer has it."""
    assert redact(text) == text


def test_the_hand_written_places_are_no_ordinary_words_of_the_training_data():
    from launcher.settings import ROOT
    from tracker_store.places_build import extra_places
    from tracker_store.redact_places import PLACES

    lower_words = {word for text in _nlu_texts(ROOT / "data" / "nlu.yml") for word in re.findall(r"[\w'-]+", text)
                   if word.islower()}
    assert extra_places() <= PLACES and len(extra_places()) >= 400
    assert not (extra_places() & lower_words)


# Rules learnt by kind from the ninth writer (pii_i: the Randstad and the north, Antwerp and Belgian Limburg), each
# with what it must catch and what it must leave alone; none of these sentences is in a planted set.
@pytest.mark.parametrize("text, expected", [
    # Belgian rijksregisternummers after a cue in every written form, also when the check fails; dates of birth
    # after "geboren," and as "de 3e van mei"
    ("het rijksregisternummer van Lies: 16.02.11-123.45", "het rijksregisternummer van [naam]: [bsn]"),
    ("rijksregisternummer: 16021112345", "rijksregisternummer: [bsn]"),
    ("ze is in Gent geboren, 03/05/2016, en", "ze is in [plaats] geboren, [geboortedatum], en"),
    ("hij is geboren op de 5e van juni 2015", "hij is geboren op de [geboortedatum]"),
    ("op de 5e van juni hebben we een gesprek", "op de 5e van juni hebben we een gesprek"),
    # names: "'t" in a surname, a name between a comma and a bracket, a name-word after a cue before an age,
    # ", heet" with a name of the list, Frisian first names
    ("Wij, Jan en Grietje van 't Veld uit Zwolle", "Wij, [naam] en [naam] uit [plaats]"),
    ("Hoogachtend, G. van 't Veld", "Hoogachtend, [naam]"),
    ("er is een jongen, Storm (echt waar), die", "er is een jongen, [naam] (echt waar), die"),
    ("mijn zoontje hoop is 3 en", "mijn zoontje [naam] is 3 en"),
    ("mijn zoon wil is wat ik bedoel", "mijn zoon wil is wat ik bedoel"),
    ("hij is 6, heet daan, en", "hij is 6, heet [naam], en"),
    ("de soep is lauw, heet water helpt", "de soep is lauw, heet water helpt"),
    ("ik ben sytske uit Grou", "ik ben [naam] uit [plaats]"),
    # institutions: club abbreviations in lower case and of professional clubs, class compounds, a trainer or daycare
    # at a named place without an article, youth care, foundations, health centres, teams and colleges as type words,
    # hospitals and care organisations by their short names or before their type word, prisons by abbreviation,
    # placements through an organisation, a school before "zit", a capital article, a name in brackets after daycare
    ("hij turnt bij gv Olympia", "hij turnt bij [school]"),
    ("hij speelt in de jeugd van NEC Nijmegen", "hij speelt in de jeugd van [school]"),
    ("ze zit in de schakelklas van De Meander", "ze zit in de schakelklas van [school]"),
    ("ik ben coach bij Rowing Amstel en", "ik ben coach bij [school] en"),
    ("de trainer van Daan belt", "de trainer van [naam] belt"),
    ("hij gaat naar de opvang bij Het Kikkerhuis", "hij gaat naar de opvang bij [school]"),
    ("het contact loopt via Jeugdbescherming Noord", "het contact loopt via [school]"),
    ("morgen moet ik naar het gezondheidscentrum", "morgen moet ik naar het gezondheidscentrum"),
    ("ze ligt al een week in het Isala", "ze ligt al een week in het [school]"),
    ("na een opname in het Rivas ziekenhuis", "na een opname in het [school]"),
    ("na een opname in een Belgisch ziekenhuis", "na een opname in een Belgisch ziekenhuis"),
    ("Is pleegzorg altijd tijdelijk?", "Is pleegzorg altijd tijdelijk?"),
    ("zijn vader zit in PI Vught", "zijn vader zit in [school]"),
    ("ze is bij ons geplaatst via Kompaan", "ze is bij ons geplaatst via [school]"),
    ("we zijn pleegouders en hoorden het via WhatsApp", "we zijn pleegouders en hoorden het via WhatsApp"),
    ("sinds hij op het Sint-Janscollege zit", "sinds hij op [school] zit"),
    ("hij plast in zijn broek op De Wilgenhoek", "hij plast in zijn broek op [school]"),
    ("we gaan naar De Bilt op bezoek", "we gaan naar De Bilt op bezoek"),
    ("ze gaat sinds kort naar de opvang (De Boomhut)", "ze gaat sinds kort naar de opvang ([school])"),
    # towns and districts: a move with a town in lower case, back to a town after more verbs, a prison with its
    # town, an adjective before a town, "thuis in de", a district by its kind (-wijk, -kwartier, -buurt), a war's
    # town, home without "in", a neighbourhood team's area, a greeting or what the writer is before "uit", "naar ons
    # in", someone gone to a town, a town before the address; countries and trips stay
    ("we zijn verhuisd van Gent naar zwolle-zuid", "we zijn verhuisd van [plaats] naar [plaats]"),
    ("we zijn verhuisd van huis naar een flat", "we zijn verhuisd van huis naar een flat"),
    ("zijn moeder moest terug naar Kinshasa", "zijn moeder moest terug naar [plaats]"),
    ("hij zit in de gevangenis van Vught", "hij zit in de gevangenis van [plaats]"),
    ("zijn vader woont in Oud Beijerland", "zijn vader woont in [plaats]"),
    ("we wonen in Nieuw Zeeland", "we wonen in Nieuw Zeeland"),
    ("thuis in de Kruidenwijk gaat het", "thuis in de [plaats] gaat het"),
    ("ze speelt buiten in de Schilderswijk", "ze speelt buiten in de [plaats]"),
    ("in de buurt is het rustig", "in de buurt is het rustig"),
    ("hij droomt van de oorlog in Homs", "hij droomt van de oorlog in [plaats]"),
    ("hij droomt van de oorlog in Syrië", "hij droomt van de oorlog in Syrië"),
    ("Wij wonen Buitenhof, Delft.", "Wij wonen [plaats], [plaats]."),
    ("ik werk voor het wijkteam in Vinkhuizen", "ik werk voor het wijkteam in [plaats]"),
    ("hallo uit Sneek, mijn zoon", "hallo uit [plaats], mijn zoon"),
    ("ik ben Fenna, moeder uit Stiens", "ik ben [naam], moeder uit [plaats]"),
    ("ze komt elke dag naar ons in Wormer", "ze komt elke dag naar ons in [plaats]"),
    ("sinds zijn vader naar Leeds is vertrokken", "sinds zijn vader naar [plaats] is vertrokken"),
    ("we gaan naar Antwerpen op vakantie", "we gaan naar Antwerpen op vakantie"),
    ("wij logeren in Purmerend, Kerkstraat 4", "wij logeren in [plaats], [adres]"),
])
def test_the_rules_learnt_from_the_ninth_writer(text, expected):
    assert redact(text) == expected


# Rules learnt by kind from the tenth writer (pii_j: Utrecht, Gelderland, Flevoland, Overijssel, Brabant, Limburg,
# Rotterdam-Zuid, Flanders), each with what it must catch and what it must leave alone; none of these sentences is in a
# planted set.
@pytest.mark.parametrize("text, expected", [
    # names: a nickname with the subject first, first names of Surinamese and Antillean families
    ("onze zoon, wij noemen hem Bram, is 4", "onze zoon, wij noemen hem [naam], is 4"),
    ("wij noemen haar een kanjer", "wij noemen haar een kanjer"),
    ("de zus van sharissa belde", "de zus van [naam] belde"),
    # accounts: the name someone plays under
    ("hij gamet elke avond onder de naam DarkKnightNL", "hij gamet elke avond onder de naam [account]"),
    ("ze post onder de naam van haar broer", "ze post onder de naam van haar broer"),
    # institutions: a studio by its kind, a partnership, Flemish foster services, a hospital group, a church named
    # after its type word with its town, the kind of business before an employer
    ("ze zit op yogastudio Zonnegroet", "ze zit op [school]"),
    ("ik ga naar de dansstudio vanavond", "ik ga naar de dansstudio vanavond"),
    ("wij boeren samen (Maatschap Jansen-Smit) en", "wij boeren samen ([school]) en"),
    ("de maatschap van huisartsen zegt", "de maatschap van huisartsen zegt"),
    ("Thuisbegeleidingsdienst Meetjesland komt langs", "[school] komt langs"),
    ("de kinderarts van de Zuidwester Ziekenhuisgroep zegt", "de kinderarts van de [school] zegt"),
    ("wij gaan naar de Gereformeerde Kerk De Rots in Barneveld", "wij gaan naar de [school] in [plaats]"),
    ("ik werk bij transportbedrijf Van den Heuvel", "ik werk bij transportbedrijf [school]"),
    ("ik werk bij tante Els in de winkel", "ik werk bij tante [naam] in de winkel"),
    # towns and districts: the category of the middle, east and south; home without "in" after an adverb, the area
    # then the town, a child with its age before where it is from (dialect, lower case, "van"), what the writer is
    # after the name, the consultatiebureau's town, a business by its kind, "in de" with a lower-case district, a
    # district after its town in any case, the town near a home, a street right after the town
    ("Wij wonen nu Lunetten, Utrecht.", "Wij wonen nu [plaats], [plaats]."),
    ("we wonen in een rustige buurt in Tiel", "we wonen in een rustige buurt in [plaats]"),
    ("mijn zoon [naam] (7) oet Brunssum", "mijn zoon [naam] (7) oet [plaats]"),
    ("ons Lotte (4) van Gentbrugge slaapt slecht", "ons [naam] (4) van [plaats] slaapt slecht"),
    ("ons Jules van 6 uit wondelgem", "ons [naam] van 6 uit [plaats]"),
    ("ons Lotte (4) van school haalt", "ons [naam] (4) van school haalt"),
    ("Ik ben Marja, gastmoeder in Hatert.", "Ik ben [naam], gastmoeder in [plaats]."),
    ("bij het consultatiebureau in Malburgen zeiden ze", "bij het consultatiebureau in [plaats] zeiden ze"),
    ("we hebben een melkveebedrijf in Marknesse", "we hebben een melkveebedrijf in [plaats]"),
    ("wij wonen in de carnisse, vlak bij school", "wij wonen in de [plaats], vlak bij school"),
    ("wij wonen in de buurt van school", "wij wonen in de buurt van school"),
    ("we wonen in tilburg reeshof en", "we wonen in [plaats] [plaats] en"),
    ("we wonen in Eindhoven best fijn.", "we wonen in [plaats] best fijn."),
    ("we wonen in Erp, vlak bij Veghel", "we wonen in [plaats], vlak bij [plaats]"),
    ("We wonen in Limburg, vlakbij Venlo.", "We wonen in Limburg, vlakbij [plaats]."),
    ("we wonen in gent, Brugsesteenweg 12", "we wonen in [plaats], [adres]"),
    ("we wonen in Utrecht, Groep 7 is leuk", "we wonen in [plaats], Groep 7 is leuk"),
])
def test_the_rules_learnt_from_the_tenth_writer(text, expected):
    assert redact(text) == expected
