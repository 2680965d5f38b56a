"""Boundaries and point-in-polygon assignment, with shapely and an STRtree spatial index."""

import math
from collections.abc import Iterable

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, shape
from shapely.strtree import STRtree

from neighbourly.core.errors import ApplicationError

EARTH_RADIUS_M = 6_371_000


def boundary_from_geojson(data: dict) -> Polygon | MultiPolygon:
    """Validate a GeoJSON Polygon/MultiPolygon (bare, Feature or one-feature collection)."""
    if not isinstance(data, dict):
        raise ApplicationError("The boundary must be a GeoJSON object.")
    if data.get("type") == "FeatureCollection":
        features = data.get("features") or []
        if len(features) != 1:
            raise ApplicationError("A boundary FeatureCollection must hold exactly one feature.")
        data = features[0]
    if data.get("type") == "Feature":
        data = data.get("geometry") or {}
    if data.get("type") not in ("Polygon", "MultiPolygon"):
        raise ApplicationError("The boundary must be a GeoJSON Polygon or MultiPolygon.")
    try:
        geometry = shape(data)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise ApplicationError(f"The boundary's coordinates are malformed: {exc}") from exc
    if geometry.is_empty:
        raise ApplicationError("The boundary is empty.")
    if not geometry.is_valid:
        raise ApplicationError(f"The boundary is not a valid polygon: {shapely.is_valid_reason(geometry)}.")
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ApplicationError("The boundary's coordinates must be longitude, latitude in WGS84 degrees.")
    return geometry


class BoundaryIndex:
    """Finds which of many boundaries contains a point; built once per import."""

    def __init__(self, boundaries: Iterable[tuple[int, dict]]):
        self._ids: list[int] = []
        geometries = []
        for community_id, geojson in boundaries:
            geometry = shape(geojson)
            shapely.prepare(geometry)
            self._ids.append(community_id)
            geometries.append(geometry)
        self._geometries = geometries
        self._tree = STRtree(geometries) if geometries else None

    def locate(self, lon: float, lat: float) -> int | None:
        if self._tree is None:
            return None
        point = Point(lon, lat)
        for index in self._tree.query(point, predicate="intersects"):
            return self._ids[int(index)]
        return None


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
