// The copy package of a request in Reply: what the subject's download holds (sources,
// collections, columns, row counts, the first rows), and redacting a column before the reply.
import { useEffect, useState } from "preact/hooks";
import { ErrorText, Get, Post, type PrivacyRequest } from "../shared/api";
import { Alert, Notice, useLoad } from "./ui";

interface PackageCollection {
  name: string;
  rows: number;
  columns: string[];
  redacted: string[];
  first_rows: Record<string, unknown>[];
}

interface PackageSource {
  data_source_id: string;
  name: string;
  task_id: string;
  collections: PackageCollection[];
}

interface PackagePreview {
  request_id: string;
  status: "building" | "ready" | "expired";
  bytes: number;
  downloads: number;
  expires_at: number | null;
  sources: PackageSource[];
}

const Cell = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

function Collection({ q, source, c, canWork, onChange }: { q: PrivacyRequest; source: PackageSource; c: PackageCollection; canWork: boolean; onChange: (p: PackagePreview) => void }) {
  const [error, setError] = useState("");
  const shown = c.columns.filter((col) => !c.redacted.includes(col));
  const redact = async (column: string) => {
    if (!confirm(`Leave "${column}" of ${c.name} out of the package?`)) return;
    try {
      onChange(await Post<PackagePreview>(`/api/v1/requests/${q.id}/package/redact`, { fields: [{ data_source_id: source.data_source_id, collection: c.name, column }] }));
      setError("");
    } catch (e) {
      setError(ErrorText(e));
    }
  };
  return (
    <div class="package-collection">
      <h4>
        {c.name} <span class="hint">· {c.rows} row{c.rows === 1 ? "" : "s"}</span>
        {c.redacted.length ? <span class="hint"> · left out: {c.redacted.join(", ")}</span> : null}
      </h4>
      <Alert text={error} />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              {shown.map((col) => (
                <th key={col} scope="col">
                  {col}{" "}
                  {canWork ? (
                    <button type="button" class="link small" aria-label={`Redact ${col} of ${c.name}`} onClick={() => redact(col)}>
                      redact
                    </button>
                  ) : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {c.first_rows.map((row, i) => (
              <tr key={i}>
                {shown.map((col) => (
                  <td key={col}>{Cell(row[col])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function PackagePanel({ q, canWork }: { q: PrivacyRequest; canWork: boolean }) {
  const pkg = useLoad(() => Get<PackagePreview>(`/api/v1/requests/${q.id}/package`), [q.id]);
  const [notice, setNotice] = useState("");
  // While the package is being built, look again every few seconds.
  useEffect(() => {
    if (pkg.data?.status !== "building") return;
    const t = setTimeout(() => pkg.reload(), 2000);
    return () => clearTimeout(t);
  }, [pkg.data]);
  const p = pkg.data;
  if (!p && pkg.error.includes("no copy package")) return null;  // nothing was exported
  return (
    <section class="stage-panel" aria-labelledby="package-h">
      <h2 id="package-h">Copy package</h2>
      <Alert text={pkg.error} />
      <Notice text={notice} />
      {p ? (
        <>
          <p class="hint">
            {p.status === "building"
              ? "Being built: the reply can be sent once it is ready, and its draft then carries the download link."
              : p.status === "expired"
                ? "The download link has expired; the package was deleted."
                : `Ready · ${Math.ceil(p.bytes / 1024)} KiB zip · ${p.downloads} download${p.downloads === 1 ? "" : "s"}` +
                  (p.expires_at ? ` · link works until ${new Date(p.expires_at * 1000).toLocaleDateString()}` : "")}
          </p>
          {p.sources.map((s) => (
            <details key={s.data_source_id} open>
              <summary>{s.name}</summary>
              {s.collections.length === 0 ? <p class="hint">Nothing found in this system.</p> : null}
              {s.collections.map((c) => (
                <Collection
                  key={c.name}
                  q={q}
                  source={s}
                  c={c}
                  canWork={canWork && p.status !== "expired"}
                  onChange={(next) => {
                    pkg.setData(next);
                    setNotice("Redacted: the package is being rebuilt.");
                  }}
                />
              ))}
            </details>
          ))}
        </>
      ) : null}
    </section>
  );
}
