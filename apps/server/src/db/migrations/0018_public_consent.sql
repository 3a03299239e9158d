-- Whether the resident agreed, when submitting, that the text of their appeal may be published on
-- the open Open311 feed (with numbers and ids blanked). Without it only the category, state and
-- place are published. Appeals from before the question was asked were never agreed to.
ALTER TABLE appeal ADD COLUMN public_consent boolean NOT NULL DEFAULT false;
