// Draws the Teams app icons (appPackage/color.png 192×192, appPackage/outline.png 32×32) and writes them
// as PNG with zlib, so the icons can be regenerated anywhere without image tools or network.
// Teams rules: the colour icon is full bleed; the outline icon is white only on a transparent background.
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import { deflateSync, crc32 } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const appPackage = fileURLToPath(new URL('../appPackage/', import.meta.url));

const BRAND = [91, 76, 245]; // Apono-like violet
const WHITE = [255, 255, 255];

// A check mark inside a ring, in unit coordinates (0..1).
const CHECK = [
  [0.3, 0.52],
  [0.44, 0.66],
  [0.71, 0.37],
];

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function onCheck(x, y, halfWidth) {
  return (
    distanceToSegment(x, y, CHECK[0], CHECK[1]) <= halfWidth ||
    distanceToSegment(x, y, CHECK[1], CHECK[2]) <= halfWidth
  );
}

function onRing(x, y, radius, halfWidth) {
  return Math.abs(Math.hypot(x - 0.5, y - 0.5) - radius) <= halfWidth;
}

/** Coverage (0..1) of a pixel by a shape, from a 4×4 grid of samples. */
function coverage(size, px, py, inside) {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      if (inside((px + (sx + 0.5) / 4) / size, (py + (sy + 0.5) / 4) / size)) hits++;
    }
  }
  return hits / 16;
}

function colorIcon(size) {
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = coverage(size, x, y, (u, v) => onCheck(u, v, 0.055) || onRing(u, v, 0.34, 0.035));
      const i = (y * size + x) * 4;
      for (let k = 0; k < 3; k++) rgba[i + k] = Math.round(BRAND[k] * (1 - c) + WHITE[k] * c);
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

// Outline pixels are either fully transparent or opaque white: no grey edges that Teams would reject.
function outlineIcon(size) {
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = coverage(size, x, y, (u, v) => onCheck(u, v, 0.06) || onRing(u, v, 0.42, 0.04));
      if (c >= 0.5) rgba.set([255, 255, 255, 255], (y * size + x) * 4);
    }
  }
  return rgba;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes 8-bit RGBA pixels as a PNG (colour type 6, no interlace, filter 0 on every row). */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync(`${appPackage}color.png`, encodePng(192, colorIcon(192)));
writeFileSync(`${appPackage}outline.png`, encodePng(32, outlineIcon(32)));
console.log('wrote appPackage/color.png (192×192) and appPackage/outline.png (32×32)');
