// The subject's status page (/privacy/requests/{id}?token=) with messages and withdrawal, and
// the emailed verification link (/privacy/requests/{id}/verify?token=).
import { useEffect, useState } from "preact/hooks";
import { ApiError, ErrorText, Get, Post, type StatusPage } from "../shared/api";
import { Fill, type Words } from "./i18n";
import { ProofBox } from "./proof";
import { Alert, Field } from "./ui";

function FormatDate(iso: string, lang: string): string {
  const d = new Date(iso);
  return isNaN(d.getTime()) ? iso : d.toLocaleDateString(lang, { year: "numeric", month: "long", day: "numeric" });
}

export function StatusView({ t, lang, id, token }: { t: Words; lang: string; id: string; token: string }) {
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
      {page.requester_type === "authorized_agent" ? (
        <ProofBox
          t={t}
          page={page}
          token={token}
          onStored={() => {
            setNotice(t.proofSaved);
            Load();
          }}
        />
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

export function LinkVerify({ t, id, token }: { t: Words; id: string; token: string }) {
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
