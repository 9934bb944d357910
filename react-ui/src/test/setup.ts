import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";
import { clearProductImages } from "../productImages";

afterEach(() => {
  cleanup();
  clearProductImages();
  localStorage.clear();
  sessionStorage.clear();
  window.history.replaceState(null, "", "/");
});
