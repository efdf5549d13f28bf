import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { api, session, type LoginResult, type User } from './api';

interface Auth {
  user: User | null;
  isAdmin: boolean;
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

  const signOut = useCallback((expired = false) => {
    session.clear();
    setUser(null);
    navigate(expired ? '/login?expired=1' : '/login', { replace: true });
  }, [navigate]);

  const refresh = useCallback(async () => {
    if (session.token) {
      setUser(await api.get<User>('/users/me'));
    }
  }, []);

  const signIn = useCallback(async (login: LoginResult) => {
    session.save(login.access_token, login.expires_in);
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
    user, isAdmin: user?.role === 'admin' || user?.role === 'super_admin', refresh, signIn, signOut,
  }), [user, refresh, signIn, signOut]);

  return <AuthContext.Provider value={value}>{ready ? children : null}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) {
    throw new Error('useAuth outside AuthProvider');
  }
  return value;
}
