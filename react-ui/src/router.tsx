/** A small history-API router: the shop has a handful of pages, CloudFront serves index.html for all of them. */
import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from "react";
import { markNavigated } from "./components/ui";

const listeners = new Set<() => void>();

export function navigate(to: string, { replace = false } = {}): void {
  markNavigated();
  if (replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  listeners.forEach((listener) => listener());
}

export function useLocation(): { path: string; search: URLSearchParams } {
  const [href, setHref] = useState(() => window.location.pathname + window.location.search);
  useEffect(() => {
    const update = () => setHref(window.location.pathname + window.location.search);
    listeners.add(update);
    window.addEventListener("popstate", update);
    update(); // a child's effect may have navigated before this subscription existed
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  const url = new URL(href, "http://shop.invalid");
  return { path: url.pathname, search: url.searchParams };
}

export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}

export type Route =
  | { page: "catalog" }
  | { page: "product"; id: string }
  | { page: "cart" }
  | { page: "login" }
  | { page: "checkout" }
  | { page: "confirmation"; id: string }
  | { page: "orders" }
  | { page: "order"; id: string }
  | { page: "not-found" };

export function match(path: string): Route {
  const clean = path.replace(/\/+$/, "") || "/";
  let m: RegExpExecArray | null;
  if (clean === "/" || clean === "/index.html") return { page: "catalog" };
  if ((m = /^\/products\/([^/]+)$/.exec(clean))) return { page: "product", id: decodeURIComponent(m[1]) };
  if (clean === "/cart") return { page: "cart" };
  if (clean === "/login") return { page: "login" };
  if (clean === "/checkout") return { page: "checkout" };
  if (clean === "/orders") return { page: "orders" };
  if ((m = /^\/orders\/([^/]+)\/confirmation$/.exec(clean))) return { page: "confirmation", id: decodeURIComponent(m[1]) };
  if ((m = /^\/orders\/([^/]+)$/.exec(clean))) return { page: "order", id: decodeURIComponent(m[1]) };
  return { page: "not-found" };
}
