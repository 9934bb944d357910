import { describe, expect, it } from "vitest";
import { formatPrice, minorDigits } from "./money";

// Intl separates the amount and the symbol with a no-break space; compare with plain spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe("formatPrice", () => {
  it("formats minor units the Spanish way, with a thousands separator", () => {
    expect(plain(formatPrice(129900, "EUR", "es-ES"))).toBe("1.299,00 €");
    expect(plain(formatPrice(7999, "EUR", "es-ES"))).toBe("79,99 €");
    expect(plain(formatPrice(5, "EUR", "es-ES"))).toBe("0,05 €");
  });

  it("formats the English way", () => {
    expect(formatPrice(129900, "EUR", "en-GB")).toBe("€1,299.00");
    expect(formatPrice(123456789, "EUR", "en-GB")).toBe("€1,234,567.89");
  });

  it("respects currencies without minor units", () => {
    expect(minorDigits("JPY")).toBe(0);
    expect(formatPrice(1500, "JPY", "en-GB")).toBe("JP¥1,500");
  });
});
