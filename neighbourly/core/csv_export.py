"""CSV exports that a spreadsheet opens as text: no cell can become a formula.

A cell starting with = + - @ (or their full-width forms), a tab or a carriage return is run as a
formula by Excel, LibreOffice and Google Sheets (`=HYPERLINK(...)` in a display name). Such cells are
prefixed with an apostrophe, which spreadsheets show as text and do not display (OWASP's advice)."""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeWriter:
    """`csv.writer` whose every cell goes through `csv_cell`."""

    def __init__(self, handle, **kwargs):
        self._writer = csv.writer(handle, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([csv_cell(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(handle, **kwargs) -> SafeWriter:
    return SafeWriter(handle, **kwargs)
