/* schema.c - the versioned migrations shared by every store backend.
 *
 * Migration N brings the schema from version N-1 to N. Each is a list of
 * statements in portable SQL (BIGINT, TEXT, composite primary keys that start with
 * org_id so PostgreSQL/Citus can distribute every table by org_id). Never edit a
 * released migration: add a new one.
 *
 * Conventions: times are UTC epoch seconds (BIGINT), days are day numbers since
 * 1970-01-01, money is BIGINT minor units next to a TEXT currency code, regions
 * are canonical codes (see region.h), flags are 0/1. Ids are assigned by Ballast
 * per organisation (dense, increasing); ext_id is the id the user's data uses.
 * There are no foreign-key constraints: the importers keep references intact and
 * the bulk paths stay fast.
 *
 * The one dialect difference: a CREATE TABLE ending in " WITHOUT ROWID" is
 * clustered on its primary key in SQLite (one B-tree instead of two for the big,
 * append-mostly tables); the suffix is dropped on PostgreSQL (see schema.h).
 */
#include "store/schema.h"

static const char *const m1[] = {
    "CREATE TABLE org ("
    " id BIGINT PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " created_at BIGINT)",
    "INSERT INTO org (id, name, created_at) VALUES (1, 'default', NULL)",

    "CREATE TABLE import_batch ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL,"
    " kind TEXT NOT NULL, source TEXT NOT NULL, sha256 TEXT NOT NULL,"
    " rows BIGINT NOT NULL, state TEXT NOT NULL, created_at BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX import_batch_hash ON import_batch (org_id, kind, sha256)",

    "CREATE TABLE shop ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, ext_id TEXT NOT NULL,"
    " name TEXT NOT NULL, platform TEXT NOT NULL, profile TEXT NOT NULL,"
    " currency TEXT NOT NULL, tz TEXT NOT NULL, ship_from TEXT,"
    " deposit BIGINT NOT NULL, fulfilment TEXT NOT NULL, vacation BIGINT NOT NULL,"
    " batch_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX shop_ext ON shop (org_id, ext_id)",

    "CREATE TABLE sku ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, ext_id TEXT NOT NULL,"
    " name TEXT NOT NULL, category TEXT, weight_g BIGINT,"
    " length_mm BIGINT, width_mm BIGINT, height_mm BIGINT,"
    " price BIGINT, currency TEXT, handling_min BIGINT NOT NULL, handling_max BIGINT NOT NULL,"
    " listing TEXT NOT NULL, promoted BIGINT NOT NULL, price_review TEXT NOT NULL,"
    " batch_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX sku_ext ON sku (org_id, ext_id)",

    "CREATE TABLE warehouse ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, ext_id TEXT NOT NULL,"
    " name TEXT NOT NULL, region TEXT NOT NULL, kind TEXT NOT NULL, batch_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX warehouse_ext ON warehouse (org_id, ext_id)",

    "CREATE TABLE stock ("
    " org_id BIGINT NOT NULL, warehouse_id BIGINT NOT NULL, sku_id BIGINT NOT NULL,"
    " on_hand BIGINT NOT NULL, reserved BIGINT NOT NULL, counted_at BIGINT NOT NULL,"
    " batch_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, warehouse_id, sku_id))",

    "CREATE TABLE stock_move ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, warehouse_id BIGINT NOT NULL,"
    " sku_id BIGINT NOT NULL, qty BIGINT NOT NULL, kind TEXT NOT NULL, at BIGINT NOT NULL,"
    " ref TEXT, batch_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",

    "CREATE TABLE supplier ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, ext_id TEXT NOT NULL,"
    " name TEXT NOT NULL, region TEXT NOT NULL, lead_days BIGINT NOT NULL,"
    " lead_days_max BIGINT NOT NULL, moq BIGINT NOT NULL, case_pack BIGINT NOT NULL,"
    " state TEXT NOT NULL, backup_for TEXT, batch_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX supplier_ext ON supplier (org_id, ext_id)",

    "CREATE TABLE inbound ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, ext_id TEXT NOT NULL,"
    " supplier_id BIGINT, warehouse_id BIGINT NOT NULL, sku_id BIGINT NOT NULL,"
    " qty BIGINT NOT NULL, ordered_at BIGINT, eta BIGINT NOT NULL, received_at BIGINT,"
    " state TEXT NOT NULL, batch_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX inbound_ext ON inbound (org_id, ext_id, sku_id)",

    "CREATE TABLE orders ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, ext_id TEXT NOT NULL,"
    " shop_id BIGINT NOT NULL, customer TEXT, status TEXT NOT NULL,"
    " placed_at BIGINT NOT NULL, ship_by BIGINT, ship_from TEXT, ship_to TEXT,"
    " picked_up_at BIGINT, shipped_at BIGINT, delivered_at BIGINT, promised_at BIGINT,"
    " cancelled_at BIGINT, cancelled_by TEXT, amount BIGINT NOT NULL, currency TEXT NOT NULL,"
    " channel TEXT, locale TEXT, batch_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id)) WITHOUT ROWID",
    "CREATE UNIQUE INDEX orders_ext ON orders (org_id, shop_id, ext_id)",

    "CREATE TABLE order_line ("
    " org_id BIGINT NOT NULL, order_id BIGINT NOT NULL, line_no BIGINT NOT NULL,"
    " sku_id BIGINT NOT NULL, qty BIGINT NOT NULL, price BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, order_id, line_no)) WITHOUT ROWID",

    "CREATE TABLE sales_daily ("
    " org_id BIGINT NOT NULL, sku_id BIGINT NOT NULL, shop_id BIGINT NOT NULL,"
    " day BIGINT NOT NULL, units BIGINT NOT NULL, in_stock BIGINT,"
    " batch_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, sku_id, shop_id, day)) WITHOUT ROWID",

    "CREATE TABLE disruption ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, ext_id TEXT,"
    " region TEXT NOT NULL, scope TEXT NOT NULL, kind TEXT NOT NULL,"
    " channel TEXT, supplier TEXT, starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL,"
    " lifted_at BIGINT, note TEXT, batch_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX disruption_ext ON disruption (org_id, ext_id)",

    "CREATE TABLE protection ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, shop_id BIGINT NOT NULL,"
    " starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL, reason TEXT NOT NULL,"
    " batch_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",

    "CREATE TABLE channel ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, ext_id TEXT NOT NULL,"
    " carrier TEXT NOT NULL, mode TEXT NOT NULL, tier TEXT NOT NULL,"
    " transit_min BIGINT NOT NULL, transit_max BIGINT NOT NULL, sla_days BIGINT,"
    " cutoff TEXT, tz TEXT NOT NULL, calendar TEXT, volumetric_divisor BIGINT,"
    " remedy TEXT, currency TEXT NOT NULL, batch_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX channel_ext ON channel (org_id, ext_id)",

    "CREATE TABLE channel_rate ("
    " org_id BIGINT NOT NULL, channel_id BIGINT NOT NULL, line_no BIGINT NOT NULL,"
    " origin TEXT NOT NULL, destination TEXT NOT NULL,"
    " min_g BIGINT NOT NULL, max_g BIGINT NOT NULL, base BIGINT NOT NULL, per_kg BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, channel_id, line_no))",
};

/* Results of the assessment and compensation (issue: disruption-aware assessment).
 * Scores are stored as hundredths (score_x100) to stay within integers. */
static const char *const m2[] = {
    "CREATE TABLE assessment ("
    " org_id BIGINT NOT NULL, profile TEXT NOT NULL, window_days BIGINT NOT NULL,"
    " shop_id BIGINT NOT NULL, as_of BIGINT NOT NULL,"
    " due BIGINT NOT NULL, exempt BIGINT NOT NULL, counted BIGINT NOT NULL,"
    " on_time BIGINT NOT NULL, late BIGINT NOT NULL, shipped BIGINT NOT NULL,"
    " pickup_anomalies BIGINT NOT NULL, delivery_due BIGINT NOT NULL,"
    " delivery_exempt BIGINT NOT NULL, delivery_counted BIGINT NOT NULL,"
    " delivered_late BIGINT NOT NULL, placed BIGINT NOT NULL, seller_cancels BIGINT NOT NULL,"
    " score_x100 BIGINT, rating TEXT NOT NULL, carried_over BIGINT NOT NULL,"
    " carried_from BIGINT, computed_at BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, profile, window_days, shop_id, as_of))",

    "CREATE TABLE coupon ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, shop_id BIGINT NOT NULL,"
    " order_id BIGINT NOT NULL, profile TEXT NOT NULL, amount BIGINT NOT NULL,"
    " currency TEXT NOT NULL, reason TEXT NOT NULL, state TEXT NOT NULL,"
    " as_of BIGINT NOT NULL, issued_at BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX coupon_order ON coupon (org_id, order_id)",

    "CREATE TABLE ledger ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, shop_id BIGINT NOT NULL,"
    " kind TEXT NOT NULL, amount BIGINT NOT NULL, currency TEXT NOT NULL,"
    " balance BIGINT NOT NULL, ref TEXT NOT NULL, idem TEXT NOT NULL, note TEXT NOT NULL,"
    " as_of BIGINT NOT NULL, at BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX ledger_idem ON ledger (org_id, idem)",
    "CREATE INDEX ledger_shop ON ledger (org_id, shop_id, id)",

    "CREATE TABLE alert ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, kind TEXT NOT NULL, shop_id BIGINT,"
    " ref TEXT NOT NULL, message TEXT NOT NULL, as_of BIGINT NOT NULL, at BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX alert_ref ON alert (org_id, kind, ref)",
};

/* Working calendars (docs/formats.md, calendars): one row per closure; days are
 * day numbers, weekend a bit mask of closed weekdays (bit 0 Monday .. 6 Sunday). */
static const char *const m3[] = {
    "CREATE TABLE calendar_closure ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, calendar TEXT NOT NULL,"
    " date_from BIGINT NOT NULL, date_to BIGINT NOT NULL, weekend BIGINT NOT NULL,"
    " note TEXT, batch_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",
    "CREATE INDEX calendar_closure_name ON calendar_closure (org_id, calendar)",
};

/* Per-shop logistics policy (routing policy, refund threshold share in
 * basis points; a missing row or NULL column means the defaults: cheapest, 5000)
 * and the refund decisions, one per order (recorded once: `ballast refund` is
 * idempotent). */
static const char *const m4[] = {
    "CREATE TABLE shop_policy ("
    " org_id BIGINT NOT NULL, shop_id BIGINT NOT NULL, route_policy TEXT,"
    " refund_share_bp BIGINT, updated_at BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, shop_id))",

    "CREATE TABLE refund ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, order_id BIGINT NOT NULL,"
    " shop_id BIGINT NOT NULL, decision TEXT NOT NULL, refund BIGINT NOT NULL,"
    " currency TEXT NOT NULL, warehouse TEXT, return_cost BIGINT, threshold BIGINT NOT NULL,"
    " request TEXT, note TEXT NOT NULL, as_of BIGINT NOT NULL, at BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX refund_order ON refund (org_id, order_id)",
};

/* Replenishment and playbook. */
static const char *const m5[] = {
    /* one line per SKU (warehouse_id 0) and per SKU and warehouse, per planning day */
    "CREATE TABLE plan_line ("
    " org_id BIGINT NOT NULL, as_of BIGINT NOT NULL, sku_id BIGINT NOT NULL,"
    " warehouse_id BIGINT NOT NULL, on_hand BIGINT NOT NULL, reserved BIGINT NOT NULL,"
    " available BIGINT NOT NULL, inbound BIGINT NOT NULL, daily_milli BIGINT NOT NULL,"
    " cover_days BIGINT, stockout_day BIGINT, safety_stock BIGINT, reorder_point BIGINT,"
    " order_qty BIGINT, order_by_day BIGINT, supplier_id BIGINT, backup BIGINT,"
    " lead_days BIGINT, restock_day BIGINT, model TEXT, created_at BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, as_of, sku_id, warehouse_id))",

    "CREATE TABLE stock_alert ("
    " org_id BIGINT NOT NULL, as_of BIGINT NOT NULL, kind TEXT NOT NULL,"
    " sku_id BIGINT NOT NULL, message TEXT NOT NULL, value BIGINT, created_at BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, as_of, kind, sku_id))",

    /* a playbook action and its history: proposed_at, applied_at, closed_at (reverted or
     * withdrawn); before/after are the values of the field it changes */
    "CREATE TABLE action ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, kind TEXT NOT NULL,"
    " target TEXT NOT NULL, target_id BIGINT NOT NULL, field TEXT NOT NULL,"
    " before_val BIGINT NOT NULL, after_val BIGINT NOT NULL, state TEXT NOT NULL,"
    " reason TEXT NOT NULL, data TEXT NOT NULL, as_of BIGINT NOT NULL,"
    " proposed_at BIGINT NOT NULL, applied_at BIGINT, closed_at BIGINT, close_reason TEXT,"
    " PRIMARY KEY (org_id, id))",
    "CREATE INDEX action_open ON action (org_id, state, target, target_id)",

    "CREATE TABLE action_policy ("
    " org_id BIGINT NOT NULL, kind TEXT NOT NULL, mode TEXT NOT NULL,"
    " PRIMARY KEY (org_id, kind))",
};

/* The outbox (docs/internals/notify.md): one row per message, unique per organisation
 * by its idempotency key, so planning twice never adds a second message. state is
 * planned | approved | sending | sent | failed; claimed_at is when the current send
 * attempt started (state sending), next_attempt_at when a failed one may be retried.
 * covers names a kind this message also tells (a late-shipment notice that includes
 * the coupon covers compensation_coupon). message_policy: per kind, whether a person
 * approves before sending (no row: no approval needed). customer: the buyers' names,
 * e-mail addresses and languages (docs/formats.md, customers), keyed by the id orders
 * carry in their customer column. */
static const char *const m6[] = {
    "CREATE TABLE message ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, idem TEXT NOT NULL, kind TEXT NOT NULL,"
    " order_id BIGINT, shop_id BIGINT, customer TEXT, locale TEXT NOT NULL,"
    " channel TEXT NOT NULL, recipient TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL,"
    " covers TEXT, state TEXT NOT NULL, attempts BIGINT NOT NULL, last_error TEXT,"
    " next_attempt_at BIGINT, claimed_at BIGINT, as_of BIGINT NOT NULL,"
    " created_at BIGINT NOT NULL, approved_at BIGINT, sent_at BIGINT,"
    " PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX message_idem ON message (org_id, idem)",
    "CREATE INDEX message_state ON message (org_id, state, id)",
    "CREATE TABLE message_policy ("
    " org_id BIGINT NOT NULL, kind TEXT NOT NULL, approval BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, kind))",
    "CREATE TABLE customer ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, ext_id TEXT NOT NULL,"
    " name TEXT NOT NULL, email TEXT, locale TEXT, batch_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX customer_ext ON customer (org_id, ext_id)",
};

/* Order blocks (ordblock.h): each import batch's orders, the columns the
 * assessment reads, packed; written with the rows, in the same transaction. BYTEA
 * is PostgreSQL's bytes; SQLite keeps the blob as given. */
static const char *const m7[] = {
    "CREATE TABLE order_block ("
    " org_id BIGINT NOT NULL, batch_id BIGINT NOT NULL, seq BIGINT NOT NULL,"
    " first_id BIGINT NOT NULL, n BIGINT NOT NULL,"
    " placed_lo BIGINT NOT NULL, placed_hi BIGINT NOT NULL,"
    " key_lo BIGINT NOT NULL, key_hi BIGINT NOT NULL, data BYTEA NOT NULL,"
    " PRIMARY KEY (org_id, batch_id, seq))",
    "CREATE UNIQUE INDEX order_block_first ON order_block (org_id, first_id)",
};

/* The service layer and the daily cycle (docs/internals/app.md, cycle.md).
 * id_seq: one allocator for every table's ids, per organisation (org_id 0 for the org
 * table itself): a row's next_id is taken and advanced in the transaction that inserts,
 * so ids stay dense and a rolled-back insert gives its ids back. cycle: one row per run
 * of `ballast cycle` (state running | done | failed; runner "host:pid" of the process that
 * runs it, so a second one waits its turn); cycle_step: each step's timing and counts (a
 * JSON object). The results of a cycle carry its id. */
static const char *const m8[] = {
    "CREATE TABLE id_seq ("
    " org_id BIGINT NOT NULL, tbl TEXT NOT NULL, next_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, tbl))",
    "CREATE TABLE cycle ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, as_of BIGINT NOT NULL, day BIGINT NOT NULL,"
    " state TEXT NOT NULL, dry_run BIGINT NOT NULL, shard TEXT,"
    " started_at BIGINT NOT NULL, finished_at BIGINT, ms BIGINT, summary TEXT, error TEXT,"
    " runner TEXT, PRIMARY KEY (org_id, id))",
    "CREATE INDEX cycle_as_of ON cycle (org_id, as_of, id)",
    "CREATE TABLE cycle_step ("
    " org_id BIGINT NOT NULL, cycle_id BIGINT NOT NULL, seq BIGINT NOT NULL,"
    " step TEXT NOT NULL, state TEXT NOT NULL, started_at BIGINT NOT NULL, ms BIGINT,"
    " counts TEXT, error TEXT,"
    " PRIMARY KEY (org_id, cycle_id, seq))",
    /* the operators who get each cycle's digest: kind email | slack | feishu | dingtalk;
     * address an e-mail address or a webhook URL; secret the chat bot's signing secret
     * (never printed); smtp_url and sender for e-mail; locale en | zh-CN */
    "CREATE TABLE notify_target ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, kind TEXT NOT NULL, address TEXT NOT NULL,"
    " secret TEXT, locale TEXT NOT NULL, smtp_url TEXT, sender TEXT, created_at BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX notify_target_addr ON notify_target (org_id, kind, address)",
    /* one digest per cycle per target: idem is "digest:<cycle>:<target>" */
    "CREATE TABLE digest_delivery ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, cycle_id BIGINT NOT NULL,"
    " target_id BIGINT NOT NULL, idem TEXT NOT NULL, state TEXT NOT NULL,"
    " attempts BIGINT NOT NULL, error TEXT, at BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX digest_delivery_idem ON digest_delivery (org_id, idem)",
    "ALTER TABLE assessment ADD COLUMN cycle_id BIGINT",
    /* the rules a shop misses: "metric:window_days" comma-separated ("" none) */
    "ALTER TABLE assessment ADD COLUMN failing TEXT",
    "ALTER TABLE coupon ADD COLUMN cycle_id BIGINT",
    "ALTER TABLE ledger ADD COLUMN cycle_id BIGINT",
    "ALTER TABLE alert ADD COLUMN cycle_id BIGINT",
    "ALTER TABLE refund ADD COLUMN cycle_id BIGINT",
    "ALTER TABLE plan_line ADD COLUMN cycle_id BIGINT",
    "ALTER TABLE stock_alert ADD COLUMN cycle_id BIGINT",
    "ALTER TABLE action ADD COLUMN cycle_id BIGINT",
    "ALTER TABLE message ADD COLUMN cycle_id BIGINT",
};

/* Orders that change (docs/internals/import.md "Orders that change"). An import of a
 * known order updates it; each change is a row of order_event (field, old and new as
 * text: instants in ISO 8601 UTC; correction 1 when --corrections allowed it). tracking
 * is the carrier's tracking number; fulfilment NULL means the shop's (merchant or
 * platform). stale is 1 once a row changed after its order block was written: the
 * snapshot loader reads such rows instead of their block's copy (a partial index keeps
 * them findable without costing the rows that never change). */
static const char *const m9[] = {
    "ALTER TABLE orders ADD COLUMN tracking TEXT",
    "ALTER TABLE orders ADD COLUMN fulfilment TEXT",
    "ALTER TABLE orders ADD COLUMN stale BIGINT",
    "CREATE INDEX orders_stale ON orders (org_id, id) WHERE stale IS NOT NULL",
    "CREATE TABLE order_event ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, order_id BIGINT NOT NULL,"
    " batch_id BIGINT NOT NULL, field TEXT NOT NULL, old TEXT, new TEXT,"
    " correction BIGINT NOT NULL, at BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",
    "CREATE INDEX order_event_order ON order_event (org_id, order_id, id)",
    "CREATE INDEX order_event_at ON order_event (org_id, at)",
    /* the last order_event id when the result was computed: a recomputed result names
     * the orders changed since */
    "ALTER TABLE assessment ADD COLUMN events_upto BIGINT",
    /* the same for a cycle when it started: its digest counts the changes since */
    "ALTER TABLE cycle ADD COLUMN events_upto BIGINT",
};

/* Money per currency and suppliers per SKU (issue 14): the organisation's reporting
 * currency (NULL: none set); exchange rates as exact decimals (rate = rate_num /
 * 10^rate_scale units of to_cur for one unit of from_cur, in effect from day, a day
 * number); each SKU's suppliers in rank order (1 the primary, then the backups), with
 * the unit cost (minor units of currency) and an MOQ that overrides the supplier's. */
static const char *const m_money[] = {
    "ALTER TABLE org ADD COLUMN currency TEXT",
    "CREATE TABLE fx_rate ("
    " org_id BIGINT NOT NULL, from_cur TEXT NOT NULL, to_cur TEXT NOT NULL, day BIGINT NOT NULL,"
    " rate_num BIGINT NOT NULL, rate_scale BIGINT NOT NULL, batch_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, from_cur, to_cur, day))",
    "CREATE TABLE sku_supplier ("
    " org_id BIGINT NOT NULL, sku_id BIGINT NOT NULL, supplier_id BIGINT NOT NULL,"
    " rank BIGINT NOT NULL, unit_cost BIGINT, currency TEXT, moq BIGINT,"
    " batch_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, sku_id, supplier_id))",
    "CREATE UNIQUE INDEX sku_supplier_rank ON sku_supplier (org_id, sku_id, rank)",
};

/* The life of a disruption (issue 14): every change made by hand to a disruption
 * (declared, a field edited, lifted) is a row of disruption_event: who (the operating
 * system user of the command, or the API's caller), when, which field, the old and new
 * value as text (instants in ISO 8601 UTC; "open" for an end until further notice;
 * NULL for none). dis_events_upto: the last disruption_event id when an assessment or
 * a cycle was computed, as events_upto is for order_event, so the next run names the
 * disruptions edited since. */
static const char *const m_dis_history[] = {
    "CREATE TABLE disruption_event ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, disruption_id BIGINT NOT NULL,"
    " at BIGINT NOT NULL, who TEXT, field TEXT NOT NULL, old TEXT, new TEXT,"
    " PRIMARY KEY (org_id, id))",
    "CREATE INDEX disruption_event_dis ON disruption_event (org_id, disruption_id, id)",
    "ALTER TABLE assessment ADD COLUMN dis_events_upto BIGINT",
    "ALTER TABLE cycle ADD COLUMN dis_events_upto BIGINT",
};

/* Exempt orders never hurt (docs/metrics.md): the exempt orders kept in a rate because
 * they help it, stored so that a result carried over later has its rates (NULL in rows
 * stored before: none were kept then). */
static const char *const m_kept[] = {
    "ALTER TABLE assessment ADD COLUMN kept_on_time BIGINT",
    "ALTER TABLE assessment ADD COLUMN kept_tracked BIGINT",
    "ALTER TABLE assessment ADD COLUMN kept_delivered BIGINT",
};

/* Area names (docs/formats.md, areas; issue #13): what a buyer calls a region narrower
 * than a subdivision, per language ("" locale: any). A postal prefix such as "CN-ZJ:322"
 * is "Yiwu" in a message, never its code. (Renumbering this migration at merge changes
 * only its number in the table below.) */
static const char *const m_area[] = {
    "CREATE TABLE area ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, region TEXT NOT NULL, locale TEXT NOT NULL,"
    " name TEXT NOT NULL, batch_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX area_region ON area (org_id, region, locale)",
};

/* The outbox safe by default (docs/internals/notify.md, issue #13). shop_setting: what
 * a shop's messages say and who they come from (`ballast shops set`; NULL: not set,
 * and a message that needs it is held). message_auto: the kinds a shop sends without a
 * person's approval (shop_id 0: every shop of the organisation); every other kind
 * waits for one (message_policy, the old per-kind switch, is no longer read).
 * message.hold: why a held message may not leave ("reason=arg;..."). Messages the old
 * default approved by themselves and never sent go back to waiting for a person. */
static const char *const m_outbox[] = {
    "CREATE TABLE shop_setting ("
    " org_id BIGINT NOT NULL, shop_id BIGINT NOT NULL, account_url TEXT,"
    " support_contact TEXT, support_hours TEXT, signature TEXT, sender_name TEXT,"
    " sender_address TEXT, updated_at BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, shop_id))",
    "CREATE TABLE message_auto ("
    " org_id BIGINT NOT NULL, shop_id BIGINT NOT NULL, kind TEXT NOT NULL,"
    " created_at BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, shop_id, kind))",
    "ALTER TABLE message ADD COLUMN hold TEXT",
    "UPDATE message SET state = 'planned', approved_at = NULL"
    " WHERE state = 'approved' AND approved_at = created_at AND sent_at IS NULL",
    /* what the old defaults wrote: the placeholder addresses and account page */
    "UPDATE message SET state = 'held', hold = 'reserved_recipient=customers.invalid'"
    " WHERE state IN ('planned', 'approved', 'failed') AND recipient LIKE '%@customers.invalid'",
    "UPDATE message SET state = 'held', hold = CASE WHEN hold IS NULL"
    " THEN 'reserved_link=shop.example' ELSE hold || ';reserved_link=shop.example' END"
    " WHERE state IN ('planned', 'approved', 'failed', 'held') AND body LIKE '%shop.example%'",
};

/* Order lines by SKU (issue 15, item 6): the shortage query of messages (message.c) reads
 * each SKU's lines that want more than it has, and the send's pause_mail check a paused
 * SKU's lines, instead of every order line of the organisation. qty last, so a SKU's
 * short lines are one range. (Renumbering this migration at merge changes only its
 * number in the table below.) */
static const char *const m_line_sku[] = {
    "CREATE INDEX order_line_sku ON order_line (org_id, sku_id, qty)",
};

/* Identity by content (docs/internals/import.md, issue #15 item 10): sha256 is now the
 * hash of a batch's normalised records (decompressed, line ends and blank lines gone,
 * fields parsed), so the same content in another encoding is the same batch; opts is
 * what else changed the records' meaning ("tz=Asia/Shanghai", "shop=s1"; "" none; NULL
 * in batches recorded before, whose sha256 is of the bytes). A batch replaced by
 * `import KIND FILE --replace N` keeps its id and its rows' batch_id; replaced_at says
 * when its content was last replaced. The hash is no longer unique: a batch replaced
 * with the same records read in another zone keeps them. (Renumbering this migration
 * at merge changes only its number in the table below.) */
static const char *const m_ident[] = {
    "ALTER TABLE import_batch ADD COLUMN opts TEXT",
    "ALTER TABLE import_batch ADD COLUMN replaced_at BIGINT",
    "DROP INDEX import_batch_hash",
    "CREATE INDEX import_batch_hash ON import_batch (org_id, kind, sha256)",
};

/* The HTTP API (docs/internals/api.md, issue #16). api_token: who may call it, per
 * organisation, with a role; only a hash of the secret is kept (crypto_generichash),
 * revoked_at/expires_at NULL: not revoked, never expires. api_idem: a POST's
 * Idempotency-Key with the response it gave (status 0: still running), so a retried
 * request creates nothing twice. (Renumbering this migration at merge changes only its
 * number in the table below.) */
static const char *const m_api[] = {
    "CREATE TABLE api_token ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, role TEXT NOT NULL, hash BYTEA NOT NULL,"
    " label TEXT, created_at BIGINT NOT NULL, expires_at BIGINT, revoked_at BIGINT,"
    " PRIMARY KEY (org_id, id))",
    "CREATE TABLE api_idem ("
    " org_id BIGINT NOT NULL, idem_key TEXT NOT NULL, route TEXT NOT NULL,"
    " req_hash BYTEA NOT NULL, status BIGINT NOT NULL, body TEXT, created_at BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, idem_key))",
};

/* A person's decision on a proposed playbook action (docs/internals/playbook.md): who
 * approved or rejected it, when, and their note. A rejected action keeps state
 * 'rejected' and counts as open for the playbook (it is not proposed again while the
 * same change is wanted; withdrawn when the condition ends). (Renumbering this migration
 * at merge changes only its number in the table below.) */
static const char *const m_action_decision[] = {
    "ALTER TABLE action ADD COLUMN decided_at BIGINT",
    "ALTER TABLE action ADD COLUMN decided_by TEXT",
    "ALTER TABLE action ADD COLUMN decision_note TEXT",
};

/* The daily cycle on a schedule (docs/internals/api.md, "The scheduler"; issue #16).
 * org.cycle_at: minutes after local midnight the organisation's cycle runs at, in zone
 * cycle_tz (NULL: no schedule, the default); cycle_since: when it was set (a day whose
 * time came before is not run). cycle_sched: one row per organisation and local day
 * (the unique key is the claim: a server runs a day's cycle only if its INSERT made the
 * row, so two servers on one store run it once): its state (running, retrying, stopped,
 * done, given_up), attempts, the next attempt's time, the cycle it ran, the days missed
 * before it. cycle_attempt: every attempt, its outcome, the step that failed and why.
 * (Renumbering this migration at merge changes only its number in the table below.) */
static const char *const m_sched[] = {
    "ALTER TABLE org ADD COLUMN cycle_at BIGINT",
    "ALTER TABLE org ADD COLUMN cycle_tz TEXT",
    "ALTER TABLE org ADD COLUMN cycle_since BIGINT",
    "CREATE TABLE cycle_sched ("
    " org_id BIGINT NOT NULL, day BIGINT NOT NULL, due_at BIGINT NOT NULL, as_of BIGINT NOT NULL,"
    " state TEXT NOT NULL, attempts BIGINT NOT NULL, runner TEXT NOT NULL,"
    " claimed_at BIGINT NOT NULL, next_at BIGINT, cycle_id BIGINT, missed BIGINT NOT NULL,"
    " finished_at BIGINT,"
    " PRIMARY KEY (org_id, day))",
    "CREATE TABLE cycle_attempt ("
    " org_id BIGINT NOT NULL, day BIGINT NOT NULL, attempt BIGINT NOT NULL,"
    " started_at BIGINT NOT NULL, finished_at BIGINT, runner TEXT NOT NULL, cycle_id BIGINT,"
    " outcome TEXT NOT NULL, step TEXT, error TEXT,"
    " PRIMARY KEY (org_id, day, attempt))",
};

/* A message a person rejects (`messages reject`, POST /api/v1/messages/{id}/reject): state
 * 'rejected', never sent, kept with who, when and why; its key stays, so a later plan
 * does not write it again. (Renumbering this migration at merge changes only its number
 * in the table below.) */
static const char *const m_reject[] = {
    "ALTER TABLE message ADD COLUMN rejected_at BIGINT",
    "ALTER TABLE message ADD COLUMN rejected_by TEXT",
    "ALTER TABLE message ADD COLUMN reject_reason TEXT",
};

/* Outgoing webhooks (docs/internals/webhooks.md, issue #16). webhook: a subscriber per
 * organisation (events: a comma-separated list of event types, or "*"; secret: sealed,
 * src/io/send/hook.c; removed_at NULL while active). hook_event: the outbox of events,
 * written in the transaction of the change that raises them (dedup: a key that makes the
 * same fact raise once, e.g. one alert of one day; NULL none). hook_delivery: one event
 * to one subscriber: pending | delivered | failed | cancelled, its attempts, when it may
 * be tried next, and the claim of the worker sending it (claimed_until: a lease; claim:
 * that worker's random number). (Renumbering this migration at merge changes only its
 * number in the table below.) */
static const char *const m_hook[] = {
    "CREATE TABLE webhook ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, url TEXT NOT NULL, events TEXT NOT NULL,"
    " secret TEXT NOT NULL, created_at BIGINT NOT NULL, removed_at BIGINT,"
    " PRIMARY KEY (org_id, id))",
    "CREATE TABLE hook_event ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL,"
    " dedup TEXT, created_at BIGINT NOT NULL, PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX hook_event_dedup ON hook_event (org_id, dedup)",
    "CREATE TABLE hook_delivery ("
    " org_id BIGINT NOT NULL, event_id BIGINT NOT NULL, webhook_id BIGINT NOT NULL,"
    " state TEXT NOT NULL, attempts BIGINT NOT NULL, next_at BIGINT NOT NULL,"
    " claimed_until BIGINT NOT NULL, claim BIGINT NOT NULL, last_status BIGINT,"
    " last_error TEXT, last_at BIGINT, delivered_at BIGINT,"
    " PRIMARY KEY (org_id, webhook_id, event_id))",
    "CREATE INDEX hook_delivery_due ON hook_delivery (org_id, state, next_at)",
};

/* The audit log, users, platform operators (docs/internals/audit.md, issue #16). audit:
 * one row per change a person or system made (who: actor with the user or token, via
 * cli/api/system, from where; what: action, object kind and id; before and after as JSON
 * text, NULL when there was none), written in the change's transaction. app_user: the
 * people who sign in (a libsodium crypto_pwhash_str hash, never the password), with the
 * failed sign-ins that lock the name for a while. api_token.user_id: the user a session
 * token was issued to (NULL: a plain API token). org_govern: the merchant organisations
 * a marketplace organisation governs (org_id the marketplace). (Renumbering this
 * migration at merge changes only its number in the table below.) */
static const char *const m_audit[] = {
    "CREATE TABLE audit ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, at BIGINT NOT NULL, actor TEXT NOT NULL,"
    " user_id BIGINT, token_id BIGINT, via TEXT NOT NULL, source TEXT, action TEXT NOT NULL,"
    " object_kind TEXT NOT NULL, object_id TEXT, before TEXT, after TEXT,"
    " PRIMARY KEY (org_id, id))",
    "CREATE INDEX audit_at ON audit (org_id, at)",
    "CREATE TABLE app_user ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL,"
    " pw_hash TEXT NOT NULL, created_at BIGINT NOT NULL, failed BIGINT NOT NULL,"
    " locked_until BIGINT, PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX app_user_name ON app_user (org_id, name)",
    "ALTER TABLE api_token ADD COLUMN user_id BIGINT",
    "CREATE TABLE org_govern ("
    " org_id BIGINT NOT NULL, merchant_id BIGINT NOT NULL, created_at BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, merchant_id))",
};

/* What cached answers are checked against (bl_store_touch, bl_store_data_gen): a counter
 * per organisation that every change to what they read bumps in its own transaction. */
static const char *const m_data_gen[] = {
    "CREATE TABLE data_gen (org_id BIGINT NOT NULL PRIMARY KEY, gen BIGINT NOT NULL)",
};

/* Merchant support programmes (docs/internals/programs.md, issue #19). shop_standing: the
 * facts programmes look at, each with when it became true (NULL: not, or not known):
 * e-commerce opened (reopened 1: not the first opening), the base deposit paid in full,
 * live or short-video sharing enabled, a major violation or risk recorded, and the shop
 * of an account linked to it. program: the programmes the organisation runs, each its
 * JSON as added (`programs add`), parsed again when read. program_member: each shop's
 * standing in each programme: member or lost, since when (the instant, and the shop's
 * local day: since_day, lost_day as day numbers), why it was lost, its benefits
 * (JSON: what, amount in minor units, currency) and the cycle that decided it.
 * (Renumbering this migration at merge changes only its number in the table below.) */
static const char *const m_programs[] = {
    "CREATE TABLE shop_standing ("
    " org_id BIGINT NOT NULL, shop_id BIGINT NOT NULL, opened_at BIGINT, reopened BIGINT,"
    " deposit_paid_at BIGINT, sharing_at BIGINT, violation_at BIGINT, linked_to BIGINT,"
    " updated_at BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, shop_id))",
    "CREATE TABLE program ("
    " org_id BIGINT NOT NULL, id BIGINT NOT NULL, ext_id TEXT NOT NULL, body TEXT NOT NULL,"
    " source TEXT NOT NULL, added_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " removed_at BIGINT,"
    " PRIMARY KEY (org_id, id))",
    "CREATE UNIQUE INDEX program_ext ON program (org_id, ext_id)",
    "CREATE TABLE program_member ("
    " org_id BIGINT NOT NULL, program_id BIGINT NOT NULL, shop_id BIGINT NOT NULL,"
    " state TEXT NOT NULL, since BIGINT, since_day BIGINT, lost_at BIGINT, lost_day BIGINT,"
    " reason TEXT, benefits TEXT,"
    " as_of BIGINT NOT NULL, changed_at BIGINT NOT NULL, cycle_id BIGINT,"
    " PRIMARY KEY (org_id, program_id, shop_id))",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* An Idempotency-Key's claim expires: a request that dies between the claim and its
 * answer (a crash, a killed server) no longer leaves the key answering 409 for ever.
 * lease_until: the time after which a claim still running (status 0) may be taken over
 * by a retry; NULL for claims made before this migration (they never expire). */
static const char *const m_idem_lease[] = {
    "ALTER TABLE api_idem ADD COLUMN lease_until BIGINT",
};

/* A marketplace's programmes decide the shops of the merchant organisations it governs
 * too: program_member names the organisation a shop belongs to (shop_org; the
 * programme's own organisation for the records before). Rebuilt, since the key changes.
 * (Renumbering this migration at merge changes only its number in the table below.) */
static const char *const m_program_merchants[] = {
    "CREATE TABLE program_member_v26 ("
    " org_id BIGINT NOT NULL, program_id BIGINT NOT NULL, shop_org BIGINT NOT NULL,"
    " shop_id BIGINT NOT NULL,"
    " state TEXT NOT NULL, since BIGINT, since_day BIGINT, lost_at BIGINT, lost_day BIGINT,"
    " reason TEXT, benefits TEXT,"
    " as_of BIGINT NOT NULL, changed_at BIGINT NOT NULL, cycle_id BIGINT,"
    " PRIMARY KEY (org_id, program_id, shop_org, shop_id))",
    "INSERT INTO program_member_v26 (org_id, program_id, shop_org, shop_id, state, since,"
    " since_day, lost_at, lost_day, reason, benefits, as_of, changed_at, cycle_id)"
    " SELECT org_id, program_id, org_id, shop_id, state, since, since_day, lost_at, lost_day,"
    " reason, benefits, as_of, changed_at, cycle_id FROM program_member",
    "DROP TABLE program_member",
    "ALTER TABLE program_member_v26 RENAME TO program_member",
};

/* A user's language (issue #17): what the dashboard's switch chose for the user ("en",
 * "zh-CN"), so it follows them to another browser; NULL: none chosen (the browser's).
 * (Renumbering this migration at merge changes only its number in the table below.) */
static const char *const m_user_lang[] = {
    "ALTER TABLE app_user ADD COLUMN language TEXT",
};
/* retention: per organisation and kind (webhook_delivered, webhook_failed, webhook_events,
 * idempotency, audit) the days kept (NULL: the default, 0: every row) and what the prunes
 * removed (in all, and at the last one), for the digest and /metrics; the indexes the
 * prunes walk by age (events) and look deliveries up by event with; and the ledger's sums
 * per account (a page of GET /ledger). */
static const char *const m_retention[] = {
    "CREATE TABLE retention ("
    " org_id BIGINT NOT NULL, kind TEXT NOT NULL, days BIGINT, pruned BIGINT NOT NULL,"
    " last_at BIGINT, last_pruned BIGINT NOT NULL, PRIMARY KEY (org_id, kind))",
    "CREATE INDEX hook_event_at ON hook_event (org_id, created_at)",
    "CREATE INDEX hook_delivery_event ON hook_delivery (org_id, event_id)",
    /* a page of the ledger (GET /ledger) sums each account's entries before it: from
     * this index alone, in its order, never the rows and their notes */
    "CREATE INDEX ledger_sums ON ledger (org_id, shop_id, kind, currency, id, amount)",
};

/* A what-if's plan applied as proposed actions (issue 20, docs/internals/playbook.md
 * "Actions from a what-if"): the parts a purchase order, a transfer or a handling hold
 * carries besides its SKU (source_id: the supplier ordered from or the warehouse the
 * units leave; dest_id: the warehouse they arrive at; by_day: the day to order or ship
 * by; until_day: the day they arrive, or the day a hold ends), and ref, the step's
 * identity: applying the same plan again creates nothing twice.
 * (Renumbering this migration at merge changes only its number in the table below.) */
static const char *const m_action_parts[] = {
    "ALTER TABLE action ADD COLUMN source_id BIGINT",
    "ALTER TABLE action ADD COLUMN dest_id BIGINT",
    "ALTER TABLE action ADD COLUMN by_day BIGINT",
    "ALTER TABLE action ADD COLUMN until_day BIGINT",
    "ALTER TABLE action ADD COLUMN ref TEXT",
    "CREATE UNIQUE INDEX action_ref ON action (org_id, ref)",
};

/* No index of order lines by SKU (issue 16, the upload speed): order_line_sku was one
 * more B-tree insert per imported line, at a random place, as costly as the line's own
 * row (a fifth of an upload's SQLite work). Its two readers reach the lines from their
 * orders instead (message.c: the stock-outs from the undelivered orders, the paused
 * SKUs' customers once per query). (Renumbering this migration at merge changes only its
 * number in the table below.) */
static const char *const m_line_sku_drop[] = {
    "DROP INDEX IF EXISTS order_line_sku",
};

/* Proposed actions decided a set at once (docs/internals/playbook.md "Deciding a set"):
 * the plan that proposed an action (plan: the what-if's file, its as-of day and the plan's
 * rank, "whatif-yiwu.csv as of 2024-11-15, plan 1") and the shop a handling hold is for
 * (shop_id), so that a person approves "all of this plan", "all of this shop".
 * (Renumbering this migration at merge changes only its number in the table below.) */
static const char *const m_action_sets[] = {
    "ALTER TABLE action ADD COLUMN plan TEXT",
    "ALTER TABLE action ADD COLUMN shop_id BIGINT",
};

/* a promoted SKU's promotion spend a day (minor units of its currency, as price): what a
 * day it is paused saves (whatif --mitigate's pause_promotion) */
static const char *const m_promo_spend[] = {
    "ALTER TABLE sku ADD COLUMN promo_spend BIGINT",
};

/* Webhook events raise once beyond retention (docs/internals/webhooks.md, "Retention"):
 * hook_dedup keeps the key of every event raised with one (an alert of a day, a shop's
 * rating as of a day, an applied action) and its event's id, and is never pruned, so a
 * cycle run again for a day whose events retention removed raises none of them again. */
static const char *const m_hook_dedup[] = {
    "CREATE TABLE hook_dedup ("
    " org_id BIGINT NOT NULL, dedup TEXT NOT NULL, event_id BIGINT NOT NULL,"
    " PRIMARY KEY (org_id, dedup))",
    "INSERT INTO hook_dedup (org_id, dedup, event_id)"
    " SELECT org_id, dedup, id FROM hook_event WHERE dedup IS NOT NULL",
};

static const struct bl_migration migrations[] = {
    {1, "input tables: shops, skus, stock, suppliers, orders, disruptions, channels", m1, N(m1)},
    {2, "assessment results, coupons, the deposit ledger, alerts", m2, N(m2)},
    {3, "working calendars: holiday closures and weekends", m3, N(m3)},
    {4, "per-shop routing and refund policy, refund decisions", m4, N(m4)},
    {5, "replenishment and playbook: plan_line, stock_alert, action, action_policy", m5, N(m5)},
    {6, "the message outbox, per-kind approval policy, customers", m6, N(m6)},
    {7, "order blocks: the assessment's columns of each batch's orders, packed", m7, N(m7)},
    {8,
     "one id allocator (id_seq); cycles and their steps; results carry their cycle;"
     " the operators' digest: who gets it, what was delivered",
     m8, N(m8)},
    {9, "orders that change: order_event (the history), tracking, fulfilment, stale rows", m9,
     N(m9)},
    {10, "money per currency: the organisation's currency, exchange rates; suppliers per SKU",
     m_money, N(m_money)},
    {11, "the life of a disruption: disruption_event (its history), dis_events_upto", m_dis_history,
     N(m_dis_history)},
    {12, "exempt orders kept in the assessment's rates: kept_on_time, kept_tracked, kept_delivered",
     m_kept, N(m_kept)},
    {13, "area names: what buyers call a postal area, per language", m_area, N(m_area)},
    {14, "the outbox safe by default: shop settings, per-shop auto-send, held messages", m_outbox,
     N(m_outbox)},
    {15, "order lines by SKU: the stock-outs of messages", m_line_sku, N(m_line_sku)},
    {16, "identity by content: import_batch.opts, replaced_at; the hash no longer unique", m_ident,
     N(m_ident)},
    {17, "the HTTP API: tokens per organisation, idempotency keys", m_api, N(m_api)},
    {18, "playbook actions approved or rejected: by whom, when, with a note", m_action_decision,
     N(m_action_decision)},
    {19, "the daily cycle on a schedule: org.cycle_at, cycle_tz; cycle_sched, cycle_attempt",
     m_sched, N(m_sched)},
    {20, "rejected messages: who rejected them, when and why", m_reject, N(m_reject)},
    {21, "outgoing webhooks: subscribers, the event outbox, deliveries", m_hook, N(m_hook)},
    {22, "the audit log, users and their sign-ins, marketplaces governing merchants", m_audit,
     N(m_audit)},
    {23, "idempotency claims expire: api_idem.lease_until", m_idem_lease, N(m_idem_lease)},
    {24, "data_gen: a counter per organisation for the server's cached answers", m_data_gen,
     N(m_data_gen)},
    {25, "merchant support programmes: shop_standing, program, program_member", m_programs,
     N(m_programs)},
    {26, "programmes over governed merchants: program_member.shop_org", m_program_merchants,
     N(m_program_merchants)},
    {27, "a user's language: app_user.language, the dashboard's choice", m_user_lang,
     N(m_user_lang)},
    {28, "a what-if's plan as proposed actions: action.source_id, dest_id, by_day, until_day, ref",
     m_action_parts, N(m_action_parts)},
    {29,
     "retention: days kept per kind, rows pruned; hook_event_at, hook_delivery_event;"
     " ledger_sums",
     m_retention, N(m_retention)},
    {30, "order lines no longer indexed by SKU: order_line_sku dropped (uploads)",
     m_line_sku_drop, N(m_line_sku_drop)},
    {31, "proposed actions decided a set at once: action.plan, action.shop_id", m_action_sets,
     N(m_action_sets)},
    {32, "a SKU's promotion spend a day: sku.promo_spend", m_promo_spend, N(m_promo_spend)},
    {33, "webhook events raise once beyond retention: hook_dedup", m_hook_dedup, N(m_hook_dedup)},
};

const struct bl_migration *bl__migrations(size_t *n)
{
    *n = N(migrations);
    return migrations;
}
