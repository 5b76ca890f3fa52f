-- Audit (issue 13): who made each change. The outbox is the history (GET /v1/entities/{name}/history reads it) and
-- what the relay publishes, so one column serves both: the subject of the token of the request that made the change,
-- or the actor of the ProvisioningEvent that did. Rows written before access control existed have none (null).
alter table outbox add column actor text;
