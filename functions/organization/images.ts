// The organization's uploaded images, checked by content, never by the name or type a client
// claims: a PNG must decode (magic bytes, then the whole image). An SVG is parsed by resvg (the
// maintained Rust SVG renderer, as WebAssembly) and what is stored is the SVG its usvg layer
// writes back from the render tree: paths, gradients and embedded images only, text turned into
// paths. Scripts, event handlers, foreignObject, links, styles and CSS imports have no place in
// that tree, so they cannot survive; external image references are replaced by a transparent
// pixel before rendering (never fetched). A PNG rendition is made for PDFs and email clients,
// which cannot show SVG. Loaded only by the settings function (resvg's wasm is 2.4 MB).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decode as decodePng, encode as encodePng } from 'fast-png';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { assetPath, resvgWasmPath } from '../assets.js';
import { validationError } from '../domain/errors.js';

export const MAX_IMAGE_BYTES = 200 * 1024;
const MAX_SIDE = 4096;
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Renditions are this wide (or tall): sharp at a certificate's size, small for email. */
const RENDITION_PX = 800;

export interface CheckedImage {
  contentType: 'image/png' | 'image/svg+xml';
  /** What is stored and served: the PNG as uploaded, or the sanitized SVG. */
  bytes: Uint8Array;
  width: number;
  height: number;
  sha256: string;
  /** The PNG rendition of an SVG (the PNG itself for a PNG). */
  png: Uint8Array;
  pngSha256: string;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** `data:image/png;base64,…` or `data:image/svg+xml;base64,…` (or a percent-encoded SVG) → bytes. */
export function parseDataUrl(field: string, value: string): Uint8Array {
  const match = /^data:([a-z0-9.+/-]*)((?:;[a-z0-9=-]+)*),(.*)$/is.exec(value);
  if (!match) throw validationError(`${field}: must be a data URL of a PNG or SVG image (data:image/png;base64,…)`);
  const base64 = /;base64/i.test(match[2]!);
  const data = match[3]!;
  if (base64 && !/^[A-Za-z0-9+/\s]*={0,2}$/.test(data)) throw validationError(`${field}: the base64 data is not valid base64`);
  try {
    return base64 ? new Uint8Array(Buffer.from(data, 'base64')) : new TextEncoder().encode(decodeURIComponent(data));
  } catch {
    throw validationError(`${field}: the data URL is not correctly percent-encoded`);
  }
}

/** Checks an uploaded image by its content; a 400 says what is wrong. */
export async function checkImage(field: string, bytes: Uint8Array): Promise<CheckedImage> {
  if (bytes.length === 0) throw validationError(`${field}: the image is empty`);
  if (bytes.length > MAX_IMAGE_BYTES) {
    throw validationError(`${field}: the image is ${Math.ceil(bytes.length / 1024)} KB; the limit is ${MAX_IMAGE_BYTES / 1024} KB`);
  }
  if (PNG_MAGIC.every((b, i) => bytes[i] === b)) return checkPng(field, bytes);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (/<svg[\s>]/i.test(text)) return renderSvg(field, text);
  throw validationError(`${field}: must be a PNG or an SVG image (this file is neither)`);
}

function checkPng(field: string, bytes: Uint8Array): CheckedImage {
  let width: number;
  let height: number;
  try {
    ({ width, height } = decodePng(bytes));
  } catch (error) {
    throw validationError(`${field}: the PNG is damaged and cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  checkSize(field, width, height);
  const hash = sha256(bytes);
  return { contentType: 'image/png', bytes, width, height, sha256: hash, png: bytes, pngSha256: hash };
}

function checkSize(field: string, width: number, height: number) {
  if (width < 16 || height < 16) throw validationError(`${field}: the image is ${width}×${height} pixels; it must be at least 16×16`);
  if (width > MAX_SIDE || height > MAX_SIDE)
    throw validationError(`${field}: the image is ${width}×${height} pixels; neither side may exceed ${MAX_SIDE}`);
}

/** A transparent pixel: what an SVG's external image references are replaced with (never fetched). */
const TRANSPARENT_PNG = encodePng({ width: 1, height: 1, data: new Uint8Array(4), channels: 4, depth: 8 });

/** Defence in depth: what must never survive the rebuild (it cannot: usvg has no such nodes). */
const UNSAFE = /<script|<foreignObject|\son[a-z]+\s*=|javascript:|(?:xlink:)?href\s*=\s*["'](?!#|data:image\/png)/i;

let resvgReady: Promise<void> | undefined;
let fontBuffers: Uint8Array[] | undefined;

async function renderSvg(field: string, svg: string): Promise<CheckedImage> {
  resvgReady ??= initWasm(readFileSync(resvgWasmPath()));
  await resvgReady;
  fontBuffers ??= [new Uint8Array(readFileSync(assetPath('fonts/NotoSans-Regular.ttf')))];
  let rendered: { png: Uint8Array; width: number; height: number; svg: string };
  try {
    const resvg = new Resvg(svg, {
      fitTo: { mode: 'width', value: RENDITION_PX },
      font: { fontBuffers, loadSystemFonts: false, defaultFontFamily: 'Noto Sans' },
    });
    for (const href of resvg.imagesToResolve() as string[]) resvg.resolveImage(href, TRANSPARENT_PNG);
    const image = resvg.render();
    rendered = { png: image.asPng(), width: image.width, height: image.height, svg: resvg.toString() };
    image.free();
    resvg.free();
  } catch (error) {
    throw validationError(`${field}: the file is not an SVG that can be drawn (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!/<path|<image/.test(rendered.svg)) throw validationError(`${field}: the SVG draws nothing`);
  if (UNSAFE.test(rendered.svg)) throw new Error('the rebuilt SVG still holds something unsafe');
  checkSize(field, Math.round(rendered.width), Math.round(rendered.height));
  const bytes = new TextEncoder().encode(rendered.svg);
  return {
    contentType: 'image/svg+xml',
    bytes,
    width: Math.round(rendered.width),
    height: Math.round(rendered.height),
    sha256: sha256(bytes),
    png: rendered.png,
    pngSha256: sha256(rendered.png),
  };
}
