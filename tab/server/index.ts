// tab/server: the Teams tab's server side — pages and bundles, the side panel's and personal tab's API, the live
// roster stream, and the user-token check.
export { startTabServer, type TabServer, type TabServerDeps } from './tab-server.js';
export { createUserTokenValidator, TabAuthError, type TabUser, type UserTokenValidator, type UserTokenValidatorOptions } from './user-token.js';
export { userTokenOptions, TAB_SCOPE } from './tab-identity.js';
export { pageSecurityHeaders, FRAME_ANCESTORS } from './page-security.js';
export { TAB_PAGES, ASSETS_PATH } from './page-routes.js';
export { TAB_API } from './meeting-routes.js';
export { sidePanelLink } from './side-panel-link.js';
