// Uploaded images checked by content: an SVG is rebuilt by resvg/usvg from its render tree, so
// nothing but drawing survives (attacks from OWASP's SVG cheat sheet); a PNG must decode; sizes
// and dimensions are bounded; every refusal says what is wrong.
import { describe, expect, it } from 'vitest';
import { checkImage, parseDataUrl } from '../../functions/organization/images.js';
import { signaturePng } from '../support/images.js';

const svg = (inner: string, attributes = '') =>
  new TextEncoder().encode(
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 40" ${attributes}>${inner}<rect width="40" height="40" fill="#123456"/></svg>`,
  );
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('SVG uploads', () => {
  it.each([
    ['a script element', svg('<script>alert(1)</script>'), /<script|alert/],
    ['an event handler', svg('', 'onload="alert(1)"'), /onload|alert/],
    [
      'foreignObject HTML',
      svg(
        '<foreignObject width="10" height="10"><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example"/></foreignObject>',
      ),
      /foreignObject|iframe|evil/,
    ],
    ['a javascript: link', svg('<a href="javascript:alert(1)"><circle r="4"/></a>'), /javascript|<a /],
    ['an external image', svg('<image href="https://tracker.example/p.png" width="5" height="5"/>'), /tracker|href="https?:/],
    ['an external use', svg('<use xlink:href="https://evil.example/sprite.svg#x"/>'), /evil|href="https?:/],
    [
      'a CSS import and url()',
      svg('<style>@import url(https://evil.example/x.css); rect { fill: url(https://evil.example/f) }</style>'),
      /evil|@import|<style/,
    ],
    [
      'an entity expansion',
      new TextEncoder().encode(
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/><desc>&b;</desc></svg>',
      ),
      /aaaa|ENTITY/,
    ],
  ])('keeps the drawing and removes %s', async (_, bytes, banned) => {
    const checked = await checkImage('logo', bytes);
    expect(checked.contentType).toBe('image/svg+xml');
    expect(text(checked.bytes)).toContain('<path');
    expect(text(checked.bytes)).not.toMatch(banned);
    expect(checked.png.subarray(1, 4)).toEqual(new TextEncoder().encode('PNG'));
    expect(checked.width).toBe(800);
  });

  it('refuses an SVG that draws nothing', async () => {
    await expect(
      checkImage('logo', new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>')),
    ).rejects.toThrow(/logo: the SVG draws nothing/);
  });
});

describe('PNG uploads', () => {
  it('accepts a PNG as it is, with its dimensions', async () => {
    const png = signaturePng(200, 60);
    const checked = await checkImage('signature', png);
    expect(checked).toMatchObject({ contentType: 'image/png', width: 200, height: 60, bytes: png, png });
  });

  it.each([
    ['a damaged PNG', Buffer.concat([Buffer.from(signaturePng()).subarray(0, 50), Buffer.alloc(30)]), /the PNG is damaged/],
    ['a tiny PNG', signaturePng(8, 8), /must be at least 16×16/],
    ['a GIF', new TextEncoder().encode('GIF89a\x01\x00\x01\x00'), /must be a PNG or an SVG image/],
    ['an empty file', new Uint8Array(), /the image is empty/],
    ['a file over 200 KB', new Uint8Array(201 * 1024).fill(1), /the limit is 200 KB/],
  ])('refuses %s, saying why', async (_, bytes, message) => {
    await expect(checkImage('logo', new Uint8Array(bytes))).rejects.toThrow(message);
  });
});

describe('data URLs', () => {
  it('reads base64 and percent-encoded data URLs, and refuses anything else', () => {
    expect(text(parseDataUrl('logo', 'data:image/svg+xml;base64,PHN2Zz4='))).toBe('<svg>');
    expect(text(parseDataUrl('logo', 'data:image/svg+xml,%3Csvg%3E'))).toBe('<svg>');
    expect(() => parseDataUrl('logo', 'https://example.org/logo.png')).toThrow(/logo: must be a data URL/);
    expect(() => parseDataUrl('logo', 'data:image/png;base64,@@@')).toThrow(/not valid base64/);
  });
});
