// An authorized agent's proof of authority: the check the form makes before sending (the
// server checks again, by the file's first bytes), the upload with the status token, and the
// status page's box that shows the stored proof and replaces it.
import { useState } from "preact/hooks";
import { ApiError, ErrorText, Post, type StatusPage } from "../shared/api";
import { Fill, type Words } from "./i18n";
import { Field } from "./ui";

const kProofTypes = ["application/pdf", "image/png", "image/jpeg"];
const kMaxProofBytes = 5 * 1024 * 1024;

// Why `file` cannot be sent, in words; "" when it can.
export function ProofProblem(file: File | null, t: Words): string {
  if (!file) return t.proofRequired;
  if (file.size > kMaxProofBytes) return t.proofTooLarge;
  if (!kProofTypes.includes(file.type)) return t.proofWrongType;
  return "";
}

export function UploadProof(id: string, token: string, file: File): Promise<unknown> {
  const form = new FormData();
  form.append("token", token);
  form.append("file", file, file.name);
  return Post(`/api/v1/privacy-center/requests/${id}/proof`, form);
}

export function ProofInput({ t, error, onFile }: { t: Words; error?: string; onFile: (f: File | null) => void }) {
  return (
    <Field id="proof" label={t.proof} hint={t.proofHint} error={error} required requiredWord={t.required}>
      {(aria) => (
        <input
          {...aria}
          type="file"
          accept="application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"
          onChange={(e) => onFile((e.target as HTMLInputElement).files?.[0] || null)}
        />
      )}
    </Field>
  );
}

// On the status page of an authorized agent's open request: the proof stored, and a new one.
export function ProofBox({ t, page, token, onStored }: { t: Words; page: StatusPage; token: string; onStored: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  async function Send(ev: Event) {
    ev.preventDefault();
    const problem = ProofProblem(file, t);
    setError(problem);
    if (problem || !file) return;
    setBusy(true);
    try {
      await UploadProof(page.id, token, file);
      onStored();
    } catch (e) {
      setError(e instanceof ApiError && e.field === "file" ? e.detail : ErrorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="proof-box">
      <h2>{t.proof}</h2>
      <p data-testid="proof">
        {page.proof ? Fill(t.proofStored, { name: page.proof.file_name }) : t.proofMissing}
      </p>
      {page.status !== "closed" ? (
        <form onSubmit={Send} noValidate>
          <ProofInput t={t} error={error} onFile={setFile} />
          <button type="submit" class="secondary" disabled={busy}>
            {page.proof ? t.proofReplace : t.proofUpload}
          </button>
        </form>
      ) : null}
    </div>
  );
}
