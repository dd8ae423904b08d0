// The body reader's one-pass scan: nesting depth as JSON.parse would see it (brackets inside strings, escaped quotes
// and backslashes do not count), and whether the reviver that drops prototype keys is needed — never missing a key
// that spells one, literally or through an escape.
import assert from 'node:assert/strict';
import { parseJsonText, scanJsonText } from '../../comms/runtime/json-text.js';

function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (value && typeof value === 'object') return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

describe('server/body-reader: scanJsonText', () => {
  const cases: Array<[string, string, number, boolean]> = [
    ['flat object', '{"a":1,"b":"x"}', 1, false],
    ['brackets inside strings', '{"a":"[[[{{{","b":["]]}"]}', 2, false],
    ['an escaped quote does not end the string', '{"a":"he said \\"[[[\\" ok","b":[[1]]}', 3, true],
    ['an escaped backslash before the closing quote', '{"a":"ends with \\\\","b":[[[1]]]}', 4, true],
    ['three backslashes then a quote: still inside', '{"a":"x\\\\\\"[[","b":1}', 1, true],
    ['__proto__ as a key', '{"__proto__":{"x":1}}', 2, true],
    ['constructor.prototype', '{"constructor":{"prototype":{"x":1}}}', 3, true],
    ['__proto__ spelt through an escape', '{"__pro\\u0074o__":{"x":1}}', 2, true],
    ['a long string with an escape is no key', `{"a":"${'x'.repeat(100)}\\n"}`, 1, false],
    ['a longer name containing prototype', '{"myprototype":1,"constructorName":2}', 1, false],
    ['empty string and arrays', '{"":[],"b":[[],[[]]]}', 4, false],
    ['a roster-like batch', JSON.stringify({ value: [{ resourceData: [{ info: { identity: { user: { displayName: 'Zoë "Z" [x]' } } } }] }] }), 8, true],
  ];
  for (const [name, text, depth, suspicious] of cases) {
    it(name, () => {
      const scan = scanJsonText(text, 64);
      assert.equal(scan.depth, depthOf(JSON.parse(text)), 'matches the parsed depth');
      assert.equal(scan.depth, depth);
      assert.equal(scan.mayHavePrototypeKeys, suspicious);
    });
  }

  it('stops as soon as the nesting passes the limit', () => {
    assert.equal(scanJsonText(`${'['.repeat(100)}${']'.repeat(100)}`, 64).depth, 65);
  });

  it('agrees with the parsed depth on generated documents, and flags every one holding a prototype key', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const chars = ['a', '"', '\\', '[', ']', '{', '}', 'é', ' ', 'u'];
    const str = () => Array.from({ length: Math.floor(rnd() * 8) }, () => chars[Math.floor(rnd() * chars.length)]).join('');
    const gen = (d: number): unknown => {
      const r = rnd();
      if (d > 5 || r < 0.3) return r < 0.15 ? str() : Math.floor(r * 100);
      if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => gen(d + 1));
      const o: Record<string, unknown> = {};
      for (let k = Math.floor(rnd() * 4); k > 0; k--) o[rnd() < 0.05 ? 'constructor' : str()] = gen(d + 1);
      return o;
    };
    for (let n = 0; n < 500; n++) {
      const text = JSON.stringify(gen(0));
      const scan = scanJsonText(text, 64);
      assert.equal(scan.depth, depthOf(JSON.parse(text)), text);
      if (text.includes('"constructor"')) assert.equal(scan.mayHavePrototypeKeys, true, text);
    }
  });

  it('parseJsonText keeps no prototype key, spelt plainly or through an escape, and parses the rest as JSON.parse', () => {
    const parsed = parseJsonText('{"a":1,"__proto__":{"polluted":true},"b":{"constructor":2,"\\u0070rototype":3,"c":[4]}}') as Record<string, any>;
    assert.deepEqual(Object.keys(parsed), ['a', 'b']);
    assert.deepEqual(parsed.b, { c: [4] });
    assert.equal(({} as any).polluted, undefined);
    assert.deepEqual(parseJsonText('{"x":[1,"two",null]}'), { x: [1, 'two', null] });
    assert.throws(() => parseJsonText('{"x":'), SyntaxError);
  });
});
