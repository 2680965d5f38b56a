"""Seed a benchmark database fast (bulk SQL), or count a feed page's queries.

    seed.py seed N        -> JSON {token, slug, deep_cursor, deep_depth}
    seed.py queries TOKEN -> JSON query counts for the API (5/20/50 items) and the HTML page
Runs with DJANGO_SETTINGS_MODULE=feed_bench_settings and the target DATABASE_URL / data dir.
"""

from datetime import datetime, timedelta, timezone as tz
import json
import io
import sys

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from neighbourly.accounts.models import Profile, User  # noqa: E402
from neighbourly.accounts.services import api_token_create  # noqa: E402
from neighbourly.communities.models import Address, Community, Membership  # noqa: E402
from neighbourly.feed.selectors import Cursor  # noqa: E402

COMMUNITIES = 100
AUTHORS = 10
BASE = datetime(2025, 1, 1, tzinfo=tz.utc)
COLUMNS = ["created_at", "updated_at", "community_id", "author_id", "author_membership_id", "kind", "title", "body",
           "visibility", "price", "is_free", "safety_where", "urgent", "event_starts_at", "event_ends_at",
           "event_place", "poll_options", "comment_count", "reaction_counts", "poll_counts", "rsvp_counts"]


def seed(n: int) -> dict:
    with transaction.atomic():
        communities = Community.objects.bulk_create([
            Community(slug=f"c{i}", name=f"Community {i}", boundary={"type": "Polygon", "coordinates": []},
                      min_lon=i, min_lat=0, max_lon=i + 0.01, max_lat=0.01) for i in range(COMMUNITIES)])
        communities = list(Community.objects.order_by("id"))
        for i in range(0, COMMUNITIES, 2):
            communities[i].nearby.add(communities[i + 1])
        addresses = Address.objects.bulk_create([
            Address(community=c, number=str(k + 1), street=f"Street {k % 3}", lon=0, lat=0, key=f"{k}|s|",
                    street_key=f"street {k % 3}", number_key=str(k + 1))
            for c in communities for k in range(AUTHORS + 1)])
        users = User.objects.bulk_create([User(email=f"u{c.id}-{k}@bench.test") for c in communities
                                          for k in range(AUTHORS + 1)])
        Profile.objects.bulk_create([Profile(user=u, display_name=f"Neighbour {u.id}") for u in users])
        now = datetime.now(tz.utc)
        members = Membership.objects.bulk_create([
            Membership(user=u, community=a.community, address=a, status="verified", verified_at=now)
            for u, a in zip(users, addresses)])
        by_community = {}
        for m in members:
            by_community.setdefault(m.community_id, []).append(m)
    viewer = by_community[communities[0].id][AUTHORS].user
    _, token = api_token_create(user=viewer, name="bench")

    ids = [c.id for c in communities]
    kinds = ["general"] * 12 + ["sale"] * 3 + ["recommendation"] * 2 + ["lost_found", "event", "poll"]
    step = 365 * 24 * 3600 / n

    def rows():
        for i in range(n):
            cid = ids[i % COMMUNITIES]
            m = by_community[cid][i % AUTHORS]
            kind = kinds[i % len(kinds)]
            at = BASE + timedelta(seconds=i * step)
            yield [at, at, cid, m.user_id, m.id, kind, f"Post number {i} about the neighbourhood",
                   "Some text a neighbour wrote, with a link https://example.org and a few more words. " * 3,
                   "nearby" if i % 10 == 0 else "community", "12.50" if kind == "sale" else None, False, "", False,
                   at + timedelta(days=3) if kind == "event" else None,
                   at + timedelta(days=3, hours=2) if kind == "event" else None,
                   "The green" if kind == "event" else "",
                   json.dumps(["Yes", "No", "Maybe"] if kind == "poll" else []), i % 7,
                   json.dumps({"like": i % 5} if i % 5 else {}), json.dumps([3, 1, 2] if kind == "poll" else []),
                   json.dumps({"going": 2, "maybe": 1, "not_going": 0} if kind == "event" else {})]

    cols = ", ".join(COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY feed_post ({cols}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
        else:
            batch = []
            sql = f"INSERT INTO feed_post ({cols}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"
            for row in rows():
                row[0] = row[1] = row[0].strftime("%Y-%m-%d %H:%M:%S.%f")
                for k in (13, 14):
                    row[k] = row[k].strftime("%Y-%m-%d %H:%M:%S.%f") if row[k] else None
                batch.append(row)
                if len(batch) == 20000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
        # One image row on every tenth post (the rows are what the page reads).
        cursor.execute(
            "INSERT INTO feed_postimage (created_at, updated_at, post_id, position, file, thumbnail, content_type, "
            "width, height, alt) SELECT created_at, created_at, id, 0, 'posts/x.webp', 'posts/x-t.webp', "
            "'image/webp', 800, 600, '' FROM feed_post WHERE id % 7 = 1")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from neighbourly.feed.models import Post

    own = Post.objects.filter(community=communities[0]).count()
    depth = int(own * 0.9)
    deep = Post.objects.filter(community=communities[0]).order_by("-created_at", "-id")[depth]
    return {"token": token, "slug": communities[0].slug, "deep_depth": depth,
            "deep_cursor": Cursor(created_at=deep.created_at, id=deep.id, page=depth // 20).encode()}


def queries(token: str, slug: str) -> dict:
    out = {}
    client = Client()
    # Warm this process's caches first (local offers are cached per community), as on a server
    # that has served the page before; the counts below are then the steady state.
    client.get(f"/api/v1/communities/{slug}/feed", HTTP_AUTHORIZATION=f"Bearer {token}")
    for limit in (5, 20, 50):
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(f"/api/v1/communities/{slug}/feed?limit={limit}", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert r.status_code == 200 and len(r.json()["items"]) == limit, r.content[:300]
        out[f"api_{limit}"] = len(ctx.captured_queries)
    viewer = User.objects.get(api_tokens__name="bench")
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(f"/communities/{slug}/")
    assert r.status_code == 200
    out["html_20"] = len(ctx.captured_queries)
    return out


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        print(json.dumps(seed(int(sys.argv[2]))))
    else:
        print(json.dumps(queries(sys.argv[2], sys.argv[3])))
