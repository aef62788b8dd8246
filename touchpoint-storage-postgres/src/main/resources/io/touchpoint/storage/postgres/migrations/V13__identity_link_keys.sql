-- Schema version 13: identity links re-keyed the way the identity processor now links and looks them up
-- (IdentityResolver.linkKey, PlatformIds), so that a server event finds the visitor whose page view carried the
-- same click or cookie however it was written. A Meta click is linked under type fbclid as its bare click id,
-- whether it came as an fbclid or as an _fbc cookie, fb.<index>.<ms>.<fbclid> optionally followed by .<appendix>
-- (an _fbc value of any other shape becomes an fbclid as it is). A GA cookie GA<version>.<depth>.<random>.<time>
-- is linked as its client id <random>.<time>. Two links of one profile that become one keep the earliest first
-- sight (with its rule and event) and the latest last sight. Events keep their values as they were sent.
-- The shapes here must stay those of PlatformIds; SqliteStoreTest and PostgresStoreTest check both against it.
CREATE TABLE identity_links_rekeyed AS
SELECT workspace_id, type AS old_type, value AS old_value, 'fbclid'::text AS new_type,
       COALESCE(substring(value FROM '^fb\.[0-9]+\.[0-9]+\.([^.]+)(\..*)?$'), value) AS new_value,
       profile_id, rule, event_id, first_seen_at, last_seen_at
FROM identity_links
WHERE type = 'fbc' OR (type = 'fbclid' AND value ~ '^fb\.[0-9]+\.[0-9]+\.[^.]+(\..*)?$')
UNION ALL
SELECT workspace_id, type, value, 'ga_cookie'::text, substring(value FROM '^GA[0-9]+\.[0-9]+\.([0-9]+\.[0-9]+)$'),
       profile_id, rule, event_id, first_seen_at, last_seen_at
FROM identity_links
WHERE type = 'ga_cookie' AND value ~ '^GA[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$';
DELETE FROM identity_links l USING identity_links_rekeyed k
WHERE l.workspace_id = k.workspace_id AND l.type = k.old_type AND l.value = k.old_value AND l.profile_id = k.profile_id;
INSERT INTO identity_links (workspace_id, type, value, profile_id, rule, event_id, first_seen_at, last_seen_at)
SELECT DISTINCT ON (workspace_id, new_type, new_value, profile_id)
       workspace_id, new_type, new_value, profile_id, rule, event_id, first_seen_at,
       max(last_seen_at) OVER (PARTITION BY workspace_id, new_type, new_value, profile_id)
FROM identity_links_rekeyed
ORDER BY workspace_id, new_type, new_value, profile_id, first_seen_at
ON CONFLICT (workspace_id, type, value, profile_id) DO UPDATE SET
    rule = CASE WHEN excluded.first_seen_at < identity_links.first_seen_at THEN excluded.rule ELSE identity_links.rule END,
    event_id = CASE WHEN excluded.first_seen_at < identity_links.first_seen_at THEN excluded.event_id ELSE identity_links.event_id END,
    first_seen_at = LEAST(identity_links.first_seen_at, excluded.first_seen_at),
    last_seen_at = GREATEST(identity_links.last_seen_at, excluded.last_seen_at);
DROP TABLE identity_links_rekeyed;
UPDATE identity_cursor SET graph_version = graph_version + 1 WHERE id = 1;
