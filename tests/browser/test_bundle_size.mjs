// The Privacy Center's JS and CSS — everything /privacy loads — stays under 150 kB gzip, and
// carries none of the console.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { WEB_DIR } from "./harness.mjs";

const kLimit = 150 * 1024;
const html = fs.readFileSync(path.join(WEB_DIR, "privacy/index.html"), "utf8");
const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
// Chunks imported by those scripts (Vite lists static imports as modulepreload links, but
// follow the import statements too, in case it does not).
const seen = new Set();
const queue = [...assets];
while (queue.length) {
  const a = queue.shift();
  if (seen.has(a)) continue;
  seen.add(a);
  if (a.endsWith(".js")) {
    const text = fs.readFileSync(path.join(WEB_DIR, a), "utf8");
    for (const m of text.matchAll(/from\s*"\.\/([^"]+\.js)"|import\s*"\.\/([^"]+\.js)"/g)) queue.push("/assets/" + (m[1] || m[2]));
  }
}
let total = 0;
for (const a of seen) {
  const gz = zlib.gzipSync(fs.readFileSync(path.join(WEB_DIR, a)), { level: 9 }).length;
  total += gz;
  console.log(`${a}: ${gz} bytes gzip`);
}
const consoleChunk = [...seen].some((a) => /\/console-/.test(a));
console.log(`Privacy Center JS+CSS: ${total} bytes gzip (limit ${kLimit})`);
if (seen.size === 0 || total >= kLimit || consoleChunk) {
  console.error(consoleChunk ? "the Privacy Center loads the console" : "over the limit (or nothing found)");
  process.exit(1);
}
