/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev` proxies the API and the runtime config to a deployed edge (default: the local cloud's
// CloudFront edge) or to the fake API in dev/ (SHOP_DEV_TARGET=http://localhost:4672).
const target = process.env.SHOP_DEV_TARGET ?? "http://localhost:8080";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  server: {
    proxy: {
      "/api": { target, changeOrigin: true },
      "/config.json": { target, changeOrigin: true },
      "/images": { target, changeOrigin: true },
    },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
