#!/usr/bin/env bash
# A password in a store URL is never printed: not when the store is created or is up to
# date, not when it is not initialised (issue 15, item 9). SQLite paths are shown as they
# are. On PostgreSQL the test server trusts loopback, so the password is not needed but is
# given, as a user would.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" secrets

if [ "$BACKEND" = sqlite ]; then
    out=$(bl init 2>&1)
    [[ "$out" == *"sqlite store $DB "* ]] && ok "an SQLite path is shown as it is" ||
        not_ok "sqlite path shown" "$out"
    bl_done
    exit $?
fi

SECRET=SuperSecretPw
# postgres://user@host:port/db -> postgres://user:SECRET@host:port/db?application_name=x
url=$(sed "s|://\([^@/]*\)@|://\1:$SECRET@|" <<<"$DB")?application_name=$SECRET
[[ "$url" == *":$SECRET@"* ]] || { not_ok "the test URL carries a password" "$url"; bl_done; exit 1; }

out=$("$BALLAST" --db "$url" --org fresh stats 2>&1)
[[ "$out" != *"$SECRET"* && "$out" == *"not initialised"* && "$out" == *":***@"* ]] &&
    ok "not initialised: the URL without its password or query" || not_ok "not initialised" "$out"
out=$("$BALLAST" --db "$url" init 2>&1)
[[ "$out" != *"$SECRET"* && "$out" == *"postgres store "*":***@"*" migrated from schema"* ]] &&
    ok "init: the URL without its password" || not_ok "init shows no password" "$out"
out=$("$BALLAST" --db "$url" init 2>&1)
[[ "$out" != *"$SECRET"* && "$out" == *"up to date"* ]] &&
    ok "up to date: the URL without its password" || not_ok "up to date shows no password" "$out"
bad=$(sed "s|@[^/]*/|@127.0.0.1:1/|" <<<"$url")
out=$("$BALLAST" --db "$bad" init 2>&1)
[[ "$out" != *"$SECRET"* ]] && ok "a failed connection: no password" ||
    not_ok "connect failure shows no password" "$out"

bl_done
