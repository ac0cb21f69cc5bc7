// One request: its stages (Review → Process → Reply → Closed) with each stage's work, plus
// assign, extend, hold, messages with the subject, and the history as a timeline. The stages
// and panels live in request_review.tsx, request_process.tsx and request_panels.tsx.
import { useEffect, useState } from "preact/hooks";
import { ErrorText, Get, type Me, type PrivacyRequest } from "../shared/api";
import { Actions, History, Messages } from "./request_panels";
import { Process, ReplyStage } from "./request_process";
import { type Act, Identity, ProofOfAuthority, Review } from "./request_review";
import { PackagePanel } from "./package_panel";
import { Link } from "./router";
import { Alert, DaysLeft, FormatDate, Notice, StatusBadge, useLoad, Words } from "./ui";

const kStages = ["review", "process", "reply", "closed"];

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
              <ProofOfAuthority q={q} canWork={canWork} />
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
