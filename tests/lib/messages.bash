# messages.bash - a small store for the outbox tests (tests/cli/messages*.sh), and
# helpers to run SQL, find a free port and start the local receivers.
# Source after cli.bash and bl_setup.

# write_store_files: shops in New York (ships from Shanghai, under lockdown) and
# Shanghai time; buyers in en-US, zh-CN, zh, pt-BR and one without a customer id.
write_store_files() {
    cat >"$TMP/shops.csv" <<'CSV'
id,name,platform,profile,currency,tz,ship_from,deposit
s1,Lamps & Light,own-site,own-site,USD,America/New_York,CN-SH,500.00
s2,灯与光,kuaishou,kuaishou,CNY,Asia/Shanghai,CN-GD,100.00
CSV
    cat >"$TMP/skus.csv" <<'CSV'
id,name,weight_g
P1,Desk lamp,1500
P2,Bulb,100
CSV
    cat >"$TMP/wh.csv" <<'CSV'
id,name,region,kind
W1,Main,CN-GD,own
CSV
    cat >"$TMP/stock.csv" <<'CSV'
warehouse,sku,on_hand,reserved,counted_at
W1,P1,100,0,2022-05-01T00:00:00Z
W1,P2,0,0,2022-05-01T00:00:00Z
CSV
    # A1 late (ship-by passed, Shanghai lockdown); A2 hit by the lockdown, ship-by later;
    # B1 shipped, delivery late; B2 its bulb out of stock, no restock; B3 no customer id;
    # B4 fine.
    cat >"$TMP/orders.csv" <<'CSV'
order,shop,sku,qty,unit_price,placed_at,ship_by,promised_at,ship_to,shipped_at,delivered_at,customer,locale
A1,s1,P1,1,100.00,2022-05-01T00:00:00Z,2022-05-03T00:00:00Z,2022-05-12T00:00:00Z,US-CA,,,c1,en-US
A2,s1,P1,1,40.00,2022-05-08T00:00:00Z,2022-05-20T00:00:00Z,2022-05-30T00:00:00Z,US-NY,,,c2,zh-CN
B1,s2,P1,1,50.00,2022-05-01T00:00:00Z,2022-05-04T00:00:00Z,2022-05-08T00:00:00Z,CN-BJ,2022-05-03T00:00:00Z,,c3,zh-CN
B2,s2,P2,2,10.00,2022-05-06T00:00:00Z,2022-05-11T00:00:00Z,2022-05-15T00:00:00Z,CN-ZJ,,,c4,zh
B3,s2,P1,1,10.00,2022-05-06T00:00:00Z,2022-05-09T00:00:00Z,2022-05-15T00:00:00Z,CN-ZJ,,,,pt-BR
B4,s2,P1,1,10.00,2022-05-09T00:00:00Z,2022-05-20T00:00:00Z,2022-05-25T00:00:00Z,CN-ZJ,,,c5,pt-BR
CSV
    cat >"$TMP/dis.csv" <<'CSV'
id,region,scope,kind,starts_at,ends_at,note
sh,CN-SH,origin,lockdown,2022-04-01T00:00:00Z,2022-06-01T00:00:00Z,Shanghai lockdown
CSV
}

# load_org ORG: creates the organisation and imports the files into it.
load_org() {
    local o=$1 k
    "$BALLAST" --db "$DB" --org "$o" init >/dev/null 2>&1 || return 1
    for k in "shops shops.csv" "skus skus.csv" "warehouses wh.csv" "stock stock.csv" \
        "orders orders.csv" "disruptions dis.csv"; do
        set -- $k
        "$BALLAST" --db "$DB" --org "$o" import "$1" "$TMP/$2" >/dev/null 2>&1 || return 1
    done
}

# sql 'STATEMENT': runs SQL on the test store (sqlite3 or psql), prints rows.
sql() {
    if [ "$BACKEND" = sqlite ]; then sqlite3 -cmd '.timeout 5000' "$DB" "$1"; else psql -qtA "$DB" -c "$1"; fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_ready DIR: until the receiver wrote DIR/ready (10 s at most).
wait_ready() {
    local i
    for i in $(seq 1 100); do [ -f "$1/ready" ] && return 0; sleep 0.1; done
    return 1
}

# A python3 that has aiosmtpd (Debian python3-aiosmtpd lives in /usr/bin/python3).
smtp_python() {
    local p
    for p in python3 /usr/bin/python3; do
        command -v "$p" >/dev/null && "$p" -c 'import aiosmtpd' 2>/dev/null && { echo "$p"; return 0; }
    done
    return 1
}

# stop PID...: ends the receivers this test started (by pid), quietly.
stop() {
    local p
    for p in "$@"; do
        kill -9 "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    return 0
}

# set_shops [ORG]: real-looking settings for s1 and s2 (account page, support, signature,
# sender), so their messages are not held for a missing one.
set_shops() {
    local o=${1:-default}
    "$BALLAST" --db "$DB" --org "$o" shops set s1 --account-url https://lamps-light.shop/account \
        --support care@lamps-light.shop --support-hours "9:00-18:00" \
        --signature "Lamps & Light Customer Service" --sender care@lamps-light.shop \
        >/dev/null 2>&1 &&
        "$BALLAST" --db "$DB" --org "$o" shops set s2 --account-url https://lamps-light.shop/s2 \
            --support kefu@lamps-light.shop --support-hours "9:00-18:00" \
            --signature "灯与光客服团队" --sender kefu@lamps-light.shop >/dev/null 2>&1
}

# auto_send ORG KIND...: every shop of ORG sends those kinds without a person's approval.
auto_send() {
    local o=$1 k
    shift
    for k in "$@"; do
        "$BALLAST" --db "$DB" --org "$o" messages policy set --kind "$k" --all-shops --auto \
            >/dev/null 2>&1 || return 1
    done
}

# The shops' relay domain for buyers without an e-mail address (<customer>@RELAY).
RELAY=relay.lamps-light.shop
