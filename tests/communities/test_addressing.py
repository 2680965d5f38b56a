import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neighbourly.communities.addressing import address_key, normalise_street, parse_address

SAME_ADDRESS = [
    "Flat 2, 14 Elm St",
    "14 elm street flat 2",
    "2/14 Elm Street",
    "14 ELM  ST., apt. 2",
    "14 Elm Street #2",
    "Unit 2 14 Elm Str",
    "Apartment 2, 14 Elm Street",
    "flat 2 14 elm st",
    "14, Elm Street, Flat 2",
    "2 / 14 elm street",
    "Suite 2, 14 Elm St.",
]


@pytest.mark.parametrize("text", SAME_ADDRESS)
def test_many_spellings_of_one_flat_give_one_key(text):
    assert parse_address(text).key == address_key(number="14", street="Elm Street", unit="Flat 2")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("14 Elm Street", "14|elm street|"),
        ("14a Oak Ave", "14a|oak avenue|"),
        ("14A oak avenue", "14a|oak avenue|"),
        ("7 St John's Rd", "7|saint johns road|"),
        ("7 Saint Johns Road", "7|saint johns road|"),
        ("3 Mill Lane, Millbrook", "3|mill lane millbrook|"),
        ("Rose Cottage, 3 Mill Ln", "3|mill lane|"),
        ("10 N High St", "10|north high street|"),
        ("5 Crème Brûlée Gdns", "5|creme brulee gardens|"),
        ("Apartment 2B, 14 Elm St", "14|elm street|2b"),
        ("12-14 Market Sq", "12-14|market square|"),
    ],
)
def test_parse_address_keys(text, key):
    assert parse_address(text).key == key


@pytest.mark.parametrize("text", ["", "   ", "Elm Street", "flat 2", "#$%^", "14"])
def test_text_without_number_and_street_parses_to_none(text):
    assert parse_address(text) is None


def test_register_fields_and_typed_text_agree():
    assert address_key(number="14 ", street="ELM ST", unit="Apt 2") == "14|elm street|2"
    assert address_key(number="14", street="Elm Street", unit="") == "14|elm street|"


def test_flat_lane_is_a_street_not_a_unit():
    assert parse_address("3 Flat Lane").key == "3|flat lane|"


def test_normalise_street_saint_only_at_the_start():
    assert normalise_street("St Anne's Road") == "saint annes road"
    assert normalise_street("Church St") == "church street"


STREET_WORDS = st.sampled_from(["Elm", "Oak", "Willow", "Mill", "Chestnut", "Station", "Church", "Meadow"])
SUFFIXES = st.sampled_from(
    [("Street", "St"), ("Road", "Rd"), ("Avenue", "Ave"), ("Lane", "Ln"), ("Close", "Cl"), ("Gardens", "Gdns"),
     ("Terrace", "Tce"), ("Drive", "Dr"), ("Court", "Ct"), ("Crescent", "Cres")]
)
NUMBERS = st.builds(lambda n, letter: f"{n}{letter}", st.integers(1, 999), st.sampled_from(["", "a", "b"]))
UNITS = st.one_of(st.just(""), st.builds(str, st.integers(1, 60)))
TEMPLATES_WITH_UNIT = [
    "Flat {u}, {n} {s}",
    "{n} {s} flat {u}",
    "{u}/{n} {s}",
    "{n} {s}, Apt. {u}",
    "Unit {u} {n} {s}",
    "{n} {s} #{u}",
]


@settings(max_examples=300, deadline=None)
@given(
    number=NUMBERS, word=STREET_WORDS, suffix=SUFFIXES, unit=UNITS,
    abbreviate=st.booleans(), template=st.sampled_from(TEMPLATES_WITH_UNIT),
    case=st.sampled_from([str.lower, str.upper, str.title, lambda s: s]),
    spaces=st.sampled_from([" ", "  "]), trailing=st.sampled_from(["", ".", ","]),
)
def test_property_any_spelling_gives_the_register_key(number, word, suffix, unit, abbreviate, template, case, spaces,
                                                      trailing):
    street = f"{word} {suffix[1] + trailing if abbreviate else suffix[0]}"
    text = (template if unit else "{n} {s}").format(n=number, s=street, u=unit).replace(" ", spaces)
    parsed = parse_address(case(text))
    assert parsed is not None
    assert parsed.key == address_key(number=number, street=f"{word} {suffix[0]}", unit=unit)
