// Lint is part of `npm test`: the boundaries between the rooms (README › Architecture) are checked here, so the build
// says what a reviewer would. Folder names at the top level are unique, which lets one pattern per room match any
// depth of `../`.
import tseslint from 'typescript-eslint';

const room = (names) => ({ regex: `^(\\.\\./)+(${names.join('|')})(/|$)` });
const frameworks = ['botbuilder', 'botbuilder-*', 'botframework-*', 'restify', 'restify-*', '@microsoft/teams-js', 'react', 'react-dom'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'appPackage/build/**', 'test-artifacts/**', '.switchboard/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-debugger': 'error',
      'no-var': 'error',
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['comms/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { ...room(['bot', 'tab', 'server', 'emulator', 'test', 'bench']), message: 'comms/ is the shared service: it imports no face (bot/, tab/), no composition root (server/) and never the emulator.' },
          { group: frameworks, message: 'comms/ knows Graph, not Teams chat or HTTP servers: keep framework objects at the edge.' },
        ],
      }],
    },
  },
  {
    // Understanding is words in, decision out: it leans on comms/runtime only (a remote analyser gets its HTTP seam
    // passed in), so it can be reasoned about — and tested — without calls, Graph or speech.
    files: ['comms/understanding/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { ...room(['bot', 'tab', 'server', 'emulator', 'test', 'bench']), message: 'comms/ is the shared service: it imports no face (bot/, tab/), no composition root (server/) and never the emulator.' },
          { group: frameworks, message: 'comms/ knows Graph, not Teams chat or HTTP servers: keep framework objects at the edge.' },
          { regex: '^\\.\\./(?!runtime(/|$))[^./][^/]*(/|$)', message: 'comms/understanding imports only comms/runtime: take other rooms\' seams as parameters.' },
        ],
      }],
    },
  },
  {
    // Microsoft's Graph models and their documented extensions, shared by the app and the emulator as types only
    // (test/architecture checks it compiles to nothing): it imports neither side.
    files: ['graph-models/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ ...room(['comms', 'bot', 'tab', 'server', 'emulator', 'test', 'bench']), message: 'graph-models/ is types only, shared by the app and the emulator: it imports neither.' }],
      }],
    },
  },
  {
    files: ['emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ ...room(['comms', 'bot', 'tab', 'server']), message: 'The emulator shares no logic with the app: it talks to it over HTTP only, as Microsoft does.' }],
      }],
    },
  },
  {
    files: ['bot/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ ...room(['tab', 'server', 'emulator']), message: 'bot/ is one face of comms/: it imports comms/, never the other face, the composition root or the emulator.' }],
      }],
    },
  },
  {
    files: ['tab/server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^(\\.\\./){2,}(bot|server|emulator)(/|$)', message: 'tab/ is one face of comms/: it imports comms/, never bot/, the composition root or the emulator.' },
        ],
      }],
    },
  },
  {
    files: ['tab/web/**/*.ts', 'tab/web/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^(\\.\\./){2,}(bot|server|emulator)(/|$)', message: 'Browser code imports only its own files and comms/ types.' },
          { regex: '^(\\.\\./){2,}comms/(?!.*-(events|status)\\.js$)', message: 'Browser code may import only comms/ wire types: event and status types (import type).' },
        ],
      }],
    },
  },
  {
    // The tab's browser code is bundled by esbuild; the tab build replaces dist/tab/web, so nothing tsc compiles may
    // import it at run time (it works on a machine with stale files and fails on a clean clone). Tests load it with
    // test/tab/load-web-module.ts; type-only imports are fine.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'server/**/*.ts', 'tab/server/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ regex: '(^|/)tab/web/|^\\.\\./web/', allowTypeImports: true, message: 'tab/web is bundled by esbuild, not compiled into dist/: import its types only (tests: loadWebModule).' }],
      }],
    },
  },
);
