-- Schema version 14: the domains the server-set visitor cookie goes on instead of the registrable domain of the
-- host a beacon reached, one per line (none: the registrable domain).
ALTER TABLE pixel_settings ADD COLUMN cookie_domains TEXT NOT NULL DEFAULT '';
