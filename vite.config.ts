import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [tailwindcss(), remix(remixConfig), tsconfigPaths()],
  server: { hmr: { port: 24678 } },
  // Server-only (argon2 has a native binding); the dev server's dependency scan must not bundle it for the browser.
  optimizeDeps: { exclude: ["@node-rs/argon2"] },
});
