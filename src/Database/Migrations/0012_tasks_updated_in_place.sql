-- A task's run rewrites its row three times (assigned, started, finished). Each rewrite that changes a column some
-- index covers writes a new entry in every index of the table; one that changes none may stay on its page with no
-- index entry at all (a HOT update). The status and updated_at change at every step, so no index covers them any more:
-- the indexes over the active tasks (pending or running) key on completed_at, which is null exactly while a task is
-- active (every end sets it, a retry clears it) and changes once, at the end. A start is then written in place; an
-- assignment and an end still index the row, in five indexes and three instead of six and five.
-- Lists filtered by status read a user's tasks in creation order (or the whole table for the admin's count), as
-- they do without a filter.
CREATE INDEX IF NOT EXISTS ix_tasks_user_active ON tasks (user_id) WHERE completed_at IS NULL AND deleted_at IS NULL;
-- What a server holds (assigned or running): its grain reloads its slots from here after a move or a crash.
CREATE INDEX IF NOT EXISTS ix_tasks_server_held ON tasks (gpu_server_id) WHERE completed_at IS NULL AND gpu_server_id IS NOT NULL;
DROP INDEX IF EXISTS ix_tasks_user_status;
DROP INDEX IF EXISTS ix_tasks_status;
DROP INDEX IF EXISTS ix_tasks_server_active;
-- Room on each page for the new versions of its rows, so a rewrite can stay on the row's page.
ALTER TABLE tasks SET (fillfactor = 80);
