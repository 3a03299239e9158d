-- A spatial index of the org geometry (issue #22 item 2): point-in-polygon first asks which units'
-- bounding boxes hold the point. PostGIS is not in PGlite; the built-in box type with a GiST index
-- is in both, so the same query finds its candidates by index on either database instead of
-- scanning every unit of a level (Shenzhen has ~20,000 grids).
CREATE INDEX org_unit_bbox ON org_unit USING gist (box(point(min_lng, min_lat), point(max_lng, max_lat)));
