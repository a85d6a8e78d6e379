// src/config/template.ts
var PLACEHOLDER = /\{(\w+)\}/g;
function findPlaceholders(template) {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? "");
}
function compileTemplate(template, options) {
  const literals = [];
  const names = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    literals.push(template.slice(last, match.index));
    names.push(match[1] ?? "");
    last = match.index + match[0].length;
  }
  literals.push(template.slice(last));
  const raw = new Set(options.raw ?? []);
  return (values) => {
    let out = literals[0] ?? "";
    for (let i = 0; i < names.length; i++) {
      const name = names[i] ?? "";
      const value = values[name];
      if (value === void 0) out += `{${name}}`;
      else out += options.encode && !raw.has(name) ? encodeURIComponent(value) : value;
      out += literals[i + 1] ?? "";
    }
    return out;
  };
}
function fillTextTemplate(template, values) {
  return compileTemplate(template, { encode: false })(values);
}

export {
  findPlaceholders,
  compileTemplate,
  fillTextTemplate
};
