"""Feed benchmark: QUALITY.md P1-P4 as ratios, measured side by side in one run.

    .venv/bin/python bench/feed/run.py [--sizes 10000,100000,1000000] [--dbs sqlite,postgres] [--rounds 5]

For each database and size it seeds a fresh database (100 communities, bulk SQL), starts one daphne
per size pinned to core 0 (DEBUG off) and drives it from a load generator pinned to core 1.
PostgreSQL uses databases nb_feed_bench_<size> on $BENCH_PG (default postgres://postgres@127.0.0.1:5432).
"""

import argparse
import json
import os
from pathlib import Path
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PY = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(db: str, size: int, work: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{HERE}", "DJANGO_SETTINGS_MODULE": "feed_bench_settings",
           "DEBUG": "false", "SECRET_KEY": "bench-" + "x" * 50, "SECURE_SSL_REDIRECT": "false",
           "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "NEIGHBOURLY_DATA_DIR": str(work / f"{db}-{size}"),
           "LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    if db == "postgres":
        env["DATABASE_URL"] = f"{PG}/nb_feed_bench_{size}"
    return env


def run(cmd, env, **kw):
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT, **kw)
    if done.returncode:
        sys.exit(f"{' '.join(cmd[:4])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare(db: str, size: int, work: Path) -> dict:
    env = env_for(db, size, work)
    if db == "postgres":
        import psycopg

        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS nb_feed_bench_{size} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE nb_feed_bench_{size}")
    started = time.monotonic()
    run([PY, "-m", "django", "migrate", "-v0"], env)
    info = json.loads(run([PY, str(HERE / "seed.py"), "seed", str(size)], env).strip().splitlines()[-1])
    info["seed_s"] = time.monotonic() - started
    run([PY, str(HERE / "seed.py"), "queries", info["token"], info["slug"]], env)  # warm-up (token bookkeeping)
    info["queries"] = json.loads(run([PY, str(HERE / "seed.py"), "queries", info["token"], info["slug"]], env))
    port = free_port()
    info["port"] = port
    info["server"] = subprocess.Popen(
        ["taskset", "-c", "0", PY, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "neighbourly.asgi:application"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.2)
    return info


def load(mode: str, url: str, arg, seconds: float, token: str | None = None) -> dict:
    headers = [f"Authorization: Bearer {token}"] if token else []
    out = subprocess.run(["taskset", "-c", "1", PY, str(HERE / "loadgen.py"), mode, url, str(arg), str(seconds),
                          *headers], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--dbs", default="sqlite,postgres")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="nb-bench-feed-"))
    report = {}
    try:
        for db in args.dbs.split(","):
            servers = {}
            try:
                for size in sizes:
                    servers[size] = prepare(db, size, work)
                    print(f"[{db}] seeded {size:,} posts in {servers[size]['seed_s']:.0f}s; queries per page "
                          f"{servers[size]['queries']}", flush=True)
                report[db] = measure(db, sizes, servers, args)
            finally:
                for info in servers.values():
                    info["server"].terminate()
                    info["server"].wait()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(report, indent=1))


def url(info, path):
    return f"http://127.0.0.1:{info['port']}{path}"


def measure(db: str, sizes: list[int], servers: dict, args) -> dict:
    big, small = servers[sizes[-1]], servers[sizes[0]]
    feed = f"/api/v1/communities/{big['slug']}/feed"
    deep = f"{feed}?cursor={big['deep_cursor']}"
    for info in servers.values():  # warm up every server
        load("closed", url(info, "/hello"), 4, 1.5)
        load("closed", url(info, f"/api/v1/communities/{info['slug']}/feed"), 4, 1.5, info["token"])
    p1, hello_rps, feed_rps, p3_size, p3_deep = [], [], [], [], []
    for r in range(args.rounds):
        h = load("closed", url(big, "/hello"), 8, args.seconds)
        f = load("closed", url(big, feed), 8, args.seconds, big["token"])
        hello_rps.append(h["rps"])
        feed_rps.append(f["rps"])
        p1.append(f["rps"] / h["rps"])
        first_small = load("closed", url(small, f"/api/v1/communities/{small['slug']}/feed"), 1, args.seconds,
                           small["token"])
        first_big = load("closed", url(big, feed), 1, args.seconds, big["token"])
        deep_big = load("closed", url(big, deep), 1, args.seconds, big["token"])
        p3_size.append(first_big["p50"] / first_small["p50"])
        p3_deep.append(deep_big["p50"] / first_big["p50"])
        print(f"[{db}] round {r + 1}: P1 {p1[-1]:.2f} (feed {f['rps']:.0f}/s, hello {h['rps']:.0f}/s); "
              f"p50 {sizes[-1]:,}/{sizes[0]:,} {p3_size[-1]:.2f}; deep/first {p3_deep[-1]:.2f} "
              f"(first {first_big['p50']:.2f} ms, deep {deep_big['p50']:.2f} ms)", flush=True)
    half = statistics.median(hello_rps) / 2
    p2 = load("open", url(big, feed), round(half, 1), max(args.seconds * 2, 6), big["token"])
    result = {
        "posts": sizes[-1],
        "P1_feed_vs_hello_rps_ratio": round(statistics.median(p1), 3),
        "P1_feed_rps": round(statistics.median(feed_rps)),
        "P1_hello_rps": round(statistics.median(hello_rps)),
        "P2_open_loop_rate": round(half, 1),
        "P2_p99_ms": round(p2["p99"], 2),
        "P2_p50_ms": round(p2["p50"], 2),
        "P2_errors": p2["errors"],
        f"P3_p50_{sizes[-1]}_over_{sizes[0]}": round(statistics.median(p3_size), 3),
        "P3_deep_over_first": round(statistics.median(p3_deep), 3),
        "P3_deep_depth_posts": big["deep_depth"],
        "P4_queries": {size: servers[size]["queries"] for size in sizes},
    }
    print(f"[{db}] {json.dumps(result)}", flush=True)
    return result


if __name__ == "__main__":
    main()
