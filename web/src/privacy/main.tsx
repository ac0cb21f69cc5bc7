// The public Privacy Center: /privacy (choose a right, fill in the form, verify the emailed
// code, see the reference), /privacy/requests/{id}?token= (the status page) and
// /privacy/requests/{id}/verify?token= (the emailed verification link).
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import "../shared/base.css";
import "./privacy.css";
import { ErrorText, Get, type PublicSettings } from "../shared/api";
import { kLanguages, PickLanguage } from "./i18n";
import { RequestFlow } from "./request_flow";
import { LinkVerify, StatusView } from "./status_page";
import { Alert, Header } from "./ui";

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
  else body = <RequestFlow t={t} lang={lang} settings={settings} />;
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
