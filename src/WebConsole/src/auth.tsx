import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { api, session, type LoginResult, type User } from './api';

interface Auth {
  user: User | null;
  isAdmin: boolean;
  /** The last session ended because the token expired or was revoked (not by signing out). */
  expired: boolean;
  /** Re-reads the account (balance, role) after something changed it. */
  refresh: () => Promise<void>;
  signIn: (login: LoginResult) => Promise<void>;
  signOut: (expired?: boolean) => void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const [user, setUser] = useState<User | null>(null);
  const [ready, setReady] = useState(session.token === null);
  const [expired, setExpired] = useState(false);

  // An expired session leaves the page to the route guard, which keeps where the user was (?next=) for after
  // signing in again; signing out goes to the sign-in page.
  const signOut = useCallback((hasExpired = false) => {
    session.clear();
    setExpired(hasExpired);
    setUser(null);
    if (!hasExpired) {
      navigate('/login', { replace: true });
    }
  }, [navigate]);

  const refresh = useCallback(async () => {
    if (session.token) {
      setUser(await api.get<User>('/users/me'));
    }
  }, []);

  const signIn = useCallback(async (login: LoginResult) => {
    session.save(login.access_token, login.expires_in);
    setExpired(false);
    await refresh();
  }, [refresh]);

  // A 401 on any signed-in call, or the token's own expiry, sends the user back to sign in.
  useEffect(() => {
    session.onUnauthorized(() => signOut(true));
    return () => session.onUnauthorized(null);
  }, [signOut]);

  useEffect(() => {
    if (!user) {
      return;
    }
    const timer = setTimeout(() => signOut(true), Math.min(session.remaining, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [user, signOut]);

  useEffect(() => {
    if (session.token) {
      refresh().catch(() => undefined).finally(() => setReady(true));
    }
  }, [refresh]);

  const value = useMemo<Auth>(() => ({
    user, isAdmin: user?.role === 'admin' || user?.role === 'super_admin', expired, refresh, signIn, signOut,
  }), [user, expired, refresh, signIn, signOut]);

  return <AuthContext.Provider value={value}>{ready ? children : null}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) {
    throw new Error('useAuth outside AuthProvider');
  }
  return value;
}
