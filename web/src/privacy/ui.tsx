// The Privacy Center's building blocks: the header, alerts, and a labelled field that shows
// its hint and the server's error for it.
import type { Words } from "./i18n";

export function Header({ org, t }: { org: string; t: Words }) {
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

export function Alert({ text }: { text: string }) {
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
export function Field({ id, label, error, hint, required, requiredWord, children }: FieldProps) {
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
