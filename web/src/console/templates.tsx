// Email templates: pick a key, edit subject and body (Mustache), preview, save or reset.
import { useEffect, useState } from "preact/hooks";
import { ApiError, Delete, ErrorText, Get, Post, Put, type Me, type TemplateInfo } from "../shared/api";
import { Alert, Field, Notice, useLoad } from "./ui";

export function Templates({ me }: { me: Me }) {
  const list = useLoad(() => Get<{ items: TemplateInfo[] }>("/api/v1/templates"), []);
  const [key, setKey] = useState("");
  const [detail, setDetail] = useState<TemplateInfo | null>(null);
  const [subject, setSubject] = useState("");
  const [body, setBody] = useState("");
  const [preview, setPreview] = useState<{ subject: string; body: string } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState("");
  const [notice, setNotice] = useState("");
  const admin = me.role === "admin";

  async function Open(k: string) {
    setKey(k);
    setAlert("");
    setNotice("");
    setErrors({});
    setPreview(null);
    try {
      const d = await Get<TemplateInfo>(`/api/v1/templates/${encodeURIComponent(k)}`);
      setDetail(d);
      setSubject(d.subject || "");
      setBody(d.body || "");
    } catch (e) {
      setAlert(ErrorText(e));
    }
  }
  useEffect(() => {
    if (!key && list.data?.items.length) Open(list.data.items[0].key);
  }, [list.data]);

  async function Run(what: string, fn: () => Promise<unknown>) {
    setAlert("");
    setNotice("");
    setErrors({});
    try {
      await fn();
      setNotice(what);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.field) setErrors({ [e.field]: e.detail });
      else setAlert(ErrorText(e));
      return false;
    }
  }

  return (
    <section>
      <h1>Email templates</h1>
      <Alert text={list.error} />
      <div class="templates">
        <nav aria-label="Templates" class="template-list">
          <ul>
            {(list.data?.items || []).map((t) => (
              <li key={t.key}>
                <button type="button" class={t.key === key ? "link current" : "link"} aria-current={t.key === key ? "true" : undefined} onClick={() => Open(t.key)}>
                  {t.key}
                </button>
                {t.customized ? <span class="badge">edited</span> : null}
              </li>
            ))}
          </ul>
        </nav>
        {detail ? (
          <form
            class="card template-editor"
            onSubmit={(e) => {
              e.preventDefault();
              Run("Saved.", () => Put(`/api/v1/templates/${encodeURIComponent(key)}`, { subject, body }).then(() => list.reload()));
            }}
          >
            <h2>{detail.key}</h2>
            <p class="hint">{detail.description}</p>
            <p class="hint">
              Variables: {detail.variables.map((v) => `{{${v}}}`).join(", ") || "none"}
            </p>
            <Field id="tpl-subject" label="Subject" error={errors.subject}>
              <input id="tpl-subject" value={subject} disabled={!admin} onInput={(e) => setSubject((e.target as HTMLInputElement).value)} />
            </Field>
            <Field id="tpl-body" label="Body" error={errors.body}>
              <textarea id="tpl-body" rows={14} value={body} disabled={!admin} onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} />
            </Field>
            <Alert text={alert} />
            <Notice text={notice} />
            <div class="button-row">
              <button
                type="button"
                class="secondary"
                onClick={() =>
                  Run("Preview below, with example values.", async () =>
                    setPreview(await Post<{ subject: string; body: string }>(`/api/v1/templates/${encodeURIComponent(key)}/preview`, { subject, body })),
                  )
                }
              >
                Preview
              </button>
              {admin ? <button type="submit">Save</button> : null}
              {admin && detail.customized ? (
                <button
                  type="button"
                  class="secondary"
                  onClick={() =>
                    Run("Restored the default.", async () => {
                      await Delete(`/api/v1/templates/${encodeURIComponent(key)}`);
                      await list.reload();
                      await Open(key);
                    })
                  }
                >
                  Restore default
                </button>
              ) : null}
            </div>
            {preview ? (
              <div class="preview card" aria-label="Preview">
                <div class="msg-subject">{preview.subject}</div>
                <div class="pre">{preview.body}</div>
              </div>
            ) : null}
          </form>
        ) : null}
      </div>
    </section>
  );
}
