// Beside a request's stages: the messages with the subject, the request history as a
// timeline, and the actions (assign, extend, hold).
import { useEffect, useState } from "preact/hooks";
import { ApiError, ErrorText, Get, Post, type HistoryEvent, type Me, type Message, type PrivacyRequest } from "../shared/api";
import { useUsers } from "./inbox";
import type { Act } from "./request_review";
import { Alert, Field, FormatDate, FormatDateTime, useLoad, Words } from "./ui";

export function Messages({ q, canWork }: { q: PrivacyRequest; canWork: boolean }) {
  const list = useLoad(() => Get<{ items: Message[] }>(`/api/v1/requests/${q.id}/messages`), [q.id, q.updated_at]);
  const [text, setText] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  return (
    <section aria-labelledby="messages-h">
      <h2 id="messages-h">Messages with the subject</h2>
      <Alert text={list.error} />
      {list.data && list.data.items.length ? (
        <ol class="messages">
          {list.data.items.map((m) => (
            <li key={m.id} class={m.direction === "in" ? "from-subject" : "from-team"}>
              <div class="meta">
                {m.direction === "in" ? "From the subject" : `To ${m.recipient || "the subject"}`} · {FormatDateTime(m.created_at)}
                {m.direction === "out" && !m.sent_at ? " · sending…" : ""}
              </div>
              <div class="msg-subject">{m.subject}</div>
              <div class="pre">{m.body}</div>
            </li>
          ))}
        </ol>
      ) : (
        <p class="hint">No messages.</p>
      )}
      {canWork && q.status !== "closed" ? (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            setBusy(true);
            setError("");
            try {
              await Post(`/api/v1/requests/${q.id}/messages`, { body: text });
              setText("");
              await list.reload();
            } catch (err) {
              setError(err instanceof ApiError && err.field === "body" ? err.detail : ErrorText(err));
            } finally {
              setBusy(false);
            }
          }}
        >
          <Field id="message-body" label="Write to the subject" error={error}>
            <textarea id="message-body" rows={3} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
          </Field>
          <button type="submit" disabled={busy || !text.trim()}>
            Send message
          </button>
        </form>
      ) : null}
    </section>
  );
}

function DetailText(detail: unknown): string {
  if (detail === null || detail === undefined) return "";
  if (typeof detail !== "object") return String(detail);
  return Object.entries(detail as Record<string, unknown>)
    .map(([k, v]) => `${Words(k)}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" · ");
}

export function History({ q, me }: { q: PrivacyRequest; me: Me }) {
  const users = useUsers(me);
  // "user:usr_…" → the user's email when this console knows it.
  const actor = (a: string) => (a.startsWith("user:") ? users.find((u) => u.id === a.slice(5))?.email || a : a);
  const events = useLoad(() => Get<{ events: HistoryEvent[] }>(`/api/v1/requests/${q.id}/history`), [q.id, q.updated_at]);
  return (
    <section aria-labelledby="history-h">
      <h2 id="history-h">Request history</h2>
      <Alert text={events.error} />
      <ol class="timeline">
        {(events.data?.events || []).map((e) => (
          <li key={e.seq}>
            <time dateTime={e.at}>{FormatDateTime(e.at)}</time>
            <div>
              <strong class="event-kind">{e.kind}</strong> <span class="actor">by {actor(e.actor)}</span>
              {DetailText(e.detail) ? <div class="hint">{DetailText(e.detail)}</div> : null}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function Actions({ q, me, act }: { q: PrivacyRequest; me: Me; act: Act }) {
  const users = useUsers(me);
  const [assignee, setAssignee] = useState(q.assignee || "");
  const [extendReason, setExtendReason] = useState("");
  const [holdReason, setHoldReason] = useState("");
  useEffect(() => setAssignee(q.assignee || ""), [q.assignee]);
  if (q.status === "closed") return null;
  return (
    <aside class="actions card" aria-label="Actions">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          act("Assigned", () => Post(`/api/v1/requests/${q.id}/assign`, { assignee }));
        }}
      >
        <label for="assignee">Assignee</label>
        <select id="assignee" value={assignee} onChange={(e) => setAssignee((e.target as HTMLSelectElement).value)}>
          <option value="">Unassigned</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.id === me.id ? `Me (${u.email})` : u.email}
            </option>
          ))}
          {q.assignee && !users.some((u) => u.id === q.assignee) ? <option value={q.assignee}>{q.assignee}</option> : null}
        </select>
        <button type="submit" class="secondary small">
          Assign
        </button>
      </form>
      {!q.extension ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            act("Extended", () => Post(`/api/v1/requests/${q.id}/extend`, { reason: extendReason }));
          }}
        >
          <label for="extend-reason">Extend the deadline (once)</label>
          <input id="extend-reason" placeholder="Reason, sent to the subject" value={extendReason} onInput={(e) => setExtendReason((e.target as HTMLInputElement).value)} />
          <button type="submit" class="secondary small">
            Extend
          </button>
        </form>
      ) : (
        <p class="hint">Extended {FormatDate(q.extension.extended_at)}: {q.extension.reason}</p>
      )}
      {q.hold ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            act("Released", () => Post(`/api/v1/requests/${q.id}/release`, {}));
          }}
        >
          <p>
            On hold since {FormatDate(q.hold.since)}: {q.hold.reason}
          </p>
          <button type="submit" class="secondary small">
            Release hold
          </button>
        </form>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            act("Put on hold", () => Post(`/api/v1/requests/${q.id}/hold`, { reason: holdReason }));
          }}
        >
          <label for="hold-reason">Put on hold</label>
          <input id="hold-reason" placeholder="Reason (legal hold, needs clarification…)" value={holdReason} onInput={(e) => setHoldReason((e.target as HTMLInputElement).value)} />
          <button type="submit" class="secondary small">
            Hold
          </button>
        </form>
      )}
    </aside>
  );
}
