-- Schema version 26: touchpoint ad ids. A touchpoint keeps the ad platform's campaign, ad set and ad ids its visit's
-- URL or event named (NULL: none, and for every touchpoint stored before this version), and so does each credit row's
-- copy of it. Touch shapes tell ad sets and ads apart, so that reports can group by them; shapes stored before read
-- as '(not set)', as touchpoints without ids are grouped.
ALTER TABLE attribution_touchpoints ADD COLUMN campaign_id TEXT;
ALTER TABLE attribution_touchpoints ADD COLUMN ad_set_id TEXT;
ALTER TABLE attribution_touchpoints ADD COLUMN ad_id TEXT;
ALTER TABLE attribution_credits ADD COLUMN campaign_id TEXT;
ALTER TABLE attribution_credits ADD COLUMN ad_set_id TEXT;
ALTER TABLE attribution_credits ADD COLUMN ad_id TEXT;
ALTER TABLE attribution_touch_shapes ADD COLUMN ad_set_id TEXT NOT NULL DEFAULT '(not set)';
ALTER TABLE attribution_touch_shapes ADD COLUMN ad_id TEXT NOT NULL DEFAULT '(not set)';
DROP INDEX attribution_touch_shapes_groups;
CREATE UNIQUE INDEX attribution_touch_shapes_groups ON attribution_touch_shapes (workspace_id, channel, source, medium,
    campaign, content, term, platform, ad_set_id, ad_id);
