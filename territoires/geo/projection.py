"""Projections used to draw France: pure functions of longitude and latitude (WGS 84, degrees).

The metropole uses the Lambert-93 conic conformal projection (the official French projection,
EPSG:2154, on the GRS 80 ellipsoid): shapes keep their look and the north stays up. Each DROM is
far from that cone's standard parallels, so it gets its own local equirectangular projection
centred on it (the islands are small enough for its distortion to stay invisible at map scale).

The same functions project the outlines at build time (scripts/build_geo.py) and the lieux'
coordinates at request time, so points land exactly on the drawn communes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# GRS 80 ellipsoid and the Lambert-93 parameters (IGN).
_A = 6378137.0
_E = 0.0818191910428158
_LAT1, _LAT2, _LAT0 = math.radians(44.0), math.radians(49.0), math.radians(46.5)
_LON0 = math.radians(3.0)
_X0, _Y0 = 700000.0, 6600000.0


def _m(lat: float) -> float:
    return math.cos(lat) / math.sqrt(1 - (_E * math.sin(lat)) ** 2)


def _t(lat: float) -> float:
    s = _E * math.sin(lat)
    return math.tan(math.pi / 4 - lat / 2) / ((1 - s) / (1 + s)) ** (_E / 2)


_N = (math.log(_m(_LAT1)) - math.log(_m(_LAT2))) / (math.log(_t(_LAT1)) - math.log(_t(_LAT2)))
_F = _m(_LAT1) / (_N * _t(_LAT1) ** _N)
_RHO0 = _A * _F * _t(_LAT0) ** _N


def lambert93(lon: float, lat: float) -> tuple[float, float]:
    """Lambert-93 coordinates (metres) of a point given in degrees."""
    rho = _A * _F * _t(math.radians(lat)) ** _N
    theta = _N * (math.radians(lon) - _LON0)
    return _X0 + rho * math.sin(theta), _Y0 + _RHO0 - rho * math.cos(theta)


# Centre (longitude, latitude) of each DROM's local projection.
DROM_CENTRES = {
    "971": (-61.45, 16.2),  # Guadeloupe
    "972": (-61.0, 14.65),  # Martinique
    "973": (-53.2, 4.0),  # Guyane
    "974": (55.53, -21.13),  # La Réunion
    "976": (45.15, -12.82),  # Mayotte
}
_EARTH_RADIUS = 6371000.0


def equirectangular(lon: float, lat: float, *, centre: tuple[float, float]) -> tuple[float, float]:
    """Local equirectangular coordinates (metres) around `centre`."""
    lon0, lat0 = centre
    return (
        _EARTH_RADIUS * math.radians(lon - lon0) * math.cos(math.radians(lat0)),
        _EARTH_RADIUS * math.radians(lat - lat0),
    )


def projection_name(departement_code: str) -> str:
    """« lambert93 » for the metropole, the DROM's code for its own projection."""
    return departement_code if departement_code in DROM_CENTRES else "lambert93"


def project(name: str, lon: float, lat: float) -> tuple[float, float]:
    if name == "lambert93":
        return lambert93(lon, lat)
    return equirectangular(lon, lat, centre=DROM_CENTRES[name])


@dataclass(frozen=True)
class Cadre:
    """How projected metres become SVG units: x = (X − x0)·k, y = (y0 − Y)·k (SVG's y goes down)."""

    projection: str
    x0: float
    y0: float
    k: float

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = project(self.projection, lon, lat)
        return (x - self.x0) * self.k, (self.y0 - y) * self.k
