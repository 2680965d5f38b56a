"""User text made safe to store, show and put in e-mail headers.

Single-line fields (names, titles, places) lose every control character: a line break in a display
name must never reach an e-mail subject (Django refuses it and the send is lost) or a CSV row.
Multi-line fields (bodies, bios, reasons) keep line breaks and tabs and lose the rest. Invisible
format characters (Unicode Cf: bidi overrides, zero-width spaces, BOMs) go too, except the zero-width
joiner and non-joiner that emoji sequences and some scripts need.

`model_text_clean(instance)` applies this to every text field of a model instance; services get it
through `core.validation.full_clean_or_raise`, so every service that validates a model cleans it.
"""

import re
import unicodedata

from django.db import models

KEEP_FORMAT = {"\u200c", "\u200d"}  # ZWNJ, ZWJ
LINE_BREAKS = {"\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"}
# CharFields at least this long hold prose (bios, reasons, descriptions, opening hours): multi-line.
MULTILINE_MIN_LENGTH = 300
_SPACES = re.compile(r"\s+")


def _is_control(char: str) -> bool:
    category = unicodedata.category(char)
    return (category == "Cc" or category == "Cf" or category in ("Zl", "Zp")) and char not in KEEP_FORMAT


def single_line(value: str) -> str:
    """Every control/format character becomes a space, runs of spaces collapse, ends trimmed."""
    if not value:
        return ""
    cleaned = "".join(" " if _is_control(c) else c for c in value)
    return _SPACES.sub(" ", cleaned).strip()


def multi_line(value: str) -> str:
    """Line breaks normalised to \\n, tabs kept, every other control/format character removed."""
    if not value:
        return ""
    out = []
    for char in value.replace("\r\n", "\n"):
        if char in LINE_BREAKS:
            out.append("\n")
        elif char == "\t" or not _is_control(char):
            out.append(char)
    return "".join(out)


def is_multiline_field(field) -> bool:
    return isinstance(field, models.TextField) or (field.max_length or 0) >= MULTILINE_MIN_LENGTH


def model_text_clean(instance) -> None:
    """Clean every free-text field of `instance` in place (choices, e-mails and slugs are left to
    their own validators)."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.JSONField):  # a list of short labels (poll options)
            value = getattr(instance, field.attname)
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                setattr(instance, field.attname, [single_line(v) for v in value])
            continue
        if not isinstance(field, (models.CharField, models.TextField)) or field.choices:
            continue
        if isinstance(field, (models.EmailField, models.SlugField, models.URLField)):
            continue
        value = getattr(instance, field.attname)
        if not isinstance(value, str) or not value:
            continue
        cleaned = multi_line(value) if is_multiline_field(field) else single_line(value)
        if cleaned != value:
            setattr(instance, field.attname, cleaned)
