#!/usr/bin/env bash
# Installs the gateway as a systemd service (run as root from a clone):
#
#   /opt/icgw/bin/icgw               launcher: java -cp '/opt/icgw/lib/*' org.icgw.gateway.Main --config ...
#   /opt/icgw/lib/                   the gateway's jar and its dependencies
#   /opt/icgw/share/                 the pristine sample configuration, the demo seed, the README
#   /etc/icgw/icgw.yaml              the configuration (the sample; kept when it exists: the new one goes to .new)
#   /etc/icgw/icgw.env               secrets for systemd's EnvironmentFile, generated once (mode 0640)
#   /var/lib/icgw                    embedded store and recordings, owned by the icgw system user
#   /etc/systemd/system/icgw.service the unit (deploy/systemd/icgw.service)
#
# Options:
#   --destdir DIR   install under DIR instead of / (packaging, tests): no user, no chown, no systemctl
#   --no-build      use the jars already built (gateway/target) instead of running Maven
#   --from DIR      take the jars from DIR (every *.jar in DIR and DIR/lib) instead of gateway/target
#   --java-home D   the JDK 25 the launcher runs (default: the one the build uses)
#
# Nothing is started: after it, `systemctl enable --now icgw` (see README "Running under systemd").
set -euo pipefail
cd "$(dirname "$0")/.."

DESTDIR=""
BUILD=1
FROM="gateway/target"
JAVA_HOME_FOR_LAUNCHER="${JAVA_HOME:-}"
PREFIX=/opt/icgw
while [ $# -gt 0 ]; do
  case "$1" in
    --destdir) DESTDIR="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --from) FROM="$2"; BUILD=0; shift 2 ;;
    --java-home) JAVA_HOME_FOR_LAUNCHER="$2"; shift 2 ;;
    *) echo "install.sh: unknown option $1 (--destdir DIR, --no-build, --from DIR, --java-home DIR)" >&2; exit 2 ;;
  esac
done
if [ -n "$DESTDIR" ]; then
  DESTDIR="$(cd "$DESTDIR" && pwd)"
elif [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (or give --destdir)" >&2
  exit 1
fi

if [ "$BUILD" -eq 1 ]; then
  . deploy/env.sh
  JAVA_HOME_FOR_LAUNCHER="$JAVA_HOME"
  mvn -B -q -ntp -DskipTests package
fi
if [ -z "$JAVA_HOME_FOR_LAUNCHER" ]; then
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25*; do
    if [ -x "$d/bin/java" ]; then JAVA_HOME_FOR_LAUNCHER="$d"; break; fi
  done
fi
[ -n "$JAVA_HOME_FOR_LAUNCHER" ] || { echo "install.sh: no JDK 25 found; give --java-home" >&2; exit 1; }

shopt -s nullglob
jars=("$FROM"/*.jar "$FROM"/lib/*.jar)
[ ${#jars[@]} -gt 0 ] || { echo "install.sh: no jars in $FROM (build first, or drop --no-build)" >&2; exit 1; }

install -d -m 0755 "$DESTDIR$PREFIX/bin" "$DESTDIR$PREFIX/share/seed" "$DESTDIR/etc/systemd/system"
rm -rf "$DESTDIR$PREFIX/lib"
install -d -m 0755 "$DESTDIR$PREFIX/lib"
install -m 0644 "${jars[@]}" "$DESTDIR$PREFIX/lib/"
install -m 0644 deploy/icgw.yaml "$DESTDIR$PREFIX/share/icgw.yaml"
install -m 0644 deploy/seed/demo.yaml "$DESTDIR$PREFIX/share/seed/demo.yaml"
install -m 0644 README.md "$DESTDIR$PREFIX/README.md"

cat > "$DESTDIR$PREFIX/bin/icgw" <<EOF
#!/bin/sh
# Runs the inmate calling gateway. Without --config, /etc/icgw/icgw.yaml when it exists, else the
# built-in defaults. JVM options: ICGW_JAVA_OPTS (e.g. -Xmx1g -Dicgw.log.format=json).
ICGW_HOME="\${ICGW_HOME:-$PREFIX}"
JAVA_HOME="\${JAVA_HOME:-$JAVA_HOME_FOR_LAUNCHER}"
config=""
case " \$* " in
  *" --config "*) ;;
  *) [ -r /etc/icgw/icgw.yaml ] && config="--config /etc/icgw/icgw.yaml" ;;
esac
# shellcheck disable=SC2086
exec "\$JAVA_HOME/bin/java" \${ICGW_JAVA_OPTS:-} -cp "\$ICGW_HOME/lib/*" org.icgw.gateway.Main \$config "\$@"
EOF
chmod 0755 "$DESTDIR$PREFIX/bin/icgw"

install -d -m 0755 "$DESTDIR/etc/icgw"
if [ -e "$DESTDIR/etc/icgw/icgw.yaml" ]; then
  install -m 0644 deploy/icgw.yaml "$DESTDIR/etc/icgw/icgw.yaml.new"
  echo "kept /etc/icgw/icgw.yaml; the new sample is /etc/icgw/icgw.yaml.new"
else
  install -m 0644 deploy/icgw.yaml "$DESTDIR/etc/icgw/icgw.yaml"
fi
secret() { head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | cut -c1-40; }
if [ ! -e "$DESTDIR/etc/icgw/icgw.env" ]; then
  umask 027
  cat > "$DESTDIR/etc/icgw/icgw.env" <<EOF
# Secrets of the gateway, read by systemd (EnvironmentFile= in icgw.service); generated at install.
# The configuration takes them when it names no secret of its own (or names them as \${env:NAME}).
# Keep ICGW_PIN_PEPPER forever: every PIN hash depends on it.
ICGW_PIN_PEPPER=$(secret)
ICGW_STAFF_TOKEN=$(secret)
ICGW_INVESTIGATOR_TOKEN=$(secret)
# The PostgreSQL password, when store.jdbc_url names PostgreSQL:
#ICGW_DB_PASSWORD=
EOF
  chmod 0640 "$DESTDIR/etc/icgw/icgw.env"
  umask 022
fi
install -d -m 0750 "$DESTDIR/var/lib/icgw"
install -m 0644 deploy/systemd/icgw.service "$DESTDIR/etc/systemd/system/icgw.service"

if [ -z "$DESTDIR" ]; then
  if ! getent passwd icgw >/dev/null; then
    useradd --system --user-group --home-dir /var/lib/icgw --no-create-home --shell /usr/sbin/nologin icgw
  fi
  chown icgw:icgw /var/lib/icgw
  chown root:icgw /etc/icgw/icgw.env
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    systemctl daemon-reload
  fi
  echo "installed; start with: systemctl enable --now icgw"
else
  echo "installed under $DESTDIR"
fi
