import type { Command, OptionDef } from '../command.js';
import { usageError } from '../errors.js';
import { NODE_STATE_NAMES } from './nodes.js';

/** What the word after an option or in a positional slot is: a node, a state, a file, or anything. */
type Slot = 'node' | 'state' | 'file' | 'any';

const FILE_ARGS = new Set(['FILE', 'DIR', 'KEY', 'PATH']);

function optionSlot(name: string, def: OptionDef): Slot | null {
  if (def.type === 'boolean') return null;
  if (def.arg === 'NODE') return 'node';
  if (name === 'state' && def.arg === 'S') return 'state';
  if (def.arg !== undefined && FILE_ARGS.has(def.arg)) return 'file';
  if (name.endsWith('-file') || name === 'config' || name === 'out') return 'file';
  return 'any';
}

/** The positional slots of a command, read from its usage line (`NODE STATE --reason TEXT`). */
function positionalSlots(c: Command): Slot[] {
  const words = c.usage.split(/\s+/).filter((w) => w && !w.startsWith('-') && !w.startsWith('('));
  const slots: Slot[] = [];
  for (const w of words) {
    const bare = w.replace(/[[\]]/g, '');
    if (bare === 'NODE') slots.push('node');
    else if (bare === 'STATE') slots.push('state');
    else if (/^(FILE|RESULT\.json|BASE\.json|CURRENT\.json)/.test(bare)) slots.push('file');
    else if (/^[A-Z][A-Z0-9_.]*$/.test(bare)) slots.push('any');
    else break;
  }
  return slots;
}

interface CompletionModel {
  groups: Map<string, string[]>;
  commands: Array<{
    key: string;
    name: string;
    options: Array<{ flag: string; slot: Slot | null }>;
    positional: Slot[];
  }>;
}

const GLOBAL: Array<{ flag: string; slot: Slot | null }> = [
  { flag: '--help', slot: null },
  { flag: '--json', slot: null },
  { flag: '--config', slot: 'file' },
  { flag: '--url', slot: 'any' },
  { flag: '--token', slot: 'any' },
];

function modelOf(commands: readonly Command[]): CompletionModel {
  const groups = new Map<string, string[]>();
  const out: CompletionModel['commands'] = [];
  for (const c of commands) {
    if (c.name.startsWith('__')) continue;
    const [group, sub] = c.name.split(' ') as [string, string | undefined];
    if (!groups.has(group)) groups.set(group, []);
    if (sub) groups.get(group)?.push(sub);
    out.push({
      key: c.name.replace(' ', '_'),
      name: c.name,
      options: [
        ...GLOBAL,
        ...Object.entries(c.options ?? {}).map(([name, def]) => ({ flag: `--${name}`, slot: optionSlot(name, def) })),
      ],
      positional: positionalSlots(c),
    });
  }
  return { groups, commands: out };
}

const sorted = (words: Iterable<string>): string => [...words].sort().join(' ');

/** Bash: subcommands, flags, node names and states (asked from the server through `fleet __complete`). */
export function bashCompletion(commands: readonly Command[]): string {
  const m = modelOf(commands);
  const subCases = [...m.groups]
    .filter(([, subs]) => subs.length > 0)
    .map(([g, subs]) => `      ${g}) COMPREPLY=( $(compgen -W "${sorted(subs)}" -- "$cur") ); return ;;`)
    .join('\n');
  const cases = m.commands
    .map((c) => {
      const valued = c.options.filter((o) => o.slot !== null);
      const bySlot = (slot: Slot) =>
        valued
          .filter((o) => o.slot === slot)
          .map((o) => o.flag)
          .join('|');
      return `    ${c.key}) opts="${sorted(c.options.map((o) => o.flag))}"; node_opts="${bySlot('node')}"; state_opts="${bySlot('state')}"; value_opts="${bySlot('any')}"; positional="${c.positional.join(' ')}" ;;`;
    })
    .join('\n');
  return `# bash completion for fleet — load with: source <(fleet completion bash)
_fleet_words() { "\${COMP_WORDS[0]}" __complete "$1" 2>/dev/null; }
_fleet() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local group="\${COMP_WORDS[1]}" sub="\${COMP_WORDS[2]}"
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=( $(compgen -W "${sorted(m.groups.keys())} --help --version" -- "$cur") )
    return
  fi
  if [[ $COMP_CWORD -eq 2 && "$cur" != -* ]]; then
    case "$group" in
${subCases}
    esac
  fi
  local key="$group" first=2
  [[ -n "$sub" && "$sub" != -* && " ${[...m.groups]
    .filter(([, s]) => s.length > 0)
    .map(([g]) => g)
    .join(' ')} " == *" $group "* ]] && key="\${group}_\${sub}" && first=3
  local opts="" node_opts="" state_opts="" value_opts="" positional=""
  case "$key" in
${cases}
  esac
  if [[ -n "$node_opts" && "$prev" == @($node_opts) ]]; then
    COMPREPLY=( $(compgen -W "$(_fleet_words nodes)" -- "$cur") ); return
  fi
  if [[ -n "$state_opts" && "$prev" == @($state_opts) ]]; then
    COMPREPLY=( $(compgen -W "$(_fleet_words states)" -- "$cur") ); return
  fi
  if [[ -n "$value_opts" && "$prev" == @($value_opts) ]]; then
    COMPREPLY=(); return
  fi
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") ); return
  fi
  # Which positional argument is this? Count the words since the command that are not options or their values.
  local i n=0 w
  for (( i=first; i<COMP_CWORD; i++ )); do
    w="\${COMP_WORDS[i]}"
    if [[ "$w" == -* ]]; then
      [[ " $node_opts|$state_opts|$value_opts " == *"$w"* ]] && (( i++ ))
      continue
    fi
    (( n++ ))
  done
  local slots=( $positional )
  case "\${slots[n]}" in
    node) COMPREPLY=( $(compgen -W "$(_fleet_words nodes)" -- "$cur") ) ;;
    state) COMPREPLY=( $(compgen -W "$(_fleet_words states)" -- "$cur") ) ;;
    any) COMPREPLY=() ;;
    *) COMPREPLY=( $(compgen -f -- "$cur") ) ;;
  esac
}
complete -F _fleet fleet
`;
}

/**
 * Zsh: the bash function through zsh's bashcompinit, defined under ksh emulation (0-based arrays, ksh
 * globs) so both shells complete exactly alike.
 */
export function zshCompletion(commands: readonly Command[]): string {
  const body = bashCompletion(commands)
    .split('\n')
    .filter((l) => !l.startsWith('# bash completion') && !l.startsWith('complete -F'))
    .join('\n');
  return `# zsh completion for fleet — load with: source <(fleet completion zsh)
autoload -U +X compinit && compinit -u
autoload -U +X bashcompinit && bashcompinit
emulate ksh -c '${body.replace(/'/g, `'\\''`)}'
complete -F _fleet fleet
`;
}

/** Fish: one `complete` line per subcommand and option; nodes and states come from \`fleet __complete\`. */
export function fishCompletion(commands: readonly Command[]): string {
  const m = modelOf(commands);
  const q = (s: string) => `'${s.replace(/'/g, "\\'")}'`;
  const lines = [
    '# fish completion for fleet — load with: fleet completion fish | source',
    'function __fleet_cmd --description "true when the words after fleet start with the arguments"',
    "  set -l line (string join ' ' -- (commandline -opc) | string replace -r '^\\S+\\s*' '')' '",
    "  string match -q -- (string join ' ' -- $argv)' *' $line",
    'end',
    'complete -c fleet -f',
    `complete -c fleet -n __fish_use_subcommand -a ${q(sorted(m.groups.keys()))}`,
  ];
  for (const [g, subs] of m.groups)
    if (subs.length > 0)
      lines.push(
        `complete -c fleet -n '__fleet_cmd ${g}; and not __fish_seen_subcommand_from ${subs.join(' ')}' -a ${q(sorted(subs))}`,
      );
  for (const c of m.commands) {
    const cond = `__fleet_cmd ${c.name}`;
    for (const o of c.options) {
      const long = o.flag.slice(2);
      let values = '';
      if (o.slot === 'node') values = " -x -a '(fleet __complete nodes 2>/dev/null)'";
      else if (o.slot === 'state') values = " -x -a '(fleet __complete states 2>/dev/null)'";
      else if (o.slot === 'file') values = ' -r -F';
      else if (o.slot === 'any') values = ' -x';
      lines.push(`complete -c fleet -n '${cond}' -l ${long}${values}`);
    }
    if (c.positional[0] === 'node')
      lines.push(`complete -c fleet -n '${cond}' -a '(fleet __complete nodes 2>/dev/null)'`);
    if (c.positional.includes('state'))
      lines.push(`complete -c fleet -n '${cond}' -a '(fleet __complete states 2>/dev/null)'`);
    if (c.positional[0] === 'file') lines.push(`complete -c fleet -n '${cond}' -F`);
  }
  return `${lines.join('\n')}\n`;
}

export function completionCommand(all: () => readonly Command[]): Command {
  return {
    name: 'completion',
    summary: 'print a shell completion script (bash, zsh or fish); node names come from the server as you type',
    usage: 'bash|zsh|fish',
    examples: [
      'source <(fleet completion bash)',
      'source <(fleet completion zsh)',
      'fleet completion fish | source',
      'fleet completion bash > /etc/bash_completion.d/fleet',
    ],
    async run(ctx) {
      const shell = ctx.positionals[0] ?? 'bash';
      if (shell === 'bash') ctx.io.out(bashCompletion(all()));
      else if (shell === 'zsh') ctx.io.out(zshCompletion(all()));
      else if (shell === 'fish') ctx.io.out(fishCompletion(all()));
      else throw usageError(`completion for bash, zsh or fish, got ${JSON.stringify(shell)}`);
      return 0;
    },
  };
}

/**
 * `fleet __complete nodes|states`: the words a completion script offers, one per line. Node names come
 * from the server with the configured URL and token (hostnames, ids of unnamed nodes); anything that goes
 * wrong prints nothing, so a shell never shows an error while someone types.
 */
export const completeCommand: Command = {
  name: '__complete',
  summary: 'words for shell completion (used by the completion scripts)',
  usage: 'nodes|states',
  examples: ['fleet __complete nodes'],
  async run(ctx) {
    const what = ctx.positionals[0];
    if (what === 'states') {
      ctx.io.out(NODE_STATE_NAMES.join('\n'));
      return 0;
    }
    if (what !== 'nodes') throw usageError('__complete nodes|states');
    try {
      const { machineDb } = await import('../api.js');
      const client = await machineDb(ctx);
      const names: string[] = [];
      for await (const n of client.iterateNodes({ limit: 500 })) {
        names.push(n.hostname ?? n.id);
        if (names.length >= 5000) break;
      }
      ctx.io.out(names.sort().join('\n'));
    } catch {
      // completion stays quiet: no server, no token, no words
    }
    return 0;
  },
};
