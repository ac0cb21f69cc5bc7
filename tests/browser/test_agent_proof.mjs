// An authorized agent submits a request in the Privacy Center with a proof of authority (the
// file input appears for "authorized agent"; a missing or wrong file is refused next to the
// field before anything is sent), verifies the email, and an agent in the console sees
// "Proof of authority" in review with the file's name and size and downloads it.
import fs from "node:fs";
import { Check, LogIn, Run, Screenshot, TAG, WaitForMail } from "./harness.mjs";

const kPdf = Buffer.from("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n");

await Run("authorized agent with a proof of authority", async (server, browser) => {
  const agentPassword = server.addUser("agent@shop.example", "agent");
  const email = `agent.for.kim+${TAG}@example.org`;

  const phone = await browser.page({ width: 375, height: 740 });
  await phone.goto(server.base + "/privacy");
  await phone.locator('[data-type="deletion"]').click();
  await phone.getByLabel(/Email address/).fill(email);
  await phone.getByLabel("Details (optional)").fill("I act for Kim, my client.");
  Check((await phone.locator('input[type="file"]').count()) === 0, "no file input for consumers");
  await phone.getByLabel("I am").selectOption("authorized_agent");
  const proof = phone.getByLabel(/Proof of authority/);
  await proof.waitFor();

  // Without a file, and with a file of the wrong type: refused beside the field, nothing sent.
  await phone.getByRole("button", { name: "Submit request" }).click();
  await phone.locator("#proof-error").getByText("Please attach your proof of authority.").waitFor();
  await proof.setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
  await phone.getByRole("button", { name: "Submit request" }).click();
  await phone.locator("#proof-error").getByText("Please attach a PDF, PNG or JPEG file.").waitFor();

  await proof.setInputFiles({ name: "Vollmacht Kim.pdf", mimeType: "application/pdf", buffer: kPdf });
  Check(await phone.evaluate(() => document.documentElement.scrollWidth <= 375), "the form fits 375 px");
  await Screenshot(phone, "privacy-center-agent");
  await phone.getByRole("button", { name: "Submit request" }).click();
  await phone.getByRole("heading", { name: "Check your email" }).waitFor();
  Check((await phone.getByRole("alert").count()) === 0, "the proof was stored without an error");
  const mail = await WaitForMail(email, (m) => /\b\d{6}\b/.test(m.body));
  await phone.getByLabel("Verification code").fill(/^\s+(\d{6})\s*$/m.exec(mail.body)[1]);
  await phone.getByRole("button", { name: "Verify" }).click();
  await phone.getByRole("heading", { name: /your request is confirmed/ }).waitFor();
  const reference = (await phone.getByTestId("reference").textContent()).trim();
  // The status page shows the proof stored, and takes a replacement.
  await phone.getByRole("link", { name: "Follow your request" }).click();
  await phone.getByTestId("proof").getByText("We have your proof of authority: Vollmacht Kim.pdf.").waitFor();
  await phone.getByLabel(/Proof of authority/).setInputFiles({ name: "Vollmacht Kim (signed).pdf", mimeType: "application/pdf", buffer: kPdf });
  await phone.getByRole("button", { name: "Replace proof" }).click();
  await phone.getByText("Your proof of authority was stored.").waitFor();
  await phone.getByTestId("proof").getByText("Vollmacht Kim (signed).pdf").waitFor();
  await Screenshot(phone, "privacy-center-status-agent");

  // The agent in the console: review shows the proof; Download gets the very file.
  const desk = await browser.page();
  await LogIn(desk, server, "agent@shop.example", agentPassword);
  await desk.getByRole("link", { name: reference }).click();
  await desk.getByRole("heading", { name: "Review" }).waitFor();
  const box = desk.getByTestId("proof");
  await box.getByRole("heading", { name: "Proof of authority" }).waitFor();
  await box.getByText("Vollmacht Kim (signed).pdf").waitFor();
  Check((await box.textContent()).includes(`${kPdf.length} bytes`), "the size is shown");
  await Screenshot(desk, "console-request-proof");
  const [download] = await Promise.all([desk.waitForEvent("download"), box.getByRole("link", { name: "Download" }).click()]);
  Check(download.suggestedFilename() === "Vollmacht Kim (signed).pdf", "downloaded under its name: " + download.suggestedFilename());
  const saved = await download.path();
  Check(Buffer.compare(fs.readFileSync(saved), kPdf) === 0, "the download is the uploaded file");

  // The history records the upload and the download.
  await desk.getByRole("button", { name: /See request history/ }).click();
  await desk.getByText("proof.downloaded").first().waitFor();
  await desk.getByText("proof.uploaded").first().waitFor();
});
