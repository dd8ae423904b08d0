// Entry: the queue dashboard — live waiting callers, agents and today's figures of the queues you are an agent of (/tab/queues).
import { createRoot } from 'react-dom/client';
import { AppShell } from './components/app-shell.js';
import { QueueDashboardApp } from './components/queue-dashboard-app.js';

createRoot(document.getElementById('root')!).render(<AppShell>{(session, switchUser) => <QueueDashboardApp session={session} switchUser={switchUser} />}</AppShell>);
