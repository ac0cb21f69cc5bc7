// The request inbox: tabs by status with counts, filters, search, days-left badges, cursor
// pagination, and bulk assign / reject.
import { useEffect, useState } from "preact/hooks";
import {
  ErrorText,
  Get,
  Post,
  type Me,
  type PrivacyRequest,
  type RequestCounts,
  type RequestPage,
  type RequestTypeSetting,
  type User,
} from "../shared/api";
import { Link, Navigate } from "./router";
import { Alert, DaysLeft, FormatDate, kJurisdictions, kRejectionReasons, Notice, Words } from "./ui";

const kTabs: [string, string][] = [
  ["review", "Review"],
  ["process", "Process"],
  ["reply", "Reply"],
  ["closed", "Closed"],
];
const kPageSize = 50;
const kChannels = ["privacy_center", "manual", "api", "authorized_agent", "gpc"];

export function useUsers(me: Me): User[] {
  const [users, setUsers] = useState<User[]>([{ id: me.id, email: me.email, role: me.role }]);
  useEffect(() => {
    if (me.role !== "admin") return;
    Get<{ items: User[] }>("/api/v1/users")
      .then((r) => setUsers(r.items.filter((u) => u.role !== "viewer")))
      .catch(() => undefined);
  }, [me.id]);
  return users;
}

export function Inbox({ me, url }: { me: Me; url: URL }) {
  const params = url.searchParams;
  const status = params.get("status") || "review";
  const filters = {
    type: params.get("type") || "",
    jurisdiction: params.get("jurisdiction") || "",
    assignee: params.get("assignee") || "",
    channel: params.get("channel") || "",
    overdue: params.get("overdue") === "true" ? "true" : "",
    q: params.get("q") || "",
  };
  // The cursor of each page seen, for the filters in `key` (other filters start on page 1).
  const [pager, setPager] = useState<{ key: string; cursors: string[] }>({ key: url.search, cursors: [""] });
  const [page, setPage] = useState<RequestPage | null>(null);
  const [counts, setCounts] = useState<RequestCounts | null>(null);
  const [types, setTypes] = useState<RequestTypeSetting[]>([]);
  const [error, setError] = useState("");
  const [notice, setNotice] = useState("");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [search, setSearch] = useState(filters.q);
  const [bulkAssignee, setBulkAssignee] = useState(me.id);
  const [bulkReason, setBulkReason] = useState("");
  const [bulkNote, setBulkNote] = useState("");
  const [busy, setBusy] = useState(false);
  const users = useUsers(me);
  const userEmail = (id: string | null) => (id ? users.find((u) => u.id === id)?.email || id : "—");

  const key = url.search;
  const cursors = pager.key === key ? pager.cursors : [""];
  const setCursors = (next: string[]) => setPager({ key, cursors: next });
  const cursor = cursors[cursors.length - 1];
  async function Load() {
    try {
      const [list, c] = await Promise.all([
        Get<RequestPage>("/api/v1/requests", { status, ...filters, limit: kPageSize, cursor }),
        Get<RequestCounts>("/api/v1/dashboard"),
      ]);
      setPage(list);
      setCounts(c);
      setError("");
    } catch (e) {
      setError(ErrorText(e));
    }
  }
  useEffect(() => {
    setSelected(new Set());
    setSearch(filters.q);
  }, [key]);
  useEffect(() => {
    Load();
  }, [key, cursor]);
  useEffect(() => {
    Get<{ items: RequestTypeSetting[] }>("/api/v1/request-types")
      .then((r) => setTypes(r.items))
      .catch(() => undefined);
  }, []);

  function SetParam(name: string, value: string) {
    const next = new URLSearchParams(url.search);
    if (value) next.set(name, value);
    else next.delete(name);
    Navigate("/?" + next.toString());
  }

  function Toggle(id: string) {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  }

  async function Bulk(action: "assign" | "reject") {
    setBusy(true);
    setError("");
    setNotice("");
    const failures: string[] = [];
    for (const id of selected) {
      const ref = page?.items.find((q) => q.id === id)?.reference || id;
      try {
        if (action === "assign") await Post(`/api/v1/requests/${id}/assign`, { assignee: bulkAssignee });
        else await Post(`/api/v1/requests/${id}/reject`, { reason: bulkReason, note: bulkNote || undefined });
      } catch (e) {
        failures.push(`${ref}: ${ErrorText(e)}`);
      }
    }
    const done = selected.size - failures.length;
    setNotice(`${action === "assign" ? "Assigned" : "Rejected"} ${done} of ${selected.size}.`);
    if (failures.length) setError(failures.join(" · "));
    setSelected(new Set());
    setBusy(false);
    await Load();
  }

  const items = page?.items || [];
  // Without filters the tab's count is the list's length, so the pager can say "of N".
  const unfiltered = Object.values(filters).every((v) => !v);
  const total = counts?.by_status[status];
  const pages = unfiltered && total !== undefined ? Math.max(1, Math.ceil(total / kPageSize)) : 0;
  const allSelected = items.length > 0 && items.every((q) => selected.has(q.id));
  return (
    <section>
      <h1>Inbox</h1>
      <div role="tablist" aria-label="Status" class="tabs">
        {kTabs.map(([key, label]) => (
          <button
            key={key}
            role="tab"
            type="button"
            aria-selected={status === key}
            class={status === key ? "tab active" : "tab"}
            onClick={() => SetParam("status", key === "review" ? "" : key)}
          >
            {label} <span class="count">{counts ? (counts.by_status[key] ?? 0).toLocaleString("en") : "…"}</span>
          </button>
        ))}
      </div>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          SetParam("q", search.trim());
        }}
      >
        <div>
          <label for="f-q">Search</label>
          <input
            id="f-q"
            type="search"
            placeholder="Reference (RD-…) or email"
            value={search}
            onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
          />
        </div>
        <div>
          <label for="f-type">Type</label>
          <select id="f-type" value={filters.type} onChange={(e) => SetParam("type", (e.target as HTMLSelectElement).value)}>
            <option value="">All types</option>
            {types.map((t) => (
              <option key={t.key} value={t.key}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="f-jur">Jurisdiction</label>
          <select
            id="f-jur"
            value={filters.jurisdiction}
            onChange={(e) => SetParam("jurisdiction", (e.target as HTMLSelectElement).value)}
          >
            <option value="">All</option>
            {kJurisdictions.map(([k, name]) => (
              <option key={k} value={k}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="f-channel">Channel</label>
          <select id="f-channel" value={filters.channel} onChange={(e) => SetParam("channel", (e.target as HTMLSelectElement).value)}>
            <option value="">All channels</option>
            {kChannels.map((c) => (
              <option key={c} value={c}>
                {Words(c)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="f-assignee">Assignee</label>
          <select
            id="f-assignee"
            value={filters.assignee}
            onChange={(e) => SetParam("assignee", (e.target as HTMLSelectElement).value)}
          >
            <option value="">Anyone</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.id === me.id ? `Me (${u.email})` : u.email}
              </option>
            ))}
          </select>
        </div>
        <div class="check">
          <input
            id="f-overdue"
            type="checkbox"
            checked={filters.overdue === "true"}
            onChange={(e) => SetParam("overdue", (e.target as HTMLInputElement).checked ? "true" : "")}
          />
          <label for="f-overdue">Overdue only</label>
        </div>
        <button type="submit" class="secondary">
          Search
        </button>
      </form>
      <Alert text={error} />
      <Notice text={notice} />
      {selected.size > 0 && me.role !== "viewer" ? (
        <div class="bulk" role="region" aria-label="Bulk actions">
          <strong>{selected.size} selected</strong>
          <span>
            <label for="bulk-assignee" class="inline">
              Assign to
            </label>{" "}
            <select id="bulk-assignee" value={bulkAssignee} onChange={(e) => setBulkAssignee((e.target as HTMLSelectElement).value)}>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.email}
                </option>
              ))}
            </select>{" "}
            <button type="button" disabled={busy} onClick={() => Bulk("assign")}>
              Assign
            </button>
          </span>
          {status === "review" ? (
            <span>
              <label for="bulk-reason" class="inline">
                Reject with reason
              </label>{" "}
              <select id="bulk-reason" value={bulkReason} onChange={(e) => setBulkReason((e.target as HTMLSelectElement).value)}>
                <option value="">Choose…</option>
                {kRejectionReasons.map((r) => (
                  <option key={r} value={r}>
                    {Words(r)}
                  </option>
                ))}
              </select>{" "}
              <label for="bulk-note" class="visually-hidden">
                Note
              </label>
              <input
                id="bulk-note"
                class="inline-input"
                placeholder="Note (optional)"
                value={bulkNote}
                onInput={(e) => setBulkNote((e.target as HTMLInputElement).value)}
              />{" "}
              <button type="button" class="danger" disabled={busy || !bulkReason} onClick={() => Bulk("reject")}>
                Reject
              </button>
            </span>
          ) : null}
        </div>
      ) : null}
      {page === null && !error ? <p>Loading…</p> : null}
      {page && items.length === 0 ? <p class="empty">No requests here.</p> : null}
      {items.length ? (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select all on this page"
                  checked={allSelected}
                  onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((q) => q.id)))}
                />
              </th>
              <th scope="col">Reference</th>
              <th scope="col">Type</th>
              <th scope="col">Subject</th>
              <th scope="col">Jurisdiction</th>
              <th scope="col">Received</th>
              <th scope="col">Due</th>
              <th scope="col">Assignee</th>
            </tr>
          </thead>
          <tbody>
            {items.map((q: PrivacyRequest) => (
              <tr key={q.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${q.reference}`}
                    checked={selected.has(q.id)}
                    onChange={() => Toggle(q.id)}
                  />
                </td>
                <td>
                  <Link href={`/requests/${q.id}`}>{q.reference}</Link>
                  {q.hold ? <span class="badge hold">on hold</span> : null}
                </td>
                <td>{q.type_name || Words(q.type)}</td>
                <td class="subject-cell">{q.subject.email}</td>
                <td>{q.jurisdiction}</td>
                <td>{FormatDate(q.received_at)}</td>
                <td>
                  {FormatDate(q.due_at)} <DaysLeft days={q.days_left} closed={q.status === "closed"} />
                  {q.outcome ? <span class="badge">{Words(q.outcome)}</span> : null}
                </td>
                <td>{userEmail(q.assignee)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <nav class="pager" aria-label="Pages">
        <button
          type="button"
          class="secondary"
          disabled={cursors.length <= 1}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          ← Previous
        </button>
        <span>
          Page {cursors.length}
          {pages ? ` of ${pages.toLocaleString("en")}` : ""}
        </span>
        <button
          type="button"
          class="secondary"
          disabled={!page?.next_cursor}
          onClick={() => page?.next_cursor && setCursors([...cursors, page.next_cursor])}
        >
          Next →
        </button>
      </nav>
    </section>
  );
}
