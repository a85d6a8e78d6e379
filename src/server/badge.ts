import type { PlaneStatus } from '../check/result.js';

const COLORS: Record<PlaneStatus, string> = {
  HEALTHY: '#1a7f37',
  NO_USER: '#9a6700',
  NO_ORACLE: '#9a6700',
  FAILED: '#cf222e',
  NO_VALUE: '#6e7781',
};

const escape = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

/** Rough width of Verdana 11px text, enough to size a badge without measuring fonts. */
function textWidth(text: string): number {
  return Math.round(text.length * 6.5 + 10);
}

/** A flat status badge (label | status) for READMEs and wikis. */
export function renderBadge(plane: string, status: PlaneStatus): string {
  const label = escape(plane);
  const left = textWidth(plane);
  const right = textWidth(status);
  const width = left + right;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${label}: ${status}">
<title>${label}: ${status}</title>
<rect width="${left}" height="20" fill="#555"/>
<rect x="${left}" width="${right}" height="20" fill="${COLORS[status]}"/>
<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
<text x="${left / 2}" y="14">${label}</text>
<text x="${left + right / 2}" y="14">${status}</text>
</g>
</svg>`;
}
