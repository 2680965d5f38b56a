"""Address normalisation: the many ways people write one address map to one key.

"Flat 2, 14 Elm St", "14 elm street flat 2" and "2/14 Elm Street" all become the key
``14|elm street|2``. The key is number, street and unit only: postcode and city are not
part of it because people leave them out when they type, and a community is small enough
for number + street + unit to name one dwelling.
"""

import re
import unicodedata
from dataclasses import dataclass

# Street-type and other abbreviations, expanded so that either spelling gives one key.
ABBREVIATIONS = {
    "st": "street", "str": "street", "rd": "road", "ave": "avenue", "av": "avenue", "ln": "lane",
    "dr": "drive", "drv": "drive", "ct": "court", "crt": "court", "pl": "place", "sq": "square",
    "cres": "crescent", "cresc": "crescent", "gdns": "gardens", "gdn": "garden", "tce": "terrace",
    "terr": "terrace", "blvd": "boulevard", "hwy": "highway", "pde": "parade", "cl": "close",
    "pk": "park", "gr": "grove", "gro": "grove", "mws": "mews", "cir": "circle", "pkwy": "parkway",
    "esp": "esplanade", "grn": "green", "wy": "way", "hts": "heights", "vw": "view",
    "mt": "mount", "ft": "fort", "upr": "upper", "lwr": "lower", "gt": "great",
    "n": "north", "s": "south", "e": "east", "w": "west",
}
UNIT_WORDS = r"flat|apartment|apt|unit|suite|ste|room|rm"
_UNIT_RE = re.compile(rf"(?:\b(?:{UNIT_WORDS})\b\s*(?:no\b\s*)?#?|#)\s*([0-9]+[a-z]?|[a-z])\b")
_SLASH_RE = re.compile(r"^\s*([0-9]+[a-z]?|[a-z])\s*/\s*([0-9]+[a-z]?)\b")
_NUMBER_RE = re.compile(r"^[0-9]+[a-z]?(?:-[0-9]+[a-z]?)?$")


@dataclass(frozen=True)
class ParsedAddress:
    number: str
    street: str
    unit: str = ""

    @property
    def key(self) -> str:
        return address_key(number=self.number, street=self.street, unit=self.unit)


def _fold(text: str) -> str:
    """Lower case, accents off, apostrophes dropped, other punctuation to spaces."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['’`]", "", text)
    text = re.sub(r"[^a-z0-9#/\-\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def normalise_street(street: str) -> str:
    tokens = [t for t in re.split(r"[\s\-]+", _fold(street).replace("#", " ").replace("/", " ")) if t]
    out = []
    for i, token in enumerate(tokens):
        if token == "st" and i == 0 and len(tokens) > 1:
            out.append("saint")  # "St John's Road"
        else:
            out.append(ABBREVIATIONS.get(token, token))
    return " ".join(out)


def normalise_number(number: str) -> str:
    return re.sub(r"\s+", "", _fold(number))


def normalise_unit(unit: str) -> str:
    folded = _fold(unit)
    match = _UNIT_RE.search(folded)
    if match:
        return match.group(1)
    return re.sub(r"\s+", "", folded.lstrip("#"))


def address_key(*, number: str, street: str, unit: str = "") -> str:
    return f"{normalise_number(number)}|{normalise_street(street)}|{normalise_unit(unit)}"


def parse_address(text: str) -> ParsedAddress | None:
    """Parse a typed address into number, street and unit; None when it has no house number."""
    folded = _fold(text)
    unit = ""
    match = _UNIT_RE.search(folded)
    if match:
        unit = match.group(1)
        folded = (folded[: match.start()] + " " + folded[match.end():]).strip()
    number = ""
    slash = _SLASH_RE.match(folded)
    if slash:
        unit = unit or slash.group(1)
        number = slash.group(2)
        rest = folded[slash.end():]
    else:
        tokens = folded.split()
        rest = ""
        for i, token in enumerate(tokens):
            if _NUMBER_RE.match(token):
                number = token
                rest = " ".join(tokens[i + 1:])
                break
    if not number:
        return None
    street = normalise_street(rest)
    if not street:
        return None
    return ParsedAddress(number=number, street=street, unit=unit)
