-- The audit log is append-only in the database too (issue 11): any UPDATE or DELETE of audit_log
-- fails (dev.nexus.host.db.AppendOnlyTrigger). The PostgreSQL twin of this migration is in
-- db/postgresql. H2 runs no triggers on TRUNCATE; the code has none (AuditLogTest checks).
CREATE TRIGGER audit_log_append_only BEFORE UPDATE, DELETE ON audit_log
    FOR EACH ROW CALL 'dev.nexus.host.db.AppendOnlyTrigger';
