/* help_table.c - the one table of ballast's commands and subcommands (help.h).
 *
 * Add a command or a subcommand here, or the dispatcher will not run it: a command runs
 * through its entry's fn, and a subcommand of a BL_HELP_SUBS command that has no entry
 * is refused before the command runs (tests/cli/help.sh checks the sources too).
 */
#include "cli/assess_common.h"
#include "cli/help.h"

#define DAY "the day"
#define STORE "the store and its data"
#define DIS "disruptions"
#define STOCK "demand and stock"
#define LOG "logistics"
#define SHOPS "shop assessment (docs/metrics.md)"
#define CUST "customers"
#define API "the HTTP API (docs/api.md)"
#define TAX "tax thresholds (docs/internals/comply.md)"
#define MISC "help"
#define MKT "a marketplace's merchants"

#define L BL_HELP_LIST
#define A BL_HELP_AS_OF

const struct bl__help bl__help_table[] = {
    /* ---------------------------------------------------------------- the day */
    {"cycle", NULL, DAY, bl_cmd_cycle, BL_HELP_SUBS | A,
     "cycle --as-of T [--all-orgs | --shard K/N] [--dry-run] [--horizon DAYS] [--tz ZONE]\n"
     "      [--locale en|zh-CN] [--no-digest]",
     "The whole day in one pass: forecast, plan, alerts, playbook, route, assess, compensate, "
     "SLA waivers, customer messages and banners, then the operator's digest (what needs a "
     "decision first) to the recipients of 'ballast notify' (docs/internals/cycle.md).",
     "ballast cycle --as-of 2024-11-15T00:00:00Z",
     "  --all-orgs        every organisation of the store, one after the other\n"
     "  --shard K/N       the organisations whose id mod N is K (0 <= K < N)\n"
     "  --dry-run         compute and print, record nothing\n"
     "  --horizon DAYS    how far the digest looks ahead (default 14)\n"
     "  --locale L        the digest's language: en (default) or zh-CN\n"
     "  --no-digest       run the steps, print no digest and send none\n"},
    {"cycle", "list", NULL, NULL, L, "cycle list",
     "Past cycles, newest first: when, as of when, how long, what they did.",
     "ballast cycle list --limit 5", NULL},
    {"cycle", "show", NULL, NULL, 0, "cycle show ID",
     "One past cycle: its steps, their counts and times, and its digest.", "ballast cycle show 1",
     NULL},
    {"notify", NULL, DAY, bl_cmd_notify, BL_HELP_SUBS, "notify add|list|remove ...",
     "Who gets the operator's digest after each cycle: e-mail, Slack, Feishu/Lark, DingTalk.",
     "ballast notify list", NULL},
    {"notify", "add", NULL, NULL, 0,
     "notify add --email ADDRESS --smtp smtp://HOST:PORT --from ADDRESS [--locale en|zh-CN]\n"
     "       notify add --webhook URL --kind slack|feishu|lark|dingtalk [--secret-file FILE]\n"
     "                  [--locale en|zh-CN]",
     "Adds a recipient of the digest: an e-mail address, or a chat webhook (its signing "
     "secret read from a file).",
     "ballast notify add --webhook https://hooks.slack.com/services/T0/B0/X --kind slack", NULL},
    {"notify", "list", NULL, NULL, L, "notify list",
     "The digest's recipients, with the id 'notify remove' takes.", "ballast notify list", NULL},
    {"notify", "remove", NULL, NULL, 0, "notify remove ID", "Removes a recipient of the digest.",
     "ballast notify remove 2", NULL},

    /* ---------------------------------------------------------------- the store */
    {"init", NULL, STORE, bl_cmd_init, 0, "init",
     "Creates the store (an SQLite file, or a PostgreSQL database) and the --org, or upgrades "
     "it to this program's schema. The only command that creates a store.",
     "ballast --db ballast.db init", NULL},
    {"import", NULL, STORE, bl_cmd_import, 0,
     "import KIND FILE [--tz ZONE] [--corrections] [--replace BATCH]\n"
     "       import amazon|shopify|tiktok|temu FILE --shop SHOP\n"
     "       import olist DIR [--tz ZONE]",
     "Imports a file, all or nothing: a native CSV (shops, skus, warehouses, stock, suppliers, "
     "sku_suppliers, inbound, orders, sales, channels, calendars, disruptions, protections, "
     "customers, rates, areas; "
     ".csv.gz too, docs/formats.md), a platform's own order report, or the Olist dataset. "
     "Known orders are updated; the same records twice add nothing, whatever the file's "
     "encoding; --replace puts a file's records in place of an earlier batch's.",
     "ballast import orders orders.csv --tz Asia/Shanghai",
     "  --tz ZONE       the zone of times written without an offset (default UTC)\n"
     "  --shop SHOP     a platform report's shop (reports are one shop's)\n"
     "  --corrections   identity fields and recorded times may change, as corrections\n"
     "  --replace BATCH the file replaces what batch BATCH imported, all or nothing (disruptions,\n"
     "                  protections, stock, orders and reports, rates, sku_suppliers)\n"},
    {"import", "list", NULL, NULL, L, "import list [--kind KIND]",
     "The import batches, newest first: the number --replace takes, the kind, the file, its "
     "rows, when it was imported and last replaced, and the options that read it.",
     "ballast import list --kind disruptions", "  --kind KIND     only the batches of this kind\n"},
    {"org", NULL, STORE, bl_cmd_org, BL_HELP_SUBS, "org show|set|govern|release|merchants ...",
     "The organisation's settings: the currency reports total in, the daily cycle's schedule; "
     "a marketplace's merchant organisations.",
     "ballast org show", NULL},
    {"org", "show", NULL, NULL, 0, "org show",
     "The organisation's settings, with the next and the last scheduled cycle.", "ballast org show",
     NULL},
    {"org", "set", NULL, NULL, 0,
     "org set [--currency CODE|none] [--cycle-at HH:MM --cycle-tz ZONE | --no-cycle]",
     "Sets the currency reports add totals in (converted with the rates of 'import rates'; "
     "none: no totals), and when the day's cycle runs by itself under 'ballast serve': every "
     "day at a local time of a zone, DST included (none by default: the cycle runs when "
     "someone runs it).",
     "ballast org set --cycle-at 06:30 --cycle-tz Asia/Shanghai",
     "  --currency CODE   the currency of report totals (none: no totals)\n"
     "  --cycle-at HH:MM  the local time the cycle runs at every day (a time the clocks skip\n"
     "                    runs at the first minute after; a time shown twice runs once)\n"
     "  --cycle-tz ZONE   the IANA zone of that time (Asia/Shanghai); needed the first time\n"
     "  --no-cycle        no schedule: the cycle runs only when someone runs it\n"},
    {"org", "govern", NULL, NULL, 0, "org govern MERCHANT --by MARKETPLACE",
     "Makes organisation MARKETPLACE govern organisation MERCHANT: the marketplace's platform "
     "tokens and users list it and act on it as an operator (docs/api.md, 'Platform "
     "operators'). A merchant has one marketplace at most.",
     "ballast org govern shop-co --by mall", NULL},
    {"org", "release", NULL, NULL, 0, "org release MERCHANT --by MARKETPLACE",
     "The marketplace no longer governs the merchant.", "ballast org release shop-co --by mall",
     NULL},
    {"org", "merchants", NULL, NULL, L, "org merchants",
     "The merchant organisations the organisation (--org) governs.",
     "ballast --org mall org merchants", NULL},
    {"shops", NULL, STORE, bl_cmd_shops, BL_HELP_SUBS, "shops list|set|import ...",
     "What a shop's customer messages say about it and who they come from: its account page, "
     "support contact and hours, signature and sender. A message that needs a setting its "
     "shop lacks is held, never sent with a placeholder.",
     "ballast shops list", NULL},
    {"shops", "list", NULL, NULL, L, "shops list", "Every shop with its message settings.",
     "ballast shops list", NULL},
    {"shops", "set", NULL, NULL, 0,
     "shops set SHOP [--account-url URL] [--support CONTACT] [--support-hours TEXT]\n"
     "       [--signature TEXT] [--sender ADDRESS] [--sender-name NAME]",
     "Sets one shop's message settings (\"\" clears one).",
     "ballast shops set shop-002 --account-url https://lamps.shop/account --support "
     "care@lamps.shop --signature \"Lamps & Light Customer Service\" --sender care@lamps.shop",
     NULL},
    {"shops", "import", NULL, NULL, 0, "shops import FILE",
     "Many shops' settings from a CSV (columns shop, account_url, support, support_hours, "
     "signature, sender, sender_name), all or nothing.",
     "ballast shops import shop_settings.csv", NULL},
    {"stats", NULL, STORE, bl_cmd_stats, L, "stats", "Rows per table of the organisation.",
     "ballast stats", NULL},
    {"orders", NULL, STORE, bl_cmd_orders, BL_HELP_SUBS, "orders list|show ...",
     "The orders in the store: a filtered list, or one order with its lines and history.",
     "ballast orders list --shop shop-003 --status open", NULL},
    {"orders", "list", NULL, NULL, L,
     "orders list [--shop S] [--status open|shipped|delivered|cancelled] [--from T] [--to T]",
     "Orders, filtered by shop, status and placement time (--from inclusive, --to exclusive).",
     "ballast orders list --shop shop-003 --status open --from 2024-11-01", NULL},
    {"orders", "show", NULL, NULL, 0, "orders show ORDER [--shop S]",
     "One order: its fields, its lines and every change in its history.",
     "ballast orders show S003-0000001", NULL},
    {"gen", NULL, STORE, bl_cmd_gen, 0,
     "gen --out DIR [--orders N] [--shops S] [--skus K] [--seed X] [--start YYYY-MM-DD]\n"
     "           [--days D] [--gzip]",
     "Writes a deterministic synthetic dataset in the native formats (docs/internals/gen.md): "
     "shops, SKUs, warehouses, suppliers, stock, inbound, sales, orders, channels and "
     "disruptions.",
     "ballast gen --out /tmp/demo --orders 50000 --shops 12 --skus 400 --seed 7",
     "  --orders N      order lines to write (default 100000)\n"
     "  --shops S       shops (default 50)\n"
     "  --skus K        SKUs (default 5000)\n"
     "  --seed X        the seed: the same seed writes the same files (default 1)\n"
     "  --start DATE    the first day (default 2024-09-01)\n"
     "  --days D        days of history (default 90)\n"
     "  --gzip          write .csv.gz\n"},

    /* ---------------------------------------------------------------- disruptions */
    {"disruption", NULL, DIS, bl_cmd_disruption, BL_HELP_SUBS,
     "disruption add|list|show|impact|edit|lift ...",
     "Declared disruptions (lockdowns, strikes, weather, route suspensions): what they exempt "
     "in assessments, hold in routing and announce to customers.",
     "ballast disruption list", NULL},
    {"disruption", "add", NULL, NULL, 0,
     "disruption add --region R --scope origin|destination|both --kind K --from T [--to T]\n"
     "       [--channel C] [--supplier S] [--note TEXT] [--id EXT] [--tz ZONE]",
     "Records a disruption of a region (ISO 3166: BR, CN-GD; a code ISO does not know is "
     "refused with the nearest one), for shipments from it, to it or both. Without --to it "
     "lasts until further notice (until 'disruption lift' or 'edit --to'). Ends with what it "
     "touches ('disruption impact').",
     "ballast disruption add --region BR --scope both --kind strike --from 2018-05-21 "
     "--to 2018-06-01 --tz America/Sao_Paulo",
     NULL},
    {"disruption", "list", NULL, NULL, L,
     "disruption list [--active-at T [--tz ZONE]] [--region R]",
     "Disruptions, or those in force at a time, or those covering a region.",
     "ballast disruption list --active-at 2024-10-28T00:00:00Z", NULL},
    {"disruption", "show", NULL, NULL, 0, "disruption show ID",
     "One disruption: its fields and every change made to it (who, when, from, to).",
     "ballast disruption show 3", NULL},
    {"disruption", "impact", NULL, NULL, A, "disruption impact ID [--as-of T [--tz ZONE]]",
     "What a disruption touches: open orders held per shop and channel, customers to write "
     "to, shops whose metrics gain exemptions, SKUs whose supplier or warehouse is inside, "
     "listings whose promise lengthens.",
     "ballast --org olist disruption impact 1 --as-of 2018-05-25", NULL},
    {"disruption", "lift", NULL, NULL, 0, "disruption lift ID [--at T] [--tz ZONE]",
     "Ends a disruption, at the time it was lifted (no --at: now).",
     "ballast disruption lift 3 --at 2024-10-30T12:00:00Z", NULL},
    {"disruption", "edit", NULL, NULL, 0,
     "disruption edit ID [--from T] [--to T | --no-end] [--region R] [--scope S] [--kind K]\n"
     "       [--note TEXT] [--tz ZONE]",
     "Corrects a disruption (its window, region, scope or kind); the history is kept and the "
     "next run recomputes what it affects.",
     "ballast disruption edit 3 --to 2018-06-05", NULL},
    {"protect", NULL, DIS, bl_cmd_protect, BL_HELP_SUBS,
     "protect --shop S --from T --to T --reason TEXT [--tz ZONE]",
     "Records a shop's approved protection window (an appeal granted by the marketplace): "
     "orders due inside it are exempt in the shop's assessment.",
     "ballast protect --shop shop-009 --from 2024-10-01 --to 2024-10-08 --reason \"approved "
     "appeal\"",
     NULL},
    {"protect", "list", NULL, NULL, L, "protect list [--shop S]", "The shops' protection windows.",
     "ballast protect list --shop shop-009", NULL},

    /* ---------------------------------------------------------------- demand and stock */
    {"skus", NULL, STOCK, bl_cmd_skus, L, "skus [--listing active|inactive|out_of_stock|delisted]",
     "The catalogue: every SKU with its weight, size, price, handling days and listing state.",
     "ballast skus --listing out_of_stock", NULL},
    {"stock", NULL, STOCK, bl_cmd_stock, L, "stock [--sku S] [--warehouse W]",
     "Units on hand, reserved and available per SKU and warehouse, and when they were counted.",
     "ballast stock --sku SKU-00001", NULL},
    {"forecast", NULL, STOCK, bl_cmd_forecast, L | A,
     "forecast [--input FILE] [--sku S] [--as-of T [--tz ZONE]] [--horizon H] [--model M]\n"
     "       [--events FILE|none] [--market CODES] [--lead-time L] [--seed S] [--sims N]\n"
     "       [--threads N]\n"
     "       forecast --input FILE --holdout H [--model M] [--events FILE|none] [--market CODES]",
     "Daily demand per SKU (p50, p90, p95) from the store's sales history or a sales file, the "
     "model chosen per series (docs/internals/forecast.md); --holdout scores every model. "
     "With --as-of, only the history before it counts, and the forecast starts on its day.",
     "ballast forecast --horizon 28 --lead-time 14",
     "  --input FILE     daily sales CSV: sku,date,units[,in_stock] (days absent are 0 sales);\n"
     "                   without it, the store's own sales history\n"
     "  --sku S          only this SKU\n"
     "  --horizon H      days to forecast after the last date of history (default 28)\n"
     "  --model M        auto (default), snaive, ses, damped, ets_seasonal, croston, sba,\n"
     "                   tsb, combo or profile (the shop's weekday profile x the SKU's level)\n"
     "  --events FILE    platform event calendar date,event[,region] (default\n"
     "                   data/events.csv; 'none' for no events)\n"
     "  --market CODES   the countries the SKUs sell in (GB, \"GB CN\"): only the events\n"
     "                   of their region apply; default: the store's shops' currencies (GBP:\n"
     "                   GB), for a file every event\n"
     "  --lead-time L    demand over the next L days per SKU (mean, p50, p90, p95)\n"
     "  --holdout H      hold out the last H days and print each model's RMSSE and MASE\n"
     "  --seed S, --sims N  bootstrap seed (default 1) and sample paths (default 1000)\n"
     "  --threads N      SKUs forecast side by side (default: one per processor, at most 8)\n"},
    {"plan", NULL, STOCK, bl_cmd_plan, L | A,
     "plan --as-of T [policy options] [--warehouses] [--no-save] [--tz ZONE]",
     "The replenishment plan per SKU: cover, stock-out day, safety stock, reorder point, what "
     "to order from whom and by when (docs/internals/replenish.md). Stored for the day.",
     "ballast plan --as-of 2024-11-14",
     "  --ss-days N          safety stock as N days of demand (default 15)\n"
     "  --service-level P    safety stock z*sigma over the lead time for service level P\n"
     "  --quantile p90|p95   safety stock from the forecast's lead-time quantile\n"
     "  --keep-days N        order up to N days of demand beyond the lead time (30)\n"
     "  --low-days N         low-stock alert below N days of cover (7)\n"
     "  --low-units N        ... or at most N units available (0 = off)\n"
     "  --alert-days N       stock-out alert when the stock-out is within N days (30)\n"
     "  --stocking-days N    stocking reminder when no inbound arrives within N days (14)\n"
     "  --delist-days N      delist when the restock is more than N days away (30)\n"
     "  --pause-days N       pause promotion when an unavoidable stock-out is N days away (14)\n"
     "  --extend-days N      handling extension for an open-ended disruption (7)\n"
     "  --default-supplier S supplier of the SKUs with no supplier in sku_suppliers.csv\n"
     "                       and no purchase order yet (without sku_suppliers.csv the\n"
     "                       supplier is inferred from the SKU's latest PO, and said so)\n"
     "  --model M (auto), --window DAYS of history (91), --sims N (10), --threads N (2)\n"
     "  --events FILE|none   the forecast's event calendar, as forecast's (default\n"
     "                       data/events.csv; each SKU hears of its shops' markets' events)\n"
     "  --warehouses         a line per SKU and warehouse too\n"
     "  --no-save            print only, store nothing\n"},
    {"alerts", NULL, STOCK, bl_cmd_alerts, L | A,
     "alerts --as-of T [policy options] [--tz ZONE]\n"
     "       alerts --deposits [--as-of T]",
     "Stock alerts for the day: low stock, a stock-out ahead, reorder now, stocking reminders, "
     "each in a sentence, then the deposit shortfalls (coupons owed per shop and currency). "
     "Takes plan's policy options ('ballast help plan').",
     "ballast alerts --as-of 2024-11-14",
     "  --deposits      only the deposit shortfalls (any format)\n"},
    {"playbook", NULL, STOCK, bl_cmd_playbook, L | A,
     "playbook --as-of T [policy options] [--apply] [--tz ZONE] [--locale en|zh-CN]",
     "The stock-out playbook: delist, mark out of stock, pause promotion or mail, extend "
     "handling, vacation; reverted on restock (docs/internals/playbook.md). Without --apply "
     "it only shows what it would do. With --locale zh-CN the table is in Chinese (--format "
     "csv and json keep the codes, for programs).",
     "ballast playbook --as-of 2024-11-14 --apply", NULL},
    {"actions", NULL, STOCK, bl_cmd_actions, BL_HELP_SUBS | L,
     "actions [--sku S] [--state S] [--kind K] [--plan P] [--shop S] [--approve ID]\n"
     "        [--policy KIND=propose|apply]\n"
     "        [--locale en|zh-CN]\n"
     "        actions approve|reject|revert ID [--note TEXT] [--locale en|zh-CN]\n"
     "        actions approve|reject --plan PLAN | --kind K | --shop S | --all [--note TEXT]\n"
     "        [--locale en|zh-CN]",
     "The playbook's recorded actions (why, what undoes them, who decided); approve or reject a "
     "proposed one, or set whether a kind of action is applied at once or proposed (kinds: "
     "out_of_stock delist pause_promotion pause_mail extend_handling vacation). A what-if's "
     "plan proposes purchase_order, transfer, handling_until, reroute and promotion_until "
     "('whatif --apply'). With --locale zh-CN the table is in Chinese: its titles, kinds, "
     "fields, values, states, days and reasons; the English table shows the codes --kind and "
     "--state take, and a value in words ('mail paused'). --format csv and json keep the "
     "codes (0/1, pause_mail, applied), for programs; only the reason is worded in them.",
     "ballast actions --state proposed", NULL},
    {"actions", "approve", NULL, NULL, 0,
     "actions approve ID [--note TEXT] [--locale en|zh-CN]\n"
     "        actions approve --plan PLAN | --kind K | --shop S | --all [--note TEXT]",
     "Applies a proposed action (its change is made now); who approved it and the note are "
     "kept with it. A set at once: the proposed actions of a what-if's plan (as 'whatif "
     "--apply' names it), of a kind, of a shop, or all of them (the options combine); all or "
     "none: if one cannot be (a transfer whose source no longer has the units), none is, and "
     "the message names it and why.",
     "ballast actions approve 4 --note \"agreed with sales\"", NULL},
    {"actions", "reject", NULL, NULL, 0,
     "actions reject ID [--note TEXT] [--locale en|zh-CN]\n"
     "        actions reject --plan PLAN | --kind K | --shop S | --all [--note TEXT]",
     "Rejects a proposed action: nothing changes, and the playbook does not propose the same "
     "change again while its condition holds. A set at once as 'actions approve' does.",
     "ballast actions reject 5 --note \"the shop stays open\"", NULL},
    {"actions", "revert", NULL, NULL, 0, "actions revert ID [--note TEXT] [--locale en|zh-CN]",
     "Reverts an applied action: its field goes back to the value before it, and the playbook "
     "does not make the same change again while its condition holds.",
     "ballast actions revert 4 --note \"we keep selling from the backup stock\"", NULL},

    /* ---------------------------------------------------------------- logistics */
    {"channels", NULL, LOG, bl_cmd_channels, BL_HELP_SUBS, "channels list|import ...",
     "Logistics channels: carriers' services with lanes, weight bands, transit and cut-off.",
     "ballast channels list", NULL},
    {"channels", "list", NULL, NULL, L, "channels list", "The logistics channels.",
     "ballast channels list", NULL},
    {"channels", "import", NULL, NULL, 0, "channels import FILE [--tz ZONE]",
     "Imports channels (the same as 'ballast import channels FILE').",
     "ballast channels import data/demo/br_channels.csv", NULL},
    {"calendars", NULL, LOG, bl_cmd_calendars, BL_HELP_SUBS, "calendars list|import ...",
     "Working calendars of the channels: weekends and closures.", "ballast calendars list", NULL},
    {"calendars", "list", NULL, NULL, L, "calendars list",
     "The working calendars: weekend days, closures, first and last day.", "ballast calendars list",
     NULL},
    {"calendars", "import", NULL, NULL, 0, "calendars import FILE [--tz ZONE]",
     "Imports working calendars (data/calendars.csv is one).",
     "ballast calendars import data/calendars.csv", NULL},
    {"quote", NULL, LOG, bl_cmd_quote, L,
     "quote --from REGION --to REGION --weight KG [--dims LxWxH] [--ship-at T] [--by DATE]",
     "Every channel serving a shipment: its price and its delivery window.",
     "ballast quote --from CN-GD --to US-CA --weight 1.2 --ship-at 2024-11-15T00:00:00Z "
     "--by 2024-12-01",
     NULL},
    {"route", NULL, LOG, bl_cmd_route, BL_HELP_SUBS | L | A,
     "route --as-of T [--shop S] [--policy cheapest|fastest|preferred:CARRIER] [--explain ORDER]",
     "A channel and a delivery window for every open order (of one shop with --shop), by each "
     "shop's policy unless --policy overrides it; --explain shows one order's candidates.",
     "ballast route --as-of 2024-11-14", NULL},
    {"route", "policy", NULL, NULL, L,
     "route policy list | import FILE | --shop SHOP cheapest|fastest|preferred:CARRIER",
     "The shops' routing policies: list them, import them, or set one shop's.",
     "ballast route policy --shop shop-003 fastest", NULL},
    {"promise", NULL, LOG, bl_cmd_promise, L | A,
     "promise [--sku S] [--shop S | --from REGION] [--to REGION] [--as-of T] [--policy P]",
     "The delivery window to show on a listing, per SKU and destination.",
     "ballast promise --sku SKU-0001 --to US", NULL},
    {"refund", NULL, LOG, bl_cmd_refund, A,
     "refund ORDER [--shop SHOP] [--reason TEXT] [--as-of T]",
     "Decides (and records once) how to refund an order: in full, with a return to a "
     "warehouse, or let the buyer keep it.",
     "ballast refund S003-0000042 --reason \"arrived damaged\"", NULL},
    {"refund", "list", NULL, NULL, L, "refund list [--shop SHOP]",
     "The refund decisions recorded, oldest first: what was decided, how much, the buyer's "
     "words and when.",
     "ballast refund list --shop shop-003", NULL},
    {"refund", "policy", NULL, NULL, L, "refund policy list | --shop SHOP SHARE",
     "Per shop, the share of the price under which a partial refund is offered (default 0.5).",
     "ballast refund policy --shop shop-003 0.4", NULL},
    {"windows", NULL, LOG, bl_cmd_windows, L, "windows [--policy P | --channel C] [--from REGION]",
     "The catalogue's delivery windows against real deliveries, per destination: early, "
     "inside, late.",
     "ballast --org olist windows --from BR-SP", NULL},
    {"sla", NULL, LOG, bl_cmd_sla, L | A, "sla --as-of T [--dry-run]",
     "Carrier SLA breaches: the freight of each late hand-over is waived into the shop's "
     "ledger, once.",
     "ballast sla --as-of 2024-11-14 --dry-run", NULL},

    /* ---------------------------------------------------------------- shop assessment */
    {"assess", NULL, SHOPS, bl_cmd_assess, L | A,
     "assess --as-of T [--profile P] [--window DAYS] [--shop S [--orders N] | --all-shops]\n"
     "       [--explain ORDER|SHOP] [--tz ZONE] [--dry-run]",
     "Rates every shop the way its marketplace does (each shop's profile, profiles/*.json), "
     "orders hit by a declared disruption or a protection excluded (an exempt order that went "
     "well stays in: a protection never hurts). Per shop: the rules in breach or at risk, and "
     "why; --shop S: every rule (value, target, status, counted and exempt orders) and the "
     "orders against each; --explain: a shop's arithmetic, or one order's verdict.",
     "ballast --org olist assess --as-of 2018-06-10 --tz America/Sao_Paulo --shop "
     "7c67e1448b00f6e969d365cea6b010ab",
     "  --profile P       rate every shop under profile P (default: each shop's own)\n"
     "  --shop S          one shop: its rules, and the orders against each\n"
     "  --orders N        with --shop: orders listed per rule (default 10)\n"
     "  --all-shops       every shop, also those with nothing in the window\n"
     "  --explain X       X a shop: the arithmetic of its rates and score; X an order: why\n"
     "                    it counts, is exempt or is kept\n"
     "  --window DAYS     override the profile's windows\n"
     "  --dry-run         compute and print, store nothing\n"},
    {"compensate", NULL, SHOPS, bl_cmd_compensate, L | A,
     "compensate --as-of T --profile P [--window DAYS] [--shop S | --all-shops] [--tz ZONE]\n"
     "       [--dry-run]",
     "Issues a coupon for each counted late shipment, once per order, paid from the shop's "
     "deposit; what the deposit cannot pay is recorded as owed.",
     "ballast compensate --as-of 2024-11-14 --profile own-site --all-shops", NULL},
    {"coupons", NULL, SHOPS, bl_cmd_coupons, L, "coupons [--shop S]",
     "The coupons issued or owed, with why.", "ballast coupons --shop shop-009", NULL},
    {"ledger", NULL, SHOPS, bl_cmd_ledger, L,
     "ledger --shop S [--as-of DAY]\n"
     "       ledger --balances [--shop S] [--as-of DAY]",
     "A shop's deposit: every entry (top-ups, coupons, freight waivers) and its balances, one "
     "per currency (never summed across currencies); --balances: every shop's balances, and a "
     "total in the organisation's currency naming the rates it used ('ballast org set').",
     "ballast ledger --shop shop-004",
     "  --balances      every shop's balances per currency, and the organisation's total\n"
     "  --as-of DAY     the balances at the end of DAY (and the rates of that day)\n"},

    /* ---------------------------------------------------------------- customers */
    {"messages", NULL, CUST, bl_cmd_messages, BL_HELP_SUBS,
     "messages plan|preview|list|show|approve|reject|policy|send ...",
     "The customer outbox: messages planned once per order and event, in the buyer's "
     "language; each waits for a person's approval unless its shop opted in, and a message "
     "that may not leave (a missing shop setting, a test domain, a platform's rule) is held "
     "with the reason, never sent.",
     "ballast messages list --state approved", NULL},
    {"messages", "plan", NULL, NULL, L | A,
     "messages plan --as-of T [--tz ZONE] [--horizon DAYS] [--lookahead HOURS]\n"
     "       [--channel email|webhook|csv] [--to-domain D] [--templates DIR] [--coupon-days N]\n"
     "       [--promo CODE --discount TEXT --promo-expires DATE] [--service-resumed DATE]\n"
     "       [--dry-run]",
     "Plans one message per order per event (late delivery, a disruption, a coupon) into the "
     "outbox, in the buyer's language (theirs, else the delivery country's), only for events "
     "inside the horizon; an event is never written twice. Says how many wait for approval, "
     "are held and why, and fell back to another language.",
     "ballast --org olist messages plan --as-of 2018-06-10 --tz America/Sao_Paulo",
     "  --horizon DAYS    only events at most DAYS before the as-of (default: each shop's\n"
     "                    profile, messaging.horizon_days, 3)\n"
     "  --lookahead HOURS heads-ups for ship-bys this far ahead (default 24)\n"
     "  --to-domain D     write to <customer id>@D when the shop relays mail through D\n"},
    {"messages", "preview", NULL, NULL, A,
     "messages preview ORDER KIND [--locale L] [--as-of T] [--shop S] [--format json]",
     "Renders one message with the order's real data (nothing stored or sent) and says "
     "whether it would be held, and why, and whether the next plan would queue it.",
     "ballast messages preview S001-0000051 late_delivery --as-of 2024-11-15", NULL},
    {"messages", "list", NULL, NULL, L, "messages list [--state S] [--kind K]",
     "The outbox: each message's state, kind, order, recipient and subject.",
     "ballast messages list --state approved --kind late_delivery", NULL},
    {"messages", "show", NULL, NULL, 0, "messages show ID",
     "One message as it will be sent: headers and body.", "ballast messages show 1", NULL},
    {"messages", "approve", NULL, NULL, 0, "messages approve ID | --all [--kind K]",
     "Approves a planned message, or all of them (of a kind), for sending.",
     "ballast messages approve --all --kind late_delivery", NULL},
    {"messages", "reject", NULL, NULL, 0, "messages reject ID --reason TEXT",
     "Rejects a message waiting for approval or held: it is never sent, and the next plan "
     "does not write it again. Who, when and why are kept ('messages show ID').",
     "ballast messages reject 7 --reason \"the buyer already called us\"", NULL},
    {"messages", "policy", NULL, NULL, L,
     "messages policy [list]\n"
     "       messages policy set --kind KIND (--shop SHOP | --all-shops) (--auto | --approval)",
     "Every message waits for a person's approval unless its shop opted in to send its kind "
     "at once (auto-send, per kind and per shop).",
     "ballast messages policy set --kind late_delivery --shop shop-002 --auto", NULL},
    {"messages", "send", NULL, NULL, BL_HELP_OWN_LIMIT,
     "messages send --via smtp|webhook|csv [--id ID] [--kind K] [--limit N]",
     "Sends the approved messages, each once, with retries and back-off; --limit caps how "
     "many this run sends.",
     "ballast messages send --via smtp --smtp smtp://mail:587",
     "  smtp:    --smtp URL (smtp://host:port) --from ADDR [--from-name NAME] [--rate PER_SEC]\n"
     "           [--smtp-user U] (password in BALLAST_SMTP_PASSWORD) [--require-tls]\n"
     "           [--insecure]\n"
     "  webhook: --webhook URL (secret in BALLAST_WEBHOOK_SECRET or --secret-file FILE)\n"
     "  csv:     --out FILE (a new file each run: an existing one is refused)\n"
     "  retries: [--backoff SECS] (default 60, doubled per attempt) [--max-attempts N] (8)\n"
     "           [--stale SECS] (600: a message left 'sending' that long is sent again)\n"},
    {"banners", NULL, CUST, bl_cmd_banners, L | A,
     "banners [--as-of T] [--account-url URL] [--templates DIR]",
     "The notices for the shops' home, shipping and product pages while a disruption lasts.",
     "ballast banners --as-of 2024-10-28", NULL},
    {"render", NULL, CUST, bl_cmd_render, 0,
     "render TEMPLATE --data FILE [--case N] [--partials DIR] [--strict] [--no-escape]",
     "Prints a Mustache template rendered with the JSON in FILE, exactly as a message would "
     "be (a samples file, a list of cases: each case, or the one --case N picks); --strict "
     "fails on a missing variable or partial, --no-escape writes plain text.",
     "ballast render templates/en/compensation_coupon.txt.mustache --data "
     "templates/samples/en/compensation_coupon.json --partials templates/en/partials "
     "--no-escape",
     NULL},

    /* ---------------------------------------------------------------- tax thresholds */
    {"comply", NULL, TAX, bl_cmd_comply, A,
     "comply --as-of T [--tz ZONE] [--explain JURISDICTION|SHOP] [--per-shop]\n"
     "       [--rules FILE] [--locale en|zh-CN]",
     "Where the sales into each jurisdiction stand against its tax registration threshold "
     "(the EU's distance sales, US states' economic nexus: data/comply/rules.csv): the "
     "period that counts, the total, how much of the threshold it is, and the day 80% and "
     "100% were crossed. Cancelled orders and refunded amounts are left out; other "
     "currencies are converted at each order's day ('import rates'). The daily cycle's "
     "watch step raises an alert for each crossing.",
     "ballast comply --as-of 2011-12-09 --explain EU",
     "  --explain X     a jurisdiction (EU, US-CA): its rule, source, totals and crossings;\n"
     "                  or a shop: its share of each jurisdiction's total\n"
     "  --per-shop      each shop a seller of its own (a marketplace's merchants)\n"
     "  --rules FILE    the rules to use (default data/comply/rules.csv, or\n"
     "                  $BALLAST_COMPLY_RULES)\n"
     "  --locale L      en (default) or zh-CN\n"},

    /* ---------------------------------------------------------------- the HTTP API */
    {"serve", NULL, API, bl_cmd_serve, 0,
     "serve [--listen HOST:PORT] [--threads N] [--timeout SECONDS] [--max-body BYTES]\n"
     "      [--max-upload BYTES] [--upload-timeout SECONDS] [--no-schedule]\n"
     "      [--allow-private-webhooks] [--web DIR]",
     "Serves the HTTP API and the dashboard (web/, at /) over the store until SIGTERM or "
     "Ctrl-C, which let the requests in flight finish; on 127.0.0.1:8080 unless --listen says "
     "otherwise. Every route needs a "
     "token ('ballast token create') but /healthz, /readyz, /metrics and "
     "/api/v1/openapi.json (docs/api.md). Runs each organisation's daily cycle at the time "
     "'org set --cycle-at' gives it, once per day (a cycle running at SIGTERM finishes its "
     "step and stops; the next start completes it).",
     "ballast serve --listen 127.0.0.1:8080 --threads 4",
     "  --listen HOST:PORT   the address (IPv4, [IPv6]; port 0: any free one)\n"
     "  --threads N          worker threads, each with its own store connection (default 4)\n"
     "  --timeout SECONDS    a request must arrive whole within this, and an idle connection\n"
     "                       is closed after it (default 30)\n"
     "  --max-body BYTES     the largest request body taken (default 1048576)\n"
     "  --max-upload BYTES   the largest order upload (POST /api/v1/orders, streamed to the\n"
     "                       importer as it arrives; default 1073741824, 1 GiB)\n"
     "  --upload-timeout SECONDS  an upload must arrive whole within this (default 3600)\n"
     "  --no-schedule        run no organisation's cycle on its schedule ('org set --cycle-at');\n"
     "                       by default the server runs each when it is due, once per day\n"
     "  --allow-private-webhooks  deliver webhooks to loopback and private addresses too\n"
     "                       (refused by default: docs/api.md, \"Webhooks\")\n"
     "  --web DIR            serve the dashboard's files from DIR (default: the build's\n"
     "                       copy, then the installed one; docs/web.md)\n"},
    {"token", NULL, API, bl_cmd_token, BL_HELP_SUBS, "token create|list|revoke ...",
     "The HTTP API's tokens: each belongs to one organisation and has a role (viewer reads, "
     "operator also declares disruptions and runs cycles, admin also manages tokens).",
     "ballast token list", NULL},
    {"token", "create", NULL, NULL, 0,
     "token create --role viewer|operator|admin|platform [--org NAME] [--expires 30d|DATE|T] "
     "[--label TEXT]",
     "Creates a token and prints it, the only time it is shown (the store keeps its hash).",
     "ballast token create --org default --role operator --expires 90d --label dashboard",
     "  --role R        viewer, operator, admin, or platform (a marketplace's operator)\n"
     "  --org NAME      the organisation (default: the global --org)\n"
     "  --expires D     a number of days (30d), a date (the end of that day UTC) or an instant\n"
     "  --label TEXT    what the token is for: shown by 'token list' and in histories\n"},
    {"token", "list", NULL, NULL, L, "token list [--org NAME]",
     "The organisation's tokens: role, label, when made, when they expire, when revoked; "
     "never the secrets.",
     "ballast token list", NULL},
    {"token", "revoke", NULL, NULL, 0, "token revoke ID [--org NAME]",
     "Revokes a token: the API refuses it from then on.", "ballast token revoke 2", NULL},
    {"webhook", NULL, API, bl_cmd_webhook, BL_HELP_SUBS, "webhook add|list|remove|test|deliver ...",
     "Outgoing webhooks: other systems subscribe to events (alert.raised, "
     "shop.rating_at_risk, disruption.declared, message.needs_approval, action.applied), "
     "each delivered at least once, signed, with an event id to deduplicate by (docs/api.md, "
     "\"Webhooks\").",
     "ballast webhook list", NULL},
    {"webhook", "add", NULL, NULL, 0, "webhook add URL --events all|TYPE,... [--secret-out FILE]",
     "Subscribes URL (http or https, no credentials in it) to events and prints its signing "
     "secret, the only time it is shown; the store keeps it sealed with the key in "
     "BALLAST_SECRET_KEY_FILE (default ~/.config/ballast/secret.key, made when missing).",
     "ballast webhook add https://erp.example.com/ballast --events alert.raised,action.applied",
     "  --events LIST      all, or some of alert.raised, shop.rating_at_risk,\n"
     "                     disruption.declared, message.needs_approval, action.applied\n"
     "  --secret-out FILE  write the secret to a new file (mode 600) instead of stdout\n"},
    {"webhook", "list", NULL, NULL, L, "webhook list",
     "The organisation's webhooks: events, deliveries pending, delivered and failed, and how "
     "the last attempt went; never the secrets.",
     "ballast webhook list", NULL},
    {"webhook", "remove", NULL, NULL, 0, "webhook remove ID",
     "Removes a webhook: what it was still to receive is not sent.", "ballast webhook remove 2",
     NULL},
    {"webhook", "test", NULL, NULL, 0, "webhook test ID [--allow-private]",
     "Sends a ping event to the webhook at once and says how it went (a failed one is "
     "retried like any event).",
     "ballast webhook test 1",
     "  --allow-private  deliver to loopback and private addresses (refused by default)\n"},
    {"webhook", "deliver", NULL, NULL, 0,
     "webhook deliver [--all-orgs] [--allow-private] [--batch N]",
     "Sends the events due now, each at most once at a time, with retries and backoff for "
     "those that fail; for installations without 'ballast serve' (which does it itself), "
     "after 'cycle' or from cron.",
     "ballast webhook deliver --all-orgs",
     "  --all-orgs       every organisation's (default: --org's)\n"
     "  --allow-private  deliver to loopback and private addresses (refused by default)\n"
     "  --batch N        at most N deliveries per organisation this run (default 100)\n"},

    /* ---------------------------------------------------------------- audit, users */
    {"audit", NULL, API, bl_cmd_audit, L,
     "audit [--since T] [--until T] [--actor NAME] [--action ACTION]",
     "The audit log, newest first: every change a person or system made (disruptions, "
     "protections, tokens, users, settings, messages, actions, coupons, imports, cycles), who "
     "made it, when, through the CLI or the API and from where, and the object before and "
     "after (docs/api.md, 'Audit log').",
     "ballast audit --action disruption --since 2024-11-01",
     "  --since T        changes at or after T (a date is its start, UTC)\n"
     "  --until T        changes before T\n"
     "  --actor NAME     one person or token, as the log names it ('alice', \"API token 'ci'\")\n"
     "  --action A       one action (disruption.lift) or a kind of them (disruption)\n"},
    {"retention", NULL, API, bl_cmd_retention, BL_HELP_SUBS, "retention show|set|prune ...",
     "How long the organisation keeps what piles up by itself: webhook deliveries and events, "
     "Idempotency-Keys, the audit log; the daily cycle's last step removes what is older "
     "(docs/internals/retention.md).",
     "ballast retention show", NULL},
    {"retention", "show", NULL, NULL, L, "retention show",
     "Each kind's days (the default, or the organisation's setting) and the rows the prunes "
     "removed, in all and at the last one.",
     "ballast retention show", NULL},
    {"retention", "set", NULL, NULL, 0,
     "retention set [--webhook-delivered D] [--webhook-failed D] [--webhook-events D]\n"
     "              [--idempotency D] [--audit D]",
     "Sets how many days each kind is kept: a number of days (1 to 36500), keep (every row, "
     "never pruned) or default (30, 90, 30, 1 and 400 days). Recorded in the audit log.",
     "ballast retention set --audit 730 --webhook-delivered 14",
     "  --webhook-delivered D  deliveries delivered (default 30)\n"
     "  --webhook-failed D     deliveries failed or cancelled (default 90)\n"
     "  --webhook-events D     events no delivery names any more (default 30)\n"
     "  --idempotency D        Idempotency-Keys, from the end of their lease (default 1)\n"
     "  --audit D              the audit log (default 400)\n"},
    {"retention", "prune", NULL, NULL, L, "retention prune",
     "Removes now what is older than the settings, in batches of 1,000 rows (at most 100 "
     "batches a kind; the rest at the next prune), as the daily cycle does; never a webhook "
     "delivery still pending, nor an Idempotency-Key within its lease.",
     "ballast retention prune", NULL},
    {"user", NULL, API, bl_cmd_user, BL_HELP_SUBS, "user add|list|passwd|remove ...",
     "The people who sign in (POST /api/v1/sessions): each belongs to one organisation and "
     "has a role, as a token does; the store keeps a hash of the password, never the password.",
     "ballast user list", NULL},
    {"user", "add", NULL, NULL, 0,
     "user add NAME --role viewer|operator|admin|platform [--org NAME] [--password-stdin]",
     "Adds a user. Without --password-stdin a password is generated and printed, the only "
     "time it is shown.",
     "ballast user add alice --role operator",
     "  --role R           viewer, operator, admin, or platform (a marketplace's operator)\n"
     "  --org NAME         the organisation (default: the global --org)\n"
     "  --password-stdin   read the password (10 to 256 bytes) from the first line of stdin\n"},
    {"user", "list", NULL, NULL, L, "user list [--org NAME]",
     "The organisation's users: role, when added, and until when a name is locked after too "
     "many wrong passwords.",
     "ballast user list", NULL},
    {"user", "passwd", NULL, NULL, 0, "user passwd NAME [--org NAME] [--password-stdin]",
     "Sets a new password (generated and printed without --password-stdin); the user's "
     "sessions end and a lock after wrong passwords is lifted.",
     "ballast user passwd alice", NULL},
    {"user", "remove", NULL, NULL, 0, "user remove NAME [--org NAME]",
     "Removes a user; their sessions end at once.", "ballast user remove alice", NULL},

    /* ---------------------------------------------------- a marketplace's merchants */
    {"programs", NULL, MKT, bl_cmd_programs, BL_HELP_SUBS,
     "programs list|add|remove|eval|members|facts ...",
     "A marketplace's support programmes for its merchants (a new-creator plan, a resumption "
     "plan for regions on the disruption list): conditions, coverage and benefits as data "
     "files, decided each day by the cycle, each joining and loss told to the merchant "
     "through the outbox (docs/internals/programs.md).",
     "ballast programs list", NULL},
    {"programs", "list", NULL, NULL, L, "programs list [--locale en|zh-CN]",
     "The programmes the organisation runs: conditions, benefits, members and those that "
     "lost the benefits, the last evaluation.",
     "ballast programs list --locale zh-CN", "  --locale L   en (default) or zh-CN\n"},
    {"programs", "add", NULL, NULL, 0, "programs add FILE",
     "Adds a programme from a data file, or replaces the one of the same id (docs/formats.md, "
     "'Support programmes'; data/programs/ has examples). A bad file is refused with the "
     "line or field and what was expected.",
     "ballast programs add data/programs/new-creator.json", NULL},
    {"programs", "remove", NULL, NULL, 0, "programs remove PROGRAM",
     "Stops running a programme; its members' records are kept.",
     "ballast programs remove new-creator", NULL},
    {"programs", "eval", NULL, NULL, L | A,
     "programs eval --as-of T [--program P] [--dry-run] [--tz ZONE] [--locale en|zh-CN]",
     "Decides every programme for every shop as of T: who joins (from the day after its "
     "last condition was met), who stays, who loses the benefits and why; divides each "
     "budget; stores the members and queues one message per joining and per loss (the "
     "cycle's watch step does the same each day).",
     "ballast --org olist programs eval --as-of 2018-05-25 --tz America/Sao_Paulo",
     "  --as-of T      the instant decided for (a date: the end of that day)\n"
     "  --program P    one programme only\n"
     "  --dry-run      decide and print, store nothing, queue no message\n"
     "  --tz ZONE      the zone of --as-of (default UTC)\n"
     "  --locale L     en (default) or zh-CN\n"},
    {"programs", "members", NULL, NULL, L,
     "programs members PROGRAM [--explain SHOP [--as-of T]] [--locale en|zh-CN]",
     "A programme's members and the shops that lost its benefits, with why; --explain: one "
     "shop's decision condition by condition and how its share was counted (as of the last "
     "evaluation, or --as-of).",
     "ballast programs members resumption --explain shop-003",
     "  --explain SHOP  why this shop is or is not a member (MERCHANT/SHOP: a shop of a\n"
     "                  merchant organisation this marketplace governs)\n"
     "  --as-of T       the instant explained (default: the last evaluation)\n"
     "  --locale L      en (default) or zh-CN\n"},
    {"programs", "facts", NULL, NULL, 0,
     "programs facts SHOP [--opened T] [--reopened|--first-opening] [--deposit-paid T]\n"
     "                    [--sharing-since T] [--violation T] [--linked-to SHOP]\n"
     "       programs facts --import FILE",
     "The facts about a merchant that programmes look at, each with when it became true: "
     "e-commerce opened (a first opening or not), the base deposit paid in full, live or "
     "short-video sharing enabled, a major violation or risk, a linked account. 'none' "
     "clears a fact; --import reads many shops from a CSV (docs/formats.md, 'Merchant "
     "facts').",
     "ballast programs facts shop-003 --opened 2024-03-01 --first-opening --deposit-paid "
     "2024-03-02 --sharing-since 2024-03-04",
     "  --opened T          e-commerce opened (a date is its start, UTC)\n"
     "  --reopened          that opening was not the first; --first-opening: it was\n"
     "  --deposit-paid T    the base deposit paid in full\n"
     "  --sharing-since T   live or short-video sharing enabled (none: turned off)\n"
     "  --violation T       a major violation or risk recorded (none: cleared)\n"
     "  --linked-to SHOP    a linked account, whose violations count too (none: no link)\n"
     "  --import FILE       columns shop, opened_at, reopened, deposit_paid_at,\n"
     "                      sharing_since, violation_at, linked_to\n"},

    /* ---------------------------------------------------------------- what if (issue 20) */
    {"whatif", NULL, DAY, bl_cmd_whatif, A,
     "whatif --as-of T --assume FILE [--horizon DAYS] [--replay] [--tz ZONE]\n"
     "       [--locale en|zh-CN] [--json | --brief] [--mitigate [--apply N]]",
     "What hypothetical events would cost before they happen: the days from the as-of to "
     "the horizon run twice on one snapshot, without and with the events of FILE "
     "(disruptions, supplier shutdowns and lead times, channel suspensions, demand shocks: "
     "docs/formats.md, 'What-if assumptions'), and the difference: orders held and late per "
     "shop and channel, stock-outs, each shop's rating with and without the exemptions, "
     "coupons, deposits, messages and playbook actions. Writes nothing (docs/whatif.md).",
     "ballast whatif --as-of 2024-11-15 --assume data/demo/whatif-yiwu.csv --horizon 14",
     "  --assume FILE   the hypothetical events (CSV, one a row)\n"
     "  --horizon DAYS  how far to run (default 14, at most 366)\n"
     "  --mitigate      also the cheapest way through: plans over backup suppliers,\n"
     "                  transfers between warehouses and longer handling times, ranked by\n"
     "                  total cost, each measured by running the what-if again with it\n"
     "                  (docs/internals/mitigate.md)\n"
     "  --apply N       with --mitigate: propose plan N (as printed) as actions for\n"
     "                  approval ('ballast actions approve ID'): purchase orders,\n"
     "                  transfers, handling times until an end day; a step proposed\n"
     "                  before is not proposed again (docs/whatif.md, 'Applying a plan')\n"
     "  --replay        take the orders the store holds up to the horizon as recorded (a\n"
     "                  past disruption replayed); by default nothing after the as-of is\n"
     "                  known: pending orders ship at each shop's usual times and new ones\n"
     "                  come at its rate of the last 28 days\n"
     "  --tz ZONE       how to read the as-of and the file's local times (default UTC)\n"
     "  --locale L      en (default) or zh-CN\n"
     "  --json          the whole result as JSON (every row, money in minor units)\n"
     "  --brief         the report in one line\n"},

    /* ---------------------------------------------------------------- help */
    {"help", NULL, MISC, bl_cmd_help, 0, "help [COMMAND [SUBCOMMAND]] | help --list",
     "This overview, or one command's help (the same as 'ballast COMMAND --help'); --list "
     "prints every command and subcommand, one a line, for scripts and shell completion.",
     "ballast help orders list", NULL},
    {NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL},
};
