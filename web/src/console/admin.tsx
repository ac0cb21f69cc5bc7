// Admins: console users and API tokens.
import { useState } from "preact/hooks";
import { ApiError, Delete, ErrorText, Get, Post, type ApiToken, type Me, type User } from "../shared/api";
import { Alert, Field, FormatDate, Notice, useLoad } from "./ui";

function Users() {
  const users = useLoad(() => Get<{ items: User[] }>("/api/v1/users"), []);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState("agent");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState("");
  const [notice, setNotice] = useState("");
  return (
    <section aria-labelledby="users-h">
      <h2 id="users-h">Users</h2>
      <Alert text={users.error} />
      <table class="list">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {(users.data?.items || []).map((u) => (
            <tr key={u.id}>
              <td>{u.email}</td>
              <td>{u.role}</td>
              <td>{FormatDate(u.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        class="card inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setErrors({});
          setAlert("");
          setNotice("");
          try {
            await Post("/api/v1/users", { email, password, role });
            setNotice(`User ${email} added.`);
            setEmail("");
            setPassword("");
            await users.reload();
          } catch (err) {
            if (err instanceof ApiError && err.field) setErrors({ [err.field]: err.detail });
            else setAlert(ErrorText(err));
          }
        }}
      >
        <h3>Add a user</h3>
        <Field id="user-email" label="Email" error={errors.email}>
          <input id="user-email" type="email" value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        </Field>
        <Field id="user-password" label="Password" error={errors.password}>
          <input id="user-password" type="password" autoComplete="new-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        </Field>
        <Field id="user-role" label="Role" error={errors.role}>
          <select id="user-role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
            <option value="agent">agent</option>
            <option value="admin">admin</option>
            <option value="viewer">viewer</option>
          </select>
        </Field>
        <Alert text={alert} />
        <Notice text={notice} />
        <button type="submit">Add user</button>
      </form>
    </section>
  );
}

function Tokens() {
  const tokens = useLoad(() => Get<{ items: ApiToken[] }>("/api/v1/tokens"), []);
  const [name, setName] = useState("");
  const [role, setRole] = useState("agent");
  const [created, setCreated] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState("");
  return (
    <section aria-labelledby="tokens-h">
      <h2 id="tokens-h">API tokens</h2>
      <Alert text={tokens.error || alert} />
      <table class="list">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {(tokens.data?.items || []).map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td>{t.role}</td>
              <td>{FormatDate(t.created_at)}</td>
              <td>
                {t.revoked ? (
                  "revoked"
                ) : (
                  <button
                    type="button"
                    class="secondary small"
                    onClick={async () => {
                      try {
                        await Delete(`/api/v1/tokens/${t.id}`);
                        await tokens.reload();
                      } catch (err) {
                        setAlert(ErrorText(err));
                      }
                    }}
                  >
                    Revoke {t.name}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        class="card inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setErrors({});
          setAlert("");
          try {
            const r = await Post<{ token: string }>("/api/v1/tokens", { name, role });
            setCreated(r.token);
            setName("");
            await tokens.reload();
          } catch (err) {
            if (err instanceof ApiError && err.field) setErrors({ [err.field]: err.detail });
            else setAlert(ErrorText(err));
          }
        }}
      >
        <h3>Create a token</h3>
        <Field id="token-name" label="Name" error={errors.name}>
          <input id="token-name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </Field>
        <Field id="token-role" label="Role" error={errors.role}>
          <select id="token-role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
            <option value="agent">agent</option>
            <option value="admin">admin</option>
            <option value="viewer">viewer</option>
          </select>
        </Field>
        <button type="submit">Create token</button>
        {created ? (
          <div class="notice" role="status">
            Copy this token now; it is shown only once: <code class="token">{created}</code>
          </div>
        ) : null}
      </form>
    </section>
  );
}

export function Admin({ me }: { me: Me }) {
  if (me.role !== "admin") return <Alert text="Only admins manage users and tokens." />;
  return (
    <section>
      <h1>Users &amp; API tokens</h1>
      <Users />
      <Tokens />
    </section>
  );
}
