-- Batch erasure (IntegrationService::RunTask): a task.run job finds the other pending tasks of
-- its data source, and settles their queued jobs by payload.
CREATE INDEX tasks_source_status ON tasks(data_source_id, status);
CREATE INDEX jobs_kind_payload ON jobs(kind, payload);
