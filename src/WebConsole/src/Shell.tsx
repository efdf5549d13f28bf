import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Spin } from 'antd';
import { useAuth } from './auth';
import { SignIn } from './pages/SignIn';

// Sign-in is in the first chunk (it is the first page most people see); every other page loads when opened.
const Frame = lazy(() => import('./Frame'));
const SignUp = lazy(() => import('./pages/SignUp'));
const Dashboard = lazy(() => import('./pages/Dashboard'));
const SubmitTask = lazy(() => import('./pages/SubmitTask'));
const Tasks = lazy(() => import('./pages/Tasks'));
const TaskDetail = lazy(() => import('./pages/TaskDetail'));
const Recharge = lazy(() => import('./pages/Recharge'));
const Profile = lazy(() => import('./pages/Profile'));
const Cluster = lazy(() => import('./pages/Cluster'));
const Users = lazy(() => import('./pages/admin/Users'));
const Codes = lazy(() => import('./pages/admin/Codes'));
const Servers = lazy(() => import('./pages/admin/Servers'));
const Config = lazy(() => import('./pages/admin/Config'));
const Logs = lazy(() => import('./pages/admin/Logs'));

const loading = <div style={{ padding: 48, textAlign: 'center' }}><Spin /></div>;

export function Shell() {
  const { user, isAdmin, expired } = useAuth();
  const location = useLocation();
  const back = encodeURIComponent(location.pathname + location.search);
  const guard = (page: ReactNode, admin = false) =>
    !user ? <Navigate to={`/login?${expired ? 'expired=1&' : ''}next=${back}`} replace /> : admin && !isAdmin ? <Navigate to="/" replace /> : page;
  return (
    <Suspense fallback={loading}>
      <Routes>
        <Route path="/login" element={user ? <Navigate to="/" replace /> : <SignIn />} />
        <Route path="/register" element={user ? <Navigate to="/" replace /> : <SignUp />} />
        <Route element={guard(<Frame />)}>
          <Route path="/" element={<Dashboard />} />
          <Route path="/tasks" element={<Tasks />} />
          <Route path="/tasks/new" element={<SubmitTask />} />
          <Route path="/tasks/:id" element={<TaskDetail />} />
          <Route path="/recharge" element={<Recharge />} />
          <Route path="/profile" element={<Profile />} />
          <Route path="/cluster" element={<Cluster />} />
          <Route path="/admin/users" element={guard(<Users />, true)} />
          <Route path="/admin/codes" element={guard(<Codes />, true)} />
          <Route path="/admin/servers" element={guard(<Servers />, true)} />
          <Route path="/admin/config" element={guard(<Config />, true)} />
          <Route path="/admin/logs" element={guard(<Logs />, true)} />
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Suspense>
  );
}
