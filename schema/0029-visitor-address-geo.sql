-- 0029: what agents see of a visitor's address: the tenant's masking switch (on unless turned off: an address is
-- personal data, and an agent seldom needs more than its network), and the country and city an operator's own
-- MaxMind-format database gives for it (docs/visitor-insight.md; NULL without one).

ALTER TABLE retention_settings ADD COLUMN IF NOT EXISTS mask_visitor_address TINYINT(1) NOT NULL DEFAULT 1;

ALTER TABLE visitors ADD COLUMN IF NOT EXISTS country CHAR(2) NULL,
  ADD COLUMN IF NOT EXISTS city VARCHAR(200) NULL;
