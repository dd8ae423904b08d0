// The tab's one port to Microsoft Teams (teams-js v2): initialize with a time limit, read the context, get the SSO
// token, follow the theme, save the configurable tab's settings. Outside Teams, initialize() either rejects at once
// (no parent window) or never settles (framed by a page that is not Teams): both become `false` within the limit, and
// the tab falls back to the browser (query parameters, and the local-mode person picker).
// teams-js is loaded only when the page is framed or opened by another window: on import it fetches its list of
// valid origins, which a page in a plain browser has no use for.

/** Loaded on first use (its own chunk). */
const teams = () => import('@microsoft/teams-js');

export type ThemeName = 'light' | 'dark' | 'contrast';

export interface HostContext {
  /** The meeting chat's thread id (19:meeting_…@thread.v2) when opened in a meeting. */
  meetingKey?: string;
  theme: ThemeName;
  /** A display hint only (never proof of identity: the server checks the token). */
  userPrincipalName?: string;
  frameContext?: string;
}

export interface TabSettings {
  contentUrl: string;
  websiteUrl: string;
  entityId: string;
  suggestedDisplayName: string;
}

export interface TeamsHost {
  /** true inside Teams; false outside (after at most timeoutMs). Memoized. */
  initialize(timeoutMs?: number): Promise<boolean>;
  getContext(): Promise<HostContext>;
  getAuthToken(): Promise<string>;
  onThemeChange(handler: (theme: ThemeName) => void): void;
  /** Config page: saving puts these settings on the tab. */
  enableSave(settings: TabSettings): void;
}

export const INIT_TIMEOUT_MS = 3_000;

export function themeFromTeams(name: string | undefined): ThemeName {
  if (name === 'dark') return 'dark';
  if (name === 'contrast') return 'contrast';
  return 'light';
}

export function createTeamsHost(): TeamsHost {
  let initialized: Promise<boolean> | undefined;
  return {
    initialize(timeoutMs = INIT_TIMEOUT_MS) {
      initialized ??= (async () => {
        if (window.parent === window && !window.opener) return false; // teams-js would reject: no parent window
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        });
        try {
          const { app } = await teams();
          return await Promise.race([app.initialize().then(() => true), timeout]);
        } catch {
          return false;
        } finally {
          clearTimeout(timer);
        }
      })();
      return initialized;
    },
    async getContext() {
      const { app } = await teams();
      const context = await app.getContext();
      const chatId = context.chat?.id;
      return {
        ...(chatId && /^19:meeting_/.test(chatId) ? { meetingKey: chatId } : {}),
        theme: themeFromTeams(context.app.theme),
        ...(context.user?.userPrincipalName ? { userPrincipalName: context.user.userPrincipalName } : {}),
        ...(context.page.frameContext ? { frameContext: String(context.page.frameContext) } : {}),
      };
    },
    async getAuthToken() {
      const { authentication } = await teams();
      return authentication.getAuthToken();
    },
    onThemeChange(handler) {
      void teams().then(({ app }) => app.registerOnThemeChangeHandler((theme) => handler(themeFromTeams(theme))));
    },
    enableSave(settings) {
      void teams().then(({ pages }) => {
        pages.config.registerOnSaveHandler((saveEvent) => {
          pages.config.setConfig(settings).then(
            () => saveEvent.notifySuccess(),
            (err: unknown) => saveEvent.notifyFailure(String(err)),
          );
        });
        pages.config.setValidityState(true);
      });
    },
  };
}
