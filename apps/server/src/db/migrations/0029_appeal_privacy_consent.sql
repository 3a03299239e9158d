-- When the resident agreed to the personal-information notice before submitting (个人信息保护法
-- art. 14: consent before a name, a phone, a place or photos are collected). Null: given by a
-- channel where staff or another system collected it (hall, hotline, Open311, import), or an
-- appeal older than this column.
ALTER TABLE appeal ADD COLUMN privacy_consent_at timestamptz;
