// One request: its stages (Review → Process → Reply → Closed) with each stage's work, plus
// assign, extend, hold, messages with the subject, and the history as a timeline.
import { useEffect, useState } from "preact/hooks";
import {
  ApiError,
  ErrorText,
  Get,
  Post,
  type DataSource,
  type HistoryEvent,
  type Me,
  type Message,
  type PrivacyRequest,
  type Reply,
  type Task,
} from "../shared/api";
import { useUsers } from "./inbox";
import { PackagePanel } from "./package_panel";
import { Link } from "./router";
import {
  Alert,
  DaysLeft,
  Field,
  FormatDate,
  FormatDateTime,
  kRejectionReasons,
  Notice,
  StatusBadge,
  useLoad,
  Words,
} from "./ui";

const kStages = ["review", "process", "reply", "closed"];

type Act = (what: string, fn: () => Promise<unknown>) => Promise<boolean>;

function Stages({ status }: { status: string }) {
  const at = kStages.indexOf(status);
  return (
    <ol class="stages" aria-label="Stages">
      {status === "unverified" ? <li class="current">Unverified</li> : null}
      {kStages.map((s, i) => (
        <li key={s} class={i === at ? "current" : i < at ? "done" : ""} aria-current={i === at ? "step" : undefined}>
          {s[0].toUpperCase() + s.slice(1)}
        </li>
      ))}
    </ol>
  );
}

function Identity({ q }: { q: PrivacyRequest }) {
  let corrections = q.corrections;
  if (corrections) {
    try {
      const parsed = JSON.parse(corrections);
      corrections = typeof parsed === "string" ? parsed : Object.entries(parsed).map(([k, v]) => `${k}: ${v}`).join("\n");
    } catch {
      // shown as stored
    }
  }
  return (
    <dl class="facts">
      <dt>Email</dt>
      <dd>{q.subject.email}</dd>
      <dt>Name</dt>
      <dd>{q.subject.name || "—"}</dd>
      <dt>Phone</dt>
      <dd>{q.subject.phone || "—"}</dd>
      <dt>Requester</dt>
      <dd>{Words(q.requester_type)}</dd>
      <dt>Jurisdiction</dt>
      <dd>{q.jurisdiction}</dd>
      <dt>Channel</dt>
      <dd>{Words(q.channel)}</dd>
      <dt>Verification</dt>
      <dd>
        {q.verification.verified_at
          ? `verified ${FormatDateTime(q.verification.verified_at)} (${Words(q.verification.method || "")})`
          : q.status === "unverified"
            ? "waiting for the subject"
            : "not needed (entered by an agent)"}
      </dd>
      {q.details ? (
        <>
          <dt>Details</dt>
          <dd class="pre">{q.details}</dd>
        </>
      ) : null}
      {corrections ? (
        <>
          <dt>Corrections</dt>
          <dd class="pre">{corrections}</dd>
        </>
      ) : null}
    </dl>
  );
}

function Review({ q, act, canWork }: { q: PrivacyRequest; act: Act; canWork: boolean }) {
  const sources = useLoad(() => Get<{ items: DataSource[] }>("/api/v1/data-sources"), []);
  const [chosen, setChosen] = useState<Set<string> | null>(null);
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const [reasonError, setReasonError] = useState("");
  const usable = (sources.data?.items || []).filter((s) => !s.archived);
  const selected = chosen ?? new Set((q.applicable_sources || []).map((s) => s.id));

  function Toggle(id: string) {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  }

  return (
    <section class="stage-panel" aria-labelledby="review-h">
      <h2 id="review-h">Review</h2>
      <div class="columns">
        <div>
          <h3>Identity</h3>
          <Identity q={q} />
          {q.acknowledge_by ? <p class="hint">Acknowledge by {FormatDate(q.acknowledge_by)}.</p> : null}
        </div>
        <div>
          <h3>Duplicates</h3>
          {q.duplicates && q.duplicates.length ? (
            <ul>
              {q.duplicates.map((d) => (
                <li key={d.id}>
                  <Link href={`/requests/${d.id}`}>{d.reference}</Link> · {Words(d.type)} · {d.status} ·{" "}
                  {FormatDate(d.received_at)}
                </li>
              ))}
            </ul>
          ) : (
            <p class="hint">No recent request of this type from this address.</p>
          )}
          <h3>Pre-scan</h3>
          {q.prescan && q.prescan.length ? (
            <ul>
              {q.prescan.map((p) => (
                <li key={p.data_source_id}>
                  {usable.find((s) => s.id === p.data_source_id)?.name || p.data_source_id}: {String(p.found)}
                </li>
              ))}
            </ul>
          ) : (
            <p class="hint">No connected source reports this identity (pre-scan needs integrations).</p>
          )}
        </div>
      </div>
      {canWork && q.status === "review" ? (
        <div class="columns">
          <form
            class="card"
            onSubmit={(e) => {
              e.preventDefault();
              act("Continued", () => Post(`/api/v1/requests/${q.id}/continue`, { data_source_ids: [...selected] }));
            }}
          >
            <h3>Continue with data sources</h3>
            <Alert text={sources.error} />
            {usable.length === 0 && sources.data ? (
              <p class="hint">
                No data sources yet. <Link href="/data-sources">Add one</Link>, or continue without any.
              </p>
            ) : null}
            <fieldset class="source-choice">
              <legend class="visually-hidden">Data sources</legend>
              {usable.map((s) => (
                <div class="check" key={s.id}>
                  <input id={`src-${s.id}`} type="checkbox" checked={selected.has(s.id)} onChange={() => Toggle(s.id)} />
                  <label for={`src-${s.id}`}>
                    {s.name} <span class="hint">({s.process}{s.request_handling ? "" : ", not in request handling"})</span>
                  </label>
                </div>
              ))}
            </fieldset>
            <button type="submit">Continue</button>
          </form>
          <form
            class="card"
            onSubmit={async (e) => {
              e.preventDefault();
              setReasonError("");
              if (!reason) {
                setReasonError("Choose a reason.");
                return;
              }
              await act("Rejected", () => Post(`/api/v1/requests/${q.id}/reject`, { reason, note: note || undefined }));
            }}
          >
            <h3>Reject</h3>
            <Field id="reject-reason" label="Reason" error={reasonError}>
              <select id="reject-reason" value={reason} onChange={(e) => setReason((e.target as HTMLSelectElement).value)}>
                <option value="">Choose…</option>
                {kRejectionReasons.map((r) => (
                  <option key={r} value={r}>
                    {Words(r)}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="reject-note" label="Note (internal)">
              <textarea id="reject-note" rows={2} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
            </Field>
            <button type="submit" class="danger">
              Reject
            </button>
          </form>
        </div>
      ) : null}
    </section>
  );
}

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

function Process({ q, act, canWork }: { q: PrivacyRequest; act: Act; canWork: boolean }) {
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

function ReplyStage({ q, act, canWork }: { q: PrivacyRequest; act: Act; canWork: boolean }) {
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

function Messages({ q, canWork }: { q: PrivacyRequest; canWork: boolean }) {
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

function History({ q, me }: { q: PrivacyRequest; me: Me }) {
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

function Actions({ q, me, act }: { q: PrivacyRequest; me: Me; act: Act }) {
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

export function RequestPage({ id, me }: { id: string; me: Me }) {
  const req = useLoad(() => Get<PrivacyRequest>(`/api/v1/requests/${id}`), [id]);
  const [notice, setNotice] = useState("");
  const [error, setError] = useState("");
  const [showHistory, setShowHistory] = useState(false);
  const q = req.data;
  const canWork = me.role !== "viewer";

  // The task list is live while the request is in process.
  useEffect(() => {
    if (q?.status !== "process") return;
    const timer = setInterval(() => req.reload(), 3000);
    return () => clearInterval(timer);
  }, [q?.status]);

  const act: Act = async (what, fn) => {
    setError("");
    setNotice("");
    try {
      await fn();
      setNotice(what + ".");
      await req.reload();
      return true;
    } catch (e) {
      setError(ErrorText(e));
      return false;
    }
  };

  if (!q) return req.error ? <Alert text={req.error} /> : <p>Loading…</p>;
  return (
    <article class="request">
      <p>
        <Link href="/">← Inbox</Link>
      </p>
      <header class="request-head">
        <h1>
          {q.reference} <span class="type">{q.type_name || Words(q.type)}</span>
        </h1>
        <p>
          <StatusBadge status={q.status} /> {q.outcome ? <span class="badge">{Words(q.outcome)}</span> : null} Due{" "}
          {FormatDate(q.due_at)} <DaysLeft days={q.days_left} closed={q.status === "closed"} />
          {q.hold ? <span class="badge hold">on hold</span> : null}
          {q.rejection.reason ? <span class="hint"> · rejected: {Words(q.rejection.reason)}{q.rejection.note ? ` (${q.rejection.note})` : ""}</span> : null}
        </p>
        <Stages status={q.status} />
      </header>
      <Alert text={error} />
      <Notice text={notice} />
      <div class="request-body">
        <div class="main-col">
          {q.status === "review" || q.status === "unverified" ? <Review q={q} act={act} canWork={canWork} /> : null}
          {q.status !== "review" && q.status !== "unverified" ? (
            <details class="stage-panel">
              <summary>Identity and verification</summary>
              <Identity q={q} />
            </details>
          ) : null}
          {(q.tasks && q.tasks.length) || q.status === "process" ? <Process q={q} act={act} canWork={canWork} /> : null}
          {q.status === "reply" ? <ReplyStage q={q} act={act} canWork={canWork} /> : null}
          {q.status === "reply" && q.type === "copy" ? <PackagePanel q={q} canWork={canWork} /> : null}
          {q.status === "closed" ? (
            <section class="stage-panel">
              <h2>Closed</h2>
              <p>
                Outcome: <strong>{Words(q.outcome || "")}</strong>
              </p>
            </section>
          ) : null}
          <Messages q={q} canWork={canWork} />
          <p>
            <button type="button" class="secondary" aria-expanded={showHistory} onClick={() => setShowHistory(!showHistory)}>
              {showHistory ? "Hide request history" : "See request history"}
            </button>
          </p>
          {showHistory ? <History q={q} me={me} /> : null}
        </div>
        {canWork ? <Actions q={q} me={me} act={act} /> : null}
      </div>
    </article>
  );
}
