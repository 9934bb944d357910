import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { loadConfig } from "./api";
import { App } from "./App";
import { I18nProvider, initialLang, translate } from "./i18n";
import { ShopProvider } from "./state";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);

// The Payment System's URL differs per deployment, so it is read at startup rather than built in.
loadConfig()
  .then((config) =>
    root.render(
      <StrictMode>
        <I18nProvider>
          <ShopProvider config={config}>
            <App />
          </ShopProvider>
        </I18nProvider>
      </StrictMode>,
    ),
  )
  .catch((error: unknown) => {
    console.error("config.json", error);
    root.render(
      <main className="main">
        <p role="alert" className="alert alert-error">
          {translate(initialLang(), "error.config")}
        </p>
      </main>,
    );
  });
