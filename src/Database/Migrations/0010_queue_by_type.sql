-- The dispatch queue ordered per task type. A server claims only the types its agent runs, and the queue may hold
-- a hundred thousand tasks of types nobody runs: with the type first, each type's claim and each queue position is an
-- index range in queue order, never a walk past other types' rows.
CREATE INDEX IF NOT EXISTS ix_task_queue_type_order ON task_queue (task_type, front DESC, priority DESC, enqueued_at, task_id);
DROP INDEX IF EXISTS ix_task_queue_order;
