// The certificate's fonts: Noto Serif Bold for the title and names, Noto Sans for the rest, and
// Droid Sans Fallback for any character Noto lacks (Chinese, Japanese, Korean), embedded only
// when the certificate uses one. Each run of text is drawn in the first font that has its glyphs.
// pdf-lib subsets each font to the glyphs drawn; fontkit 2 does the subsetting (pdf-lib's own
// fork of fontkit loses CJK glyphs when it subsets), through the one method pdf-lib calls.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import type { PDFDocument, PDFFont, PDFPage, RGB } from 'pdf-lib';
import { assetPath } from '../assets.js';

const FILES = {
  serifBold: 'fonts/NotoSerif-Bold.ttf',
  sans: 'fonts/NotoSans-Regular.ttf',
  sansBold: 'fonts/NotoSans-Bold.ttf',
  fallback: 'fonts/DroidSansFallbackFull.ttf',
} as const;
type FontName = keyof typeof FILES;

const bytes = new Map<FontName, Buffer>();
const parsed = new Map<FontName, fontkit.Font>();
const fontBytes = (name: FontName) => bytes.get(name) ?? bytes.set(name, readFileSync(assetPath(FILES[name]))).get(name)!;
const fontOf = (name: FontName) => parsed.get(name) ?? parsed.set(name, fontkit.create(fontBytes(name)) as fontkit.Font).get(name)!;

/** fontkit 2 encodes a subset in one call; pdf-lib reads it as a stream. */
const pdfLibFontkit = {
  create(data: Uint8Array) {
    const font = fontkit.create(Buffer.from(data)) as fontkit.Font & { createSubset(): { encode(): Uint8Array } };
    const createSubset = font.createSubset.bind(font);
    return Object.assign(font, {
      createSubset: () => {
        const subset = createSubset();
        return Object.assign(subset, {
          encodeStream: () => {
            const stream = new EventEmitter();
            setImmediate(() => {
              stream.emit('data', subset.encode());
              stream.emit('end');
            });
            return stream;
          },
        });
      },
    });
  },
};

/** A typeface with a fallback: measures and draws mixed-script text. */
export interface FontFace {
  width(text: string, size: number, spacing?: number): number;
  draw(page: PDFPage, text: string, x: number, y: number, size: number, color: RGB, spacing?: number): void;
}

type Run = { font: PDFFont; text: string };

function face(primary: { font: PDFFont; covers: (cp: number) => boolean }, fallback: PDFFont | undefined): FontFace {
  const runs = (text: string): Run[] => {
    const out: Run[] = [];
    for (const char of text) {
      const font = primary.covers(char.codePointAt(0)!) || !fallback ? primary.font : fallback;
      const last = out.at(-1);
      if (last?.font === font) last.text += char;
      else out.push({ font, text: char });
    }
    return out;
  };
  const width = (text: string, size: number, spacing = 0) =>
    runs(text).reduce((sum, run) => sum + run.font.widthOfTextAtSize(run.text, size), 0) + spacing * Math.max(0, [...text].length - 1);
  return {
    width,
    draw(page, text, x, y, size, color, spacing = 0) {
      let at = x;
      for (const run of runs(text)) {
        // Letter spacing is drawn a character at a time (short headings only).
        for (const part of spacing ? [...run.text] : [run.text]) {
          page.drawText(part, { x: at, y, size, font: run.font, color });
          at += run.font.widthOfTextAtSize(part, size) + spacing;
        }
      }
    },
  };
}

/** Embeds the fonts `text` needs (the fallback only if some character needs it). */
export async function loadFonts(doc: PDFDocument, text: string): Promise<{ title: FontFace; text: FontFace; strong: FontFace }> {
  doc.registerFontkit(pdfLibFontkit as never);
  const embed = (name: FontName) => doc.embedFont(fontBytes(name), { subset: true, customName: name });
  const covers = (name: FontName) => (cp: number) => cp < 0x20 || fontOf(name).hasGlyphForCodePoint(cp);
  const needsFallback = [...text].some((c) => !covers('sans')(c.codePointAt(0)!) || !covers('serifBold')(c.codePointAt(0)!));
  const fallback = needsFallback ? await embed('fallback') : undefined;
  const [serifBold, sans, sansBold] = await Promise.all([embed('serifBold'), embed('sans'), embed('sansBold')]);
  return {
    title: face({ font: serifBold, covers: covers('serifBold') }, fallback),
    text: face({ font: sans, covers: covers('sans') }, fallback),
    strong: face({ font: sansBold, covers: covers('sansBold') }, fallback),
  };
}
