// An admin discovers systems: a file that is no mailbox is refused in words; a generated mbox
// whose newsletters bounce through Mailchimp (Return-Path @mcsv.net) gives a finding, which the
// admin accepts (a data source is created and linked); DNS records pasted give more findings,
// one of which is dismissed. An agent reads the findings without the admin's actions.
import { Check, LogIn, Run, Screenshot, TAG } from "./harness.mjs";

function Mbox() {
  const messages = [
    ["Mon, 05 Jan 2026 10:00:00 +0000", "alice@ourco-rdtest.com", "mail181.suw11.mcsv.net"],
    ["Tue, 10 Mar 2026 08:30:00 +0100", "bob@ourco-rdtest.com", "mail9.atl11.mcsv.net"],
    ["Sun, 01 Feb 2026 10:00:00 +0000", "alice@ourco-rdtest.com", "mail9.atl11.mcsv.net"],
  ];
  return messages
    .map(
      ([date, to, host], i) =>
        `From MAILER-DAEMON Mon Jan  5 10:00:00 2026\nReturn-Path: <bounce-mc.us5_${i}@${host}>\n` +
        `From: News <news@shop-${TAG}.example>\nTo: ${to}\nDate: ${date}\nSubject: Our news ${i}\n\nHello.\n`,
    )
    .join("\n");
}

await Run("discovery", async (server, browser) => {
  const agentPassword = server.addUser("agent@shop.example", "agent");
  const desk = await browser.page();
  await LogIn(desk, server, "admin@rightsdesk.local", server.adminPassword);
  await desk.getByRole("link", { name: "Discovery" }).click();
  await desk.getByRole("heading", { name: "Discovery" }).waitFor();
  await desk.getByText("No new findings.").waitFor();

  // No file chosen, then a file that is no mailbox: both refused in words next to the input.
  await desk.getByRole("button", { name: "Upload mailbox" }).click();
  await desk.locator("#disc-mailbox-error").getByText("Choose a file first.").waitFor();
  const input = desk.getByLabel("Mailbox export");
  await input.setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: Buffer.from("\x89PNG not a mailbox") });
  browser.expectHttpError("/api/v1/discovery/mailbox", 400);
  await desk.getByRole("button", { name: "Upload mailbox" }).click();
  await desk.locator("#disc-mailbox-error").getByText(/not an? (mailbox|mbox|email message)/).waitFor();

  await input.setInputFiles({ name: "export.mbox", mimeType: "application/mbox", buffer: Buffer.from(Mbox()) });
  await desk.getByRole("button", { name: "Upload mailbox" }).click();
  await desk.getByText(/Read 3 messages: \d+ systems? found\./).waitFor();
  const row = desk.locator("tr.finding", { hasText: "mcsv.net" });
  await row.waitFor();
  const name = (await row.locator("strong").textContent()).trim();
  // With the catalog, the bounce domain is Mailchimp's; without it, the domain names itself.
  Check(name === "Mailchimp" || name === "mcsv.net", `the finding is named after the vendor (${name})`);
  const cells = await row.getByRole("cell").allTextContents();
  Check(cells[3].trim() === "3", "3 messages");
  Check(cells[6].trim() === "2", "2 recipients");
  Check(cells[2].includes("return path"), "seen in the Return-Path");
  await Screenshot(desk, "console-discovery");

  await row.getByRole("button", { name: /Accept/ }).click();
  const accepted = desk.getByRole("status").filter({ hasText: "Accepted: data source" });
  await accepted.waitFor();
  await row.waitFor({ state: "detached" });

  // DNS records pasted: SPF includes name systems; dismiss one.
  await desk.getByLabel("DNS TXT records").fill(`ourco-${TAG}.com. 300 IN TXT "v=spf1 include:_spf.google.com include:mail.zendesk.com ~all"`);
  await desk.getByRole("button", { name: "Read DNS records" }).click();
  await desk.getByText(/Read 1 record: \d+ systems? found\./).waitFor();
  const dnsRow = desk.locator("tr.finding").filter({ hasText: "zendesk.com" });
  await dnsRow.waitFor();
  await dnsRow.getByRole("button", { name: /Dismiss/ }).click();
  await desk.getByText(/^Dismissed /).waitFor();
  await dnsRow.waitFor({ state: "detached" });
  await desk.getByRole("tab", { name: "Dismissed" }).click();
  await desk.locator("tr.finding", { hasText: "zendesk.com" }).waitFor();

  // The accepted finding links to its data source, which is in the inventory.
  await desk.getByRole("tab", { name: "Accepted" }).click();
  const done = desk.locator("tr.finding", { hasText: "mcsv.net" });
  await done.waitFor();
  const link = done.getByRole("link");
  const sourceName = (await link.textContent()).trim();
  await link.click();
  await desk.getByRole("heading", { name: "Data sources" }).waitFor();
  // The link goes to that data source: the list shows it alone, highlighted, with a way back.
  await desk.waitForURL(/\/data-sources\?source=/);
  await desk.getByRole("status").filter({ hasText: `Showing the data source ${sourceName}` }).waitFor();
  const focused = desk.locator("table.list tbody tr");
  Check((await focused.count()) === 1, "only the linked data source is listed");
  Check(await focused.first().evaluate((tr) => tr.classList.contains("focused")), "the row is highlighted");
  await desk.getByRole("cell", { name: new RegExp(sourceName) }).first().waitFor();
  await desk.getByRole("link", { name: "Show all data sources" }).click();
  await desk.waitForURL((u) => !u.search.includes("source="));
  await desk.getByRole("tab", { name: /All data sources/ }).waitFor();

  // An agent reads the findings; imports, accept and dismiss are for admins.
  const agent = await browser.page();
  await LogIn(agent, server, "agent@shop.example", agentPassword);
  await agent.getByRole("link", { name: "Discovery" }).click();
  await agent.getByRole("heading", { name: "Discovery" }).waitFor();
  await agent.getByRole("tab", { name: "Accepted" }).click();
  await agent.locator("tr.finding", { hasText: "mcsv.net" }).waitFor();
  Check((await agent.getByRole("button", { name: "Upload mailbox" }).count()) === 0, "no upload for agents");
  await agent.getByRole("tab", { name: "New" }).click();
  await agent.locator("tr.finding").first().waitFor();
  Check((await agent.getByRole("button", { name: /Accept|Dismiss/ }).count()) === 0, "no accept or dismiss for agents");
});
