/** App-wide state: the runtime config, the cart (localStorage) and the session (sessionStorage). */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { ApiError } from "./api";
import { addToCart, loadCart, removeFromCart, saveCart, setQuantity, type AddResult, type Cart } from "./cart";
import { navigate } from "./router";
import type { Customer, LoginResponse, Product, SiteConfig } from "./types";

export interface Session {
  token: string;
  expires_at: string;
  customer: Customer;
}

const SESSION_KEY = "shop.session";

function loadSession(): Session | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? "null") as Session | null;
    return value?.token ? value : null;
  } catch {
    return null;
  }
}

export function sessionValid(session: Session | null, now = Date.now()): session is Session {
  return !!session && new Date(session.expires_at).getTime() > now;
}

interface Shop {
  /** The runtime config (/config.json): only the checkout needs it, so the shop renders without waiting. */
  config: () => Promise<SiteConfig>;
  cart: Cart;
  add: (product: Product, quantity?: number) => AddResult;
  setQty: (productId: string, quantity: number) => void;
  remove: (productId: string) => void;
  clearCart: () => void;
  session: Session | null;
  notice: string | null;
  setNotice: (notice: string | null) => void;
  login: (response: LoginResponse) => void;
  logout: () => void;
  /** The token for an authenticated call, or null after sending the shopper to log in (expired or absent). */
  requireToken: () => string | null;
  /** Call with any error of an authenticated call: a 401 ends the session and asks to log in again. */
  handleAuthError: (error: unknown) => boolean;
}

const ShopContext = createContext<Shop | null>(null);

export function ShopProvider({ config: given, children }: { config: SiteConfig | Promise<SiteConfig>; children: ReactNode }) {
  const config = useMemo(() => {
    const loaded = Promise.resolve(given);
    loaded.catch((error: unknown) => console.error("config.json", error)); // reported again where it is needed
    return () => loaded;
  }, [given]);
  const [cart, setCart] = useState<Cart>(() => loadCart());
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => saveCart(cart), [cart]);
  useEffect(() => {
    // Another tab changed the cart: follow it.
    const sync = (event: StorageEvent) => {
      if (event.key === "shop.cart") setCart(loadCart());
    };
    window.addEventListener("storage", sync);
    return () => window.removeEventListener("storage", sync);
  }, []);

  const add = useCallback(
    (product: Product, quantity = 1) => {
      const result = addToCart(loadCart(), product, quantity);
      setCart(result.cart);
      return result;
    },
    [],
  );
  const setQty = useCallback((id: string, quantity: number) => setCart((c) => setQuantity(c, id, quantity)), []);
  const remove = useCallback((id: string) => setCart((c) => removeFromCart(c, id)), []);
  const clearCart = useCallback(() => setCart([]), []);

  const login = useCallback((response: LoginResponse) => {
    const value = { token: response.token, expires_at: response.expires_at, customer: response.customer };
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(value));
    setSession(value);
    setNotice(null);
  }, []);
  const logout = useCallback(() => {
    sessionStorage.removeItem(SESSION_KEY);
    setSession(null);
  }, []);

  const expire = useCallback(() => {
    sessionStorage.removeItem(SESSION_KEY);
    setSession(null);
    setNotice("expired");
    const here = window.location.pathname + window.location.search;
    navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
  }, []);

  const requireToken = useCallback(() => {
    const current = loadSession();
    if (sessionValid(current)) return current.token;
    if (current) {
      expire(); // the token's exp has passed: the API would answer 401 anyway
    } else {
      const here = window.location.pathname + window.location.search;
      navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
    }
    return null;
  }, [expire]);

  const handleAuthError = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) {
        expire();
        return true;
      }
      return false;
    },
    [expire],
  );

  const value = useMemo<Shop>(
    () => ({
      config, cart, add, setQty, remove, clearCart, session, notice, setNotice, login, logout, requireToken, handleAuthError,
    }),
    [config, cart, add, setQty, remove, clearCart, session, notice, login, logout, requireToken, handleAuthError],
  );
  return <ShopContext.Provider value={value}>{children}</ShopContext.Provider>;
}

export function useShop(): Shop {
  const value = useContext(ShopContext);
  if (!value) throw new Error("useShop outside ShopProvider");
  return value;
}
