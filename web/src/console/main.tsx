// The console: login, then the inbox, a request's page, the dashboard, data sources, discovery,
// templates, and users and API tokens for admins.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import "../shared/base.css";
import "./console.css";
import { ApiError, ErrorText, Get, Post, session, type Me } from "../shared/api";
import { Link, Navigate, useLocation } from "./router";
import { Alert, Field } from "./ui";
import { Inbox } from "./inbox";
import { RequestPage } from "./request_page";
import { Dashboard } from "./dashboard";
import { DataSources } from "./data_sources";
import { Discovery } from "./discovery";
import { Templates } from "./templates";
import { Admin } from "./admin";

function Login({ onLogin, expired }: { onLogin: (me: Me) => void; expired: boolean }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState("");
  const [busy, setBusy] = useState(false);

  async function Submit(ev: Event) {
    ev.preventDefault();
    setErrors({});
    setAlert("");
    setBusy(true);
    try {
      const r = await Post<{ csrf_token: string }>("/api/v1/auth/login", { email, password });
      session.csrf = r.csrf_token;
      onLogin(await Get<Me>("/api/v1/me"));
    } catch (e) {
      if (e instanceof ApiError && e.field) setErrors({ [e.field]: e.detail });
      else if (e instanceof ApiError && e.status === 401) setAlert("Wrong email or password.");
      else setAlert(ErrorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="login">
      <form class="card" onSubmit={Submit} noValidate>
        <h1>Rightsdesk</h1>
        <p class="hint">Log in to the privacy console.</p>
        {expired ? <p class="notice">Your session ended. Please log in again.</p> : null}
        <Field id="login-email" label="Email" error={errors.email}>
          <input
            id="login-email"
            type="email"
            autoComplete="username"
            value={email}
            aria-invalid={errors.email ? "true" : undefined}
            onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
          />
        </Field>
        <Field id="login-password" label="Password" error={errors.password}>
          <input
            id="login-password"
            type="password"
            autoComplete="current-password"
            value={password}
            aria-invalid={errors.password ? "true" : undefined}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
          />
        </Field>
        <Alert text={alert} />
        <button type="submit" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  );
}

const kNav: { href: string; label: string; admin?: boolean }[] = [
  { href: "/", label: "Inbox" },
  { href: "/dashboard", label: "Dashboard" },
  { href: "/data-sources", label: "Data sources" },
  { href: "/discovery", label: "Discovery" },
  { href: "/templates", label: "Templates" },
  { href: "/admin", label: "Users & tokens", admin: true },
];

function Shell({ me, onLogout }: { me: Me; onLogout: () => void }) {
  const url = useLocation();
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const request = /^\/requests\/([^/]+)$/.exec(path);
  let page;
  if (request) page = <RequestPage id={decodeURIComponent(request[1])} me={me} />;
  else if (path === "/dashboard") page = <Dashboard />;
  else if (path === "/data-sources") page = <DataSources me={me} url={url} />;
  else if (path === "/discovery") page = <Discovery me={me} />;
  else if (path === "/templates") page = <Templates me={me} />;
  else if (path === "/admin" && me.role === "admin") page = <Admin me={me} />;
  else page = <Inbox me={me} url={url} />;
  const current = request ? "/" : path;

  async function Logout() {
    try {
      await Post("/api/v1/auth/logout");
    } catch {
      // The session is gone either way.
    }
    session.csrf = null;
    onLogout();
    Navigate("/");
  }

  return (
    <>
      <header class="topbar">
        <a class="brand" href="/" onClick={(e) => (e.preventDefault(), Navigate("/"))}>
          Rightsdesk
        </a>
        <nav aria-label="Main">
          {kNav
            .filter((n) => !n.admin || me.role === "admin")
            .map((n) => (
              <Link key={n.href} href={n.href} aria-current={current === n.href ? "page" : undefined}>
                {n.label}
              </Link>
            ))}
        </nav>
        <span class="who">
          {me.email} ({me.role}){" "}
          <button type="button" class="secondary small" onClick={Logout}>
            Log out
          </button>
        </span>
      </header>
      <main class="page">{page}</main>
    </>
  );
}

const kSignedIn = "rightsdesk.signed_in";

function App() {
  const [me, setMe] = useState<Me | null | "anonymous">(null);
  const [error, setError] = useState("");
  const [expired, setExpired] = useState(false);
  useEffect(() => {
    session.onUnauthorized = () => {
      localStorage.removeItem(kSignedIn);
      setExpired(true);
      setMe("anonymous");
    };
    // Without a session in this browser there is nothing to ask (and no 401 to log).
    if (!localStorage.getItem(kSignedIn)) {
      setMe("anonymous");
      return;
    }
    Get<Me>("/api/v1/me")
      .then((m) => {
        session.csrf = m.csrf_token || null;
        setMe(m);
      })
      .catch((e) => {
        if (e instanceof ApiError && e.status === 401) {
          localStorage.removeItem(kSignedIn);
          setMe("anonymous");
        }
        else setError(ErrorText(e));
      });
  }, []);
  if (error) return <Alert text={error} />;
  if (me === null) return <p class="page">Loading…</p>;
  if (me === "anonymous") {
    return (
      <Login
        expired={expired}
        onLogin={(m) => {
          localStorage.setItem(kSignedIn, "1");
          setExpired(false);
          setMe(m);
        }}
      />
    );
  }
  return (
    <Shell
      me={me}
      onLogout={() => {
        localStorage.removeItem(kSignedIn);
        setMe("anonymous");
      }}
    />
  );
}

render(<App />, document.getElementById("app")!);
