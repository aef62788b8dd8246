-- Schema version 14: identity links re-keyed the way the identity processor now links and looks them up
-- (IdentityResolver.linkKey, PlatformIds), so that a server event finds the visitor whose page view carried the
-- same click or cookie however it was written. A Meta click is linked under type fbclid as its bare click id,
-- whether it came as an fbclid or as an _fbc cookie, fb.<index>.<ms>.<fbclid> optionally followed by .<appendix>
-- (an _fbc value of any other shape becomes an fbclid as it is). A GA cookie GA<version>.<depth>.<random>.<time>
-- is linked as its client id <random>.<time>. Two links of one profile that become one keep the earliest first
-- sight (with its rule and event) and the latest last sight. Events keep their values as they were sent.
-- The shapes here must stay those of PlatformIds; SqliteStoreTest and PostgresStoreTest check both against it.
CREATE TABLE identity_links_rekeyed AS
WITH f1 AS (
    SELECT workspace_id, type, value, profile_id, rule, event_id, first_seen_at, last_seen_at,
           substr(value, 4) AS r1
    FROM identity_links WHERE type IN ('fbc', 'fbclid') AND value GLOB 'fb.*'
), f2 AS (
    SELECT f1.*, substr(r1, 1, instr(r1, '.') - 1) AS d1, substr(r1, instr(r1, '.') + 1) AS r2
    FROM f1 WHERE instr(r1, '.') > 1
), f3 AS (
    SELECT f2.*, substr(r2, 1, instr(r2, '.') - 1) AS d2, substr(r2, instr(r2, '.') + 1) AS r3
    FROM f2 WHERE d1 NOT GLOB '*[^0-9]*' AND instr(r2, '.') > 1
), f4 AS (
    SELECT f3.*, CASE WHEN instr(r3, '.') > 0 THEN substr(r3, 1, instr(r3, '.') - 1) ELSE r3 END AS click
    FROM f3 WHERE d2 NOT GLOB '*[^0-9]*'
), fbc AS (
    SELECT workspace_id, type, value, profile_id, rule, event_id, first_seen_at, last_seen_at, click
    FROM f4 WHERE click <> ''
), g1 AS (
    SELECT workspace_id, type, value, profile_id, rule, event_id, first_seen_at, last_seen_at,
           substr(value, 3, instr(value, '.') - 3) AS d0, substr(value, instr(value, '.') + 1) AS r1
    FROM identity_links WHERE type = 'ga_cookie' AND value GLOB 'GA*' AND instr(value, '.') > 3
), g2 AS (
    SELECT g1.*, substr(r1, 1, instr(r1, '.') - 1) AS d1, substr(r1, instr(r1, '.') + 1) AS r2
    FROM g1 WHERE d0 NOT GLOB '*[^0-9]*' AND instr(r1, '.') > 1
), g3 AS (
    SELECT g2.*, substr(r2, 1, instr(r2, '.') - 1) AS d2, substr(r2, instr(r2, '.') + 1) AS d3
    FROM g2 WHERE d1 NOT GLOB '*[^0-9]*' AND instr(r2, '.') > 1
)
SELECT workspace_id, type AS old_type, value AS old_value, 'fbclid' AS new_type, click AS new_value, profile_id, rule,
       event_id, first_seen_at, last_seen_at
FROM fbc
UNION ALL
SELECT l.workspace_id, l.type, l.value, 'fbclid', l.value, l.profile_id, l.rule, l.event_id, l.first_seen_at,
       l.last_seen_at
FROM identity_links l
WHERE l.type = 'fbc' AND NOT EXISTS (SELECT 1 FROM fbc WHERE fbc.workspace_id = l.workspace_id AND fbc.type = l.type
      AND fbc.value = l.value AND fbc.profile_id = l.profile_id)
UNION ALL
SELECT workspace_id, type, value, 'ga_cookie', r2, profile_id, rule, event_id, first_seen_at, last_seen_at
FROM g3 WHERE d2 NOT GLOB '*[^0-9]*' AND d3 <> '' AND d3 NOT GLOB '*[^0-9]*';
DELETE FROM identity_links WHERE EXISTS (SELECT 1 FROM identity_links_rekeyed k
    WHERE k.profile_id = identity_links.profile_id AND k.old_type = identity_links.type
      AND k.old_value = identity_links.value AND k.workspace_id = identity_links.workspace_id);
INSERT INTO identity_links (workspace_id, type, value, profile_id, rule, event_id, first_seen_at, last_seen_at)
SELECT workspace_id, new_type, new_value, profile_id, rule, event_id, first_seen_at, last_seen_at
FROM identity_links_rekeyed WHERE true ORDER BY first_seen_at
ON CONFLICT (profile_id, type, value, workspace_id) DO UPDATE SET
    rule = CASE WHEN excluded.first_seen_at < identity_links.first_seen_at THEN excluded.rule ELSE identity_links.rule END,
    event_id = CASE WHEN excluded.first_seen_at < identity_links.first_seen_at THEN excluded.event_id ELSE identity_links.event_id END,
    first_seen_at = min(identity_links.first_seen_at, excluded.first_seen_at),
    last_seen_at = max(identity_links.last_seen_at, excluded.last_seen_at);
DROP TABLE identity_links_rekeyed;
UPDATE identity_cursor SET graph_version = graph_version + 1 WHERE id = 1;
