-- A coordination notice (吹哨) summons units to any workflow record, not only to an appeal: a
-- mediation case or a risk item whistles too. (subject_type, subject_id) names the record;
-- appeal_id stays as the foreign key when the subject is an appeal.
ALTER TABLE coordination_notice ADD COLUMN subject_type text NOT NULL DEFAULT 'appeal';
ALTER TABLE coordination_notice ADD COLUMN subject_id uuid;
UPDATE coordination_notice SET subject_id = appeal_id;
ALTER TABLE coordination_notice ALTER COLUMN subject_id SET NOT NULL;
ALTER TABLE coordination_notice ALTER COLUMN subject_type DROP DEFAULT;
ALTER TABLE coordination_notice ALTER COLUMN appeal_id DROP NOT NULL;
ALTER TABLE coordination_notice ADD CONSTRAINT coordination_notice_appeal_subject
  CHECK ((subject_type = 'appeal') = (appeal_id IS NOT NULL AND appeal_id = subject_id));
CREATE INDEX coordination_notice_subject ON coordination_notice (subject_type, subject_id);
