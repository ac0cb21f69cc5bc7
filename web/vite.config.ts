// Two pages: the console at / (index.html) and the public Privacy Center at /privacy
// (privacy/index.html). They share only the API client and Preact, so a data subject's phone
// never downloads the console.
import { resolve } from "node:path";
import { defineConfig } from "vite";

export default defineConfig({
  base: "/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2020",
    rollupOptions: {
      input: {
        console: resolve(import.meta.dirname, "index.html"),
        privacy: resolve(import.meta.dirname, "privacy/index.html"),
      },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:8080" } },
});
