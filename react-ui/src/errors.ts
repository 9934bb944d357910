/** One place that turns any failed call into a message a shopper can act on. */
import { ApiError } from "./api";
import type { MessageKey, Translate } from "./i18n";

export interface ErrorContext {
  /** The display name of a product id (from the cart), so out-of-stock names the product. */
  productName?: (id: string) => string | undefined;
  /** The label of a form field named by the API (`address.postal_code` → "Código postal"). */
  fieldLabel?: (field: string) => string | undefined;
}

export function errorMessage(error: unknown, t: Translate, context: ErrorContext = {}): string {
  if (!(error instanceof ApiError)) return t("error.server");
  switch (error.status) {
    case 0:
      return t("error.network");
    case 400: {
      const label = error.field ? context.fieldLabel?.(error.field) : undefined;
      return label ? t("error.invalidField", { field: label }) : t("error.invalid");
    }
    case 401:
      return t("error.sessionExpired");
    case 402:
      return t("error.declined");
    case 404:
      return t("error.notFound");
    case 409: {
      if (error.code === "out_of_stock") {
        const id = error.productId;
        const name = id ? (context.productName?.(id) ?? id) : undefined;
        return name ? t("error.outOfStock", { name }) : t("error.outOfStockAny");
      }
      if (error.code === "request_in_progress") return t("error.inProgress");
      return t("error.conflict");
    }
    case 429:
      return t("error.throttled");
    case 503:
      return error.code === "payment_unavailable" || error.code === "injected_fault"
        ? t("error.paymentDown")
        : t("error.server");
    default:
      return t("error.server");
  }
}

/** The form field an API 400 names, in the checkout form's own field names. */
export function formFieldOf(field: string | undefined): string | undefined {
  if (!field) return undefined;
  const last = field.replace(/\[\d+\]/g, "").split(".").pop() ?? field;
  const known = ["name", "line1", "city", "postal_code", "country", "card_number", "exp_month", "exp_year", "cvc"];
  if (known.includes(last)) return last;
  if (field === "payment_token") return "card_number";
  return undefined;
}

export const FIELD_KEYS: Record<string, MessageKey> = {
  name: "checkout.name",
  line1: "checkout.line1",
  city: "checkout.city",
  postal_code: "checkout.postal_code",
  country: "checkout.country",
  card_number: "checkout.card_number",
  exp_month: "checkout.exp_month",
  exp_year: "checkout.exp_year",
  cvc: "checkout.cvc",
  email: "login.email",
  password: "login.password",
};
