-- The distribution column of a province's Citus cluster (docs/scaling.md): the district's six-digit
-- administrative division code (行政区划代码, the first six digits of its org_unit code) on every
-- table that grows with the appeals. One PostgreSQL server does not read it yet; it is filled for
-- existing rows here and kept filled on insert, so a cut-over starts from complete data.

CREATE FUNCTION district_code_of_path(area_path text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT left(code, 6) FROM org_unit
   WHERE level = 'district' AND starts_with(area_path, path)
   ORDER BY length(path) DESC LIMIT 1
$$;

-- Existing rows without rewriting the tables: the column is added with the code of the district
-- holding most appeals as a constant default (PostgreSQL stores it once, as the value of every
-- existing row), the default is dropped for new rows, and only rows of other districts (a city's
-- install) and streams that belong to no district (security) are updated. A one-district install
-- of millions of appeals migrates in seconds; an UPDATE of every row would take most of an hour.
DO $$
DECLARE
  main text;
  main_path text;
  t text;
BEGIN
  SELECT left(d.code, 6), d.path INTO main, main_path
    FROM org_unit d JOIN appeal a ON starts_with(a.org_path, d.path)
   WHERE d.level = 'district' GROUP BY d.code, d.path ORDER BY count(*) DESC LIMIT 1;
  IF main IS NULL THEN
    SELECT left(code, 6), path INTO main, main_path FROM org_unit WHERE level = 'district' ORDER BY id LIMIT 1;
  END IF;
  FOREACH t IN ARRAY ARRAY['appeal', 'journal', 'outbox', 'appeal_attachment', 'coordination_notice',
                           'summons', 'open311_request'] LOOP
    EXECUTE format('ALTER TABLE %I ADD COLUMN district_code text DEFAULT %L', t, main);
    EXECUTE format('ALTER TABLE %I ALTER COLUMN district_code DROP DEFAULT', t);
  END LOOP;
  IF main IS NULL THEN RETURN; END IF;

  UPDATE appeal a SET district_code = (
      SELECT left(d.code, 6) FROM org_unit d
       WHERE d.level = 'district' AND starts_with(a.org_path, d.path) ORDER BY length(d.path) DESC LIMIT 1)
   WHERE NOT starts_with(a.org_path, main_path);
  -- The journal refuses updates; these add a routing column outside the hashed content, so the
  -- guard is lifted inside this transaction only.
  ALTER TABLE journal DISABLE TRIGGER journal_no_update;
  UPDATE journal SET district_code = NULL WHERE stream NOT LIKE 'appeal:%';
  UPDATE journal j SET district_code = a.district_code
    FROM appeal a WHERE a.district_code IS DISTINCT FROM main AND j.stream = 'appeal:' || a.id::text;
  ALTER TABLE journal ENABLE TRIGGER journal_no_update;
  FOREACH t IN ARRAY ARRAY['outbox', 'appeal_attachment', 'coordination_notice', 'open311_request'] LOOP
    EXECUTE format(
      'UPDATE %I t SET district_code = a.district_code FROM appeal a
        WHERE a.district_code IS DISTINCT FROM %L AND a.id = t.appeal_id', t, main);
  END LOOP;
  UPDATE summons s SET district_code = n.district_code
    FROM coordination_notice n WHERE n.district_code IS DISTINCT FROM main AND n.id = s.notice_id;
END $$;

CREATE FUNCTION district_code_of_appeal(appeal_id uuid) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT district_code FROM appeal WHERE id = $1
$$;

-- Filled on insert when the writer did not: from the appeal's area, or from the row's appeal.
CREATE FUNCTION appeal_set_district_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.district_code IS NULL THEN NEW.district_code := district_code_of_path(NEW.org_path); END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER appeal_district_code BEFORE INSERT ON appeal
  FOR EACH ROW EXECUTE FUNCTION appeal_set_district_code();

CREATE FUNCTION journal_set_district_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.district_code IS NULL
     AND NEW.stream ~ '^appeal:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
    NEW.district_code := district_code_of_appeal(substr(NEW.stream, 8)::uuid);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER journal_district_code BEFORE INSERT ON journal
  FOR EACH ROW EXECUTE FUNCTION journal_set_district_code();

CREATE FUNCTION appeal_child_set_district_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.district_code IS NULL THEN NEW.district_code := district_code_of_appeal(NEW.appeal_id); END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER outbox_district_code BEFORE INSERT ON outbox
  FOR EACH ROW EXECUTE FUNCTION appeal_child_set_district_code();
CREATE TRIGGER appeal_attachment_district_code BEFORE INSERT ON appeal_attachment
  FOR EACH ROW EXECUTE FUNCTION appeal_child_set_district_code();
CREATE TRIGGER coordination_notice_district_code BEFORE INSERT ON coordination_notice
  FOR EACH ROW EXECUTE FUNCTION appeal_child_set_district_code();
CREATE TRIGGER open311_request_district_code BEFORE INSERT ON open311_request
  FOR EACH ROW EXECUTE FUNCTION appeal_child_set_district_code();

CREATE FUNCTION summons_set_district_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.district_code IS NULL THEN
    NEW.district_code := (SELECT district_code FROM coordination_notice WHERE id = NEW.notice_id);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER summons_district_code BEFORE INSERT ON summons
  FOR EACH ROW EXECUTE FUNCTION summons_set_district_code();
