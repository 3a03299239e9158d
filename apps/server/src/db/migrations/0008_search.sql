-- Free-text search over appeals. Chinese has no word boundaries, so full-text search with a
-- dictionary would miss most queries; trigram indexes answer LIKE '%…%' for any text of 3+ characters.
-- On a managed PostgreSQL server the extension may need to be created once by an administrator.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX appeal_text_trgm ON appeal USING gin ((title || ' ' || content) gin_trgm_ops);
