/** One command line of a page's `sh` block, as the shell would split it. */
export interface PageCommand {
  /** `REDIS_URL=… npx koa-fleet …`: the assignments before the command. */
  env: Record<string, string>;
  /** The program, `npx` left out: `koa-fleet`, `nginx`. */
  program: string;
  args: string[];
  /** The file after `>`, if stdout goes to one. */
  stdoutTo: string | undefined;
}

/**
 * The command lines of a block: comments and blank lines left out, words split on spaces with
 * double quotes kept together. Enough for the page's commands, which use nothing more.
 */
export function pageCommands(block: string): PageCommand[] {
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const words = [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]!);
      const env: Record<string, string> = {};
      while (/^\w+=/.test(words[0] ?? '')) {
        const [name, ...value] = words.shift()!.split('=');
        env[name!] = value.join('=');
      }
      if (words[0] === 'npx') words.shift();
      const redirect = words.indexOf('>');
      const stdoutTo = redirect === -1 ? undefined : words[redirect + 1];
      const args = redirect === -1 ? words.slice(1) : words.slice(1, redirect);
      return { env, program: words[0] ?? '', args, stdoutTo };
    });
}

/** The value after `flag` in `args`; throws when it is missing. */
export function flagValue(args: readonly string[], flag: string): string {
  const index = args.indexOf(flag);
  if (index === -1 || index === args.length - 1) throw new Error(`no ${flag} in ${args.join(' ')}`);
  return args[index + 1]!;
}

/** `args` with the value after `flag` replaced. */
export function withFlag(args: readonly string[], flag: string, value: string): string[] {
  flagValue(args, flag);
  return args.map((arg, index) => (args[index - 1] === flag ? value : arg));
}
