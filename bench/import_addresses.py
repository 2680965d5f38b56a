"""Time `import-addresses` on a synthetic OpenAddresses CSV (default 100,000 rows, 10 communities).

    .venv/bin/python bench/import_addresses.py [ROWS]

Uses a throwaway data dir (SQLite) unless DATABASE_URL is set (then that database: use a scratch one).
"""

import csv
import json
import os
from pathlib import Path
import random
import subprocess
import sys
import tempfile
import time


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    work = Path(tempfile.mkdtemp(prefix="nb-bench-import-"))
    env = {**os.environ, "NEIGHBOURLY_DATA_DIR": str(work / "data")}
    neighbourly = [sys.executable, "-m", "neighbourly.cli"]
    subprocess.run([*neighbourly, "manage", "migrate", "-v0"], env=env, check=True)
    for i in range(10):
        lon = -2.0 + i * 0.02
        polygon = {"type": "Polygon", "coordinates": [[[lon, 52.5], [lon + 0.02, 52.5], [lon + 0.02, 52.52],
                                                       [lon, 52.52], [lon, 52.5]]]}
        (work / f"c{i}.geojson").write_text(json.dumps(polygon))
        subprocess.run([*neighbourly, "create-community", "--slug", f"bench-{i}", "--name", f"Bench {i}",
                        "--boundary", str(work / f"c{i}.geojson")], env=env, check=True, capture_output=True)
    rnd = random.Random(1)
    path = work / "addresses.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["LON", "LAT", "NUMBER", "STREET", "UNIT", "CITY", "POSTCODE"])
        for n in range(rows):
            writer.writerow([f"{rnd.uniform(-2.01, -1.79):.6f}", f"{rnd.uniform(52.499, 52.521):.6f}",
                             str(n % 400 + 1), f"Street {n // 400} Rd", "" if n % 5 else str(n % 7 + 1),
                             "Benchton", "BE1 1NC"])
    started = time.monotonic()
    out = subprocess.run([*neighbourly, "import-addresses", str(path)], env=env, check=True, capture_output=True,
                         text=True).stdout.strip()
    elapsed = time.monotonic() - started
    print(f"{rows} rows: {elapsed:.1f}s wall including process start ({rows / elapsed:,.0f} rows/s)\n  {out}")
    started = time.monotonic()
    out = subprocess.run([*neighbourly, "import-addresses", str(path)], env=env, check=True, capture_output=True,
                         text=True).stdout.strip()
    print(f"re-import (idempotent): {time.monotonic() - started:.1f}s\n  {out}")


if __name__ == "__main__":
    main()
