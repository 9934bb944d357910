import { useState, type FormEvent } from "react";
import { ApiError, api } from "../api";
import { Alert, Field, PageHeading, usePageTitle } from "../components/ui";
import { errorMessage } from "../errors";
import { asLang, useI18n } from "../i18n";
import { navigate, useLocation } from "../router";
import { useShop } from "../state";

export function LoginPage() {
  const { t, setLang } = useI18n();
  const { login, notice } = useShop();
  usePageTitle(t("login.title"));
  const { search } = useLocation();
  const next = search.get("next") ?? "";
  const target = next.startsWith("/") && !next.startsWith("//") ? next : "/";
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: { email?: string; password?: string } = {};
    if (!/^[^@\s]+@[^@\s]+$/.test(email.trim())) errors.email = t("field.email");
    if (!password) errors.password = t("field.required");
    setFieldErrors(errors);
    if (Object.keys(errors).length) {
      setError(null);
      document.getElementById(errors.email ? "email" : "password")?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await api.login(email.trim(), password);
      login(answer);
      // The customer's own language from now on (they can still switch; the choice is kept).
      const lang = asLang(answer.customer.locale);
      if (lang) setLang(lang);
      navigate(target, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t("login.failed"));
      else if (err instanceof ApiError && err.status === 400 && (err.field === "email" || err.field === "password")) {
        setFieldErrors({ [err.field]: err.field === "email" ? t("field.email") : t("field.required") });
        setError(t("error.invalid"));
      } else setError(errorMessage(err, t));
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <PageHeading>{t("login.title")}</PageHeading>
      {notice === "expired" && <Alert>{t("error.sessionExpired")}</Alert>}
      {notice !== "expired" && target === "/checkout" && <Alert kind="info">{t("login.needed")}</Alert>}
      <form onSubmit={submit} noValidate className="form">
        <Field
          id="email"
          label={t("login.email")}
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fieldErrors.email}
          required
        />
        <Field
          id="password"
          label={t("login.password")}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldErrors.password}
          required
        />
        {error && <Alert focus>{error}</Alert>}
        <button type="submit" className="primary" disabled={busy}>
          {t("login.submit")}
        </button>
      </form>
      <p className="muted">{t("login.demo")}</p>
    </section>
  );
}
