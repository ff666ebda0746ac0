import { readFileSync } from 'node:fs';
import {
  DockerfileParser,
  JSONInstruction,
  ModifiableInstruction,
  type Instruction,
} from 'dockerfile-ast';

/** One `FROM … [AS name]` stage and the instructions up to the next one. */
export interface BuildStage {
  /** The base image with the ARG defaults declared before the first FROM filled in. */
  image: string;
  name: string | undefined;
  instructions: readonly Instruction[];
  /** The instructions of one keyword (`RUN`, `COPY`, …), in order. */
  all(keyword: string): Instruction[];
  /** The last instruction of a keyword, the one in force for USER, CMD, …; throws when absent. */
  last(keyword: string): Instruction;
}

/** A Dockerfile read by `dockerfile-ast`, as the builder would split it into stages. */
export function readDockerfile(path: string): BuildStage[] {
  const dockerfile = DockerfileParser.parse(readFileSync(path, 'utf8'));
  const globalArgs = new Map<string, string>();
  const stages: Array<{
    from: Instruction;
    image: string;
    name: string | undefined;
    body: Instruction[];
  }> = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      const [image = '', as, name] = (instruction.getArgumentsContent() ?? '').split(/\s+/);
      stages.push({
        from: instruction,
        image: image.replace(/\$\{(\w+)\}/g, (_, arg: string) => globalArgs.get(arg) ?? ''),
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        body: [],
      });
    } else if (stages.length === 0 && keyword === 'ARG') {
      const [arg = '', value = ''] = (instruction.getArgumentsContent() ?? '').split('=');
      globalArgs.set(arg, value);
    } else {
      stages.at(-1)?.body.push(instruction);
    }
  }
  return stages.map(({ image, name, body }) => ({
    image,
    name,
    instructions: body,
    all: (keyword) => body.filter((instruction) => instruction.getKeyword() === keyword),
    last(keyword) {
      const found = body.filter((instruction) => instruction.getKeyword() === keyword).at(-1);
      if (!found) throw new Error(`${path}: no ${keyword} in the stage from ${image}`);
      return found;
    },
  }));
}

/** The argv of an exec-form (JSON) CMD, ENTRYPOINT or RUN; undefined for the shell form. */
export function execForm(instruction: Instruction): string[] | undefined {
  const strings = instruction instanceof JSONInstruction ? instruction.getJSONStrings() : [];
  return strings.length > 0 ? strings.map((json) => json.getJSONValue()) : undefined;
}

/** `--from=build` of a COPY, `--interval=10s` of a HEALTHCHECK: the flag's value, if given. */
export function flag(instruction: Instruction, name: string): string | undefined {
  const flags = instruction instanceof ModifiableInstruction ? instruction.getFlags() : [];
  return flags.find((found) => found.getName() === name)?.getValue() ?? undefined;
}
