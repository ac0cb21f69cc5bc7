// The Process stage (the live task list: mark done, retry, skip) and the Reply stage (the
// drafted reply, its editor and preview, and Reply & close).
import { useState } from "preact/hooks";
import { ApiError, Get, Post, type PrivacyRequest, type Reply, type Task } from "../shared/api";
import type { Act } from "./request_review";
import { Alert, Field, FormatDateTime, useLoad, Words } from "./ui";

function TaskRow({ q, t, act, canWork }: { q: PrivacyRequest; t: Task; act: Act; canWork: boolean }) {
  const [note, setNote] = useState("");
  const [skipReason, setSkipReason] = useState("");
  const open = t.status === "pending" || t.status === "waiting" || t.status === "running" || t.status === "failed";
  const base = `/api/v1/requests/${q.id}/tasks/${t.id}`;
  return (
    <li class={`task task-${t.status}`} data-task={t.source_name}>
      <div class="task-head">
        <strong>{t.source_name}</strong> <span class="hint">{t.process}</span>{" "}
        <span class={`status status-${t.status}`}>{t.status}</span>
      </div>
      {t.instructions ? <p class="pre hint">{t.instructions}</p> : null}
      {t.contact_email ? <p class="hint">Vendor contact: {t.contact_email}{t.reminders ? ` · ${t.reminders} reminder(s)` : ""}</p> : null}
      {t.note ? <p>Note: {t.note}</p> : null}
      {t.completed_at ? <p class="hint">Finished {FormatDateTime(t.completed_at)}</p> : null}
      {canWork && open && q.status === "process" ? (
        <div class="task-actions">
          {t.process !== "integration" ? (
            <span>
              <label for={`note-${t.id}`} class="visually-hidden">
                Note for {t.source_name}
              </label>
              <input
                id={`note-${t.id}`}
                class="inline-input"
                placeholder="Note (optional)"
                value={note}
                onInput={(e) => setNote((e.target as HTMLInputElement).value)}
              />{" "}
              <button type="button" onClick={() => act("Marked done", () => Post(`${base}/complete`, note ? { note } : {}))}>
                Mark done
              </button>
            </span>
          ) : null}
          {t.status === "failed" ? (
            <button type="button" class="secondary" onClick={() => act("Queued again", () => Post(`${base}/retry`, {}))}>
              Retry
            </button>
          ) : null}
          <span>
            <label for={`skip-${t.id}`} class="visually-hidden">
              Reason to skip {t.source_name}
            </label>
            <input
              id={`skip-${t.id}`}
              class="inline-input"
              placeholder="Reason to skip"
              value={skipReason}
              onInput={(e) => setSkipReason((e.target as HTMLInputElement).value)}
            />{" "}
            <button type="button" class="secondary" onClick={() => act("Skipped", () => Post(`${base}/skip`, { reason: skipReason }))}>
              Skip
            </button>
          </span>
        </div>
      ) : null}
    </li>
  );
}

export function Process({ q, act, canWork }: { q: PrivacyRequest; act: Act; canWork: boolean }) {
  const tasks = q.tasks || [];
  return (
    <section class="stage-panel" aria-labelledby="process-h">
      <h2 id="process-h">Process</h2>
      {q.status === "process" ? <p class="hint">The list refreshes by itself while tasks run.</p> : null}
      {tasks.length ? (
        <ul class="tasks">
          {tasks.map((t) => (
            <TaskRow key={t.id} q={q} t={t} act={act} canWork={canWork} />
          ))}
        </ul>
      ) : (
        <p class="hint">No tasks.</p>
      )}
    </section>
  );
}

export function ReplyStage({ q, act, canWork }: { q: PrivacyRequest; act: Act; canWork: boolean }) {
  const draft = useLoad(() => Get<Reply>(`/api/v1/requests/${q.id}/reply`), [q.id]);
  const [subject, setSubject] = useState<string | null>(null);
  const [body, setBody] = useState<string | null>(null);
  const [preview, setPreview] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const s = subject ?? draft.data?.subject ?? "";
  const b = body ?? draft.data?.body ?? "";
  return (
    <section class="stage-panel" aria-labelledby="reply-h">
      <h2 id="reply-h">Reply</h2>
      <Alert text={draft.error} />
      {draft.data ? (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            setErrors({});
            const ok = await act("Replied and closed", async () => {
              try {
                return await Post(`/api/v1/requests/${q.id}/reply`, { subject: s, body: b });
              } catch (err) {
                if (err instanceof ApiError && err.field) setErrors({ [err.field]: err.detail });
                throw err;
              }
            });
            if (ok) setPreview(false);
          }}
        >
          <p class="hint">
            To {draft.data.to} · outcome <strong>{Words(draft.data.outcome)}</strong> · template {draft.data.template_key}
          </p>
          <div class="tabs small" role="tablist" aria-label="Reply view">
            <button type="button" role="tab" aria-selected={!preview} class={!preview ? "tab active" : "tab"} onClick={() => setPreview(false)}>
              Edit
            </button>
            <button type="button" role="tab" aria-selected={preview} class={preview ? "tab active" : "tab"} onClick={() => setPreview(true)}>
              Preview
            </button>
          </div>
          {preview ? (
            <div class="preview card" aria-label="Preview">
              <div class="msg-subject">{s}</div>
              <div class="pre">{b}</div>
            </div>
          ) : (
            <>
              <Field id="reply-subject" label="Subject" error={errors.subject}>
                <input id="reply-subject" value={s} disabled={!canWork} onInput={(e) => setSubject((e.target as HTMLInputElement).value)} />
              </Field>
              <Field id="reply-body" label="Message" error={errors.body}>
                <textarea id="reply-body" rows={14} value={b} disabled={!canWork} onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} />
              </Field>
            </>
          )}
          {canWork ? <button type="submit">Reply &amp; close</button> : null}
        </form>
      ) : null}
    </section>
  );
}
