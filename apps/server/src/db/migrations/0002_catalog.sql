-- The catalogue of matters (事项目录): what a resident or grid worker can report, who handles it by
-- default, and how many working days each stage may take.
--
-- Search uses plain LIKE over a few hundred rows; no pg_trgm index is needed at this size. If one is
-- ever needed, PGlite must first load the extension in db/pglite.ts (`extensions: { pg_trgm }`)
-- before a migration may `CREATE EXTENSION pg_trgm`.

CREATE TABLE category (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Stable reference used by appeals, imports and the classifier: never changes once created.
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$' AND length(code) <= 32),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  parent_id integer REFERENCES category (id),
  -- Groups organise the tree (kind → sub-group); only items (is_group = false) are selectable.
  is_group boolean NOT NULL,
  kind text NOT NULL CHECK (kind IN ('patrol', 'snapshot', 'dispute', 'complaint', 'suggestion', 'help', 'consultation')),
  -- The department competence key (org_unit.properties.competences) that handles the item.
  competence text CHECK (competence ~ '^[a-z][a-z0-9_]*$'),
  urgency text CHECK (urgency IN ('normal', 'urgent', 'critical')),
  -- Working days, each counted from the appeal's submission.
  accept_days smallint CHECK (accept_days BETWEEN 1 AND 60),
  finish_days smallint CHECK (finish_days BETWEEN 1 AND 180),
  complex_finish_days smallint CHECK (complex_finish_days BETWEEN 1 AND 365),
  -- Open311 GeoReport v2 style attribute definitions asked of the reporter.
  extra_fields jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(extra_fields) = 'array'),
  keywords text[] NOT NULL DEFAULT '{}',
  -- Pinned order (lower first); among equal sort_order the most common (popularity) comes first.
  sort_order integer NOT NULL DEFAULT 0,
  popularity integer NOT NULL DEFAULT 0 CHECK (popularity >= 0),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT category_item_complete CHECK (
    is_group OR (competence IS NOT NULL AND urgency IS NOT NULL AND accept_days IS NOT NULL
      AND finish_days IS NOT NULL AND complex_finish_days IS NOT NULL)
  ),
  CONSTRAINT category_group_bare CHECK (
    NOT is_group OR (competence IS NULL AND urgency IS NULL AND accept_days IS NULL
      AND finish_days IS NULL AND complex_finish_days IS NULL)
  ),
  CONSTRAINT category_deadline_order CHECK (accept_days <= finish_days AND finish_days <= complex_finish_days)
);
CREATE INDEX category_parent ON category (parent_id);
CREATE INDEX category_kind ON category (kind);
CREATE UNIQUE INDEX category_sibling_name ON category (coalesce(parent_id, 0), name);

-- The tree rules live here too, so two administrators working at once cannot break them: a parent
-- is a group of the same kind, and a group that has children stays a group.
CREATE FUNCTION category_check_tree() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  parent_group boolean;
  parent_kind text;
BEGIN
  IF NEW.parent_id IS NOT NULL THEN
    SELECT is_group, kind INTO parent_group, parent_kind FROM category WHERE id = NEW.parent_id;
    IF parent_group IS DISTINCT FROM true THEN
      RAISE EXCEPTION 'category parent % is not a group', NEW.parent_id USING ERRCODE = 'check_violation';
    END IF;
    IF parent_kind <> NEW.kind THEN
      RAISE EXCEPTION 'category kind % differs from its parent''s %', NEW.kind, parent_kind USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND NOT NEW.is_group AND EXISTS (SELECT 1 FROM category WHERE parent_id = NEW.id) THEN
    RAISE EXCEPTION 'category % has children and must stay a group', NEW.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER category_tree BEFORE INSERT OR UPDATE ON category FOR EACH ROW EXECUTE FUNCTION category_check_tree();

-- Who handles an item in one area when it is not the department the competence points to, e.g.
-- 噪音扰民 in 公明街道 → 公明派出所. The override nearest the appeal's area (deepest in the org path) wins.
CREATE TABLE category_responsibility (
  category_id integer NOT NULL REFERENCES category (id),
  area_org_id integer NOT NULL REFERENCES org_unit (id),
  department_org_id integer NOT NULL REFERENCES org_unit (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (category_id, area_org_id)
);
CREATE INDEX category_responsibility_department ON category_responsibility (department_org_id);
