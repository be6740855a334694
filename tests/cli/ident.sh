#!/usr/bin/env bash
# End-to-end: identity by content (issue 15 item 10). The same records in another encoding
# (CRLF, a trailing blank line, gzip, columns in another order) are the same batch;
# disruptions and protections without ids are known by their natural keys; a stock count
# that changes nothing writes no move; a file read with another --tz is refused with the
# way to correct it, and `import KIND FILE --replace BATCH` replaces a batch's records.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" ident

cat > "$TMP/shops.csv" <<'CSV'
id,name,platform,currency,tz,ship_from
s1,Shenzhen Gadgets,amazon,USD,UTC,CN-GD
CSV
cat > "$TMP/skus.csv" <<'CSV'
id,name,price,currency
k1,USB cable,3.99,USD
k2,Desk lamp,19.50,USD
CSV
cat > "$TMP/warehouses.csv" <<'CSV'
id,region
w1,CN-GD
CSV
cat > "$TMP/suppliers.csv" <<'CSV'
id,region,lead_days
p1,CN-GD,10
p2,CN-ZJ,14
CSV
cat > "$TMP/dis.csv" <<'CSV'
region,scope,kind,starts_at,ends_at,note
BR,both,strike,2018-05-21T00:00:00Z,2018-06-01T00:00:00Z,truckers
CN-ZJ,origin,lockdown,2024-11-14T00:00:00Z,,
US-CA,destination,weather,2024-11-20T00:00:00Z,2024-11-22T00:00:00Z,storm
CSV
cat > "$TMP/prot.csv" <<'CSV'
shop,starts_at,ends_at,reason
s1,2024-11-14T00:00:00Z,2024-11-20T00:00:00Z,approved appeal
s1,2024-12-01T00:00:00Z,2024-12-03T00:00:00Z,warehouse fire
CSV
cat > "$TMP/stock.csv" <<'CSV'
warehouse,sku,on_hand,reserved,counted_at
w1,k1,100,5,2024-11-14T00:00:00Z
w1,k2,40,0,2024-11-14T00:00:00Z
CSV

expect_ok "init" bl init
for k in shops skus warehouses suppliers; do expect_ok "import $k" bl import $k "$TMP/$k.csv"; done
expect_ok "import disruptions" bl import disruptions "$TMP/dis.csv"
expect_ok "import protections" bl import protections "$TMP/prot.csv"
expect_ok "import stock" bl import stock "$TMP/stock.csv"
expect_eq "3 disruptions" 3 "$(rows disruption)"
expect_eq "2 protections" 2 "$(rows protection)"
expect_eq "2 stock moves" 2 "$(rows stock_move)"

# --- the same records in another encoding: the same batch -------------------------------
variants() { # variants FILE: FILE.crlf, FILE.blank, FILE.gz, FILE.cols (columns reversed)
    sed 's/$/\r/' "$1" > "$1.crlf.csv"
    { cat "$1"; printf '\n\n'; } > "$1.blank.csv"
    gzip -c "$1" > "$1.csv.gz"
}
for f in dis prot stock; do variants "$TMP/$f.csv"; done
again() { # again NAME KIND FILE [OPTION...]: imported again, nothing added, says which batch
    local name=$1 kind=$2 file=$3 before err
    shift 3
    before=$(fingerprint)
    err=$(bl import "$kind" "$file" "$@" 2>&1)
    expect_eq "$name: nothing added" "$before" "$(fingerprint)"
    [[ "$err" == *"already imported as batch"*" on "* ]] && ok "$name: says already imported" \
        || not_ok "$name: says already imported" "$err"
}
again "disruptions with CRLF" disruptions "$TMP/dis.csv.crlf.csv"
again "disruptions with a trailing blank line" disruptions "$TMP/dis.csv.blank.csv"
again "disruptions gzipped" disruptions "$TMP/dis.csv.csv.gz"
again "protections with CRLF" protections "$TMP/prot.csv.crlf.csv"
again "protections with a trailing blank line" protections "$TMP/prot.csv.blank.csv"
again "protections gzipped" protections "$TMP/prot.csv.csv.gz"
again "stock gzipped" stock "$TMP/stock.csv.csv.gz"
again "stock with CRLF" stock "$TMP/stock.csv.crlf.csv"
expect_eq "still 3 disruptions" 3 "$(rows disruption)"
expect_eq "still 2 protections" 2 "$(rows protection)"
expect_eq "still 2 stock moves" 2 "$(rows stock_move)"

# columns in another order and rows in another order: other records' order, same records
{ echo 'note,ends_at,starts_at,kind,scope,region'
  echo ',,2024-11-14T00:00:00Z,lockdown,origin,CN-ZJ'
  echo 'truckers,2018-06-01T00:00:00Z,2018-05-21T00:00:00Z,strike,both,BR'
  echo 'storm,2024-11-22T00:00:00Z,2024-11-20T00:00:00Z,weather,destination,US-CA'; } > "$TMP/dis2.csv"
before=$(fingerprint)
err=$(bl import disruptions "$TMP/dis2.csv" 2>&1)
expect_eq "disruptions reordered: nothing added" "$before" "$(fingerprint)"
[[ "$err" == *"changes nothing: its 3 records are in the store as they are"* ]] && ok "disruptions reordered: says it changes nothing" \
    || not_ok "disruptions reordered: says it changes nothing" "$err"

# a lifted disruption stays lifted, and alone, when its file comes again
id=$(bl --format csv disruption list | awk -F, '$0 ~ /strike/ {print $1; exit}')
expect_ok "lift the strike" bl disruption lift "$id" --at 2018-05-25T00:00:00Z
cat "$TMP/dis.csv" > "$TMP/dis3.csv"
echo 'CN-GD,origin,holiday,2025-01-28T00:00:00Z,2025-02-05T00:00:00Z,' >> "$TMP/dis3.csv"
err=$(bl import disruptions "$TMP/dis3.csv" 2>&1)
expect_eq "a file with one more disruption adds one" 4 "$(rows disruption)"
[[ "$err" == *"3 disruptions were already in the store as they are"* ]] && ok "says which were known" \
    || not_ok "says which were known" "$err"
expect_eq "the strike is still lifted" 1 \
    "$(bl --format csv disruption list | grep -c 'strike.*2018-05-25')"

# a note that changed updates the disruption; a reason the protection
sed 's/truckers/truckers (ANTT notice)/' "$TMP/dis.csv" > "$TMP/dis4.csv"
expect_ok "import a changed note" bl import disruptions "$TMP/dis4.csv"
expect_eq "no disruption added for a changed note" 4 "$(rows disruption)"
expect_eq "the note is updated" 1 "$(bl --format csv disruption list | grep -c 'ANTT notice')"

sed 's/warehouse fire/warehouse fire (insurer report)/' "$TMP/prot.csv" > "$TMP/prot2.csv"
expect_ok "import a changed reason" bl import protections "$TMP/prot2.csv"
expect_eq "no protection added for a changed reason" 2 "$(rows protection)"
expect_eq "the reason is updated" 1 "$(bl --format csv protect list | grep -c 'insurer report')"

# the same disruptions written with ids: the ids come to them, nothing is added
{ echo 'id,region,scope,kind,starts_at,ends_at,note'
  echo 'ev-1,MX,destination,holiday,2024-12-24T00:00:00Z,2024-12-26T00:00:00Z,Christmas'; } > "$TMP/dis7.csv"
err=$(bl import disruptions "$TMP/dis7.csv" 2>&1)
[[ "$err" == *"/dis7.csv as batch "*": 1 row, 1 record in "* ]] &&
    ok "a holiday declared with an id (one row, one record, in the singular)" ||
    not_ok "a holiday declared with an id" "$err"
cut -d, -f2- "$TMP/dis7.csv" > "$TMP/dis8.csv"
err=$(bl import disruptions "$TMP/dis8.csv" 2>&1)
[[ "$err" == *"changes nothing: its 1 record is in the store as it is"* ]] &&
    ok "the same disruption without its id is known (one record, said in the singular)" \
    || not_ok "the same disruption without its id is known" "$err"
expect_eq "5 disruptions" 5 "$(rows disruption)"

# --- stock: a count that changes nothing writes no move ----------------------------------
cat > "$TMP/stock2.csv" <<'CSV'
warehouse,sku,on_hand,reserved,counted_at
w1,k1,100,5,2024-11-14T00:00:00Z
w1,k2,35,0,2024-11-14T00:00:00Z
CSV
expect_ok "import stock with one count changed" bl import stock "$TMP/stock2.csv"
expect_eq "one move for the one count that changed" 3 "$(rows stock_move)"

# --- stock --replace: the moves are rewritten from the count before the batch
cat > "$TMP/stock3.csv" <<'CSV'
warehouse,sku,on_hand,reserved,counted_at
w1,k1,90,5,2024-11-15T00:00:00Z
w1,k2,35,0,2024-11-14T00:00:00Z
CSV
expect_ok "a count of k1 on the 15th" bl import stock "$TMP/stock3.csv"
sb=$(rows import_batch)
sed 's/,90,/,80,/' "$TMP/stock3.csv" > "$TMP/stock4.csv"
err=$(bl import stock "$TMP/stock4.csv" --replace "$sb" 2>&1)
[[ "$err" == *"0 added, 0 removed, 1 changed, 1 as they were"* ]] && ok "stock --replace: says what changed" \
    || not_ok "stock --replace: says what changed" "$err"
expect_eq "stock --replace: the batch's move rewritten, none added" 4 "$(rows stock_move)"

# --- rates and sku_suppliers: a changed file comes in with --replace ---------------------
cat > "$TMP/rates.csv" <<'CSV'
date,from,to,rate
2024-11-14,CNY,USD,0.13812
2024-11-14,USD,EUR,0.9217
CSV
cat > "$TMP/rates2.csv" <<'CSV'
date,from,to,rate
2024-11-14,CNY,USD,0.13900
2024-11-15,USD,EUR,0.9300
CSV
expect_ok "import rates" bl import rates "$TMP/rates.csv"
expect_fail "a changed rates file is a duplicate without --replace" 1 "duplicate" \
    bl import rates "$TMP/rates2.csv"
batch=$(bl --format csv stats | awk -F, '$1=="import_batch" {print $2}')
err=$(bl import rates "$TMP/rates2.csv" --replace "$batch" 2>&1)
[[ "$err" == *"replaced what batch $batch imported"*"1 added, 1 removed, 1 changed, 0 as they were"* ]] \
    && ok "rates --replace: says what changed" || not_ok "rates --replace: says what changed" "$err"
expect_eq "rates: two rates after the replace" 2 "$(rows fx_rate)"
expect_eq "rates: the batch kept its number" "$batch" "$(rows import_batch)"

cat > "$TMP/ss.csv" <<'CSV'
sku,supplier,rank,unit_cost,currency
k1,p1,1,1.20,USD
k1,p2,2,1.30,USD
CSV
cat > "$TMP/ss2.csv" <<'CSV'
sku,supplier,rank,unit_cost,currency
k1,p1,1,1.25,USD
k1,p2,2,1.30,USD
k2,p2,1,8.00,USD
CSV
expect_ok "import sku_suppliers" bl import sku_suppliers "$TMP/ss.csv"
ssb=$(rows import_batch)
expect_fail "a changed sku_suppliers file is a duplicate without --replace" 1 "" \
    bl import sku_suppliers "$TMP/ss2.csv"
err=$(bl import sku_suppliers "$TMP/ss2.csv" --replace "$ssb" 2>&1)
[[ "$err" == *"1 added, 0 removed, 1 changed, 1 as they were"* ]] \
    && ok "sku_suppliers --replace: says what changed" || not_ok "sku_suppliers --replace: says what changed" "$err"
expect_eq "sku_suppliers: three after the replace" 3 "$(rows sku_supplier)"

# --- refusals ----------------------------------------------------------------------------
expect_fail "--replace a batch of another kind" 1 "imported sku_suppliers, not rates" \
    bl import rates "$TMP/rates.csv" --replace "$ssb"
expect_fail "--replace a batch that does not exist" 1 "no import batch 999" \
    bl import rates "$TMP/rates.csv" --replace 999
expect_fail "--replace a kind it is not for" 1 "--replace is for" \
    bl import skus "$TMP/skus.csv" --replace 2
expect_fail "--replace takes a number" 2 "--replace" \
    bl import rates "$TMP/rates.csv" --replace x
expect_ok "a second organisation" bl --org other init
expect_fail "--replace another organisation's batch" 1 "no import batch $ssb" \
    bl --org other import rates "$TMP/rates.csv" --replace "$ssb"

# --- disruptions --replace: matched by key, removed unless lifted or edited ---------------
cat > "$TMP/dis5.csv" <<'CSV'
region,scope,kind,starts_at,ends_at,note
CN-ZJ,origin,lockdown,2024-11-14T00:00:00Z,,until further notice
US-CA,destination,weather,2024-11-20T00:00:00Z,2024-11-22T00:00:00Z,storm
CSV
expect_fail "--replace refuses to remove a lifted disruption, naming it" 1 "disruption $id" \
    bl import disruptions "$TMP/dis5.csv" --replace 5
fp=$(fingerprint)
cat > "$TMP/dis6.csv" <<'CSV'
region,scope,kind,starts_at,ends_at,note
BR,both,strike,2018-05-21T00:00:00Z,2018-06-01T00:00:00Z,truckers (ANTT notice)
CN-ZJ,origin,lockdown,2024-11-14T00:00:00Z,,until further notice
JP,origin,weather,2024-11-21T00:00:00Z,2024-11-23T00:00:00Z,typhoon
CSV
err=$(bl import disruptions "$TMP/dis6.csv" --replace 5 2>&1)
[[ "$err" == *"1 added, 1 removed, 1 changed, 1 as they were"* ]] \
    && ok "disruptions --replace: says what changed" || not_ok "disruptions --replace: says what changed" "$err"
expect_eq "the storm is gone, the typhoon came: 5 disruptions" 5 "$(rows disruption)"
expect_eq "the strike kept its number" 1 \
    "$(bl --format csv disruption list | awk -F, -v id="$id" '$1==id && /strike/' | wc -l)"

# --- orders read in the wrong zone: refused with the way out, then replaced --------------
cat > "$TMP/orders.csv" <<'CSV'
order,shop,sku,qty,unit_price,placed_at,ship_by
o1,s1,k1,1,3.99,2024-11-14 10:00:00,2024-11-16 10:00:00
o2,s1,k2,2,19.50,2024-11-14 12:30:00,
CSV
expect_ok "orders read with --tz Asia/Shanghai" bl import orders "$TMP/orders.csv" --tz Asia/Shanghai
ob=$(rows import_batch)
expect_eq "o1 placed at 02:00Z" "2024-11-14T02:00:00Z" \
    "$(bl --format csv orders list --shop s1 | awk -F, '$2=="o1" {print $4}')"
expect_fail "the same file with another --tz: says how to correct it" 1 \
    "--tz UTC --replace $ob" bl import orders "$TMP/orders.csv" --tz UTC
sed 's/$/\r/' "$TMP/orders.csv" > "$TMP/orders.crlf.csv"
again "orders with CRLF, the same --tz" orders "$TMP/orders.crlf.csv" --tz Asia/Shanghai
err=$(bl import orders "$TMP/orders.csv" --tz UTC --replace "$ob" 2>&1)
[[ "$err" == *"0 added, 0 removed, 2 changed"* ]] && ok "orders --replace --tz UTC: 2 changed" \
    || not_ok "orders --replace --tz UTC: 2 changed" "$err"
expect_eq "o1 placed at 10:00Z now" "2024-11-14T10:00:00Z" \
    "$(bl --format csv orders list --shop s1 | awk -F, '$2=="o1" {print $4}')"
expect_eq "still 2 orders" 2 "$(rows orders)"
hist=$(bl orders show o1 --shop s1 2>&1)
[[ "$hist" == *"2024-11-14T02:00:00Z"* ]] && ok "the order's history keeps the old time" \
    || not_ok "the order's history keeps the old time" "$hist"
expect_fail "the same file with --tz UTC is now the batch" 0 "already imported as batch $ob" \
    bl import orders "$TMP/orders.csv" --tz UTC

# the batches, to name one for --replace: the replaced one says when, and how it was read
# (CSV: a cell starting with '-' is written "'--tz UTC", spreadsheet-safe, docs/formats.md)
row=$(bl --format csv import list --kind orders | awk -F, -v b="$ob" '$1==b')
[[ "$row" == "$ob,orders,"*",2,"*",20"*",\"'--tz UTC\"" ]] && ok "import list: the orders batch, replaced, read with --tz UTC" \
    || not_ok "import list: the orders batch, replaced, read with --tz UTC" "$row"
expect_eq "import list --kind rates: one batch" 1 "$(bl --format csv import list --kind rates | tail -n +2 | wc -l)"
expect_fail "import list --kind of no kind" 1 "unknown kind of import 'nope'" bl import list --kind nope

bl_done
