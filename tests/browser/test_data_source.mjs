// An admin adds a data source: from the catalog with the category filter when this server has
// one (GET /api/v1/catalog), otherwise as a custom system. Bad input is shown next to its
// field. Also visits the templates editor and users & tokens (screenshots).
import { Check, LogIn, Run, Screenshot } from "./harness.mjs";

await Run("add a data source", async (server, browser) => {
  const desk = await browser.page();
  await LogIn(desk, server, "admin@rightsdesk.local", server.adminPassword);
  await desk.getByRole("link", { name: "Data sources" }).click();
  await desk.getByRole("heading", { name: "Data sources" }).waitFor();
  await desk.getByRole("button", { name: "Add data source" }).click();
  await desk.getByRole("heading", { name: "Add data source" }).waitFor();

  const catalog = desk.getByLabel("Search the catalog");
  const hasCatalog = await Promise.race([
    catalog.waitFor().then(() => true),
    desk.getByText("The system catalog is not available").waitFor().then(() => false),
  ]);
  let name;
  let chosenCategory = "payments";
  if (hasCatalog) {
    // Filter by the category of the first entry listed, then take the first entry left.
    await desk.locator(".catalog-entry").first().waitFor();
    const category = await desk.locator(".catalog-entry").first().getAttribute("data-category");
    await desk.getByLabel("Catalog category").selectOption(category);
    chosenCategory = category;
    await desk.waitForFunction(
      (c) => [...document.querySelectorAll(".catalog-entry")].every((e) => e.getAttribute("data-category") === c),
      category,
    );
    const entry = desk.locator(".catalog-entry").first();
    await entry.waitFor();
    name = (await entry.locator("strong").textContent()).trim();
    await Screenshot(desk, "console-data-source-catalog");
    await entry.click();
    Check((await desk.getByLabel("Name", { exact: true }).inputValue()) === name, "the catalog entry fills the form");
  } else {
    name = "Billing archive";
    await desk.getByLabel("Name", { exact: true }).fill(name);
    await desk.getByLabel("Category", { exact: true }).fill("payments");
    await desk.getByLabel("Process", { exact: true }).selectOption("email");
    await desk.getByLabel("Privacy contact email").fill("not-an-address");
    browser.expectHttpError("/api/v1/data-sources", 400);
    await desk.getByRole("button", { name: "Add data source" }).last().click();
    await desk.locator("#ds-contact-error").waitFor();
    await Screenshot(desk, "console-data-source-custom");
    await desk.getByLabel("Privacy contact email").fill("privacy@billing.example");
  }
  await desk.getByRole("button", { name: "Add data source" }).last().click();
  await desk.getByText(`Added ${name}.`).waitFor();
  await desk.getByRole("cell", { name: new RegExp(name) }).first().waitFor();
  await desk.getByRole("tab", { name: /Used in request handling/ }).click();
  await desk.getByRole("columnheader", { name: "Process type" }).waitFor();
  await desk.getByRole("cell", { name: new RegExp(name) }).first().waitFor();
  await desk.getByLabel("Filter by category").selectOption(chosenCategory);
  await desk.getByRole("cell", { name: new RegExp(name) }).first().waitFor();
  await Screenshot(desk, "console-data-sources");

  await desk.getByRole("link", { name: "Templates" }).click();
  await desk.getByRole("heading", { name: "Email templates" }).waitFor();
  await desk.getByLabel("Body").waitFor();
  await desk.getByRole("button", { name: "Preview" }).click();
  await desk.getByLabel("Preview").waitFor();
  await Screenshot(desk, "console-templates");

  await desk.getByRole("link", { name: "Users & tokens" }).click();
  await desk.getByRole("heading", { name: "Users & API tokens" }).waitFor();
  await desk.getByLabel("Name").fill("ci");
  await desk.getByRole("button", { name: "Create token" }).click();
  await desk.getByText("it is shown only once").waitFor();
  await Screenshot(desk, "console-admin");
});
