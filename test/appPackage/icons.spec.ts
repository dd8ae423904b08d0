// The committed icons, read straight from their PNG bytes (not through the project's own PNG code): the sizes Teams
// requires, RGBA, and an outline icon that is white on transparent.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';

const DIR = fileURLToPath(new URL('../../../appPackage/', import.meta.url));

function header(bytes: Buffer) {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), bitDepth: bytes[24], colorType: bytes[25], interlace: bytes[28] };
}

/** RGBA pixels of a non-interlaced 8-bit RGBA PNG whose rows use filter 0 (as make-icons writes them). */
function pixels(bytes: Buffer): { width: number; rgba: Buffer } {
  const { width, height } = header(bytes);
  const idat: Buffer[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    if (bytes.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    assert.equal(raw[y * (width * 4 + 1)], 0, 'filter type 0');
    raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, rgba };
}

describe('app icons (appPackage/color.png, appPackage/outline.png)', () => {
  it('color.png is a 192×192 RGBA PNG', () => {
    assert.deepEqual(header(readFileSync(`${DIR}color.png`)), { width: 192, height: 192, bitDepth: 8, colorType: 6, interlace: 0 });
  });

  it('outline.png is a 32×32 RGBA PNG', () => {
    assert.deepEqual(header(readFileSync(`${DIR}outline.png`)), { width: 32, height: 32, bitDepth: 8, colorType: 6, interlace: 0 });
  });

  it('outline.png is white on transparent: every visible pixel is white, the corners are clear', () => {
    const { width, rgba } = pixels(readFileSync(`${DIR}outline.png`));
    let visible = 0;
    for (let i = 0; i < rgba.length; i += 4) {
      if (rgba[i + 3] === 0) continue;
      visible += 1;
      assert.deepEqual([rgba[i], rgba[i + 1], rgba[i + 2]], [255, 255, 255], `pixel ${i / 4} is white`);
    }
    assert.ok(visible > 100, 'the mark is drawn');
    for (const [x, y] of [[0, 0], [width - 1, 0], [0, width - 1], [width - 1, width - 1]]) assert.equal(rgba[(y! * width + x!) * 4 + 3], 0);
  });

  it('color.png is full colour: an opaque accent background behind the mark', () => {
    const { width, rgba } = pixels(readFileSync(`${DIR}color.png`));
    const at = (x: number, y: number) => [...rgba.subarray((y * width + x) * 4, (y * width + x) * 4 + 4)];
    assert.deepEqual(at(96, 180), [0x1f, 0x5f, 0xad, 255], 'accent colour, as manifest accentColor #1F5FAD');
    const manifest = JSON.parse(readFileSync(fileURLToPath(new URL('../../../manifest.json', import.meta.url)), 'utf8'));
    assert.equal(manifest.accentColor.toLowerCase(), '#1f5fad');
  });
});
