// Browser tests: the real rightsdesk binary (fresh data directory, free loopback port, SQLite),
// the real SMTP sink of the integration tests (its Maildir), and Debian's Chromium driven by
// playwright-core (which never downloads a browser). Any console error or uncaught exception
// on any page fails the test, except failed HTTP responses a test declares it expects (Chromium
// logs every 4xx answer to fetch as a console error; the page shows it in words).
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, "../..");
const require = createRequire(path.join(root, "web/package.json"));
const { chromium } = require("playwright-core");

export const BINARY = process.env.RD_BINARY || path.join(root, "build/rightsdesk");
export const SMTP = process.env.RD_TEST_SMTP || "";
export const MAILDIR = process.env.RD_TEST_SMTP_DIR || "";
export const WEB_DIR = process.env.RD_WEB_DIR || path.join(root, "web/dist");
export const SCREENSHOTS = process.env.RD_SCREENSHOTS || path.join(root, "docs/screenshots");
export const CHROMIUM = process.env.RD_CHROMIUM || "/usr/bin/chromium";
export const TAG = Math.random().toString(16).slice(2, 10);

export function Check(cond, what) {
  if (!cond) throw new Error("check failed: " + what);
}

function FreePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Server {
  async start() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-browser-"));
    this.port = await FreePort();
    this.base = `http://127.0.0.1:${this.port}`;
    const [host, port] = SMTP.split(":");
    this.env = {
      ...process.env,
      RIGHTSDESK_SMTP__HOST: host,
      RIGHTSDESK_SMTP__PORT: port,
      RIGHTSDESK_SMTP__STARTTLS: "false",
      RIGHTSDESK_SMTP__FROM: "privacy@shop.example",
      RIGHTSDESK_PRIVACY_CENTER__ORG_NAME: "Example Shop",
      RIGHTSDESK_PRIVACY_CENTER__PRIMARY_COLOR: "#0b6e4f",
      RIGHTSDESK_SERVER__WEB_DIR: WEB_DIR,
      RIGHTSDESK_SERVER__PUBLIC_URL: this.base,
    };
    this.stdout = "";
    this.stderr = "";
    this.proc = spawn(BINARY, ["serve", "--listen", `127.0.0.1:${this.port}`, "--data-dir", path.join(this.dir, "data")], {
      env: this.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.proc.stdout.on("data", (d) => (this.stdout += d));
    this.proc.stderr.on("data", (d) => (this.stderr += d));
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error("server exited: " + this.stderr);
      try {
        if ((await fetch(this.base + "/healthz")).ok) break;
      } catch {
        await sleep(100);
      }
    }
    const m = /password:\s*(\S+)/.exec(this.stdout);
    Check(m, "the first start prints the admin password");
    this.adminPassword = m[1];
    return this;
  }

  // Adds a console user with the CLI, as an operator would.
  addUser(email, role, password = "correct horse battery") {
    const p = spawnSync(BINARY, ["user", "add", email, "--role", role, "--password-stdin", "--data-dir", path.join(this.dir, "data")], {
      input: password + "\n",
      env: this.env,
      encoding: "utf8",
    });
    Check(p.status === 0, "user add: " + p.stderr);
    return password;
  }

  // A logged-in API client (cookie + CSRF token), for setting the scene quickly.
  async api(email = "admin@rightsdesk.local", password = this.adminPassword) {
    const login = await fetch(this.base + "/api/v1/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    Check(login.ok, "API login " + login.status);
    const cookie = login.headers.get("set-cookie").split(";")[0];
    const { csrf_token } = await login.json();
    const call = async (method, p, body) => {
      const r = await fetch(this.base + p, {
        method,
        headers: { Cookie: cookie, "X-CSRF-Token": csrf_token, ...(body ? { "Content-Type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : null;
    };
    return { get: (p) => call("GET", p), post: (p, b) => call("POST", p, b ?? {}) };
  }

  async stop() {
    if (this.proc && this.proc.exitCode === null) {
      const done = new Promise((r) => this.proc.once("exit", r));
      this.proc.kill("SIGTERM");
      await Promise.race([done, sleep(15000)]);
      if (this.proc.exitCode === null) this.proc.kill("SIGKILL");
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---- the SMTP sink's Maildir ----

function DecodeQuotedPrintable(text) {
  const bytes = [];
  const s = text.replace(/=\r?\n/g, "");
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(s[i], "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

function ParseMail(raw) {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, " ");
  const headers = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = raw.slice(split).replace(/^\r?\n\r?\n/, "");
  if (/quoted-printable/i.test(headers["content-transfer-encoding"] || "")) body = DecodeQuotedPrintable(body);
  return { headers, body };
}

export function MailsTo(to) {
  const dir = path.join(MAILDIR, "new");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs)
    .map((f) => ParseMail(fs.readFileSync(f, "utf8")))
    .filter((m) => (m.headers.to || "").toLowerCase().includes(to.toLowerCase()));
}

export async function WaitForMail(to, match = () => true, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = MailsTo(to).filter(match);
    if (found.length) return found[found.length - 1];
    await sleep(150);
  }
  throw new Error(`no email to ${to} within ${timeoutMs} ms`);
}

// ---- the browser ----

export class Browser {
  async start() {
    this.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
      ],
    });
    this.problems = [];
    this.expected = []; // [{path, status}] failed responses a test provokes on purpose
    this.failedResponses = [];
    return this;
  }

  // A page in a new context (its own cookies), watched for console errors.
  async page({ width = 1280, height = 860, locale = "en-US" } = {}) {
    const context = await this.browser.newContext({ viewport: { width, height }, locale });
    const page = await context.newPage();
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      const text = msg.text();
      const url = msg.location()?.url || "";
      if (text.startsWith("Failed to load resource")) {
        const status = Number((/status of (\d+)/.exec(text) || [])[1]);
        const ok = this.expected.findIndex((e) => url.includes(e.path) && e.status === status);
        if (ok >= 0) {
          this.expected.splice(ok, 1);
          return;
        }
      }
      this.problems.push(`console error on ${page.url()}: ${text} ${url}`);
    });
    page.on("pageerror", (err) => this.problems.push(`uncaught exception on ${page.url()}: ${err.message}`));
    page.setDefaultTimeout(15000);
    return page;
  }

  // The next failed response to a URL containing `path` with `status` is expected.
  expectHttpError(path, status) {
    this.expected.push({ path, status });
  }

  assertClean() {
    if (this.problems.length) throw new Error("browser problems:\n  " + this.problems.join("\n  "));
    if (this.expected.length) throw new Error("expected failed responses never came: " + JSON.stringify(this.expected));
  }

  async stop() {
    await this.browser?.close();
  }
}

export async function Screenshot(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, name + ".png"), fullPage: true });
}

// Runs `body(server, browser)` with both started and both stopped afterwards; exit code 0 on
// success, 1 with the error (and the server's stderr tail) otherwise.
export async function Run(name, body) {
  if (!SMTP || !MAILDIR) {
    console.log(`${name}: needs the smtp fixture (RD_TEST_SMTP, RD_TEST_SMTP_DIR)`);
    process.exit(1);
  }
  const server = new Server();
  const browser = new Browser();
  let failed = null;
  try {
    await server.start();
    await browser.start();
    await body(server, browser);
    browser.assertClean();
  } catch (e) {
    failed = e;
  }
  await browser.stop().catch(() => undefined);
  const stderr = server.stderr || "";
  await server.stop().catch(() => undefined);
  if (failed) {
    console.error(`${name}: FAILED\n${failed.stack || failed}\n--- server stderr (tail) ---\n${stderr.slice(-3000)}`);
    process.exit(1);
  }
  console.log(`${name}: ok`);
}

export async function LogIn(page, server, email, password) {
  await page.goto(server.base + "/");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
}
