import type { ResolvedNodeConfig } from '../resolve.js';

/** The MachineDB route a node reports its events to (`reportNodeEvent`, authenticated by the node's token). */
export function nodeEventsUrl(c: ResolvedNodeConfig): string {
  return `${c.machineDbUrl}/api/v1/nodes/${c.nodeId}/events`;
}

/** The reason the installer's early command gives with `install-started`. */
export const EARLY_STARTED_REASON = 'the installer runs its configuration (early command)';
/** The reason the late command gives with `install-started` (a no-op unless the early report was lost). */
export const LATE_STARTED_REASON = 'the installer reached its late command';

/**
 * The installer's first command: it reports `install-started` with the node's install token, so the
 * node's history shows the installer itself running its configuration (not just a fetch of the file).
 * A report that fails never stops the install: the late command reports `install-started` again. d-i
 * has GNU wget and no curl; Ubuntu's live installer has curl. Token and URL passed the allow-lists.
 */
export function earlyCommandFor(c: ResolvedNodeConfig, client: 'wget' | 'curl'): string {
  const body = `{"type":"install-started","reason":"${EARLY_STARTED_REASON}"}`;
  const url = nodeEventsUrl(c);
  const auth = `Authorization: Bearer ${c.installToken}`;
  const json = 'Content-Type: application/json';
  const report =
    client === 'wget'
      ? `wget -q -O /dev/null --tries=5 --waitretry=3 --retry-connrefused --header='${auth}' --header='${json}' --post-data='${body}' '${url}'`
      : `curl -fsS -o /dev/null --retry 5 --retry-delay 3 --retry-connrefused -X POST -H '${auth}' -H '${json}' --data '${body}' '${url}'`;
  return `${report} || echo 'fleet: install-started not reported; the late command reports it' >&2`;
}

// Everything after the node's values: the same text for every node, and ASCII only (one byte per character,
// test/late-command.integ.test.ts checks it).
const LATE_SCRIPT_TAIL = `
# Prints the 4-hex-digit number of the netboot entry, or nothing.
netboot_entry() {
\tlisting=$(efibootmgr -v) || return 0
\tfound=$(printf '%s\\n' "$listing" | while IFS= read -r line; do
\t\tcase "$line" in Boot[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]*) ;; *) continue ;; esac
\t\tlower=$(printf '%s' "$line" | tr 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' 'abcdefghijklmnopqrstuvwxyz')
\t\tcase "$lower" in *"mac(\${BOOT_MAC},"* | *"mac:\${BOOT_MAC})"*) printf '%s\\n' "$line" | cut -c5-8; break ;; esac
\tdone)
\tif [ -z "$found" ]; then
\t\tfound=$(printf '%s\\n' "$listing" | while IFS= read -r line; do
\t\t\tcase "$line" in Boot[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]*) ;; *) continue ;; esac
\t\t\tlabel=\${line#* }
\t\t\tcase "$label" in "$ENTRY_LABEL" | "$ENTRY_LABEL"'\t'* | "$ENTRY_LABEL "*) printf '%s\\n' "$line" | cut -c5-8; break ;; esac
\t\tdone)
\tfi
\tprintf '%s' "$found"
}

firmware=bios
netboot_first=false
if [ -d "\${FLEET_EFI_DIR:-/sys/firmware/efi}" ]; then
\tfirmware=uefi
\tentry=$(netboot_entry)
\tif [ -n "$entry" ]; then
\t\torder=$(efibootmgr | sed -n 's/^BootOrder: //p')
\t\trest=$(printf '%s\\n' "$order" | tr ',' '\\n' | grep -v -i -x -F "$entry" | paste -s -d, -)
\t\tif efibootmgr -q -o "$entry\${rest:+,$rest}"; then netboot_first=true; fi
\telse
\t\techo "fleet: no UEFI boot entry for MAC $BOOT_MAC or label $ENTRY_LABEL; boot order unchanged" >&2
\tfi
fi

# Reports one node event: report TYPE REASON.
report() {
\tbody="{\\"type\\":\\"$1\\",\\"reason\\":\\"$2\\"}"
\tif command -v curl >/dev/null 2>&1; then
\t\tcurl -fsS --retry 5 --retry-delay 3 -X POST -H "Authorization: Bearer $TOKEN" \\
\t\t\t-H 'Content-Type: application/json' --data "$body" "$REPORT_URL"
\telse
\t\twget -q -O /dev/null --header="Authorization: Bearer $TOKEN" \\
\t\t\t--header='Content-Type: application/json' --post-data="$body" "$REPORT_URL"
\tfi
}

# The early command reported install-started already (then this is a no-op); if it could not, the
# node moves on here, so install-finished is never refused for a node still marked bmc-configured.
report install-started '${LATE_STARTED_REASON}' >/dev/null 2>&1 || true
report install-finished "firmware=$firmware netbootFirst=$netboot_first"
`;

/**
 * The script the installer runs in the target system at the end. It puts the netboot entry first in the
 * UEFI boot order and reports `install-finished` to the MachineDB's node events route (after
 * `install-started`, in case the early command's report was lost).
 *
 * The netboot entry is found by fixed-string matches on the boot MAC as efibootmgr prints it
 * (`MAC(aabbccddeeff,…)`, or `(MAC:AABBCCDDEEFF)` in labels), then by the entry label — never by a
 * regexp over device names, which once left nodes in an install loop. Every interpolated value passed
 * the allow-lists (hex MAC, identifier label, URL, token), and the script travels base64-encoded.
 */
function lateScriptHead(c: ResolvedNodeConfig, options: { writeAuthorizedKeys: boolean }): string {
  const macHex = c.bootMac.replaceAll(':', '');
  const user = c.admin.user;
  const keys = options.writeAuthorizedKeys
    ? `
# Authorized keys for ${user} (the installer has no key option of its own).
install -d -m 0700 -o ${user} -g ${user} /home/${user}/.ssh
cat > /home/${user}/.ssh/authorized_keys <<'FLEET_KEYS'
${c.admin.sshKeys.join('\n')}
FLEET_KEYS
chown ${user}:${user} /home/${user}/.ssh/authorized_keys
chmod 0600 /home/${user}/.ssh/authorized_keys
`
    : '';
  return `#!/bin/sh
# fleet late command for ${c.fqdn}: netboot first in the boot order, then report "installed".
set -u
BOOT_MAC='${macHex}'
ENTRY_LABEL='${c.netboot.entryLabel}'
REPORT_URL='${nodeEventsUrl(c)}'
TOKEN='${c.installToken}'
${keys}`;
}

/** The whole late script (see {@link lateScriptHead}). */
export function lateScriptFor(c: ResolvedNodeConfig, options: { writeAuthorizedKeys: boolean }): string {
  return lateScriptHead(c, options) + LATE_SCRIPT_TAIL;
}

// base64(A + B) = base64(A) + base64(B) when A's length in bytes is a multiple of 3. The tail is ASCII (one
// byte per character), so its encodings from offsets 0, 1 and 2 are computed once (on first use) and each
// node encodes only its head plus the 0–2 tail bytes that complete the head's last 3-byte group.
let tailBase64: string[] | undefined;

/** The script base64-encoded, so its text can never change the structure of the file that carries it. */
export function lateScriptBase64(c: ResolvedNodeConfig, options: { writeAuthorizedKeys: boolean }): string {
  const head = lateScriptHead(c, options);
  tailBase64 ??= [0, 1, 2].map((offset) => Buffer.from(LATE_SCRIPT_TAIL.slice(offset), 'latin1').toString('base64'));
  const take = (3 - (Buffer.byteLength(head, 'utf8') % 3)) % 3;
  return Buffer.from(head + LATE_SCRIPT_TAIL.slice(0, take), 'utf8').toString('base64') + tailBase64[take];
}
