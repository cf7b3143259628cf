#!/usr/bin/env bash
# Starts and stops the real servers the integration tests use, on 127.0.0.1 only:
#   PostgreSQL 15, OpenLDAP slapd (with test users and groups) and one OpenSSH sshd.
# Usage: scripts/services.sh up|down|status|env
# Everything lives in $FLEET_SERVICES_DIR (default /tmp/fleet-services); tests read its env.json.
set -euo pipefail
dir=${FLEET_SERVICES_DIR:-/tmp/fleet-services}
pg_port=${FLEET_PG_PORT:-55432}
ldap_port=${FLEET_LDAP_PORT:-38900}
ssh_port=${FLEET_SSH_PORT:-22022}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# Stops the process a pid file names, only if it still is that program: a pid file left on disk by a machine
# that went away (a copied disk, a crash) may name a pid some unrelated process has now.
stop_pid() {
  local f=$1 name=$2
  [ -f "$f" ] || return 0
  local pid; pid=$(head -n1 "$f" 2>/dev/null || true)
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

down() {
  # pg_ctl signals whatever pid postmaster.pid names: ask it only when that pid is a postgres.
  local pg_pid; pg_pid=$(head -n1 "$dir/pg/postmaster.pid" 2>/dev/null || true)
  if [ -n "$pg_pid" ] && [ "$(cat "/proc/$pg_pid/comm" 2>/dev/null)" = postgres ]; then
    as_postgres "$pgbin/pg_ctl" -D "$dir/pg" -m immediate -w stop >/dev/null 2>&1 || stop_pid "$dir/pg/postmaster.pid" postgres
  fi
  stop_pid "$dir/slapd.pid" slapd
  stop_pid "$dir/sshd.pid" sshd
  rm -rf "$dir"
}

up_postgres() {
  mkdir -p "$dir/pg" "$dir/pgsock"
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$dir/pg" "$dir/pgsock"
  as_postgres "$pgbin/initdb" -D "$dir/pg" --auth=trust --no-sync -U postgres >/dev/null
  as_postgres "$pgbin/pg_ctl" -D "$dir/pg" -w -l "$dir/pg/../pgsock/pg.log" \
    -o "-p $pg_port -k $dir/pgsock -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
}

up_slapd() {
  local l="$dir/ldap"; mkdir -p "$l/db"
  local mods=/usr/lib/ldap
  cat > "$l/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath $mods
moduleload back_mdb
pidfile $dir/slapd.pid
database mdb
maxsize 104857600
suffix "dc=fleet,dc=test"
rootdn "cn=admin,dc=fleet,dc=test"
rootpw admin-secret
directory $l/db
access to attrs=userPassword by self read by anonymous auth by * none
access to * by * read
CONF
  cat > "$l/seed.ldif" <<'LDIF'
dn: dc=fleet,dc=test
objectClass: dcObject
objectClass: organization
o: fleet test
dc: fleet

dn: ou=people,dc=fleet,dc=test
objectClass: organizationalUnit
ou: people

dn: ou=groups,dc=fleet,dc=test
objectClass: organizationalUnit
ou: groups

dn: uid=alice,ou=people,dc=fleet,dc=test
objectClass: inetOrgPerson
uid: alice
cn: Alice Admin
sn: Admin
userPassword: alice-pass

dn: uid=bob,ou=people,dc=fleet,dc=test
objectClass: inetOrgPerson
uid: bob
cn: Bob Viewer
sn: Viewer
userPassword: bob-pass

dn: uid=carol,ou=people,dc=fleet,dc=test
objectClass: inetOrgPerson
uid: carol
cn: Carol Nogroup
sn: Nogroup
userPassword: carol-pass

dn: cn=fleet-admins,ou=groups,dc=fleet,dc=test
objectClass: groupOfNames
cn: fleet-admins
member: uid=alice,ou=people,dc=fleet,dc=test

dn: cn=fleet-viewers,ou=groups,dc=fleet,dc=test
objectClass: groupOfNames
cn: fleet-viewers
member: uid=bob,ou=people,dc=fleet,dc=test
member: uid=alice,ou=people,dc=fleet,dc=test
LDIF
  slapadd -f "$l/slapd.conf" -l "$l/seed.ldif" >/dev/null 2>&1
  slapd -f "$l/slapd.conf" -h "ldap://127.0.0.1:$ldap_port/"
  for _ in $(seq 1 50); do
    ldapsearch -x -H "ldap://127.0.0.1:$ldap_port/" -b dc=fleet,dc=test -s base >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "services: slapd did not answer on port $ldap_port" >&2; return 1
}

up_sshd() {
  local s="$dir/ssh"; mkdir -p "$s" /run/sshd
  ssh-keygen -q -t ed25519 -N '' -f "$s/host_ed25519" -C fleet-test-host
  ssh-keygen -q -t ed25519 -N '' -f "$s/client_ed25519" -C fleet-test-client
  cp "$s/client_ed25519.pub" "$s/authorized_keys"
  cat > "$s/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $ssh_port
HostKey $s/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $s/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
MaxStartups 100:30:200
MaxSessions 50
CONF
  /usr/sbin/sshd -f "$s/sshd_config" -E "$dir/sshd.log"
  echo "[127.0.0.1]:$ssh_port $(cut -d' ' -f1-2 "$s/host_ed25519.pub")" > "$s/known_hosts"
}

write_env() {
  cat > "$dir/env.json" <<JSON
{
  "postgres": { "url": "postgres://postgres@127.0.0.1:$pg_port/postgres", "port": $pg_port },
  "ldap": {
    "url": "ldap://127.0.0.1:$ldap_port",
    "baseDn": "dc=fleet,dc=test",
    "bindDn": "cn=admin,dc=fleet,dc=test",
    "bindPassword": "admin-secret",
    "usersDn": "ou=people,dc=fleet,dc=test",
    "groupsDn": "ou=groups,dc=fleet,dc=test",
    "users": { "alice": "alice-pass", "bob": "bob-pass", "carol": "carol-pass" },
    "adminGroup": "cn=fleet-admins,ou=groups,dc=fleet,dc=test",
    "viewerGroup": "cn=fleet-viewers,ou=groups,dc=fleet,dc=test"
  },
  "ssh": {
    "host": "127.0.0.1",
    "port": $ssh_port,
    "username": "$(id -un)",
    "privateKeyPath": "$dir/ssh/client_ed25519",
    "knownHostsPath": "$dir/ssh/known_hosts",
    "hostPublicKeyPath": "$dir/ssh/host_ed25519.pub"
  }
}
JSON
}

case "${1:-}" in
  up)
    down
    mkdir -p "$dir"; chmod 755 "$dir"
    up_postgres
    up_slapd
    up_sshd
    write_env
    echo "services: postgres :$pg_port, slapd :$ldap_port, sshd :$ssh_port (env: $dir/env.json)"
    ;;
  down) down; echo "services: stopped" ;;
  status)
    [ -f "$dir/env.json" ] && cat "$dir/env.json" || { echo "services: not running"; exit 1; } ;;
  env) echo "$dir/env.json" ;;
  *) echo "usage: $0 up|down|status|env" >&2; exit 2 ;;
esac
