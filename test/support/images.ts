// Images the tests upload as the organization's logo and signature, made here (no binary fixtures).
import { encode } from 'fast-png';

/** A small SVG logo with things the sanitizer must remove (a script, an event handler, an external image). */
export const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 64" onload="alert('x')">
<script>alert('logo')</script>
<image href="https://tracker.example/pixel.png" width="1" height="1"/>
<rect width="64" height="64" rx="14" fill="#1e3a8a"/><path d="M18 44 46 16" stroke="#fbbf24" stroke-width="8" stroke-linecap="round"/>
<text x="78" y="43" font-size="30" font-family="Noto Sans" font-weight="700" fill="#1e3a8a">Northwind</text>
</svg>`;

export const dataUrl = (contentType: string, bytes: Uint8Array | string) =>
  `data:${contentType};base64,${Buffer.from(bytes).toString('base64')}`;

/** A handwriting-like signature stroke on a transparent background, as a PNG. */
export function signaturePng(width = 360, height = 100): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  const dot = (x: number, y: number) => {
    for (let dy = -2; dy <= 2; dy++)
      for (let dx = -2; dx <= 2; dx++) {
        const px = Math.round(x + dx);
        const py = Math.round(y + dy);
        if (px < 0 || py < 0 || px >= width || py >= height) continue;
        const i = (py * width + px) * 4;
        data.set([20, 30, 80, 255], i);
      }
  };
  for (let t = 0; t < 1; t += 0.0005) {
    const x = 20 + t * (width - 40);
    const y = height / 2 + Math.sin(t * 18) * (height / 4) * (1 - t * 0.6) + Math.cos(t * 41) * 6;
    dot(x, y);
  }
  return encode({ width, height, data, channels: 4, depth: 8 });
}
