// Does the Teams manifest match this app? Calling must be on (bots[0].supportsCalling), the bot and SSO ids must be
// MicrosoftAppId, and the tabs, validDomains and SSO resource must be on PUBLIC_BASE_URL's host. Checks manifest.json
// (placeholders filled from this configuration) or a built appPackage/build/manifest.<env>.json as uploaded.
import { readFile } from 'node:fs/promises';
import { basename, relative } from 'node:path';
import { fillPlaceholders, manifestVariables } from '../../../appPackage/placeholders.js';
import type { Config } from '../../config.js';
import type { DoctorEnvironment } from '../doctor-environment.js';
import { fail, pass, skip, type Finding } from '../finding.js';

const REBUILD = 'then rebuild the package (npm run package -- --env <name>) and upload the new zip with a higher version.';

interface ManifestShape {
  bots?: Array<{ botId?: unknown; supportsCalling?: unknown }>;
  configurableTabs?: Array<{ configurationUrl?: unknown }>;
  staticTabs?: Array<{ contentUrl?: unknown; websiteUrl?: unknown }>;
  validDomains?: unknown[];
  webApplicationInfo?: { id?: unknown; resource?: unknown };
}

export async function checkManifest(env: DoctorEnvironment, config: Config, publicBaseUrl: string): Promise<Finding[]> {
  const where = relative(env.cwd, env.manifestPath) || env.manifestPath;
  let template: ManifestShape;
  try {
    template = JSON.parse((await readFile(env.manifestPath, 'utf8')).replace(/^\uFEFF/, '')) as ManifestShape;
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return [
      fail(
        'manifest-calling',
        'doctor/manifest-unreadable',
        `${where} cannot be read (${why})`,
        basename(env.manifestPath) === 'manifest.json'
          ? 'Restore manifest.json from the repository (git checkout manifest.json).'
          : 'Build that package first (npm run package -- --env <name>), or run the doctor without --env to check manifest.json.',
      ),
      skip('manifest-bot-id', 'needs a readable manifest'),
      skip('manifest-domains', 'needs a readable manifest'),
    ];
  }
  const variables = manifestVariables({ ...env.variables, MicrosoftAppId: config.app.id, PUBLIC_BASE_URL: publicBaseUrl });
  const { value: manifest, unfilled } = fillPlaceholders(template, variables);
  const leftover = (path: string) => unfilled.find((u) => u.path === path);
  const bot = manifest.bots?.[0];

  const findings: Finding[] = [];
  if (!bot) {
    findings.push(fail('manifest-calling', 'doctor/manifest-no-bot', `${where} declares no bot`, `Add the bot to "bots" in manifest.json (see the repository's manifest.json), ${REBUILD}`));
  } else if (bot.supportsCalling !== true) {
    findings.push(
      fail('manifest-calling', 'doctor/manifest-calling-off', `bots[0].supportsCalling is ${JSON.stringify(bot.supportsCalling ?? null)} in ${where}: Teams will not offer calls to the bot`, `Set "supportsCalling": true on bots[0] in manifest.json, ${REBUILD}`),
    );
  } else {
    findings.push(pass('manifest-calling', `bots[0].supportsCalling is true in ${where}`));
  }

  const ids: string[] = [];
  const checkId = (path: string, value: unknown) => {
    const left = leftover(path);
    if (left) ids.push(`${path} holds \${{${left.variable}}}, which is not set`);
    else if (typeof value !== 'string' || value.toLowerCase() !== config.app.id.toLowerCase()) ids.push(`${path} is ${JSON.stringify(value ?? null)}, but MicrosoftAppId is ${config.app.id}`);
  };
  if (bot) checkId('bots[0].botId', bot.botId);
  if (manifest.webApplicationInfo) checkId('webApplicationInfo.id', manifest.webApplicationInfo.id);
  if (!bot) findings.push(skip('manifest-bot-id', 'the manifest declares no bot'));
  else if (ids.length > 0) {
    findings.push(fail('manifest-bot-id', 'doctor/manifest-bot-id-mismatch', `the manifest names another app than MicrosoftAppId`, `Teams sends calls and chat to the bot id in the manifest: build it with this MicrosoftAppId, ${REBUILD}`, ids));
  } else {
    findings.push(pass('manifest-bot-id', `bots[0].botId${manifest.webApplicationInfo ? ' and webApplicationInfo.id are' : ' is'} ${config.app.id}`));
  }

  const host = new URL(publicBaseUrl).host.toLowerCase();
  const domains: string[] = [];
  const domainList = (manifest.validDomains ?? []).filter((d): d is string => typeof d === 'string');
  if (!domainList.some((d) => domainMatches(d, host))) domains.push(`validDomains ${JSON.stringify(domainList)} does not include ${host}`);
  const checkUrl = (path: string, value: unknown) => {
    if (value === undefined) return;
    let urlHost: string | undefined;
    try {
      urlHost = new URL(String(value)).host.toLowerCase();
    } catch {
      // reported below
    }
    if (urlHost !== host) domains.push(`${path} is ${JSON.stringify(value)}, not on ${host}`);
  };
  manifest.configurableTabs?.forEach((tab, i) => checkUrl(`configurableTabs[${i}].configurationUrl`, tab.configurationUrl));
  manifest.staticTabs?.forEach((tab, i) => {
    checkUrl(`staticTabs[${i}].contentUrl`, tab.contentUrl);
    checkUrl(`staticTabs[${i}].websiteUrl`, tab.websiteUrl);
  });
  const resource = manifest.webApplicationInfo?.resource;
  if (resource !== undefined && (typeof resource !== 'string' || !resource.toLowerCase().startsWith(`api://${host}/`))) {
    domains.push(`webApplicationInfo.resource is ${JSON.stringify(resource)}, not api://${host}/${config.app.id}`);
  }
  if (domains.length > 0) {
    findings.push(fail('manifest-domains', 'doctor/manifest-domain-mismatch', `the manifest points at another host than PUBLIC_BASE_URL (${host})`, `Build the manifest with this PUBLIC_BASE_URL, ${REBUILD}`, domains));
  } else {
    findings.push(pass('manifest-domains', `tabs, validDomains and the SSO resource are on ${host}`));
  }
  return findings;
}

function domainMatches(domain: string, host: string): boolean {
  const d = domain.toLowerCase();
  if (d.startsWith('*.')) return host.endsWith(d.slice(1)) && host.length > d.length - 1;
  return d === host;
}
