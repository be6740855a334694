#!/usr/bin/env bash
# End-to-end: `ballast render` on cases of the Mustache specification, through files,
# byte for byte; the template packs through the command; and the error messages.
# render opens no store, so the PostgreSQL run has nothing to add: it is skipped.
source "$(dirname "$0")/../lib/cli.bash"
if [ "$1" = postgres ]; then
    echo "render opens no store: covered by the sqlite run"
    exit 77
fi
bl_setup "$1" render

# case NAME DATA_JSON TEMPLATE EXPECTED [PARTIAL_NAME PARTIAL_TEXT]...
# Texts are printf formats, so \n and \r\n can be written; % must be %%.
case_() {
    local name=$1 data=$2 tpl=$3 want=$4
    shift 4
    local dir="$TMP/case"
    rm -rf "$dir" && mkdir -p "$dir/partials"
    printf '%s' "$data" >"$dir/data.json"
    # shellcheck disable=SC2059
    printf "$tpl" >"$dir/t.mustache"
    # shellcheck disable=SC2059
    printf "$want" >"$dir/want"
    while [ $# -ge 2 ]; do
        # shellcheck disable=SC2059
        printf "$2" >"$dir/partials/$1.mustache"
        shift 2
    done
    local err
    if ! err=$(bl render "$dir/t.mustache" --data "$dir/data.json" --partials "$dir/partials" \
        2>&1 >"$dir/got"); then
        not_ok "$name" "failed: $err"
    elif cmp -s "$dir/want" "$dir/got"; then
        ok "$name"
    else
        not_ok "$name" "wanted: $(od -c <"$dir/want" | head -5)" "got:    $(od -c <"$dir/got" | head -5)"
    fi
}

case_ "spec: HTML escaping" '{"forbidden":"& \" < >"}' \
    'These characters should be HTML escaped: {{forbidden}}\n' \
    'These characters should be HTML escaped: &amp; &quot; &lt; &gt;\n'
case_ "spec: triple mustache and ampersand" '{"forbidden":"& \" < >"}' \
    '{{{forbidden}}}|{{&forbidden}}' '& " < >|& " < >'
case_ "spec: dotted names, broken chain resolution" '{"a":{"b":{}},"c":{"name":"Jim"}}' \
    '"{{a.b.c.name}}" == ""' '"" == ""'
case_ "spec: implicit iterator" '{"list":[1,2,3,4,5]}' '"{{#list}}({{.}}){{/list}}"' \
    '"(1)(2)(3)(4)(5)"'
case_ "spec: inverted, standalone lines" '{"boolean":false}' \
    '| This Is\n{{^boolean}}\n|\n{{/boolean}}\n| A Line\n' '| This Is\n|\n| A Line\n'
case_ "spec: standalone line endings (CRLF)" '{"boolean":true}' \
    '|\r\n{{#boolean}}\r\n{{/boolean}}\r\n|' '|\r\n|'
case_ "spec: comment, multiline standalone" '{}' \
    'Begin.\n{{!\nSomething'"'"'s going on here...\n}}\nEnd.\n' 'Begin.\nEnd.\n'
case_ "spec: set delimiters, sections" '{"section":true,"data":"I got interpolated."}' \
    '[\n{{#section}}\n  {{data}}\n  |data|\n{{/section}}\n\n{{= | | =}}\n|#section|\n  {{data}}\n  |data|\n|/section|\n]\n' \
    '[\n  I got interpolated.\n  |data|\n\n  {{data}}\n  I got interpolated.\n]\n'
case_ "spec: partial standalone indentation" '{"content":"<\n->"}' \
    '\\\\\n {{>partial}}\n/\n' '\\\\\n |\n <\n->\n |\n/\n' \
    partial '|\n{{{content}}}\n|\n'
case_ "spec: partial recursion" '{"content":"X","nodes":[{"content":"Y","nodes":[]}]}' \
    '{{>node}}' 'X<Y<>>' node '{{content}}<{{#nodes}}{{>node}}{{/nodes}}>'
case_ "spec: missing partial is empty" '{}' '"{{>text}}"' '""'
case_ "Chinese text passes through" '{"name":"王小明","days":"7-10"}' \
    '{{name}}，您好！预计{{days}}个工作日内发货。' '王小明，您好！预计7-10个工作日内发货。'

# Nothing added: no trailing newline appears, and an empty template prints nothing.
printf '' >"$TMP/empty.mustache"
echo '{}' >"$TMP/empty.json"
expect_eq "empty template prints nothing" 0 "$(bl render "$TMP/empty.mustache" --data "$TMP/empty.json" | wc -c)"
expect_eq "no store was opened or created" "no" "$([ -e "$DB" ] && echo yes || echo no)"

# The template packs render through the command in strict mode.
# A sample file is one data object, or an array of cases: render the first case.
for loc in en zh-CN; do
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); json.dump(d[0] if isinstance(d, list) else d, sys.stdout)' \
        "$SRC/templates/samples/$loc/late_delivery.json" >"$TMP/sample.json"
    out=$(bl render "$SRC/templates/$loc/late_delivery.txt.mustache" --strict --no-escape \
        --data "$TMP/sample.json" --partials "$SRC/templates/$loc/partials" 2>&1)
    rc=$?
    if [ $rc = 0 ] && [[ "$out" == *"A-10023"* ]]; then ok "$loc late_delivery renders"; else not_ok "$loc late_delivery renders" "exit $rc" "$out"; fi
done

# Errors name the file, the line and the tag; exit 1; nothing on stdout.
printf 'Dear {{customer_name}},\n\n{{#order}}\nYour order\n' >"$TMP/late.mustache"
echo '{"customer_name":"Ana"}' >"$TMP/d.json"
expect_fail "unclosed section" 1 "late.mustache:3: unclosed section {{#order}}" \
    bl render "$TMP/late.mustache" --data "$TMP/d.json"
printf '{{#a}}\n{{#b}}\n{{/a}}\n' >"$TMP/t.mustache"
expect_fail "mismatched close" 1 "t.mustache:3: {{/a}} does not close {{#b}} (opened on line 2)" \
    bl render "$TMP/t.mustache" --data "$TMP/d.json"
printf 'x\n{{= | =}}\n' >"$TMP/t.mustache"
expect_fail "bad delimiter" 1 "t.mustache:2: bad delimiter tag {{= | =}}" \
    bl render "$TMP/t.mustache" --data "$TMP/d.json"
printf 'Hi {{customer_name\n' >"$TMP/t.mustache"
expect_fail "unclosed tag" 1 "t.mustache:1: unclosed tag {{customer_name (expected }})" \
    bl render "$TMP/t.mustache" --data "$TMP/d.json"
printf 'Hi {{customer_name}},\nyour order {{order_id}}\n' >"$TMP/t.mustache"
expect_fail "strict: missing variable" 1 "t.mustache:2: missing variable {{order_id}}" \
    bl render "$TMP/t.mustache" --data "$TMP/d.json" --strict
expect_ok "lenient: missing variable is empty" bl render "$TMP/t.mustache" --data "$TMP/d.json"
mkdir -p "$TMP/p"
printf '{{>loop}}' >"$TMP/p/loop.mustache"
expect_fail "partial depth" 1 "loop.mustache:1: partials nested deeper than 64 at {{>loop}}" \
    bl render "$TMP/p/loop.mustache" --data "$TMP/d.json" --partials "$TMP/p"
printf '{{#open}}' >"$TMP/p/bad.mustache"
printf 'x {{>bad}}' >"$TMP/t.mustache"
expect_fail "partial syntax error names the partial file" 1 "p/bad.mustache:1: unclosed section {{#open}}" \
    bl render "$TMP/t.mustache" --data "$TMP/d.json" --partials "$TMP/p"
printf 'x {{>sub/t}}' >"$TMP/t.mustache"
expect_fail "partial names cannot leave the directory" 1 "t.mustache:1: partial name 'sub/t'" \
    bl render "$TMP/t.mustache" --data "$TMP/d.json" --partials "$TMP/p"
echo '{"a": 1,' >"$TMP/bad.json"
expect_fail "bad JSON names the data file and line" 1 "bad.json:2: invalid JSON" \
    bl render "$TMP/late.mustache" --data "$TMP/bad.json"
expect_fail "missing template file" 1 "nope.mustache: cannot open" \
    bl render "$TMP/nope.mustache" --data "$TMP/d.json"
expect_fail "--data is required" 2 "--data FILE is required" bl render "$TMP/late.mustache"
out=$(bl render "$TMP/late.mustache" --data "$TMP/d.json" 2>/dev/null)
expect_eq "nothing on stdout after an error" "" "$out"

# a samples file is a list of cases: each under its heading, or the one --case picks
# (the templates README's command, as written)
T="$SRC/templates"
out=$(bl render "$T/en/late_delivery.txt.mustache" --strict --no-escape \
    --data "$T/samples/en/late_delivery.json" --partials "$T/en/partials")
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/samples/en/late_delivery.json")
expect_eq "every case of a samples file, headed" "$n" "$(grep -c '^--- case [0-9]* of '"$n"' ---$' <<<"$out")"
out=$(bl render "$T/en/late_delivery.txt.mustache" --strict --no-escape --case 2 \
    --data "$T/samples/en/late_delivery.json" --partials "$T/en/partials")
[[ "$out" != *"--- case"* && "$out" == *"Your order A-10023"* ]] &&
    ok "--case N: that case alone" || not_ok "--case 2" "$out"
expect_fail "--case past the end" 1 "has $n cases" bl render "$T/en/late_delivery.txt.mustache" \
    --data "$T/samples/en/late_delivery.json" --partials "$T/en/partials" --case 99
printf 'hi {{a}}' >"$TMP/one.mustache"
echo '{"a": 1}' >"$TMP/one.json"
expect_fail "--case of one object" 1 "is not a list of cases" bl render "$TMP/one.mustache" \
    --data "$TMP/one.json" --case 1

bl_done
