import csv
from pathlib import Path
import time

from django.core.management.base import BaseCommand, CommandError

from neighbourly.communities.services import addresses_import, check_address_columns
from neighbourly.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Import an OpenAddresses-style CSV (LON, LAT, NUMBER, STREET, UNIT, CITY, POSTCODE) into the register."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Address file not found: {path}")
        started = time.monotonic()
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                columns = check_address_columns(reader.fieldnames)
                result = addresses_import(rows=reader, columns=columns)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        except (UnicodeDecodeError, csv.Error) as exc:
            raise CommandError(f"{path} is not a readable UTF-8 CSV file: {exc}") from exc
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Read {result.total} rows in {elapsed:.1f}s: {result.imported} imported, "
            f"{result.duplicates} duplicates, {result.outside} outside every community, "
            f"{result.invalid} invalid."
        )
