-- The data inventory: who owns a source, what it is, and which data categories (fideslang keys,
-- comma-separated) it holds; tasks found by source, for refusing to delete a source in use.
ALTER TABLE data_sources ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE data_sources ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE data_sources ADD COLUMN data_categories TEXT NOT NULL DEFAULT '';
CREATE INDEX tasks_source ON tasks(data_source_id, status);
