-- 0028: the live visitors list is paged in the order visitors appeared (appeared_at, then id: fixed while they stay
-- live), not by their last page view, which moved them between pages while an agent paged and made the walk skip
-- them (docs/visitor-insight.md, "The lists"). The old index only served that order; a page view no longer has to
-- move an index entry.
ALTER TABLE visitor_live ADD INDEX IF NOT EXISTS ix_visitor_live_appeared (tenant_id, appeared_at, visitor_id);
ALTER TABLE visitor_live DROP INDEX IF EXISTS ix_visitor_live_list;
