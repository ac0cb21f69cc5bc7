-- The signatures of the webhook callbacks accepted (POST /api/v1/webhooks/tasks/{task_id}),
-- so that each is accepted once: a replayed callback is refused. A callback's timestamp must
-- be within 5 minutes, so rows older than that window are forgotten as new ones arrive.
CREATE TABLE webhook_callbacks (
  signature TEXT PRIMARY KEY,
  task_id TEXT NOT NULL,
  received_at BIGINT NOT NULL
);
CREATE INDEX webhook_callbacks_received ON webhook_callbacks (received_at);
