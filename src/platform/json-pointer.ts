export type CompiledPointer = (document: unknown) => unknown;

/** Compiles an RFC 6901 JSON pointer ('' is the whole document) into a reader; undefined when absent. */
export function compilePointer(pointer: string): CompiledPointer {
  if (pointer === '') return (document) => document;
  const tokens = pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'));
  const indexes = tokens.map((token) => (/^(0|[1-9]\d*)$/.test(token) ? Number(token) : undefined));
  return (document) => {
    let current: unknown = document;
    for (let i = 0; i < tokens.length; i++) {
      if (Array.isArray(current)) {
        const index = indexes[i];
        if (index === undefined) return undefined;
        current = current[index];
      } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, tokens[i] ?? '')) {
        current = (current as Record<string, unknown>)[tokens[i] ?? ''];
      } else {
        return undefined;
      }
    }
    return current;
  };
}

export function readPointer(document: unknown, pointer: string): unknown {
  return compilePointer(pointer)(document);
}
