import type { Command } from '../command.js';
import { usageError } from '../errors.js';

/** A bash completion script generated from the command table, so it never drifts from the commands. */
export function bashCompletion(commands: readonly Command[]): string {
  const groups = new Map<string, Set<string>>();
  const flags = new Map<string, Set<string>>();
  for (const c of commands) {
    const [group, sub] = c.name.split(' ') as [string, string | undefined];
    if (!groups.has(group)) groups.set(group, new Set());
    if (sub) groups.get(group)?.add(sub);
    const names = new Set([
      '--help',
      '--json',
      '--config',
      '--url',
      '--token',
      ...Object.keys(c.options ?? {}).map((o) => `--${o}`),
    ]);
    flags.set(c.name.replace(' ', '_'), names);
  }
  const quote = (s: Iterable<string>) => [...s].sort().join(' ');
  const subCases = [...groups]
    .filter(([, subs]) => subs.size > 0)
    .map(([g, subs]) => `      ${g}) COMPREPLY=( $(compgen -W "${quote(subs)}" -- "$cur") ); return ;;`)
    .join('\n');
  const flagCases = [...flags].map(([k, f]) => `    ${k}) opts="${quote(f)}" ;;`).join('\n');
  return `# bash completion for fleet — load with: source <(fleet completion bash)
_fleet() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  local group="\${COMP_WORDS[1]}" sub="\${COMP_WORDS[2]}"
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=( $(compgen -W "${quote(groups.keys())} --help --version" -- "$cur") )
    return
  fi
  if [[ $COMP_CWORD -eq 2 && "$cur" != -* ]]; then
    case "$group" in
${subCases}
    esac
  fi
  local key="$group"
  [[ -n "$sub" && "$sub" != -* ]] && key="\${group}_\${sub}"
  local opts=""
  case "$key" in
${flagCases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -F _fleet fleet
`;
}

export function completionCommand(all: () => readonly Command[]): Command {
  return {
    name: 'completion',
    summary: 'print a shell completion script',
    usage: 'bash',
    examples: ['source <(fleet completion bash)', 'fleet completion bash > /etc/bash_completion.d/fleet'],
    async run(ctx) {
      const shell = ctx.positionals[0] ?? 'bash';
      if (shell !== 'bash') throw usageError(`only bash completion is available, got ${JSON.stringify(shell)}`);
      ctx.io.out(bashCompletion(all()));
      return 0;
    },
  };
}
