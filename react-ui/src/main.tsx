import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { loadConfig } from "./api";
import { App } from "./App";
import { I18nProvider } from "./i18n";
import { ShopProvider } from "./state";
import "./styles.css";

// The Payment System's URL differs per deployment, so it is read at startup rather than built in; only the
// checkout needs it, so the shop renders at once instead of waiting for it.
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <I18nProvider>
      <ShopProvider config={loadConfig()}>
        <App />
      </ShopProvider>
    </I18nProvider>
  </StrictMode>,
);
