// A subject submits a deletion request in the Privacy Center on a phone-sized screen and
// verifies it with the code from the email; an agent logs in to the console, continues with a
// manual source, marks it done, edits the reply, replies and closes, and sees the history.
import { Check, LogIn, MailsTo, Run, Screenshot, TAG, WaitForMail } from "./harness.mjs";

await Run("deletion lifecycle", async (server, browser) => {
  const admin = await server.api();
  const source = await admin.post("/api/v1/data-sources", {
    name: "Support desk",
    category: "support",
    process: "manual",
    request_handling: true,
    instructions: "Delete the customer's tickets in the support desk.",
  });
  const agentPassword = server.addUser("agent@shop.example", "agent");

  // --- the subject, on a 375 px wide phone screen ---
  const email = `dana+${TAG}@example.org`;
  const phone = await browser.page({ width: 375, height: 740 });
  await phone.goto(server.base + "/privacy");
  await phone.getByRole("link", { name: "Example Shop" }).waitFor();
  await phone.locator('[data-type="deletion"]').waitFor();
  const noHorizontalScroll = await phone.evaluate(() => document.documentElement.scrollWidth <= 375);
  Check(noHorizontalScroll, "the Privacy Center fits a 375 px screen");
  await Screenshot(phone, "privacy-center");
  await phone.locator('[data-type="deletion"]').click();

  // A bad address: the server's message appears next to the email field.
  await phone.getByLabel(/Email address/).fill("dana-at-example");
  browser.expectHttpError("/api/v1/privacy-center/requests", 400);
  await phone.getByRole("button", { name: "Submit request" }).click();
  const fieldError = phone.locator("#email-error");
  await fieldError.waitFor();
  Check(/email/i.test(await fieldError.textContent()) || (await fieldError.textContent()).length > 5, "field error shown");
  Check((await phone.getByLabel(/Email address/).getAttribute("aria-invalid")) === "true", "email marked invalid");

  await phone.getByLabel(/Email address/).fill(email);
  await phone.getByLabel("Full name").fill("Dana Subject");
  await phone.getByLabel("Where do you live?").selectOption("gdpr");
  await phone.getByLabel("Details (optional)").fill("Please delete my account and my order history.");
  await Screenshot(phone, "privacy-center-form");
  await phone.getByRole("button", { name: "Submit request" }).click();
  await phone.getByRole("heading", { name: "Check your email" }).waitFor();

  const mail = await WaitForMail(email, (m) => /\b\d{6}\b/.test(m.body));
  const code = /^\s+(\d{6})\s*$/m.exec(mail.body)[1];
  await phone.getByLabel("Verification code").fill(code);
  await Screenshot(phone, "privacy-center-verify");
  await phone.getByRole("button", { name: "Verify" }).click();
  await phone.getByRole("heading", { name: /your request is confirmed/ }).waitFor();
  const reference = (await phone.getByTestId("reference").textContent()).trim();
  Check(/^RD-/.test(reference), "a reference is shown: " + reference);
  await Screenshot(phone, "privacy-center-confirmation");
  await phone.getByRole("link", { name: "Follow your request" }).click();
  await phone.getByRole("heading", { name: `Your request ${reference}` }).waitFor();
  Check((await phone.getByTestId("status").textContent()) === "Being reviewed", "status page shows review");
  await Screenshot(phone, "privacy-center-status");
  const statusUrl = phone.url();

  // A browser that prefers German gets the Privacy Center in German.
  const german = await browser.page({ width: 375, height: 740, locale: "de-DE" });
  await german.goto(server.base + "/privacy");
  await german.getByRole("heading", { name: "Was möchten Sie tun?" }).waitFor();
  // The built-in request types are named and described in German too.
  const germanCard = german.locator('[data-type="deletion"]');
  await germanCard.getByText("Meine Daten löschen").waitFor();
  Check((await germanCard.textContent()).includes("personenbezogenen Daten zu löschen"), "German description");
  await Screenshot(german, "privacy-center-de");
  await german.close();

  // --- the agent, in the console ---
  const desk = await browser.page();
  await LogIn(desk, server, "agent@shop.example", agentPassword);
  await desk.getByRole("tab", { name: /Review/ }).waitFor();
  await desk.getByRole("link", { name: reference }).waitFor();
  await Screenshot(desk, "console-inbox");
  await desk.getByLabel("Search").fill(email);
  await desk.getByRole("button", { name: "Search" }).click();
  await desk.waitForURL(/q=/);
  await desk.getByRole("link", { name: reference }).click();
  await desk.getByRole("heading", { name: "Review" }).waitFor();
  Check(await desk.getByText(email).first().isVisible(), "the identity is shown in review");
  const checkbox = desk.getByLabel(/Support desk/);
  await checkbox.waitFor();
  Check(await checkbox.isChecked(), "the manual source is pre-selected");
  await Screenshot(desk, "console-request-review");
  await desk.getByRole("button", { name: "Continue" }).click();

  await desk.getByRole("heading", { name: "Process" }).waitFor();
  const task = desk.locator('[data-task="Support desk"]');
  await task.getByRole("button", { name: "Mark done" }).waitFor();
  await Screenshot(desk, "console-request-process");
  await task.getByPlaceholder("Note (optional)").fill("Tickets deleted in the support desk.");
  await task.getByRole("button", { name: "Mark done" }).click();

  await desk.getByRole("heading", { name: "Reply" }).waitFor();
  const body = desk.getByLabel("Message", { exact: true });
  await body.waitFor();
  Check((await body.inputValue()).length > 20, "the reply is drafted from the template");
  const edited = (await body.inputValue()) + "\nWe also removed your newsletter subscription.";
  await body.fill(edited);
  await desk.getByRole("tab", { name: "Preview" }).click();
  await desk.getByLabel("Preview").getByText("We also removed your newsletter subscription.").waitFor();
  await Screenshot(desk, "console-request-reply");
  await desk.getByRole("button", { name: "Reply & close" }).click();
  await desk.getByRole("heading", { name: "Closed" }).waitFor();

  await desk.getByRole("button", { name: "See request history" }).click();
  await desk.getByRole("heading", { name: "Request history" }).waitFor();
  for (const kind of ["request.received", "request.verified", "task.completed", "request.closed"]) {
    await desk.locator(".event-kind", { hasText: kind }).first().waitFor(); // the history shows it
  }
  await Screenshot(desk, "console-request-history");

  const reply = await WaitForMail(email, (m) => m.body.includes("We also removed your newsletter subscription."));
  Check(reply, "the edited reply reached the subject");
  Check(MailsTo(email).length >= 2, "the subject got the code and the reply");

  // The subject sees the request closed; withdrawing is no longer offered.
  await phone.goto(statusUrl);
  await phone.getByTestId("status").waitFor();
  Check((await phone.getByTestId("status").textContent()) === "Closed", "the status page shows closed");
  Check((await phone.getByRole("button", { name: "Withdraw this request" }).count()) === 0, "no withdraw when closed");
  void source;
});
