// The data inventory: all data sources, and those used in request handling (with their process
// type), filtered by category; admins add sources from the catalog (GET /api/v1/catalog) or as
// a custom system, and archive them. Without the catalog route the page offers custom systems.
import { useEffect, useState } from "preact/hooks";
import { ApiError, Delete, ErrorText, Get, Post, type CatalogEntry, type DataSource, type Me } from "../shared/api";
import { Link } from "./router";
import { Alert, Field, Notice, useLoad, Words } from "./ui";

const kCategories = [
  "crm",
  "marketing",
  "analytics",
  "payments",
  "support",
  "hr",
  "cloud_storage",
  "database",
  "advertising",
  "communication",
  "ecommerce",
  "other",
];

interface Draft {
  name: string;
  category: string;
  process: string;
  contact_email: string;
  instructions: string;
  request_handling: boolean;
  catalog_id: string;
}

const kEmptyDraft: Draft = {
  name: "",
  category: "",
  process: "manual",
  contact_email: "",
  instructions: "",
  request_handling: true,
  catalog_id: "",
};

// Whether this server has the catalog route, read from its OpenAPI document once, so that a
// server without it costs no failing request (and no console error).
let catalogRoute: Promise<boolean> | null = null;
function HasCatalog(): Promise<boolean> {
  catalogRoute ??= Get<{ paths: Record<string, unknown> }>("/api/v1/openapi.json")
    .then((doc) => "/api/v1/catalog" in doc.paths)
    .catch(() => false);
  return catalogRoute;
}

function Catalog({ onPick }: { onPick: (e: CatalogEntry) => void }) {
  const [q, setQ] = useState("");
  const [category, setCategory] = useState("");
  const [items, setItems] = useState<CatalogEntry[] | null>(null);
  const [state, setState] = useState<"unknown" | "available" | "missing">("unknown");
  const [error, setError] = useState("");

  async function Search(query: string, cat: string) {
    try {
      const r = await Get<{ items: CatalogEntry[] }>("/api/v1/catalog", { q: query, category: cat });
      setItems(r.items);
      setState("available");
      setError("");
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 405)) setState("missing");
      else setError(ErrorText(e));
    }
  }
  useEffect(() => {
    HasCatalog().then((has) => (has ? Search("", "") : setState("missing")));
  }, []);

  if (state === "missing") {
    return <p class="hint">The system catalog is not available on this server: add a custom system below.</p>;
  }
  if (state === "unknown") return error ? <Alert text={error} /> : <p class="hint">Loading the catalog…</p>;
  const categories = Array.from(new Set([...(items || []).map((i) => i.category), ...kCategories])).sort();
  return (
    <div class="catalog">
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          Search(q, category);
        }}
      >
        <div>
          <label for="catalog-q">Search the catalog</label>
          <input id="catalog-q" type="search" placeholder="Name or domain" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        </div>
        <div>
          <label for="catalog-category">Catalog category</label>
          <select
            id="catalog-category"
            value={category}
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              setCategory(v);
              Search(q, v);
            }}
          >
            <option value="">All categories</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {Words(c)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="secondary">
          Search
        </button>
      </form>
      <Alert text={error} />
      {items && items.length === 0 ? <p class="hint">No catalog entry matches; add a custom system below.</p> : null}
      <ul class="catalog-results">
        {(items || []).slice(0, 24).map((e) => (
          <li key={e.key}>
            <button type="button" class="secondary catalog-entry" data-category={e.category} onClick={() => onPick(e)}>
              <strong>{e.name}</strong> <span class="hint">{Words(e.category)}</span>
              {e.domains.length ? <span class="hint"> · {e.domains.slice(0, 2).join(", ")}</span> : null}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function AddSource({ onAdded }: { onAdded: (ds: DataSource) => void }) {
  const [draft, setDraft] = useState<Draft>(kEmptyDraft);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState("");
  const [busy, setBusy] = useState(false);
  const set = (k: keyof Draft) => (e: Event) => {
    const t = e.target as HTMLInputElement;
    setDraft({ ...draft, [k]: t.type === "checkbox" ? t.checked : t.value });
  };

  function Pick(e: CatalogEntry) {
    setDraft({
      ...kEmptyDraft,
      name: e.name,
      category: e.category,
      catalog_id: e.key,
      process: e.privacy_email ? "email" : "manual",
      contact_email: e.privacy_email || "",
    });
    setErrors({});
    document.getElementById("ds-name")?.focus();
  }

  async function Submit(ev: Event) {
    ev.preventDefault();
    setErrors({});
    setAlert("");
    const body: Record<string, unknown> = {
      name: draft.name.trim(),
      category: draft.category.trim(),
      process: draft.process,
      request_handling: draft.request_handling,
    };
    if (draft.catalog_id) body.catalog_id = draft.catalog_id;
    if (draft.contact_email.trim()) body.contact_email = draft.contact_email.trim();
    if (draft.instructions.trim()) body.instructions = draft.instructions.trim();
    setBusy(true);
    try {
      const ds = await Post<DataSource>("/api/v1/data-sources", body);
      setDraft(kEmptyDraft);
      onAdded(ds);
    } catch (e) {
      if (e instanceof ApiError && e.field) setErrors({ [e.field]: e.detail });
      else setAlert(ErrorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card add-source" aria-labelledby="add-h">
      <h2 id="add-h">Add data source</h2>
      <Catalog onPick={Pick} />
      <form onSubmit={Submit} noValidate>
        <h3>{draft.catalog_id ? `From the catalog: ${draft.name}` : "Custom system"}</h3>
        <div class="columns">
          <Field id="ds-name" label="Name" error={errors.name}>
            <input id="ds-name" value={draft.name} aria-invalid={errors.name ? "true" : undefined} onInput={set("name")} />
          </Field>
          <Field id="ds-category" label="Category" error={errors.category} hint="Lower-case, e.g. crm">
            <input id="ds-category" list="ds-categories" value={draft.category} aria-invalid={errors.category ? "true" : undefined} onInput={set("category")} />
            <datalist id="ds-categories">
              {kCategories.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </Field>
          <Field id="ds-process" label="Process" error={errors.process}>
            <select id="ds-process" value={draft.process} onChange={set("process")}>
              <option value="manual">manual (a checklist item for an agent)</option>
              <option value="email">email (the vendor's privacy contact is emailed)</option>
            </select>
          </Field>
          <Field id="ds-contact" label="Privacy contact email" error={errors.contact_email} hint={draft.process === "email" ? "Required for email sources" : "Optional"}>
            <input id="ds-contact" type="email" value={draft.contact_email} aria-invalid={errors.contact_email ? "true" : undefined} onInput={set("contact_email")} />
          </Field>
        </div>
        <Field id="ds-instructions" label="Instructions for agents" error={errors.instructions}>
          <textarea id="ds-instructions" rows={3} value={draft.instructions} onInput={set("instructions")} />
        </Field>
        <div class="check">
          <input id="ds-handling" type="checkbox" checked={draft.request_handling} onChange={set("request_handling")} />
          <label for="ds-handling">Used in request handling</label>
        </div>
        {errors.catalog_id ? <p class="field-error">{errors.catalog_id}</p> : null}
        <Alert text={alert} />
        <button type="submit" disabled={busy}>
          Add data source
        </button>
      </form>
    </section>
  );
}

// `url`'s ?source=ID (a link from an accepted discovery finding) narrows the list to that one
// data source, with a way back to all of them.
export function DataSources({ me, url }: { me: Me; url: URL }) {
  const only = url.searchParams.get("source") || "";
  const list = useLoad(() => Get<{ items: DataSource[] }>("/api/v1/data-sources"), []);
  const [view, setView] = useState<"all" | "handling">("all");
  const [category, setCategory] = useState("");
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState("");
  const [alert, setAlert] = useState("");
  const admin = me.role === "admin";
  const all = (list.data?.items || []).filter((s) => !s.archived);
  const categories = Array.from(new Set(all.map((s) => s.category))).sort();
  const focused = only ? (list.data?.items || []).find((s) => s.id === only) : undefined;
  const shown = focused
    ? [focused]
    : all.filter((s) => (view === "all" || s.request_handling) && (!category || s.category === category));

  return (
    <section>
      <h1>Data sources</h1>
      <Alert text={list.error || alert} />
      <Notice text={notice} />
      {admin ? (
        <p>
          <button type="button" aria-expanded={adding} onClick={() => setAdding(!adding)}>
            {adding ? "Close" : "Add data source"}
          </button>
        </p>
      ) : null}
      {adding ? (
        <AddSource
          onAdded={(ds) => {
            setNotice(`Added ${ds.name}.`);
            setAdding(false);
            list.reload();
          }}
        />
      ) : null}
      {only && list.data ? (
        <p class="focus-note" role="status">
          {focused ? (
            <>
              Showing the data source <strong>{focused.name}</strong>
              {focused.archived ? " (archived)" : ""}.{" "}
            </>
          ) : (
            "This data source no longer exists. "
          )}
          <Link href="/data-sources">Show all data sources</Link>
        </p>
      ) : null}
      <div class="tabs" role="tablist" aria-label="Lists">
        <button type="button" role="tab" aria-selected={view === "all"} class={view === "all" ? "tab active" : "tab"} onClick={() => setView("all")}>
          All data sources <span class="count">{all.length}</span>
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={view === "handling"}
          class={view === "handling" ? "tab active" : "tab"}
          onClick={() => setView("handling")}
        >
          Used in request handling <span class="count">{all.filter((s) => s.request_handling).length}</span>
        </button>
      </div>
      <div class="filters">
        <div>
          <label for="ds-filter-category">Filter by category</label>
          <select id="ds-filter-category" value={category} onChange={(e) => setCategory((e.target as HTMLSelectElement).value)}>
            <option value="">All categories</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {Words(c)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {list.data && shown.length === 0 ? <p class="empty">No data sources here yet.</p> : null}
      {shown.length ? (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Category</th>
              {view === "handling" ? <th scope="col">Process type</th> : <th scope="col">In request handling</th>}
              <th scope="col">Contact</th>
              {admin ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => (
              <tr key={s.id} id={`source-${s.id}`} class={s.id === only ? "focused" : undefined}>
                <td>
                  {s.name}
                  {s.catalog_id ? <span class="badge">catalog</span> : null}
                </td>
                <td>{Words(s.category)}</td>
                <td>{view === "handling" ? s.process : s.request_handling ? `yes (${s.process})` : "no"}</td>
                <td>{s.contact_email || "—"}</td>
                {admin ? (
                  <td>
                    <button
                      type="button"
                      class="secondary small"
                      onClick={async () => {
                        setAlert("");
                        try {
                          await Delete(`/api/v1/data-sources/${s.id}`);
                          setNotice(`Archived ${s.name}.`);
                          await list.reload();
                        } catch (e) {
                          setAlert(ErrorText(e));
                        }
                      }}
                    >
                      Archive <span class="visually-hidden">{s.name}</span>
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
