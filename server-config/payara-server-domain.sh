#!/usr/bin/env bash
# Prepares a Payara Server 7 domain for Gatehouse and leaves it running, ready for `asadmin deploy`.
# docs/operations.md, "Deploy to Payara Server", gives the whole path; in short:
#
#   export GATEHOUSE_DB_HOST=... GATEHOUSE_DB_PORT=5432 GATEHOUSE_DB_NAME=... GATEHOUSE_DB_USER=... GATEHOUSE_DB_PASSWORD=...
#   export GATEHOUSE_MAIL_HOST=... GATEHOUSE_MAIL_PORT=587 GATEHOUSE_MAIL_USER=... GATEHOUSE_MAIL_PASSWORD=... \
#          GATEHOUSE_MAIL_FROM=no-reply@example.com GATEHOUSE_MAIL_STARTTLS=true
#   server-config/payara-server-domain.sh /opt/payara7 [target/runtime/postgresql.jar]
#
# Settings (environment):
#   GATEHOUSE_DB_*           required: the JDBC pool reads them with ${ENV=...} whenever the domain starts, so they
#                            must be in the environment of every start-domain, this one included
#   GATEHOUSE_MAIL_*         required: the mail session mail/gatehouse reads HOST, USER, PASSWORD and FROM the same
#                            way; PORT and STARTTLS are written into the domain by this script (a domain does not
#                            replace ${ENV=...} in a mail session's properties)
#   GATEHOUSE_DOMAIN         domain name (default gatehouse); the script refuses to touch an existing domain
#   GATEHOUSE_PORTBASE       unset: admin 4848, HTTP 8080 (Payara's defaults); N: admin N+48, HTTP N+80, ...
#   GATEHOUSE_HTTP_ADDRESS   address of the HTTP listeners (default 0.0.0.0); administration listens on 127.0.0.1
#
# It runs, against the started domain: pre-boot-commands.asadmin and post-boot-commands.asadmin (the files Payara
# Micro runs: the same pool, resources, mail session, listener and thread settings), then payara-server-domain.asadmin (what only a
# domain needs), adds the PostgreSQL driver to the domain, and restarts the domain so all of it applies. The data
# grid is off from the first start.
set -euo pipefail

payara_dir=${1:?usage: $0 PAYARA_DIR [POSTGRESQL_JAR]}
config_dir=$(cd "$(dirname "$0")" && pwd)
driver_jar=${2:-$config_dir/../target/runtime/postgresql.jar}
domain=${GATEHOUSE_DOMAIN:-gatehouse}
http_address=${GATEHOUSE_HTTP_ADDRESS:-0.0.0.0}

for variable in GATEHOUSE_DB_HOST GATEHOUSE_DB_PORT GATEHOUSE_DB_NAME GATEHOUSE_DB_USER GATEHOUSE_DB_PASSWORD; do
    if [ -z "${!variable:-}" ]; then
        echo "$variable is not set. The JDBC pool reads GATEHOUSE_DB_* from the environment of start-domain;" >&2
        echo "without them the deployment fails (RAR5104 ... \${ENV=$variable})." >&2
        exit 2
    fi
done
for variable in GATEHOUSE_MAIL_HOST GATEHOUSE_MAIL_PORT GATEHOUSE_MAIL_USER GATEHOUSE_MAIL_PASSWORD GATEHOUSE_MAIL_FROM GATEHOUSE_MAIL_STARTTLS; do
    if [ -z "${!variable:-}" ]; then
        echo "$variable is not set. The mail session mail/gatehouse reads GATEHOUSE_MAIL_* from the environment of" >&2
        echo "start-domain; without them no mail (verification, password reset, invitation) can be sent." >&2
        exit 2
    fi
done
if ! [[ $GATEHOUSE_MAIL_PORT =~ ^[0-9]+$ && $GATEHOUSE_MAIL_STARTTLS =~ ^(true|false)$ ]]; then
    echo "GATEHOUSE_MAIL_PORT must be a port number and GATEHOUSE_MAIL_STARTTLS true or false." >&2
    exit 2
fi
if [ ! -f "$driver_jar" ]; then
    echo "No PostgreSQL driver at $driver_jar (./mvnw package puts it in target/runtime/)." >&2
    exit 2
fi
# asadmin runs on AS_JAVA, else JAVA_HOME, else the java on the PATH; the domain on the same. Both need JDK 25.
if [ -n "${JAVA_HOME:-}" ] && [ -z "${AS_JAVA:-}" ]; then
    export AS_JAVA=$JAVA_HOME
fi

asadmin="$payara_dir/bin/asadmin"
domain_options=(--nopassword)
admin_port=4848
if [ -n "${GATEHOUSE_PORTBASE:-}" ]; then
    domain_options+=(--portbase "$GATEHOUSE_PORTBASE")
    admin_port=$((GATEHOUSE_PORTBASE + 48))
fi
# No admin password: administration listens on loopback only (payara-server-domain.asadmin). Set one with
# `asadmin change-admin-password` before opening it further (`asadmin enable-secure-admin`).
"$asadmin" create-domain "${domain_options[@]}" "$domain"
# The data grid (Hazelcast) off before the first start, which runs the commands below: it would join every Payara
# process it finds on the network, and Gatehouse shares nothing through it (instances share PostgreSQL only). This
# is what `asadmin set-hazelcast-configuration --enabled=false` writes; turn it on there to cluster the domain.
domain_xml="$payara_dir/glassfish/domains/$domain/config/domain.xml"
sed -i 's|<hazelcast-config-specific-configuration></hazelcast-config-specific-configuration>|<hazelcast-config-specific-configuration enabled="false"></hazelcast-config-specific-configuration>|' "$domain_xml"
if ! grep -q '<hazelcast-config-specific-configuration enabled="false">' "$domain_xml"; then
    echo "Could not switch the data grid off in $domain_xml (another Payara version?)." >&2
    exit 1
fi
"$asadmin" start-domain "$domain"
remote=("$asadmin" --port "$admin_port")

# Payara Micro's listener protocol is http-listener; a domain's plain HTTP one is http-listener-1.
commands=$(mktemp)
trap 'rm -f "$commands"' EXIT
{
    sed 's/protocols\.protocol\.http-listener\./protocols.protocol.http-listener-1./g' "$config_dir/pre-boot-commands.asadmin"
    # A domain replaces ${ENV=...} in the mail session's attributes (host, user, password, sender) whenever it loads
    # it, but not in its properties: the port and STARTTLS are written in now.
    sed -e "s/\${ENV=GATEHOUSE_MAIL_PORT}/$GATEHOUSE_MAIL_PORT/g" -e "s/\${ENV=GATEHOUSE_MAIL_STARTTLS}/$GATEHOUSE_MAIL_STARTTLS/g" \
        "$config_dir/post-boot-commands.asadmin"
    cat "$config_dir/payara-server-domain.asadmin"
    echo "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener-1.address=$http_address"
    echo "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener-2.address=$http_address"
} > "$commands"
"${remote[@]}" multimode --file "$commands"
# The driver goes to the domain's lib/, loaded at start by the class loader the JDBC pool uses.
"${remote[@]}" add-library "$driver_jar"
"${remote[@]}" restart-domain "$domain"

echo "Domain $domain is ready for Gatehouse: $("$asadmin" list-domains | grep "^$domain ")"
echo "Deploy: ${remote[*]} deploy --name gatehouse target/gatehouse.war"
