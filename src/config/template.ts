const PLACEHOLDER = /\{(\w+)\}/g;

/** The `{name}` placeholders a template uses, in order of appearance. */
export function findPlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

/**
 * Fills `{name}` placeholders. Values named in `raw` go in as they are (base URLs); all others are
 * URL-encoded, so a plane or id can never change the shape of the URL it lands in.
 */
export function fillUrlTemplate(
  template: string,
  values: Readonly<Record<string, string>>,
  raw: readonly string[] = [],
): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    return raw.includes(name) ? value : encodeURIComponent(value);
  });
}

/** Fills `{name}` placeholders in free text (workflow inputs, emails) without encoding. */
export function fillTextTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}
