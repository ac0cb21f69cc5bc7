// The Review stage of a request: the subject's identity and verification, an authorized
// agent's proof of authority, duplicates, the pre-scan, and Continue / Reject.
import { useState } from "preact/hooks";
import { Get, Post, type DataSource, type PrivacyRequest } from "../shared/api";
import { Link } from "./router";
import { Alert, Field, FormatDate, FormatDateTime, kRejectionReasons, useLoad, Words } from "./ui";

// Runs one action of the request page, shows its outcome, and reloads the request.
export type Act = (what: string, fn: () => Promise<unknown>) => Promise<boolean>;

export function Identity({ q }: { q: PrivacyRequest }) {
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

function FileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

// An authorized agent's proof of authority: its name and size, and (for agents and admins) the
// download, which the server records in the history.
export function ProofOfAuthority({ q, canWork }: { q: PrivacyRequest; canWork: boolean }) {
  if (q.requester_type !== "authorized_agent") return null;
  return (
    <div class="proof" data-testid="proof">
      <h3>Proof of authority</h3>
      {q.proof ? (
        <p>
          <span class="proof-name">{q.proof.file_name}</span> · {FileSize(q.proof.size)} · uploaded{" "}
          {FormatDateTime(q.proof.uploaded_at)}{" "}
          {canWork ? (
            <a class="button secondary" href={`/api/v1/requests/${q.id}/proof`} download={q.proof.file_name}>
              Download
            </a>
          ) : null}
        </p>
      ) : (
        <p class="hint">The authorized agent has not uploaded a proof of authority yet.</p>
      )}
    </div>
  );
}

export function Review({ q, act, canWork }: { q: PrivacyRequest; act: Act; canWork: boolean }) {
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
          <ProofOfAuthority q={q} canWork={canWork} />
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
