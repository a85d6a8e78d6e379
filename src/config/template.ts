const PLACEHOLDER = /\{(\w+)\}/g;

/** The `{name}` placeholders a template uses, in order of appearance. */
export function findPlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

export type FilledTemplate = (values: Readonly<Record<string, string>>) => string;

/**
 * Compiles a `{name}` template once into a function, since URLs are filled on every request.
 * Values named in `raw` go in as they are (base URLs); with `encode`, all others are URL-encoded so
 * a plane or an id can never change the shape of the URL it lands in. Unknown names stay as written.
 */
export function compileTemplate(
  template: string,
  options: { encode: boolean; raw?: readonly string[] },
): FilledTemplate {
  const literals: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    literals.push(template.slice(last, match.index));
    names.push(match[1] ?? '');
    last = match.index + match[0].length;
  }
  literals.push(template.slice(last));
  const raw = new Set(options.raw ?? []);
  return (values) => {
    let out = literals[0] ?? '';
    for (let i = 0; i < names.length; i++) {
      const name = names[i] ?? '';
      const value = values[name];
      if (value === undefined) out += `{${name}}`;
      else out += options.encode && !raw.has(name) ? encodeURIComponent(value) : value;
      out += literals[i + 1] ?? '';
    }
    return out;
  };
}

/** Fills `{name}` placeholders in free text (workflow inputs, emails) without encoding. */
export function fillTextTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return compileTemplate(template, { encode: false })(values);
}
