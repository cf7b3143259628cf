import type { ResolvedNodeConfig } from '../resolve.js';

/** The MachineDB route a node reports its events to (`reportNodeEvent`, authenticated by the node's token). */
export function nodeEventsUrl(c: ResolvedNodeConfig): string {
  return `${c.machineDbUrl}/api/v1/nodes/${c.nodeId}/events`;
}

/**
 * The script the installer runs in the target system at the end. It puts the netboot entry first in the
 * UEFI boot order and reports `install-finished` to the MachineDB's node events route.
 *
 * The netboot entry is found by fixed-string matches on the boot MAC as efibootmgr prints it
 * (`MAC(aabbccddeeff,…)`, or `(MAC:AABBCCDDEEFF)` in labels), then by the entry label — never by a
 * regexp over device names, which once left nodes in an install loop. Every interpolated value passed
 * the allow-lists (hex MAC, identifier label, URL, token), and the script travels base64-encoded.
 */
export function lateScriptFor(c: ResolvedNodeConfig, options: { writeAuthorizedKeys: boolean }): string {
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
${keys}
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

body="{\\"type\\":\\"install-finished\\",\\"reason\\":\\"firmware=$firmware netbootFirst=$netboot_first\\"}"
if command -v curl >/dev/null 2>&1; then
\tcurl -fsS --retry 5 --retry-delay 3 -X POST -H "Authorization: Bearer $TOKEN" \\
\t\t-H 'Content-Type: application/json' --data "$body" "$REPORT_URL"
else
\twget -q -O /dev/null --header="Authorization: Bearer $TOKEN" \\
\t\t--header='Content-Type: application/json' --post-data="$body" "$REPORT_URL"
fi
`;
}

/** The script base64-encoded, so its text can never change the structure of the file that carries it. */
export function lateScriptBase64(c: ResolvedNodeConfig, options: { writeAuthorizedKeys: boolean }): string {
  return Buffer.from(lateScriptFor(c, options), 'utf8').toString('base64');
}
