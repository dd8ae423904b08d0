// Entry: the personal tab — call history and reminders (/tab/personal).
import { createRoot } from 'react-dom/client';
import { AppShell } from './components/app-shell.js';
import { PersonalApp } from './components/personal-app.js';

createRoot(document.getElementById('root')!).render(<AppShell>{(session, switchUser) => <PersonalApp session={session} switchUser={switchUser} />}</AppShell>);
