// `npm run icons`: draws the Switchboard mark — a patch panel of jacks with a cord plugged across it — and writes the
// Teams icons: appPackage/color.png (192×192, full colour) and appPackage/outline.png (32×32, white on transparent).
// Shapes are signed-distance functions, so edges are anti-aliased without a drawing library.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng } from './png.js';

type Rgb = readonly [number, number, number];
/** Signed distance in pixels from (x, y) to the shape's edge: negative inside. */
type Shape = (x: number, y: number) => number;
interface Layer {
  shape: Shape;
  color: Rgb;
  /** Layers marked as holes erase what is under them (transparent cut-outs). */
  erase?: boolean;
}

const ACCENT: Rgb = [0x1f, 0x5f, 0xad];
const WHITE: Rgb = [255, 255, 255];
const CORD: Rgb = [0xff, 0xb4, 0x2e];

const circle = (cx: number, cy: number, r: number): Shape => (x, y) => Math.hypot(x - cx, y - cy) - r;
const ring = (cx: number, cy: number, outer: number, inner: number): Shape => (x, y) =>
  Math.abs(Math.hypot(x - cx, y - cy) - (outer + inner) / 2) - (outer - inner) / 2;
const roundedSquare = (size: number, radius: number): Shape => (x, y) => {
  const h = size / 2;
  const qx = Math.abs(x - h) - (h - radius);
  const qy = Math.abs(y - h) - (h - radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
};
/** A stroke of the given width along a quadratic Bézier from a through control c to b. */
const cord = (a: [number, number], c: [number, number], b: [number, number], width: number): Shape => {
  const points: Array<[number, number]> = [];
  for (let i = 0; i <= 48; i += 1) {
    const t = i / 48;
    const u = 1 - t;
    points.push([u * u * a[0] + 2 * u * t * c[0] + t * t * b[0], u * u * a[1] + 2 * u * t * c[1] + t * t * b[1]]);
  }
  return (x, y) => {
    let best = Infinity;
    for (let i = 1; i < points.length; i += 1) best = Math.min(best, segmentDistance(x, y, points[i - 1]!, points[i]!));
    return best - width / 2;
  };
};

function segmentDistance(x: number, y: number, [ax, ay]: [number, number], [bx, by]: [number, number]): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

/** Paints the layers in order (source-over) and returns straight (non-premultiplied) RGBA. */
function render(size: number, layers: Layer[]): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const x = px + 0.5;
      const y = py + 0.5;
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0; // premultiplied accumulation
      for (const layer of layers) {
        const coverage = Math.max(0, Math.min(1, 0.5 - layer.shape(x, y)));
        if (coverage === 0) continue;
        if (layer.erase) {
          r *= 1 - coverage;
          g *= 1 - coverage;
          b *= 1 - coverage;
          a *= 1 - coverage;
          continue;
        }
        r = layer.color[0] * coverage + r * (1 - coverage);
        g = layer.color[1] * coverage + g * (1 - coverage);
        b = layer.color[2] * coverage + b * (1 - coverage);
        a = coverage + a * (1 - coverage);
      }
      const i = (py * size + px) * 4;
      out[i] = a > 0 ? Math.round(r / a) : 0;
      out[i + 1] = a > 0 ? Math.round(g / a) : 0;
      out[i + 2] = a > 0 ? Math.round(b / a) : 0;
      out[i + 3] = Math.round(a * 255);
    }
  }
  return out;
}

/** 192×192: accent rounded square, two rows of white jacks, an amber cord arching between two of them. */
function colorIcon(): Uint8Array {
  const s = 192;
  const columns = [52, 96, 140];
  const rows = [88, 138];
  const jacks = rows.flatMap((y) => columns.map((x) => ring(x, y, 17, 8)));
  return render(s, [
    { shape: roundedSquare(s, 40), color: ACCENT },
    ...jacks.map((shape) => ({ shape, color: WHITE })),
    { shape: cord([52, 88], [96, 8], [140, 88], 9), color: CORD },
    { shape: circle(52, 88, 8.5), color: CORD },
    { shape: circle(140, 88, 8.5), color: CORD },
  ]);
}

/** 32×32: the same mark as a white silhouette on transparent: two rows of jacks, a cord arching between two. */
function outlineIcon(): Uint8Array {
  const s = 32;
  const columns = [6.5, 16, 25.5];
  const rows = [16, 25.5];
  const jacks = rows.flatMap((y) => columns.map((x) => ring(x, y, 4, 1.7)));
  return render(s, [
    ...jacks.map((shape) => ({ shape, color: WHITE })),
    { shape: cord([6.5, 16], [16, -1], [25.5, 16], 2.2), color: WHITE },
    { shape: circle(6.5, 16, 2), color: WHITE },
    { shape: circle(25.5, 16, 2), color: WHITE },
  ]);
}

function main(): void {
  const dir = process.argv[2] ?? 'appPackage';
  writeFileSync(join(dir, 'color.png'), encodePng(192, 192, colorIcon()));
  writeFileSync(join(dir, 'outline.png'), encodePng(32, 32, outlineIcon()));
  process.stdout.write(`wrote ${join(dir, 'color.png')} (192×192) and ${join(dir, 'outline.png')} (32×32)\n`);
}

main();
