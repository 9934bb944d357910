/** Client-side checks of the checkout form; the API and the Payment System check again. */
import type { MessageKey } from "./i18n";

export interface CheckoutForm {
  name: string;
  line1: string;
  city: string;
  postal_code: string;
  country: string;
  card_number: string;
  exp_month: string;
  exp_year: string;
  cvc: string;
}

export type FieldErrors = Partial<Record<keyof CheckoutForm, MessageKey>>;

export const COUNTRIES = ["ES", "PT", "FR", "DE", "IT", "GB", "IE", "NL", "BE", "US"];

export function digitsOnly(value: string): string {
  return value.replace(/[\s-]/g, "");
}

export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** A two-digit year means 20YY. */
export function fullYear(value: string): number {
  const year = Number(value);
  return value.trim().length <= 2 ? 2000 + year : year;
}

export function validateCheckout(form: CheckoutForm, now: Date = new Date()): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of ["name", "line1", "city", "postal_code", "card_number", "exp_month", "exp_year", "cvc"] as const) {
    if (!form[field].trim()) errors[field] = "field.required";
  }
  if (!errors.postal_code && !/^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$/.test(form.postal_code.trim())) {
    errors.postal_code = "field.postal";
  }
  if (!/^[A-Z]{2}$/.test(form.country)) errors.country = "field.country";
  if (!errors.card_number && !luhnValid(digitsOnly(form.card_number))) errors.card_number = "field.cardNumber";
  const month = Number(form.exp_month);
  if (!errors.exp_month && !(/^\d{1,2}$/.test(form.exp_month.trim()) && month >= 1 && month <= 12)) {
    errors.exp_month = "field.expMonth";
  }
  if (!errors.exp_year) {
    const year = fullYear(form.exp_year);
    const valid = /^\d{2}(\d{2})?$/.test(form.exp_year.trim()) && year <= now.getUTCFullYear() + 25;
    const expired =
      year < now.getUTCFullYear() || (year === now.getUTCFullYear() && !errors.exp_month && month < now.getUTCMonth() + 1);
    if (!valid || expired) errors.exp_year = "field.expYear";
  }
  if (!errors.cvc && !/^\d{3,4}$/.test(form.cvc.trim())) errors.cvc = "field.cvc";
  return errors;
}
