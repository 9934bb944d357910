import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { ApiError, api, tokenizeCard } from "../api";
import { cartTotal, orderItems } from "../cart";
import { Field, PageHeading, Price, SelectField, usePageTitle } from "../components/ui";
import { FIELD_KEYS, errorMessage, formFieldOf } from "../errors";
import { useI18n, type MessageKey } from "../i18n";
import { Link, navigate } from "../router";
import { sessionValid, useShop } from "../state";
import { uuid } from "../uuid";
import { COUNTRIES, digitsOnly, fullYear, validateCheckout, type CheckoutForm } from "../validation";

const EMPTY: CheckoutForm = {
  name: "",
  line1: "",
  city: "",
  postal_code: "",
  country: "ES",
  card_number: "",
  exp_month: "",
  exp_year: "",
  cvc: "",
};

type Field = keyof CheckoutForm;
type FieldMessages = Partial<Record<Field, string>>;

/**
 * One checkout attempt: the card's token and the Idempotency-Key are reused while the request stays the same,
 * so a retry after a 503 or a lost answer cannot place (or charge) the order twice.
 */
interface Attempt {
  card?: { fingerprint: string; token: string };
  order?: { body: string; key: string };
}

export function CheckoutPage() {
  const { t, lang } = useI18n();
  const { cart, session, config, requireToken, handleAuthError, clearCart } = useShop();
  const [form, setForm] = useState<CheckoutForm>(() => ({ ...EMPTY, name: session?.customer.name ?? "" }));
  const [fieldErrors, setFieldErrors] = useState<FieldMessages>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const attempt = useRef<Attempt>({});
  const summary = useRef<HTMLDivElement>(null);
  usePageTitle(t("checkout.title"));

  useEffect(() => {
    if (!sessionValid(session)) requireToken(); // log in first; the login page brings the shopper back
  }, [session, requireToken]);

  useEffect(() => {
    if (error || Object.keys(fieldErrors).length) summary.current?.focus();
  }, [error, fieldErrors]);

  // One DisplayNames per language, not one per option and render (it is costly to build on a slow phone).
  const countries = useMemo(() => {
    const names = new Intl.DisplayNames([lang], { type: "region" });
    return COUNTRIES.map((code) => [code, names.of(code) ?? code] as const);
  }, [lang]);
  const total = cartTotal(cart);
  const label = (field: string) => {
    const key = FIELD_KEYS[formFieldOf(field) ?? field];
    return key ? t(key) : undefined;
  };
  const productName = (id: string) => cart.find((line) => line.product_id === id)?.name[lang];

  const set = (field: Field) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [field]: event.target.value }));

  const fail = (err: unknown, fallbackField?: Field) => {
    if (handleAuthError(err)) return; // session expired: to the login page, the cart stays
    const message = errorMessage(err, t, { productName, fieldLabel: label });
    const field = err instanceof ApiError && err.status === 400 ? (formFieldOf(err.field) ?? fallbackField) : undefined;
    if (err instanceof ApiError && err.status === 402) {
      attempt.current.card = undefined; // a declined card needs another card (a new token)
      setFieldErrors({ card_number: t("field.declined") });
    } else if (field) {
      setFieldErrors({ [field]: t("field.invalid") });
      setError(null); // the summary lists the field: "Código postal: El valor no es válido."
      return;
    } else {
      setFieldErrors({});
    }
    if (err instanceof ApiError && err.status === 422) attempt.current.order = undefined; // a fresh key next time
    setError(message);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const invalid = validateCheckout(form);
    if (Object.keys(invalid).length) {
      const messages: FieldMessages = {};
      for (const [field, key] of Object.entries(invalid) as [Field, MessageKey][]) messages[field] = t(key);
      setError(null);
      setFieldErrors(messages);
      return;
    }
    const token = requireToken();
    if (!token) return;
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const card = {
        card_number: digitsOnly(form.card_number),
        exp_month: Number(form.exp_month),
        exp_year: fullYear(form.exp_year),
        cvc: form.cvc.trim(),
      };
      const fingerprint = JSON.stringify(card);
      if (attempt.current.card?.fingerprint !== fingerprint) {
        let paymentUrl: string;
        try {
          paymentUrl = (await config()).paymentUrl;
        } catch {
          setError(t("error.config"));
          return;
        }
        try {
          const result = await tokenizeCard(paymentUrl, card);
          attempt.current.card = { fingerprint, token: result.id };
        } catch (err) {
          // The Payment System's refusals name card fields; a 503 there is "payment system down" as well.
          if (err instanceof ApiError && err.status === 503) err = new ApiError(503, "payment_unavailable", err.message);
          fail(err, "card_number");
          return;
        }
      }
      const body = {
        items: orderItems(cart),
        address: {
          name: form.name.trim(),
          line1: form.line1.trim(),
          city: form.city.trim(),
          postal_code: form.postal_code.trim(),
          country: form.country,
        },
        payment_token: attempt.current.card.token,
      };
      const bodyText = JSON.stringify(body);
      if (attempt.current.order?.body !== bodyText) attempt.current.order = { body: bodyText, key: uuid() };
      const accepted = await api.placeOrder(token, attempt.current.order.key, body);
      attempt.current = {};
      clearCart();
      navigate(`/orders/${encodeURIComponent(accepted.order_id)}/confirmation`);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  if (cart.length === 0) {
    return (
      <section>
        <PageHeading>{t("checkout.title")}</PageHeading>
        <p>{t("checkout.emptyCart")}</p>
        <p>
          <Link to="/">{t("cart.continue")}</Link>
        </p>
      </section>
    );
  }

  const listed = Object.entries(fieldErrors) as [Field, string][];
  return (
    <section>
      <PageHeading>{t("checkout.title")}</PageHeading>
      {(error || listed.length > 0) && (
        <div ref={summary} tabIndex={-1} role="alert" className="alert alert-error error-summary" data-testid="checkout-error">
          {error ? <p>{error}</p> : <p>{t("checkout.errorsTitle")}</p>}
          {listed.length > 0 && (
            <ul>
              {listed.map(([field, message]) => (
                <li key={field}>
                  <a href={`#${field}`}>
                    {label(field)}: {message}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="checkout-layout">
        {/* First in the page: on a phone the shopper sees what they pay for before the Pay button. */}
        <aside className="order-summary" aria-labelledby="summary-title">
          <h2 id="summary-title">{t("checkout.summary")}</h2>
          <ul>
            {cart.map((line) => (
              <li key={line.product_id}>
                <img src={line.image} alt="" width="48" height="36" />
                <span>
                  {line.quantity} × {line.name[lang]} — <Price amount={line.price * line.quantity} currency={line.currency} />
                </span>
              </li>
            ))}
          </ul>
          <p>
            {t("cart.total")}: <strong><Price amount={total.amount} currency={total.currency} /></strong>
          </p>
        </aside>
        <form onSubmit={submit} noValidate className="form" aria-busy={busy}>
          <fieldset>
            <legend>{t("checkout.address")}</legend>
            <Field id="name" label={t("checkout.name")} autoComplete="name" value={form.name} onChange={set("name")} error={fieldErrors.name} required />
            <Field id="line1" label={t("checkout.line1")} autoComplete="address-line1" value={form.line1} onChange={set("line1")} error={fieldErrors.line1} required />
            <div className="field-row">
              <Field id="postal_code" label={t("checkout.postal_code")} autoComplete="postal-code" value={form.postal_code} onChange={set("postal_code")} error={fieldErrors.postal_code} required />
              <Field id="city" label={t("checkout.city")} autoComplete="address-level2" value={form.city} onChange={set("city")} error={fieldErrors.city} required />
            </div>
            <SelectField id="country" label={t("checkout.country")} autoComplete="country" value={form.country} onChange={set("country")} error={fieldErrors.country}>
              {countries.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </SelectField>
          </fieldset>
          <fieldset>
            <legend>{t("checkout.card")}</legend>
            <p className="muted">{t("checkout.cardNote")}</p>
            <Field id="card_number" label={t("checkout.card_number")} inputMode="numeric" autoComplete="cc-number" value={form.card_number} onChange={set("card_number")} error={fieldErrors.card_number} required />
            <div className="field-row">
              <Field id="exp_month" label={t("checkout.exp_month")} inputMode="numeric" autoComplete="cc-exp-month" placeholder="MM" maxLength={2} value={form.exp_month} onChange={set("exp_month")} error={fieldErrors.exp_month} required />
              <Field id="exp_year" label={t("checkout.exp_year")} inputMode="numeric" autoComplete="cc-exp-year" placeholder={lang === "es" ? "AAAA" : "YYYY"} maxLength={4} value={form.exp_year} onChange={set("exp_year")} error={fieldErrors.exp_year} required />
              <Field id="cvc" label={t("checkout.cvc")} inputMode="numeric" autoComplete="cc-csc" maxLength={4} value={form.cvc} onChange={set("cvc")} error={fieldErrors.cvc} required />
            </div>
          </fieldset>
          <button type="submit" className="primary pay" disabled={busy}>
            {busy ? t("checkout.paying") : t("checkout.pay", { total: "" }).trim()}{" "}
            {!busy && <Price amount={total.amount} currency={total.currency} />}
          </button>
        </form>
      </div>
    </section>
  );
}
