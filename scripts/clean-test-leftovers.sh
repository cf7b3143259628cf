#!/usr/bin/env bash
# Removes what a killed test run can leave behind on this machine, so the next run starts clean:
# network namespaces named by the integration tests, the bird2 and qemu processes they started, and loop
# devices over the storage tests' image files. Touches nothing else: every pattern below is a name or a
# temporary directory that only this project's tests create. Run by .ci/run and scripts/flake-hunt.sh.
set -uo pipefail
tmp=${TMPDIR:-/tmp}
tmp=${tmp%/}

# Processes first (a bird still running inside a namespace keeps it busy).
for pid in $(ps -eo pid=,args= | awk -v t="$tmp" '
  ($2 ~ /(^|\/)bird$/ || $0 ~ /ip netns exec/) && ($0 ~ t "/bootconfig-bird-" || $0 ~ t "/fleet-dual-bgp-" || $0 ~ t "/fnc[0-9a-f]+-") { print $1 }
  $2 ~ /qemu-system/ && $0 ~ t "/fleet-vm-netboot-" { print $1 }'); do
  kill -KILL "$pid" 2>/dev/null || true
done

# Namespaces: netcheck's topology (fnc + 6 hex + role), bootconfig's bird test (bcn/bct + tag) and the
# server's dual-stack BGP test (dualn/dualt + tag).
removed=0
for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
  if [[ $ns =~ ^fnc[0-9a-f]{6}(a1|a2|tora|fab|torb|b1)$ || $ns =~ ^(bcn|bct|dualn|dualt)[0-9a-f]+$ ]]; then
    ip netns del "$ns" 2>/dev/null || rm -f "/run/netns/$ns"
    removed=$((removed + 1))
  fi
done

# Loop devices whose backing file is one of the storage tests' images.
loops=0
while IFS= read -r line; do
  dev=${line%%:*}
  losetup -d "$dev" 2>/dev/null && loops=$((loops + 1))
done < <(losetup -a 2>/dev/null | grep -E "\(${tmp}/fleet-(cli-)?storage-" || true)

echo "test leftovers: $removed namespace(s), $loops loop device(s) removed"
