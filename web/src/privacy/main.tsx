// The public Privacy Center: /privacy (choose a right, fill in the form, verify the emailed
// code, see the reference), /privacy/requests/{id}?token= (the status page) and
// /privacy/requests/{id}/verify?token= (the emailed verification link).
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import "../shared/base.css";
import "./privacy.css";
import {
  ApiError,
  ErrorText,
  Get,
  Post,
  type PublicRequestType,
  type PublicSettings,
  type StatusPage,
  type Submitted,
} from "../shared/api";
import { Fill, kLanguages, PickLanguage, type Words } from "./i18n";

const kRequesterTypes = ["consumer", "employee", "applicant", "authorized_agent"] as const;

function Header({ org, t }: { org: string; t: Words }) {
  return (
    <header class="pc-header">
      <div class="pc-wrap">
        <a class="pc-org" href="/privacy">
          {org}
        </a>
        <span class="pc-title">{t.title}</span>
      </div>
    </header>
  );
}

function Alert({ text }: { text: string }) {
  if (!text) return null;
  return (
    <p class="alert" role="alert">
      {text}
    </p>
  );
}

interface FieldProps {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  required?: boolean;
  requiredWord?: string;
  children: (aria: Record<string, string | boolean | undefined>) => preact.ComponentChildren;
}

// A labelled input with its hint and, when the server named this field, its error right below.
function Field({ id, label, error, hint, required, requiredWord, children }: FieldProps) {
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div class={"field" + (error ? " has-error" : "")}>
      <label for={id}>
        {label}
        {required ? <span class="req"> ({requiredWord})</span> : null}
      </label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children({
        id,
        name: id,
        "aria-invalid": error ? "true" : undefined,
        "aria-describedby": describedBy || undefined,
      })}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

interface Form {
  email: string;
  name: string;
  phone: string;
  jurisdiction: string;
  requester_type: string;
  details: string;
  corrections: string;
}

const kEmptyForm: Form = {
  email: "",
  name: "",
  phone: "",
  jurisdiction: "",
  requester_type: "consumer",
  details: "",
  corrections: "",
};

function RequestFlow({ t, settings }: { t: Words; settings: PublicSettings }) {
  const [types, setTypes] = useState<PublicRequestType[] | null>(null);
  const [type, setType] = useState<PublicRequestType | null>(null);
  const [form, setForm] = useState<Form>(kEmptyForm);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState("");
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState<Submitted | null>(null);
  const [code, setCode] = useState("");
  const [verified, setVerified] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    Get<{ items: PublicRequestType[] }>("/api/v1/privacy-center/request-types")
      .then((r) => setTypes(r.items))
      .catch((e) => setAlert(ErrorText(e)));
  }, []);
  // Each step moves the focus to its heading, so keyboard and screen-reader users follow along.
  useEffect(() => heading.current?.focus(), [type, submitted, verified]);

  const set = (k: keyof Form) => (e: Event) =>
    setForm({ ...form, [k]: (e.target as HTMLInputElement).value });

  function ShowError(e: unknown) {
    if (e instanceof ApiError && e.field) {
      // The subject's identities are validated as the request's subject ("subject.email").
      const field = e.field.replace(/^subject\./, "");
      setErrors({ [field]: e.detail });
      setAlert("");
      const el = document.getElementById(field);
      el?.focus();
    } else {
      setAlert(ErrorText(e));
    }
  }

  async function Submit(ev: Event) {
    ev.preventDefault();
    if (!type) return;
    setErrors({});
    setAlert("");
    if (!form.email.trim()) {
      setErrors({ email: t.emailRequired });
      document.getElementById("email")?.focus();
      return;
    }
    const body: Record<string, string> = { type: type.key, email: form.email.trim() };
    for (const k of ["name", "phone", "jurisdiction", "requester_type", "details"] as const) {
      if (form[k].trim()) body[k] = form[k].trim();
    }
    if (type.key === "right_to_edit" && form.corrections.trim()) body.corrections = form.corrections.trim();
    setBusy(true);
    try {
      setSubmitted(await Post<Submitted>("/api/v1/privacy-center/requests", body));
    } catch (e) {
      ShowError(e);
    } finally {
      setBusy(false);
    }
  }

  async function Verify(ev: Event) {
    ev.preventDefault();
    if (!submitted) return;
    setErrors({});
    setAlert("");
    setBusy(true);
    try {
      await Post(`/api/v1/privacy-center/requests/${submitted.id}/verify`, { code: code.trim() });
      setVerified(true);
    } catch (e) {
      ShowError(e);
    } finally {
      setBusy(false);
    }
  }

  if (submitted && verified) {
    const link = `/privacy/requests/${submitted.id}?token=${submitted.status_token}`;
    return (
      <section class="card">
        <h1 tabIndex={-1} ref={heading}>
          {t.doneTitle}
        </h1>
        <p>
          {Fill(t.doneText, { reference: "" })}
          <strong class="reference" data-testid="reference">
            {submitted.reference}
          </strong>
        </p>
        <a class="button" href={link}>
          {t.followLink}
        </a>
      </section>
    );
  }

  if (submitted) {
    return (
      <section class="card">
        <h1 tabIndex={-1} ref={heading}>
          {t.verifyTitle}
        </h1>
        <p>{Fill(t.verifyText, { email: form.email.trim() })}</p>
        <form onSubmit={Verify} noValidate>
          <Field id="code" label={t.code} error={errors.code}>
            {(aria) => (
              <input
                {...aria}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                value={code}
                onInput={(e) => setCode((e.target as HTMLInputElement).value)}
              />
            )}
          </Field>
          <Alert text={alert} />
          <button type="submit" disabled={busy}>
            {t.verify}
          </button>
        </form>
      </section>
    );
  }

  if (!type) {
    return (
      <section>
        <h1 tabIndex={-1} ref={heading}>
          {t.choose}
        </h1>
        <p class="intro">{t.intro}</p>
        <Alert text={alert} />
        {types === null && !alert ? <p>{t.loading}</p> : null}
        <ul class="type-cards">
          {(types || []).map((rt) => (
            <li key={rt.key}>
              <button type="button" class="type-card" data-type={rt.key} onClick={() => setType(rt)}>
                <span class="type-name">{rt.name}</span>
                <span class="type-description">{rt.description}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    );
  }

  return (
    <section class="card">
      <h1 tabIndex={-1} ref={heading}>
        {type.name}
      </h1>
      <p class="chosen">
        {type.description}{" "}
        <button type="button" class="link" onClick={() => setType(null)}>
          {t.change}
        </button>
      </p>
      <form onSubmit={Submit} noValidate>
        <h2>{t.yourDetails}</h2>
        <Field id="email" label={t.email} hint={t.emailHint} error={errors.email} required requiredWord={t.required}>
          {(aria) => (
            <input {...aria} type="email" autoComplete="email" required value={form.email} onInput={set("email")} />
          )}
        </Field>
        <Field id="name" label={t.name} error={errors.name}>
          {(aria) => <input {...aria} autoComplete="name" value={form.name} onInput={set("name")} />}
        </Field>
        <Field id="phone" label={t.phone} error={errors.phone}>
          {(aria) => <input {...aria} type="tel" autoComplete="tel" value={form.phone} onInput={set("phone")} />}
        </Field>
        <Field id="jurisdiction" label={t.jurisdiction} error={errors.jurisdiction}>
          {(aria) => (
            <select {...aria} value={form.jurisdiction} onChange={set("jurisdiction")}>
              <option value="">{t.jurisdictionAny}</option>
              {settings.jurisdictions
                .filter((j) => j.key !== "default")
                .map((j) => (
                  <option key={j.key} value={j.key}>
                    {j.name}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Field id="requester_type" label={t.requesterType} error={errors.requester_type}>
          {(aria) => (
            <select {...aria} value={form.requester_type} onChange={set("requester_type")}>
              {kRequesterTypes.map((k) => (
                <option key={k} value={k}>
                  {t[`requester_${k}`]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {form.requester_type === "authorized_agent" ? <p class="hint">{t.agentNote}</p> : null}
        {type.key === "right_to_edit" ? (
          <Field id="corrections" label={t.corrections} hint={t.correctionsHint} error={errors.corrections}>
            {(aria) => <textarea {...aria} rows={4} value={form.corrections} onInput={set("corrections")} />}
          </Field>
        ) : null}
        <Field id="details" label={t.details} error={errors.details}>
          {(aria) => <textarea {...aria} rows={4} value={form.details} onInput={set("details")} />}
        </Field>
        {errors.type ? <p class="field-error">{errors.type}</p> : null}
        <Alert text={alert} />
        <button type="submit" disabled={busy}>
          {busy ? t.sending : t.submit}
        </button>
      </form>
    </section>
  );
}

function FormatDate(iso: string, lang: string): string {
  const d = new Date(iso);
  return isNaN(d.getTime()) ? iso : d.toLocaleDateString(lang, { year: "numeric", month: "long", day: "numeric" });
}

function StatusView({ t, lang, id, token }: { t: Words; lang: string; id: string; token: string }) {
  const [page, setPage] = useState<StatusPage | null>(null);
  const [alert, setAlert] = useState("");
  const [notice, setNotice] = useState("");
  const [text, setText] = useState("");
  const [textError, setTextError] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const Load = () =>
    Get<StatusPage>(`/api/v1/privacy-center/requests/${id}`, { token })
      .then(setPage)
      .catch((e) => setAlert(e instanceof ApiError && e.status === 404 ? t.badLink : ErrorText(e)));
  useEffect(() => {
    Load();
  }, []);

  async function Send(ev: Event) {
    ev.preventDefault();
    setTextError("");
    setNotice("");
    setBusy(true);
    try {
      await Post(`/api/v1/privacy-center/requests/${id}/messages`, { token, body: text });
      setText("");
      setNotice(t.sent);
      await Load();
    } catch (e) {
      if (e instanceof ApiError && e.field === "body") setTextError(e.detail);
      else setAlert(ErrorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function Withdraw() {
    setBusy(true);
    try {
      await Post(`/api/v1/privacy-center/requests/${id}/withdraw`, { token });
      setConfirming(false);
      setNotice(t.withdrawn);
      await Load();
    } catch (e) {
      setAlert(ErrorText(e));
    } finally {
      setBusy(false);
    }
  }

  if (!page) {
    return (
      <section class="card">
        {alert ? <Alert text={alert} /> : <p>{t.loading}</p>}
      </section>
    );
  }
  const statusWord = (t as unknown as Record<string, string>)[`status_${page.status}`] || page.status;
  return (
    <section class="card">
      <h1>{Fill(t.statusTitle, { reference: page.reference })}</h1>
      <dl class="facts">
        <dt>{t.status}</dt>
        <dd data-testid="status">{statusWord}</dd>
        {page.outcome ? (
          <>
            <dt>{t.outcome}</dt>
            <dd>{page.outcome.replace(/_/g, " ")}</dd>
          </>
        ) : null}
        <dt>{t.received}</dt>
        <dd>{FormatDate(page.received_at, lang)}</dd>
        <dt>{t.due}</dt>
        <dd>{FormatDate(page.due_at, lang)}</dd>
      </dl>
      <Alert text={alert} />
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <h2>{t.messages}</h2>
      {page.messages && page.messages.length ? (
        <ol class="messages">
          {page.messages.map((m, i) => (
            <li key={i} class={m.direction === "in" ? "from-subject" : "from-team"}>
              <div class="meta">
                {m.direction === "in" ? t.you : t.privacyTeam} · {FormatDate(m.at, lang)}
              </div>
              {m.subject ? <div class="msg-subject">{m.subject}</div> : null}
              <div class="msg-body">{m.body}</div>
            </li>
          ))}
        </ol>
      ) : (
        <p>{t.noMessages}</p>
      )}
      {page.status !== "closed" ? (
        <form onSubmit={Send} noValidate>
          <Field id="body" label={t.writeMessage} error={textError}>
            {(aria) => (
              <textarea {...aria} rows={3} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
            )}
          </Field>
          <button type="submit" disabled={busy || !text.trim()}>
            {t.send}
          </button>
        </form>
      ) : null}
      {page.can_withdraw ? (
        <div class="withdraw">
          {confirming ? (
            <div role="group" aria-label={t.withdraw}>
              <p>{t.withdrawConfirm}</p>
              <button type="button" class="danger" disabled={busy} onClick={Withdraw}>
                {t.withdrawYes}
              </button>{" "}
              <button type="button" class="secondary" onClick={() => setConfirming(false)}>
                {t.cancel}
              </button>
            </div>
          ) : (
            <button type="button" class="secondary" onClick={() => setConfirming(true)}>
              {t.withdraw}
            </button>
          )}
        </div>
      ) : null}
    </section>
  );
}

function LinkVerify({ t, id, token }: { t: Words; id: string; token: string }) {
  const [state, setState] = useState<"busy" | "ok" | string>("busy");
  useEffect(() => {
    Post(`/api/v1/privacy-center/requests/${id}/verify`, { token })
      .then(() => setState("ok"))
      .catch((e) => setState(ErrorText(e)));
  }, []);
  return (
    <section class="card">
      {state === "busy" ? <p>{t.verifying}</p> : state === "ok" ? <h1>{t.verifiedByLink}</h1> : <Alert text={state} />}
    </section>
  );
}

function App() {
  const [lang, setLang] = useState(() => PickLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]));
  const t = kLanguages[lang];
  const [settings, setSettings] = useState<PublicSettings>({ org_name: "", primary_color: "", jurisdictions: [] });
  const [alert, setAlert] = useState("");
  useEffect(() => {
    Get<PublicSettings>("/api/v1/privacy-center/settings")
      .then((s) => {
        setSettings(s);
        if (s.primary_color) document.documentElement.style.setProperty("--brand", s.primary_color);
      })
      .catch((e) => setAlert(ErrorText(e)));
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = settings.org_name ? `${t.title} · ${settings.org_name}` : t.title;
  }, [lang, settings.org_name]);

  const path = location.pathname.replace(/\/+$/, "");
  const token = new URLSearchParams(location.search).get("token") || "";
  const status = /^\/privacy\/requests\/([^/]+)$/.exec(path);
  const verify = /^\/privacy\/requests\/([^/]+)\/verify$/.exec(path);
  let body;
  if (verify) body = <LinkVerify t={t} id={decodeURIComponent(verify[1])} token={token} />;
  else if (status) body = <StatusView t={t} lang={lang} id={decodeURIComponent(status[1])} token={token} />;
  else body = <RequestFlow t={t} settings={settings} />;
  return (
    <>
      <Header org={settings.org_name} t={t} />
      <main class="pc-wrap">
        <Alert text={alert} />
        {body}
      </main>
      <footer class="pc-wrap pc-footer">
        <label for="lang">{t.language}</label>{" "}
        <select id="lang" value={lang} onChange={(e) => setLang((e.target as HTMLSelectElement).value)}>
          <option value="en">English</option>
          <option value="de">Deutsch</option>
        </select>
      </footer>
    </>
  );
}

render(<App />, document.getElementById("app")!);
