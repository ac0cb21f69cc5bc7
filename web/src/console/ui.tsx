// Small pieces every console page uses.
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { ErrorText } from "../shared/api";

export function Alert({ text }: { text: string }) {
  if (!text) return null;
  return (
    <p class="alert" role="alert">
      {text}
    </p>
  );
}

export function Notice({ text }: { text: string }) {
  if (!text) return null;
  return (
    <p class="notice" role="status">
      {text}
    </p>
  );
}

// A labelled control; the error (the server's message for this field) sits right below it.
export function Field(props: { id: string; label: string; error?: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class={"field" + (props.error ? " has-error" : "")}>
      <label for={props.id}>{props.label}</label>
      {props.hint ? <p class="hint">{props.hint}</p> : null}
      {props.children}
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function FormatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

export function FormatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function DaysLeft({ days, closed }: { days: number; closed?: boolean }) {
  if (closed) return null;
  const cls = days < 0 ? "badge overdue" : days <= 7 ? "badge soon" : "badge";
  const text = days < 0 ? `${-days} d overdue` : days === 0 ? "due today" : `${days} d left`;
  return <span class={cls}>{text}</span>;
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`status status-${status}`}>{status}</span>;
}

export const Words = (s: string) => s.replace(/_/g, " ");

// Loads data with `fn`, keeping the error as words; `reload` runs it again.
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState("");
  const reload = useCallback(async () => {
    try {
      setData(await fn());
      setError("");
    } catch (e) {
      setError(ErrorText(e));
    }
  }, deps);
  useEffect(() => {
    reload();
  }, [reload]);
  return { data, error, reload, setData };
}

export const kRejectionReasons = [
  "insufficient_verification",
  "no_match",
  "not_covered",
  "outside_jurisdiction",
  "too_many_requests",
  "suspected_fraud",
  "other",
];

export const kJurisdictions: [string, string][] = [
  ["gdpr", "GDPR"],
  ["ccpa", "CCPA/CPRA"],
  ["vcdpa", "VCDPA"],
  ["cpa", "CPA"],
  ["ctdpa", "CTDPA"],
  ["lgpd", "LGPD"],
  ["default", "Other"],
];
