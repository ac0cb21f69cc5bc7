// The request flow at /privacy: choose a right, fill in the form (with the proof of authority
// for an authorized agent), verify the emailed code, and see the reference.
import { useEffect, useRef, useState } from "preact/hooks";
import {
  ApiError,
  ErrorText,
  Get,
  Post,
  type PublicRequestType,
  type PublicSettings,
  type Submitted,
} from "../shared/api";
import { Fill, LocalType, type Words } from "./i18n";
import { ProofInput, ProofProblem, UploadProof } from "./proof";
import { Alert, Field } from "./ui";

const kRequesterTypes = ["consumer", "employee", "applicant", "authorized_agent"] as const;

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

export function RequestFlow({ t, lang, settings }: { t: Words; lang: string; settings: PublicSettings }) {
  const [types, setTypes] = useState<PublicRequestType[] | null>(null);
  const [chosen, setType] = useState<PublicRequestType | null>(null);
  const type = chosen && LocalType(chosen, lang);
  const [form, setForm] = useState<Form>(kEmptyForm);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState("");
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState<Submitted | null>(null);
  const [code, setCode] = useState("");
  const [verified, setVerified] = useState(false);
  const [proof, setProof] = useState<File | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    Get<{ items: PublicRequestType[] }>("/api/v1/privacy-center/request-types")
      .then((r) => setTypes(r.items))
      .catch((e) => setAlert(ErrorText(e)));
  }, []);
  // Each step moves the focus to its heading, so keyboard and screen-reader users follow along.
  useEffect(() => heading.current?.focus(), [chosen, submitted, verified]);

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
    const agent = form.requester_type === "authorized_agent";
    if (agent) {
      // Checked here so that nothing is submitted without it; the server checks again.
      const problem = ProofProblem(proof, t);
      if (problem) {
        setErrors({ proof: problem });
        document.getElementById("proof")?.focus();
        return;
      }
    }
    setBusy(true);
    try {
      const done = await Post<Submitted>("/api/v1/privacy-center/requests", body);
      if (agent && proof) {
        try {
          await UploadProof(done.id, done.status_token, proof);
        } catch (e) {
          setAlert(Fill(t.proofFailed, { error: ErrorText(e) }));
        }
      }
      setSubmitted(done);
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
          {(types || []).map((server) => LocalType(server, lang)).map((rt) => (
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
        {form.requester_type === "authorized_agent" ? (
          <>
            <p class="hint">{t.agentNote}</p>
            <ProofInput
              t={t}
              error={errors.proof}
              onFile={(f) => {
                setProof(f);
                setErrors({ ...errors, proof: "" });
              }}
            />
          </>
        ) : null}
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
