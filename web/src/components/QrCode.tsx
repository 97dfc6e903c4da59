// A QR code as inline SVG (lean-qr), crisp at any size and in print.
import { useMemo } from 'react';
import { generate } from 'lean-qr';
import { toSvgPath } from 'lean-qr/extras/svg';

export function QrCode({ value, label, size = 176 }: { value: string; label: string; size?: number }) {
  const { path, modules } = useMemo(() => {
    const code = generate(value);
    return { path: toSvgPath(code), modules: code.size };
  }, [value]);
  // A quiet zone of 4 modules around the code, as the standard asks, so scanners find it.
  return (
    <svg
      className="qr"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`-4 -4 ${modules + 8} ${modules + 8}`}
      shapeRendering="crispEdges"
    >
      <rect x={-4} y={-4} width={modules + 8} height={modules + 8} fill="#fff" />
      <path d={path} fill="#111827" />
    </svg>
  );
}
