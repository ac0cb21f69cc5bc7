// The inbox with 1,000 requests: created quickly through the agent API, then the first page
// renders fast, the Review tab counts 1,000, paging reaches the last page (20 of 20, with the
// last 50), and the page stays responsive while it loads and renders (a page.evaluate round
// trip never waits a second; a frozen page would take several).
import { Check, LogIn, Run, Screenshot, TAG } from "./harness.mjs";

const kTotal = 1000;
const kPageSize = 50;

await Run("inbox with 1,000 requests", async (server, browser) => {
  const admin = await server.api();
  const agentPassword = server.addUser("agent@shop.example", "agent");

  // Eight requests in flight at a time: the server batches concurrent writes.
  const started = Date.now();
  let next = 0;
  const kinds = ["deletion", "copy", "do_not_sell", "do_not_mail"];
  const jurisdictions = ["gdpr", "ccpa", "lgpd"];
  async function Worker() {
    while (next < kTotal) {
      const i = next++;
      await admin.post("/api/v1/requests", {
        type: kinds[i % kinds.length],
        jurisdiction: jurisdictions[i % jurisdictions.length],
        subject: { email: `many${i}+${TAG}@example.org` },
      });
    }
  }
  await Promise.all(Array.from({ length: 8 }, Worker));
  console.log(`created ${kTotal} requests in ${Date.now() - started} ms`);

  const desk = await browser.page();
  await LogIn(desk, server, "agent@shop.example", agentPassword);
  const rows = desk.locator("table.list tbody tr");

  // The first page: 50 rows, quickly; the tab counts 1,000.
  const t0 = Date.now();
  await desk.goto(server.base + "/");
  await rows.nth(kPageSize - 1).waitFor();
  const firstPageMs = Date.now() - t0;
  console.log(`first page rendered in ${firstPageMs} ms`);
  Check(firstPageMs < 5000, `the first page renders within 5 s (${firstPageMs} ms)`);
  Check((await rows.count()) === kPageSize, "the first page has 50 requests");
  const reviewTab = desk.getByRole("tab", { name: /Review/ });
  await reviewTab.getByText("1,000").waitFor();
  await desk.getByText(`Page 1 of ${kTotal / kPageSize}`).waitFor();
  await Screenshot(desk, "console-inbox-1000");

  // Responsive: while the next pages load and render, a round trip into the page is quick.
  let worstRoundTrip = 0;
  const pages = kTotal / kPageSize;
  const seen = new Set();
  for (let p = 1; p <= pages; p++) {
    const refs = await rows.locator("td:nth-child(2) a").allTextContents();
    Check(refs.length === kPageSize, `page ${p} has 50 requests (${refs.length})`);
    for (const r of refs) seen.add(r);
    if (p === pages) break;
    const first = refs[0];
    await desk.getByRole("button", { name: "Next →" }).click();
    // Measure round trips until the new page replaced the old one.
    for (;;) {
      const t = Date.now();
      const now = await desk.evaluate(() => document.querySelector("table.list tbody tr td:nth-child(2) a")?.textContent);
      worstRoundTrip = Math.max(worstRoundTrip, Date.now() - t);
      if (now && now !== first) break;
    }
    await desk.getByText(`Page ${p + 1} of ${pages}`).waitFor();
  }
  console.log(`worst page.evaluate round trip while paging: ${worstRoundTrip} ms`);
  Check(worstRoundTrip < 1000, `the page stays responsive (${worstRoundTrip} ms)`);
  Check(seen.size === kTotal, `paging shows every request once (${seen.size})`);
  Check(await desk.getByRole("button", { name: "Next →" }).isDisabled(), "the last page has no next");

  // Back one page, and a search still finds one request among the thousand.
  await desk.getByRole("button", { name: "← Previous" }).click();
  await desk.getByText(`Page ${pages - 1} of ${pages}`).waitFor();
  await desk.getByLabel("Search").fill(`many777+${TAG}@example.org`);
  await desk.getByRole("button", { name: "Search" }).click();
  await desk.waitForFunction(() => document.querySelectorAll("table.list tbody tr").length === 1);
  await desk.getByText("Page 1", { exact: true }).waitFor();
});
