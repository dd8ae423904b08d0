// The Microsoft 365 Agents Toolkit project (m365agents.yml, m365agents.local.yml, env/): the files parse, use only
// the top-level keys and actions the Toolkit's published YAML schema documents (with each action's required
// parameters), register the bot's routes the app really serves, reference paths that exist or that `npm run package`
// writes, and use no variable nothing defines. The schema itself is not in node_modules (it ships with the Toolkit's
// CLI, not installed here): the names below are from its v1.14 schema (OfficeDev/microsoft-365-agents-toolkit,
// packages/fx-core/resource/yaml-schema/v1.14/yaml.schema.json).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'dotenv';
import { buildAppPackage } from '../../appPackage/app-package.js';
import { CALLING_PATH } from '../../bot/calling-route.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// js-yaml comes with mocha (a dev dependency already installed): no YAML package of our own for one test.
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

const TOP_LEVEL = new Set(['version', 'projectId', 'environmentFolderPath', 'additionalMetadata', 'provision', 'deploy', 'publish', 'share']);
const ACTION_KEYS = new Set(['uses', 'name', 'env', 'with', 'writeToEnvironmentFile']);
/** Every action the v1.14 schema documents (its lifeCycleArray). */
const DOCUMENTED_ACTIONS = new Set([
  'aadApp/create', 'aadApp/update', 'arm/deploy', 'azureStorage/enableStaticWebsite', 'cli/runNpmCommand', 'cli/runDotnetCommand',
  'cli/runNpxCommand', 'azureStorage/deploy', 'azureAppService/zipDeploy', 'azureFunctions/zipDeploy', 'teamsApp/create',
  'teamsApp/validateManifest', 'teamsApp/validateAppPackage', 'teamsApp/validateWithTestCases', 'teamsApp/zipAppPackage',
  'teamsApp/update', 'teamsApp/publishAppPackage', 'botAadApp/create', 'botFramework/create', 'file/createOrUpdateEnvironmentFile',
  'file/createOrUpdateJsonFile', 'devTool/install', 'teamsApp/extendToM365', 'spfx/deploy', 'teamsApp/copyAppPackageToSPFx', 'script',
  'apiKey/register', 'azureStaticWebApps/getDeploymentToken', 'apiKey/update', 'oauth/register', 'oauth/update', 'dcr/register',
  'devChannel/create', 'devChannel/installApp', 'typeSpec/compile', 'copilotAgent/publish',
]);
/** For the actions used here: the schema's required `with` parameters and `writeToEnvironmentFile` outputs, and the ones it allows. */
const ACTION_RULES: Record<string, { with: string[]; allowed: string[]; outputs?: string[]; allowedOutputs?: string[] }> = {
  'teamsApp/create': { with: ['name'], allowed: ['name'], outputs: ['teamsAppId'], allowedOutputs: ['teamsAppId', 'teamsAppTenantId'] },
  'botAadApp/create': { with: ['name'], allowed: ['name'], outputs: ['botId', 'botPassword'], allowedOutputs: ['botId', 'botPassword'] },
  'botFramework/create': { with: ['botId', 'name', 'messagingEndpoint'], allowed: ['botId', 'name', 'messagingEndpoint', 'description', 'iconUrl', 'channels'] },
  'cli/runNpmCommand': { with: ['args'], allowed: ['args', 'workingDirectory'] },
  'teamsApp/validateAppPackage': { with: ['appPackagePath'], allowed: ['appPackagePath'] },
  'teamsApp/update': { with: ['appPackagePath'], allowed: ['appPackagePath'] },
  'teamsApp/publishAppPackage': { with: ['appPackagePath'], allowed: ['appPackagePath'], outputs: ['publishedAppId'], allowedOutputs: ['publishedAppId'] },
  'file/createOrUpdateEnvironmentFile': { with: ['envs', 'target'], allowed: ['envs', 'target'] },
};
const ENV_VAR_NAME = /^[A-Z][A-Z0-9_]*$/;
const SECRET_ENV_VAR_NAME = /^SECRET_[A-Z0-9_]+$/;
/** Variables the Toolkit itself provides in every environment. */
const TOOLKIT_VARIABLES = new Set(['TEAMSFX_ENV']);

interface Action {
  uses: string;
  name?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}

const PROJECTS = [
  { file: 'm365agents.yml', env: 'dev' },
  { file: 'm365agents.local.yml', env: 'local' },
];

describe('appPackage: the Microsoft 365 Agents Toolkit project', () => {
  for (const { file, env } of PROJECTS) {
    describe(file, () => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const doc = load(text) as Record<string, unknown>;
      const stages = Object.entries(doc).filter(([key]) => ['provision', 'deploy', 'publish', 'share'].includes(key)) as Array<[string, Action[]]>;
      const actions = stages.flatMap(([, list]) => list);

      it('parses, with a schema version and only the top-level keys the schema allows', () => {
        assert.match(String(doc.version), /^v1\.\d+$/);
        for (const key of Object.keys(doc)) assert.ok(TOP_LEVEL.has(key), `top-level ${key}`);
        assert.ok(Array.isArray(doc.provision) && doc.provision.length > 0, 'a provision stage');
        for (const [stage, list] of stages) assert.ok(Array.isArray(list) && list.length > 0, `${stage} is a list of actions`);
      });

      it('uses only documented actions, each with its required parameters and nothing the schema does not allow', () => {
        for (const action of actions) {
          assert.ok(DOCUMENTED_ACTIONS.has(action.uses), `${action.uses} is a Toolkit action`);
          for (const key of Object.keys(action)) assert.ok(ACTION_KEYS.has(key), `${action.uses}: ${key}`);
          const rule = ACTION_RULES[action.uses];
          assert.ok(rule, `${action.uses} is checked by this test`);
          for (const param of rule.with) assert.ok(action.with?.[param] !== undefined, `${action.uses} with.${param}`);
          for (const param of Object.keys(action.with ?? {})) assert.ok(rule.allowed.includes(param), `${action.uses} allows with.${param}`);
          for (const output of rule.outputs ?? []) assert.ok(action.writeToEnvironmentFile?.[output], `${action.uses} writes ${output}`);
          for (const [output, variable] of Object.entries(action.writeToEnvironmentFile ?? {})) {
            assert.ok(rule.allowedOutputs?.includes(output), `${action.uses} has output ${output}`);
            assert.match(variable, output === 'botPassword' ? SECRET_ENV_VAR_NAME : ENV_VAR_NAME, `${action.uses} ${output} → ${variable}`);
          }
          for (const value of Object.values(action.env ?? {})) assert.equal(typeof value, 'string', `${action.uses} env values are strings`);
        }
      });

      it('provisions the Entra app, the bot with the calling webhook the app serves, and the Teams app package', () => {
        const uses = (name: string) => actions.filter((a) => a.uses === name);
        assert.equal(uses('teamsApp/create').length, 1);
        assert.equal(uses('botAadApp/create').length, 1);
        const [bot] = uses('botFramework/create');
        assert.ok(bot);
        assert.equal(bot.with!.messagingEndpoint, '${{BOT_ENDPOINT}}/api/messages');
        const channels = bot.with!.channels as Array<{ name: string; callingWebhook?: string }>;
        assert.deepEqual(channels.map((c) => c.name), ['msteams']);
        assert.equal(channels[0]!.callingWebhook, `\${{BOT_ENDPOINT}}${CALLING_PATH}`, 'Teams calling reaches the calling webhook route');
        assert.equal(bot.with!.botId, `\${{${uses('botAadApp/create')[0]!.writeToEnvironmentFile!.botId}}}`, 'the bot is the Entra app just created');
        assert.ok(uses('teamsApp/update').length === 1, 'the Teams app is updated with the package');
      });

      it('builds the package with `npm run package` for the environment, and hands the Toolkit the zip it writes', async () => {
        const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
        for (const action of actions.filter((a) => a.uses === 'cli/runNpmCommand')) {
          const args = String(action.with!.args);
          const script = /^run ([\w:-]+)/.exec(args)?.[1];
          if (script) assert.ok(scripts[script], `npm run ${script} exists`);
          if (script === 'package') {
            assert.match(args, /--env \$\{\{TEAMSFX_ENV\}\}$/);
            assert.deepEqual(Object.keys(action.env ?? {}).sort(), ['MicrosoftAppId', 'PUBLIC_BASE_URL', 'TEAMS_APP_ID'], 'the variables manifest.json needs');
          }
        }
        const outDir = mkdtempSync(join(tmpdir(), 'switchboard-atk-'));
        try {
          const built = await buildAppPackage({
            root: ROOT,
            envName: env,
            variables: { TEAMS_APP_ID: '11111111-2222-4333-8444-555555555555', MicrosoftAppId: '8b2f6f0e-3c1d-4e5a-9f7b-2a6c4d8e0f13', PUBLIC_BASE_URL: 'https://switchboard.example.com' },
            outDir,
          });
          const packagePaths = actions.flatMap((a) => (typeof a.with?.appPackagePath === 'string' ? [a.with.appPackagePath] : []));
          assert.ok(packagePaths.length >= 2);
          for (const path of packagePaths) {
            const resolved = path.replaceAll('${{TEAMSFX_ENV}}', env);
            assert.equal(resolved, `./appPackage/build/${basename(built.zipPath)}`, 'the zip npm run package writes (appPackage/build by default)');
          }
        } finally {
          rmSync(outDir, { recursive: true, force: true });
        }
      });

      it('references folders and files that exist, and variables that something defines', () => {
        assert.ok(existsSync(join(ROOT, String(doc.environmentFolderPath))), 'the env folder');
        const envFile = join(ROOT, String(doc.environmentFolderPath), `.env.${env}`);
        assert.ok(existsSync(envFile), `${envFile} exists`);
        const envValues = parse(readFileSync(envFile));
        assert.equal(envValues.TEAMSFX_ENV, env);
        const defined = new Set([...TOOLKIT_VARIABLES, ...Object.keys(envValues)]);
        for (const [, list] of stages) {
          for (const action of list) {
            const used = [...JSON.stringify({ with: action.with, env: action.env }).matchAll(/\$\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g)].map((m) => m[1]!);
            for (const variable of used) assert.ok(defined.has(variable), `${action.uses} uses \${{${variable}}}, defined before it`);
            for (const variable of Object.values(action.writeToEnvironmentFile ?? {})) defined.add(variable);
          }
        }
        for (const action of actions) {
          const target = action.with?.target;
          if (typeof target === 'string') assert.equal(target, './.env', 'the app reads .env (gitignored)');
        }
      });

      it('keeps secrets out of git: the environment file is tracked, its .user file is ignored', () => {
        const ignored = (path: string) => {
          try {
            execFileSync('git', ['check-ignore', '-q', path], { cwd: ROOT });
            return true;
          } catch {
            return false;
          }
        };
        assert.equal(ignored(`env/.env.${env}`), false, `env/.env.${env} is committed`);
        assert.equal(ignored(`env/.env.${env}.user`), true, `env/.env.${env}.user (SECRET_ values) is ignored`);
        assert.equal(ignored('.env'), true, '.env (the app\'s credentials) is ignored');
        // A secret appears only as the name of the variable holding it, or a reference to it — never as a value.
        for (const line of text.split('\n')) {
          const m = /^\s*([A-Za-z_]*(?:password|secret)[A-Za-z_]*):\s*(\S.*)$/i.exec(line);
          if (m) assert.match(m[2]!, /^(SECRET_[A-Z0-9_]+|\$\{\{SECRET_[A-Z0-9_]+\}\})$/, `${m[1]} holds no literal secret`);
        }
      });
    });
  }

  it('.vscode: F5 runs the Toolkit\'s tunnel, provision and deploy for "local", then Switchboard, on the port the bot registration points at', () => {
    const tasks = (JSON.parse(readFileSync(join(ROOT, '.vscode/tasks.json'), 'utf8')) as { tasks: Array<{ label: string; type?: string; command?: string; dependsOn?: string[]; args?: any }> }).tasks;
    const launch = (JSON.parse(readFileSync(join(ROOT, '.vscode/launch.json'), 'utf8')) as { configurations: Array<{ preLaunchTask?: string; program?: string }> }).configurations;
    const labels = new Set(tasks.map((t) => t.label));
    for (const config of launch) {
      assert.ok(config.preLaunchTask && labels.has(config.preLaunchTask), `${config.preLaunchTask} is a task`);
      assert.equal(config.program, '${workspaceFolder}/dist/server/main.js', 'what npm start runs');
    }
    for (const task of tasks) for (const dep of task.dependsOn ?? []) assert.ok(labels.has(dep), `${task.label} → ${dep}`);
    const byCommand = (command: string) => tasks.find((t) => t.type === 'teamsfx' && t.command === command);
    assert.equal(byCommand('provision')?.args.env, 'local');
    assert.equal(byCommand('deploy')?.args.env, 'local');
    const [port] = byCommand('debug-start-local-tunnel')!.args.ports;
    assert.equal(port.portNumber, 3978, 'the default PORT');
    assert.equal(port.writeToEnvironmentFile.endpoint, 'BOT_ENDPOINT', 'the variable m365agents.local.yml registers the bot at');
    assert.ok(readFileSync(join(ROOT, 'm365agents.local.yml'), 'utf8').includes('${{BOT_ENDPOINT}}/api/calling'));
  });
});
