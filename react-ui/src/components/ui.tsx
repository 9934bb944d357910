import { useEffect, useRef, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";
import { useI18n } from "../i18n";
import { formatPrice } from "../money";

let userNavigated = false;
/** Set on the first in-app navigation: from then on every page moves focus to its heading. */
export function markNavigated(): void {
  userNavigated = true;
}

/** The browser tab and history name the page: "Carrito · Tienda"; without a title, the shop's name. */
export function usePageTitle(title?: string | null): void {
  const { t } = useI18n();
  const name = t("app.name");
  useEffect(() => {
    document.title = title ? `${title} · ${name}` : name;
  }, [title, name]);
}

/** The page's h1. After an in-app navigation it takes focus, so screen readers announce the new page. */
export function PageHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (userNavigated) ref.current?.focus();
  }, []);
  return (
    <h1 tabIndex={-1} ref={ref} className="page-heading">
      {children}
    </h1>
  );
}

export function Price({ amount, currency }: { amount: number; currency: string }) {
  const { locale } = useI18n();
  return <span className="price">{formatPrice(amount, currency, locale)}</span>;
}

export function StockBadge({ stock }: { stock: number }) {
  const { t } = useI18n();
  if (stock <= 0) return <span className="badge badge-out">{t("product.outOfStock")}</span>;
  if (stock === 1) return <span className="badge badge-last">{t("product.lastUnit")}</span>;
  if (stock <= 5) return <span className="badge badge-few">{t("product.fewLeft", { count: stock })}</span>;
  return <span className="badge badge-in">{t("product.inStock")}</span>;
}

/** An error the shopper must see now: announced by screen readers and focused when it appears. */
export function Alert({ children, focus = false, kind = "error" }: { children: ReactNode; focus?: boolean; kind?: "error" | "info" }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus, children]);
  return (
    <div ref={ref} tabIndex={-1} role={kind === "error" ? "alert" : "status"} className={`alert alert-${kind}`}>
      {children}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {t("common.loading")}
    </p>
  );
}

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  id: string;
  label: string;
  error?: string;
}

export function Field({ id, label, error, className, ...input }: FieldProps) {
  const errorId = `${id}-error`;
  return (
    <div className={`field ${className ?? ""}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        {...input}
      />
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

interface SelectFieldProps extends SelectHTMLAttributes<HTMLSelectElement> {
  id: string;
  label: string;
  error?: string;
  children: ReactNode;
}

export function SelectField({ id, label, error, children, ...select }: SelectFieldProps) {
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={id} aria-invalid={error ? true : undefined} aria-describedby={error ? errorId : undefined} {...select}>
        {children}
      </select>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
