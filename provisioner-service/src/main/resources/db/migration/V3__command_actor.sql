-- Who issued each command (the subject of the token that sent it, over REST or Kafka): every ProvisioningEvent of
-- the command names it, also when another replica resumes the command long after the request. Null for commands
-- stored before access control.
alter table command add column actor text;
