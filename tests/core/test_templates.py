"""Django's {# #} comments are one line only: a multi-line one is printed on the page as text."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "frontend_templates"


def test_no_template_has_a_multi_line_hash_comment():
    offenders = [f"{path.relative_to(TEMPLATES)}:{number}"
                 for path in TEMPLATES.rglob("*.html")
                 for number, line in enumerate(path.read_text().splitlines(), 1)
                 if "{#" in line and "#}" not in line.split("{#", 1)[1]]
    assert offenders == []
