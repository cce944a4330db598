"""Map geometry of the territory referential: projections and the simplified outlines shipped in
territoires/data/geo/ (built by scripts/build_geo.py from IGN GEOFLA 2016, see its README)."""
