// Entry: the meeting side panel (/tab/side-panel).
import { createRoot } from 'react-dom/client';
import { AppShell } from './components/app-shell.js';
import { SidePanelApp } from './components/side-panel-app.js';

createRoot(document.getElementById('root')!).render(<AppShell>{(session, switchUser) => <SidePanelApp session={session} switchUser={switchUser} />}</AppShell>);
