import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, Call, FieldOf, WithQuery, session } from "./api";
import { Fill, PickLanguage } from "../privacy/i18n";

describe("FieldOf", () => {
  it("takes the field the server named", () => {
    expect(FieldOf("email: not a valid email address")).toBe("email");
    expect(FieldOf("subject.email: required")).toBe("subject.email");
    expect(FieldOf("no such request")).toBeNull();
    expect(FieldOf("Too many attempts: wait")).toBeNull();
  });
});

describe("WithQuery", () => {
  it("leaves out empty values", () => {
    expect(WithQuery("/x", { a: "1", b: "", c: undefined, d: null, e: true })).toBe("/x?a=1&e=true");
    expect(WithQuery("/x", {})).toBe("/x");
  });
});

describe("Call", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    session.csrf = null;
  });

  it("turns an API error into words with its field", async () => {
    vi.stubGlobal("fetch", async () =>
      new Response(JSON.stringify({ error: { code: "invalid_argument", message: "email: required" } }), { status: 400 }),
    );
    const err = (await Call("POST", "/api/v1/x", {}).catch((e: ApiError) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.field).toBe("email");
    expect(err.detail).toBe("required");
    expect(err.status).toBe(400);
  });

  it("explains a status without a JSON body, and a dead connection", async () => {
    vi.stubGlobal("fetch", async () => new Response("", { status: 429 }));
    expect(((await Call("GET", "/x").catch((e: ApiError) => e)) as ApiError).message).toMatch(/Too many attempts/);
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    expect(((await Call("GET", "/x").catch((e: ApiError) => e)) as ApiError).message).toMatch(/cannot be reached/);
  });

  it("tells the console when the session ended, but not for a failed login", async () => {
    let told = 0;
    session.onUnauthorized = () => told++;
    vi.stubGlobal("fetch", async () => new Response("", { status: 401 }));
    await Call("GET", "/api/v1/requests").catch(() => undefined);
    await Call("POST", "/api/v1/auth/login", {}).catch(() => undefined);
    expect(told).toBe(1);
    session.onUnauthorized = null;
  });

  it("sends the CSRF token on writes only", async () => {
    const seen: Record<string, string>[] = [];
    vi.stubGlobal("fetch", async (_: string, init: RequestInit) => {
      seen.push(init.headers as Record<string, string>);
      return new Response("{}", { status: 200 });
    });
    session.csrf = "tok";
    await Call("GET", "/x");
    await Call("POST", "/x", {});
    expect(seen[0]["X-CSRF-Token"]).toBeUndefined();
    expect(seen[1]["X-CSRF-Token"]).toBe("tok");
  });
});

describe("PickLanguage", () => {
  it("uses the first language we speak", () => {
    expect(PickLanguage(["de-AT", "en"])).toBe("de");
    expect(PickLanguage(["fr-FR", "en-GB"])).toBe("en");
    expect(PickLanguage(["fr"])).toBe("en");
    expect(Fill("Ref {reference}.", { reference: "RD-1" })).toBe("Ref RD-1.");
  });
});

describe("LocalType", () => {
  it("shows built-in types in German unless an admin renamed them", async () => {
    const { LocalType } = await import("../privacy/i18n");
    const builtin = { key: "deletion", name: "Delete my data", description: "Ask us to erase the personal data we hold about you." };
    expect(LocalType(builtin, "de").name).toBe("Meine Daten löschen");
    expect(LocalType(builtin, "en")).toEqual(builtin);
    expect(LocalType({ ...builtin, name: "Konto löschen" }, "de").name).toBe("Konto löschen");
    expect(LocalType({ key: "custom_x", name: "X", description: "Y" }, "de").name).toBe("X");
  });
});
