import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { MESSAGES } from "./i18n";
import { mockFetch, on, product, renderApp } from "./test/harness";

const plain = (text: string | null) => (text ?? "").replace(/[\u00a0\u202f]/g, " ");

describe("language", () => {
  it("has every message in both languages", () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual(Object.keys(MESSAGES.es).sort());
    for (const value of Object.values(MESSAGES.en)) expect(value).not.toBe("");
  });

  it("starts in Spanish and switches to English: texts, product names, prices, html lang; the choice is kept", async () => {
    mockFetch(
      on("GET", "/api/categories", { status: 200, body: [{ id: "electronica", name: { es: "Electrónica", en: "Electronics" }, count: 1 }] }),
      on("GET", /\/api\/products\?/, { status: 200, body: { items: [product({ stock: 1 })], next_token: null } }),
    );
    const user = userEvent.setup();
    const { unmount } = renderApp("/");
    expect(await screen.findByRole("link", { name: "Auriculares BT-500" })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe("es");
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Catálogo");
    expect(screen.getByText("¡Última unidad!")).toBeInTheDocument();
    expect(await screen.findByRole("button", { name: /Electrónica/ })).toBeInTheDocument();
    const card = screen.getByRole("article");
    expect(plain(within(card).getByText(/€/).textContent)).toBe("1.299,00 €");

    await user.click(screen.getByRole("button", { name: "Switch to English" }));
    expect(document.documentElement.lang).toBe("en");
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Catalog");
    expect(screen.getByRole("link", { name: "BT-500 headphones" })).toBeInTheDocument();
    expect(screen.getByText("Last unit!")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /Electronics/ })).toBeInTheDocument();
    expect(within(card).getByText(/€/).textContent).toBe("€1,299.00");

    unmount();
    renderApp("/");
    expect(await screen.findByRole("link", { name: "BT-500 headphones" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Cambiar a español" }));
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Catálogo");
  });
});
