-- Triage at intake (modules/triage): the shipped domain model's label and confidence, whether a
-- person must decide, and the open appeals the text may repeat ({id, similarity, distanceM}; their
-- titles are read at display time, within the viewer's scope).
ALTER TABLE appeal ADD COLUMN triage jsonb CHECK (triage IS NULL OR jsonb_typeof(triage) = 'object');

-- Open appeals near a place: the duplicate search narrows by latitude, then longitude and time.
CREATE INDEX appeal_open_place ON appeal (lat, lng, submitted_at)
  WHERE lat IS NOT NULL AND status NOT IN ('closed', 'rejected', 'merged');
