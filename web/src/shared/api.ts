// The typed client both pages use. Every failure becomes an ApiError whose message is words a
// person can read: the server's own message ("email: not a valid email address"), or what went
// wrong with the connection. `field` is the part before the colon, so that forms can show the
// error next to the input it names.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | null;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = FieldOf(message);
  }

  // The message without its "field: " prefix, for showing beside that field.
  get detail(): string {
    return this.field ? this.message.slice(this.field.length + 1).trim() : this.message;
  }
}

// "subject.email: required" → "subject.email"; messages without a field prefix → null.
export function FieldOf(message: string): string | null {
  const m = /^([a-z_][a-z0-9_.]*): /.exec(message);
  return m ? m[1] : null;
}

const kStatusWords: Record<number, string> = {
  401: "You are not logged in (or your session ended). Please log in again.",
  403: "You are not allowed to do this.",
  404: "Not found.",
  413: "What you sent is too large.",
  429: "Too many attempts. Please wait a moment and try again.",
};

export interface Session {
  csrf: string | null;
}

// The CSRF token of the console's session; null on the public pages. `onUnauthorized`, when
// set, is told when a call answers 401 (the session ended), so the console can ask to log in.
export const session: Session & { onUnauthorized: (() => void) | null } = { csrf: null, onUnauthorized: null };

type Query = Record<string, string | number | boolean | null | undefined>;

export function WithQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export async function Call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  // A FormData body (a file upload) sets its own multipart Content-Type with the boundary.
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers["Content-Type"] = "application/json";
  if (method !== "GET" && session.csrf) headers["X-CSRF-Token"] = session.csrf;
  let resp: Response;
  try {
    resp = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "network", "The server cannot be reached. Check your connection and try again.");
  }
  const text = await resp.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!resp.ok) {
    if (resp.status === 401 && !path.startsWith("/api/v1/auth/")) session.onUnauthorized?.();
    const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
    const message = err?.message || kStatusWords[resp.status] || `The server answered ${resp.status}.`;
    throw new ApiError(resp.status, err?.code || "http_" + resp.status, message);
  }
  return json as T;
}

export const Get = <T>(path: string, query?: Query) => Call<T>("GET", WithQuery(path, query));
export const Post = <T>(path: string, body: unknown = {}) => Call<T>("POST", path, body);
export const Put = <T>(path: string, body: unknown) => Call<T>("PUT", path, body);
export const Patch = <T>(path: string, body: unknown) => Call<T>("PATCH", path, body);
export const Delete = <T>(path: string) => Call<T>("DELETE", path);

export function ErrorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

// ---- Shapes of the API's JSON (docs/api/openapi.json) ----

export interface PublicSettings {
  org_name: string;
  primary_color: string;
  jurisdictions: { key: string; name: string }[];
}

export interface PublicRequestType {
  key: string;
  name: string;
  description: string;
}

export interface Submitted {
  id: string;
  reference: string;
  status: string;
  status_token: string;
}

export interface SubjectMessage {
  direction: string;
  subject: string;
  body: string;
  at: string;
}

export interface StatusPage {
  id: string;
  reference: string;
  type: string;
  status: string;
  outcome: string | null;
  received_at: string;
  due_at: string;
  verified: boolean;
  can_withdraw: boolean;
  requester_type?: string;
  proof?: { file_name: string; size: number; uploaded_at: string } | null;
  messages?: SubjectMessage[];
}

export interface User {
  id: string;
  email: string;
  role: string;
  created_at?: string;
}

export interface Me {
  id: string;
  email: string;
  role: "admin" | "agent" | "viewer";
  csrf_token?: string;
}

export interface Task {
  id: string;
  data_source_id: string | null;
  source_name: string;
  process: string;
  status: string;
  instructions: string | null;
  contact_email: string | null;
  note: string | null;
  result: unknown;
  completed_by: string | null;
  completed_at: string | null;
  reminders: number;
  created_at: string;
  updated_at: string;
}

export interface PrivacyRequest {
  id: string;
  reference: string;
  type: string;
  type_name?: string;
  status: string;
  outcome: string | null;
  channel: string;
  jurisdiction: string;
  subject: { email: string; name: string | null; phone: string | null };
  details: string;
  received_at: string;
  due_at: string;
  assignee: string | null;
  updated_at: string;
  requester_type: string;
  corrections: string | null;
  verification: { verified_at: string | null; method: string | null };
  rejection: { reason: string | null; note: string | null };
  days_left: number;
  hold: { reason: string; since: string } | null;
  extension: { extended_at: string; reason: string } | null;
  duplicates?: { id: string; reference: string; type: string; status: string; received_at: string }[];
  applicable_sources?: { id: string; name: string; process: string }[];
  acknowledge_by?: string | null;
  tasks?: Task[];
  prescan?: { data_source_id: string; found: unknown }[];
  proof?: Proof | null;
}

export interface Proof {
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  uploaded_at: string;
}

export interface RequestPage {
  items: PrivacyRequest[];
  next_cursor: string | null;
}

export interface HistoryEvent {
  seq: number;
  at: string;
  actor: string;
  kind: string;
  detail: unknown;
}

export interface Message {
  id: string;
  direction: string;
  sender: string;
  recipient: string | null;
  subject: string;
  body: string;
  created_at: string;
  sent_at: string | null;
}

export interface DataSource {
  id: string;
  name: string;
  catalog_id: string | null;
  category: string;
  process: string;
  request_handling: boolean;
  contact_email: string | null;
  instructions: string | null;
  request_types: string[];
  archived: boolean;
}

export interface CatalogEntry {
  key: string;
  name: string;
  category: string;
  domains: string[];
  privacy_email: string | null;
}

export interface TemplateInfo {
  key: string;
  description: string;
  variables: string[];
  customized: boolean;
  updated_at: string | null;
  subject?: string;
  body?: string;
  default?: { subject: string; body: string };
}

export interface RequestTypeSetting {
  key: string;
  name: string;
  description: string;
  builtin: boolean;
  enabled: boolean;
}

export interface Reply {
  template_key: string;
  outcome: string;
  to: string;
  subject: string;
  body: string;
}

export interface ApiToken {
  id: string;
  name: string;
  user_id: string;
  role: string;
  created_at: string;
  revoked: boolean;
}

export interface RequestCounts {
  by_status: Record<string, number>;
  open: number;
  overdue: number;
  due_this_week: number;
  median_days_to_close: Record<string, number>; // per type key, requests closed in the last 90 days
}
