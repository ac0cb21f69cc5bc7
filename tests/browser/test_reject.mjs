// An agent rejects a request in review with a reason and a note; the request moves to reply
// with outcome rejected, and the inbox counts follow. Also: bulk assignment and the dashboard
// (counts, median days to close per type).
import { Check, LogIn, Run, Screenshot, TAG } from "./harness.mjs";

await Run("reject with a reason", async (server, browser) => {
  const admin = await server.api();
  const agentPassword = server.addUser("agent@shop.example", "agent");
  const created = [];
  for (const [i, jurisdiction] of ["ccpa", "gdpr", "lgpd"].entries()) {
    created.push(
      await admin.post("/api/v1/requests", {
        type: i === 1 ? "copy" : "deletion",
        jurisdiction,
        subject: { email: `rita${i}+${TAG}@example.org`, name: `Rita ${i}` },
        details: "Entered from a phone call.",
      }),
    );
  }
  const target = created[0];

  const desk = await browser.page();
  await LogIn(desk, server, "agent@shop.example", agentPassword);
  const reviewTab = desk.getByRole("tab", { name: /Review/ });
  await desk.getByRole("link", { name: target.reference }).waitFor();
  Check((await reviewTab.textContent()).includes("3"), "the Review tab counts 3");

  // Bulk: take the two others.
  await desk.getByLabel(`Select ${created[1].reference}`).check();
  await desk.getByLabel(`Select ${created[2].reference}`).check();
  await desk.getByRole("region", { name: "Bulk actions" }).waitFor();
  await desk.getByRole("button", { name: "Assign", exact: true }).click();
  await desk.getByText("Assigned 2 of 2.").waitFor();
  await desk.getByLabel("Assignee").selectOption({ label: "Me (agent@shop.example)" });
  await desk.waitForURL(/assignee=/);
  await desk.getByRole("link", { name: created[1].reference }).waitFor();
  // The filter applies: the unassigned request leaves the list.
  await desk.getByRole("link", { name: target.reference }).waitFor({ state: "detached" });

  await desk.goto(server.base + `/requests/${target.id}`);
  await desk.getByRole("heading", { name: "Review" }).waitFor();
  // Rejecting without a reason is refused in words, next to the field.
  await desk.getByRole("button", { name: "Reject", exact: true }).click();
  await desk.locator("#reject-reason-error").waitFor();
  await desk.getByLabel("Reason").selectOption("no_match");
  await desk.getByLabel("Note (internal)").fill("No account with this address.");
  await Screenshot(desk, "console-request-reject");
  await desk.getByRole("button", { name: "Reject", exact: true }).click();
  await desk.getByRole("heading", { name: "Reply" }).waitFor();
  await desk.getByText("rejected: no match (No account with this address.)").waitFor();
  const body = await desk.getByLabel("Message", { exact: true }).inputValue();
  Check(body.length > 20, "a rejection reply is drafted");

  // One more deletion request, rejected and closed through the API: the dashboard shows the
  // median days to close of its type.
  const done = await admin.post("/api/v1/requests", { type: "deletion", subject: { email: `closed+${TAG}@example.org` } });
  await admin.post(`/api/v1/requests/${done.id}/reject`, { reason: "no_match" });
  const draft = await admin.get(`/api/v1/requests/${done.id}/reply`);
  await admin.post(`/api/v1/requests/${done.id}/reply`, { subject: draft.subject, body: draft.body });

  await desk.getByRole("link", { name: "Dashboard" }).click();
  await desk.getByRole("heading", { name: "Dashboard" }).waitFor();
  await desk.locator(".tile-n").first().waitFor();
  Check((await desk.locator(".tile").first().textContent()).startsWith("3"), "3 open requests");
  await desk.getByRole("heading", { name: "Median days to close" }).waitFor();
  const median = desk.getByRole("table", { name: /Median days to close/ }).getByRole("row", { name: /deletion/ });
  Check((await median.getByRole("cell").textContent()).trim() === "0", "deletion closes in 0 days (median)");
  await Screenshot(desk, "console-dashboard");

  await desk.getByRole("link", { name: "Inbox" }).click();
  await desk.getByRole("tab", { name: /Reply/ }).click();
  await desk.getByRole("link", { name: target.reference }).waitFor();
  Check((await desk.getByRole("tab", { name: /Reply/ }).textContent()).includes("1"), "the Reply tab counts 1");

  // A long inbox comes 50 at a time, page by page.
  for (let i = 0; i < 60; i++) {
    await admin.post("/api/v1/requests", { type: "do_not_mail", subject: { email: `bulk${i}+${TAG}@example.org` } });
  }
  await desk.getByRole("tab", { name: /Review/ }).click();
  await desk.getByRole("tab", { name: /Review/ }).getByText("62").waitFor();
  const rows = desk.locator("table.list tbody tr");
  await rows.nth(49).waitFor();
  Check((await rows.count()) === 50, "the first page has 50 requests");
  await desk.getByRole("button", { name: "Next →" }).click();
  await desk.getByText("Page 2").waitFor();
  await desk.waitForFunction(() => document.querySelectorAll("table.list tbody tr").length === 12);
  Check(await desk.getByRole("button", { name: "Next →" }).isDisabled(), "the last page has no next");
  await desk.getByRole("button", { name: "← Previous" }).click();
  await desk.getByText("Page 1").waitFor();
});
