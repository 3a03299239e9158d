-- An appeal's detail lists the appeals merged into it. Without an index that read scans the whole
-- table: 25 details a second at 100,000 appeals in the benchmark (bench/README.md), fewer as the
-- history grows. Few appeals are merged, so the index is partial and small.
CREATE INDEX appeal_merged_into ON appeal (merged_into) WHERE merged_into IS NOT NULL;
