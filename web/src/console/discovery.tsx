// System discovery (docs/discovery.md): admins upload a mailbox export, an SSO/app export (CSV)
// or paste DNS TXT records; every system seen becomes a finding, which an admin accepts (a
// data source is created) or dismisses. Every role reads the findings.
import { useState } from "preact/hooks";
import { ApiError, Call, ErrorText, Get, Post, session, type DataSource, type Me } from "../shared/api";
import { Link } from "./router";
import { Alert, Field, FormatDate, Notice, useLoad, Words } from "./ui";

interface Finding {
  id: string;
  source: "mailbox" | "sso" | "dns";
  domain: string | null;
  catalog_id: string | null;
  name: string;
  messages: number;
  first_seen: string | null;
  last_seen: string | null;
  recipients: number;
  signals: string[];
  status: "new" | "accepted" | "dismissed";
  data_source_id: string | null;
}

interface Imported {
  findings: Finding[];
  read: number;
  skipped: number;
}

// Sends a file or text as it is (the shared client sends JSON only); errors in words.
async function Upload<T>(path: string, body: FormData | string, contentType?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (contentType) headers["Content-Type"] = contentType;
  if (session.csrf) headers["X-CSRF-Token"] = session.csrf;
  let resp: Response;
  try {
    resp = await fetch(path, { method: "POST", headers, body, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "network", "The server cannot be reached. Check your connection and try again.");
  }
  let json: unknown = null;
  try {
    json = await resp.json();
  } catch {
    json = null;
  }
  if (!resp.ok) {
    if (resp.status === 401) session.onUnauthorized?.();
    const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
    const words =
      resp.status === 413 ? "The file is too large (at most 4 MiB); use the command line for bigger exports." : `The server answered ${resp.status}.`;
    throw new ApiError(resp.status, err?.code || "http_" + resp.status, err?.message || words);
  }
  return json as T;
}

function Summary(r: Imported, what: [string, string]): string {
  const n = r.findings.length;
  return `Read ${r.read} ${r.read === 1 ? what[0] : what[1]}${r.skipped ? `, skipped ${r.skipped} malformed` : ""}: ${n} system${n === 1 ? "" : "s"} found.`;
}

function Imports({ onImported }: { onImported: (text: string) => void }) {
  const [mailbox, setMailbox] = useState<File | null>(null);
  const [sso, setSso] = useState<File | null>(null);
  const [dns, setDns] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState("");

  async function Run(key: string, send: () => Promise<Imported>, what: [string, string]) {
    setErrors({});
    setBusy(key);
    try {
      onImported(Summary(await send(), what));
    } catch (e) {
      setErrors({ [key]: ErrorText(e) });
    } finally {
      setBusy("");
    }
  }

  function FileForm(key: string, file: File | null) {
    if (!file) {
      setErrors({ [key]: "Choose a file first." });
      return null;
    }
    const form = new FormData();
    form.append("file", file, file.name);
    return form;
  }

  return (
    <div class="columns discovery-imports">
      <form
        class="card"
        onSubmit={(ev) => {
          ev.preventDefault();
          const form = FileForm("mailbox", mailbox);
          if (form) Run("mailbox", () => Upload<Imported>("/api/v1/discovery/mailbox", form), ["message", "messages"]);
        }}
      >
        <h2>Mailbox</h2>
        <Field
          id="disc-mailbox"
          label="Mailbox export"
          hint="An .mbox, one .eml, or a .zip of a Maildir (at most 4 MiB). Only headers are read."
          error={errors.mailbox}
        >
          <input
            id="disc-mailbox"
            type="file"
            accept=".mbox,.mbx,.eml,.zip,application/mbox,message/rfc822,application/zip"
            aria-invalid={errors.mailbox ? "true" : undefined}
            onChange={(e) => setMailbox((e.target as HTMLInputElement).files?.[0] ?? null)}
          />
        </Field>
        <button type="submit" disabled={busy !== ""}>
          Upload mailbox
        </button>
      </form>
      <form
        class="card"
        onSubmit={(ev) => {
          ev.preventDefault();
          const form = FileForm("sso", sso);
          if (form) Run("sso", () => Upload<Imported>("/api/v1/discovery/sso", form), ["row", "rows"]);
        }}
      >
        <h2>SSO / app export</h2>
        <Field id="disc-sso" label="SSO export (CSV)" hint="Okta or Google Workspace applications report." error={errors.sso}>
          <input
            id="disc-sso"
            type="file"
            accept=".csv,text/csv"
            aria-invalid={errors.sso ? "true" : undefined}
            onChange={(e) => setSso((e.target as HTMLInputElement).files?.[0] ?? null)}
          />
        </Field>
        <button type="submit" disabled={busy !== ""}>
          Upload SSO export
        </button>
      </form>
      <form
        class="card"
        onSubmit={(ev) => {
          ev.preventDefault();
          if (!dns.trim()) {
            setErrors({ dns: "Paste the records first." });
            return;
          }
          Run("dns", () => Upload<Imported>("/api/v1/discovery/dns", dns, "text/plain"), ["record", "records"]);
        }}
      >
        <h2>DNS records</h2>
        <Field id="disc-dns" label="DNS TXT records" hint="One per line, e.g. the output of dig TXT example.com." error={errors.dns}>
          <textarea
            id="disc-dns"
            rows={4}
            value={dns}
            aria-invalid={errors.dns ? "true" : undefined}
            onInput={(e) => setDns((e.target as HTMLTextAreaElement).value)}
          />
        </Field>
        <button type="submit" disabled={busy !== ""}>
          Read DNS records
        </button>
      </form>
    </div>
  );
}

const kStatuses: [Finding["status"], string][] = [
  ["new", "New"],
  ["accepted", "Accepted"],
  ["dismissed", "Dismissed"],
];

export function Discovery({ me }: { me: Me }) {
  const admin = me.role === "admin";
  const [status, setStatus] = useState<Finding["status"]>("new");
  const list = useLoad(() => Get<{ items: Finding[] }>("/api/v1/discovery/findings", { status }), [status]);
  const sources = useLoad(() => Get<{ items: DataSource[] }>("/api/v1/data-sources"), []);
  const [notice, setNotice] = useState("");
  const [alert, setAlert] = useState("");
  const [accepted, setAccepted] = useState<DataSource | null>(null);
  const names = new Map((sources.data?.items || []).map((s) => [s.id, s.name]));

  async function Act(f: Finding, action: "accept" | "dismiss") {
    setAlert("");
    setNotice("");
    setAccepted(null);
    try {
      if (action === "accept") {
        const ds = await Post<DataSource>(`/api/v1/discovery/findings/${f.id}/accept`);
        setAccepted(ds);
        await sources.reload();
      } else {
        await Call("POST", `/api/v1/discovery/findings/${f.id}/dismiss`); // takes no body
        setNotice(`Dismissed ${f.name}.`);
      }
      await list.reload();
    } catch (e) {
      setAlert(ErrorText(e));
    }
  }

  const items = list.data?.items || [];
  return (
    <section>
      <h1>Discovery</h1>
      <p class="hint">Systems seen in mailbox, SSO and DNS exports. Accept one to add it to the data inventory.</p>
      {admin ? (
        <Imports
          onImported={(text) => {
            setAlert("");
            setAccepted(null);
            setNotice(text);
            if (status === "new") list.reload();
            else setStatus("new");
          }}
        />
      ) : null}
      <Alert text={list.error || alert} />
      <Notice text={notice} />
      {accepted ? (
        <p class="notice" role="status">
          Accepted: data source <Link href={`/data-sources?source=${encodeURIComponent(accepted.id)}`}>{accepted.name}</Link> created ({Words(accepted.category)},{" "}
          {accepted.process}).
        </p>
      ) : null}
      <div class="tabs" role="tablist" aria-label="Findings">
        {kStatuses.map(([s, label]) => (
          <button
            key={s}
            type="button"
            role="tab"
            aria-selected={status === s}
            class={status === s ? "tab active" : "tab"}
            onClick={() => setStatus(s)}
          >
            {label}
          </button>
        ))}
      </div>
      {list.data && items.length === 0 ? (
        <p class="empty">{status === "new" ? "No new findings. Upload an export to discover systems." : `No ${status} findings.`}</p>
      ) : null}
      {items.length ? (
        <table class="list findings">
          <thead>
            <tr>
              <th scope="col">System</th>
              <th scope="col">Domain</th>
              <th scope="col">Seen in</th>
              <th scope="col" class="num">
                Messages
              </th>
              <th scope="col">First seen</th>
              <th scope="col">Last seen</th>
              <th scope="col" class="num">
                Recipients
              </th>
              <th scope="col">{status === "accepted" ? "Data source" : admin && status === "new" ? "Actions" : ""}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((f) => (
              <tr key={f.id} class="finding">
                <td>
                  <strong>{f.name}</strong>
                  {f.catalog_id ? <span class="badge">catalog</span> : null}
                </td>
                <td>{f.domain || "—"}</td>
                <td>
                  {f.source}
                  {f.signals.length ? <span class="hint"> ({f.signals.map(Words).join(", ")})</span> : null}
                </td>
                <td class="num">{f.messages}</td>
                <td>{FormatDate(f.first_seen)}</td>
                <td>{FormatDate(f.last_seen)}</td>
                <td class="num">{f.recipients}</td>
                <td>
                  {f.status === "accepted" && f.data_source_id ? (
                    <Link href={`/data-sources?source=${encodeURIComponent(f.data_source_id)}`}>
                      {names.get(f.data_source_id) || "Data source"}
                    </Link>
                  ) : null}
                  {admin && f.status === "new" ? (
                    <span class="button-row">
                      <button type="button" class="small" onClick={() => Act(f, "accept")}>
                        Accept <span class="visually-hidden">{f.name}</span>
                      </button>
                      <button type="button" class="secondary small" onClick={() => Act(f, "dismiss")}>
                        Dismiss <span class="visually-hidden">{f.name}</span>
                      </button>
                    </span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
