/** One Dockerfile instruction: its keyword (upper case) and its arguments, continuation lines joined. */
export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  name: string;
  /** The FROM image, with build ARGs substituted. */
  image: string;
  steps: Instruction[];
}

/** The instructions of a Dockerfile: comments and blank lines dropped, `\` continuations joined. */
export function parseInstructions(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const full = `${pending}${line}`.trim();
    pending = '';
    const match = /^([A-Za-z]+)\s+(.*)$/.exec(full);
    if (!match?.[1] || match[2] === undefined) throw new Error(`Dockerfile: cannot read "${full}"`);
    instructions.push({ keyword: match[1].toUpperCase(), args: match[2].trim() });
  }
  return instructions;
}

/** The build stages, in order; global ARGs (before the first FROM) substituted into FROM lines. */
export function parseStages(text: string): Stage[] {
  const globals = new Map<string, string>();
  const stages: Stage[] = [];
  for (const instruction of parseInstructions(text)) {
    if (instruction.keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!match?.[1]) throw new Error(`Dockerfile: cannot read FROM ${instruction.args}`);
      const image = match[1].replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a?: string, b?: string) => {
        const value = globals.get(a ?? b ?? '');
        if (value === undefined) throw new Error(`Dockerfile: FROM uses undefined ARG ${a ?? b}`);
        return value;
      });
      stages.push({ name: match[2] ?? String(stages.length), image, steps: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`Dockerfile: ${instruction.keyword} before FROM`);
      const [name = '', value = ''] = instruction.args.split('=');
      globals.set(name, value);
    } else {
      stages.at(-1)?.steps.push(instruction);
    }
  }
  return stages;
}

/** ENV or LABEL arguments: KEY=VALUE pairs, values optionally double-quoted. */
export function parsePairs(args: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const match of args.matchAll(/([\w.-]+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
    const value = match[2] ?? '';
    pairs.set(match[1] ?? '', value.startsWith('"') ? (JSON.parse(value) as string) : value);
  }
  return pairs;
}

/** COPY's flags (--from, --chown), sources and destination. */
export function parseCopy(args: string): { from?: string; sources: string[]; dest: string } {
  const words = args.split(/\s+/);
  const flags = words.filter((word) => word.startsWith('--'));
  const paths = words.filter((word) => !word.startsWith('--'));
  const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
  const dest = paths.pop();
  if (dest === undefined || paths.length === 0) throw new Error(`Dockerfile: COPY ${args} has no source`);
  return { from, sources: paths, dest };
}
