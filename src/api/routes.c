/* routes.c - the route table: every route the API answers, the role it needs, what it
 * answers and the query it takes. Dispatch (dispatch.c) and the OpenAPI document
 * (openapi.c) are both read from it, and tests/cli/api_routes.sh walks it: a route is
 * added here, with its description, or it does not exist. */
#include "api/handlers.h"

#define V BL_ROLE_VIEWER
#define O BL_ROLE_OPERATOR
#define A BL_ROLE_ADMIN
#define S BL_ROUTE_STORE
#define E BL_ROUTE_ETAG

static const struct bl__api_param q_orders[] = {
    {"shop", "string", "only this shop's orders (its id)"},
    {"status", "string", "open, shipped, delivered or cancelled"},
    {"from", "string", "placed at or after this instant (ISO 8601 with offset, or a date)"},
    {"to", "string", "placed before this instant"},
    {"limit", "integer", "orders per page, 1 to 1000 (default 100)"},
    {"cursor", "string", "the next_cursor of the page before"},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_order[] = {
    {"shop", "string", "the shop, when several shops have an order with this id"},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_disruptions[] = {
    {"active_at", "string", "only those in force at this instant"},
    {"region", "string", "only those containing this region or inside it (CN-ZJ)"},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_assess[] = {
    {"shop", "string", "only this shop"},
    {"profile", "string", "assess under this platform profile instead of each shop's own"},
    {"as_of", "string", "the instant (default now); a date is the end of that day UTC"},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_messages[] = {
    {"state", "string", "planned, approved, held, sending, sent, failed, rejected, withdrawn"},
    {"kind", "string", "the message kind (late_shipment, compensation_coupon...)"},
    {"shop", "string", "only this shop's messages (its id)"},
    {"from", "string", "created at or after this instant (ISO 8601 with offset, or a date)"},
    {"to", "string", "created before this instant"},
    {"limit", "integer", "messages per page, 1 to 1000 (default 100)"},
    {"cursor", "string", "the next_cursor of the page before"},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_cycles[] = {
    {"limit", "integer", "the newest N cycles, 1 to 1000 (default 50)"},
    {NULL, NULL, NULL},
};

static const struct bl__api_param q_regions[] = {
    {"locale", "string", "the names' language (BCP 47: zh-CN, pt-BR; default en)"},
    {"country", "string", "this country's subdivisions (CN); without it, the countries"},
    {"codes", "string", "only these region codes, comma-separated (CN-ZJ,DE), at most 200"},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_compliance[] = {
    {"as_of", "string", "the instant (default now); a date is the end of that day UTC"},
    {"shop", "string", "with per_shop: only this shop; else its share of each total"},
    {"per_shop", "string", "true: each shop a seller of its own (a marketplace's merchants)"},
    {"locale", "string", "the words of name and threshold: en (default) or zh-CN"},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_program_members[] = {
    {"state", "string", "member or lost (default: both)"},
    {NULL, NULL, NULL},
};

static const struct bl__api_param q_audit[] = {
    {"since", "string", "changes at or after this instant (a date: the end of that day UTC)"},
    {"until", "string", "changes before this instant"},
    {"actor", "string", "only this actor, as the log names it"},
    {"action", "string", "one action (disruption.lift) or a kind of them (disruption)"},
    {"limit", "integer", "entries per page, 1 to 1000 (default 100)"},
    {"cursor", "string", "the next_cursor of the page before"},
    {NULL, NULL, NULL},
};

static const char body_disruption[] =
    "{\"type\":\"object\",\"required\":[\"region\",\"scope\",\"kind\",\"from\"],"
    "\"additionalProperties\":false,\"properties\":{"
    "\"region\":{\"type\":\"string\",\"description\":\"ISO 3166 code: BR, CN-ZJ\"},"
    "\"scope\":{\"enum\":[\"origin\",\"destination\",\"both\"]},"
    "\"kind\":{\"enum\":[\"lockdown\",\"strike\",\"route_suspension\",\"carrier_suspension\","
    "\"supplier_shutdown\",\"holiday\",\"weather\",\"other\",\"customer_service_closure\"]},"
    "\"from\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"to\":{\"type\":[\"string\",\"null\"],\"format\":\"date-time\","
    "\"description\":\"absent or null: until further notice\"},"
    "\"ext_id\":{\"type\":\"string\"},\"channel\":{\"type\":\"string\"},"
    "\"supplier\":{\"type\":\"string\"},\"note\":{\"type\":\"string\"}}}";

static const char body_cycle[] =
    "{\"type\":\"object\",\"required\":[\"as_of\"],\"additionalProperties\":false,"
    "\"properties\":{"
    "\"as_of\":{\"type\":\"string\",\"description\":\"a date (the end of that day in tz) or "
    "an instant\"},"
    "\"tz\":{\"type\":\"string\",\"description\":\"IANA zone of a date (default UTC)\"},"
    "\"dry_run\":{\"type\":\"boolean\"},\"digest\":{\"type\":\"boolean\","
    "\"description\":\"send the operators' digest (default true)\"},"
    "\"horizon_days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":365}}}";

/* ---- the supply side: query parameters and bodies */
static const char page_limit[] = "items per page, 1 to 1000 (default 100)";
static const char page_cursor[] = "the next_cursor of the page before";
static const struct bl__api_param q_skus[] = {
    {"listing", "string",
     "only SKUs in this listing state: active, inactive, out_of_stock, "
     "delisted"},
    {"limit", "integer", page_limit},
    {"cursor", "string", page_cursor},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_stock[] = {
    {"sku", "string", "only this SKU (its id)"},
    {"warehouse", "string", "only this warehouse (its id)"},
    {"limit", "integer", page_limit},
    {"cursor", "string", page_cursor},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_forecasts[] = {
    {"sku", "string", "only this SKU"},
    {"as_of", "string",
     "only the history before this (a date: the forecast starts the day "
     "after); default: all of it"},
    {"horizon_days", "integer", "days to forecast, 1 to 365 (default 28)"},
    {"model", "string",
     "auto (default), snaive, ses, damped, ets_seasonal, croston, sba, tsb or "
     "combo"},
    {"limit", "integer", page_limit},
    {"cursor", "string", page_cursor},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_stock_day[] = {
    {"as_of", "string", "the day planned for (a date: the day after it; default now)"},
    {"sku", "string", "only this SKU"},
    {"limit", "integer", page_limit},
    {"cursor", "string", page_cursor},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_stock_summary[] = {
    {"as_of", "string", "the day planned for (a date: the day after it; default now)"},
    {"filter", "string",
     "all (default), stockout (a stock-out alert), reorder (to order now) or late (runs out "
     "before an order placed today arrives)"},
    {"limit", "integer", page_limit},
    {"cursor", "string", page_cursor},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_actions[] = {
    {"sku", "string", "only this SKU's actions"},
    {"state", "string", "proposed, applied, rejected, reverted, withdrawn, undone or expired"},
    {"kind", "string", "only actions of this kind"},
    {"plan", "string", "only the actions a what-if's plan proposed (an action's plan)"},
    {"shop", "string", "only the actions for this shop (a handling hold's, a shop's own)"},
    {"locale", "string", "the language of reason_text: en (default) or zh-CN"},
    {"limit", "integer", page_limit},
    {"cursor", "string", page_cursor},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_trend[] = {
    {"as_of", "string", "the last day's instant (default now); a date is the end of that day UTC"},
    {"days", "integer", "how many days, 1 to 365 (default 90)"},
    {"profile", "string", "under this platform profile instead of the shop's own"},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_sales[] = {
    {"sku", "string", "the SKU (required)"},
    {"as_of", "string", "the history before this (a date: up to and including it; default now)"},
    {"days", "integer", "how many days back, 1 to 730 (default 90)"},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_windows[] = {
    {"from", "string", "only orders shipped from this region (an ISO 3166 code: CN-GD)"},
    {"channel", "string", "the windows of this channel instead of the cheapest serving one"},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_protections[] = {
    {"shop", "string", "only this shop's windows"},
    {"limit", "integer", page_limit},
    {"cursor", "string", page_cursor},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_quotes[] = {
    {"from", "string", "where it leaves: an ISO 3166 code (CN-GD)"},
    {"to", "string", "where it goes (US-CA)"},
    {"weight_g", "integer", "its weight in grams"},
    {"dims_cm", "string", "its size LxWxH in centimetres (30x20x10), for volumetric weight"},
    {"ship_at", "string", "when it is handed over (default now)"},
    {"by", "string", "the date it must arrive by: meets_by says which channels do"},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_routes[] = {
    {"as_of", "string", "the instant the open orders are routed at (default now)"},
    {"shop", "string", "only this shop's orders"},
    {"limit", "integer", page_limit},
    {"cursor", "string", page_cursor},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_promises[] = {
    {"sku", "string", "only this SKU (default every SKU)"},
    {"dest", "string", "only this destination (US; default every lane's)"},
    {"shop", "string", "the shop whose ship-from and routing policy apply"},
    {"from", "string", "the ship-from region, instead of the shop's"},
    {"as_of", "string", "the instant the listing is shown (default now)"},
    {"limit", "integer", page_limit},
    {"cursor", "string", page_cursor},
    {NULL, NULL, NULL},
};

static const char body_decision[] =
    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
    "\"note\":{\"type\":\"string\",\"minLength\":1,\"description\":\"why, kept with the "
    "decision\"}}}";

static const char body_action_set[] =
    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
    "\"plan\":{\"type\":\"string\",\"minLength\":1,\"description\":\"the plan that proposed "
    "them, as an action's plan names it\"},"
    "\"kind\":{\"type\":\"string\",\"minLength\":1,\"description\":\"a kind of action\"},"
    "\"shop\":{\"type\":\"string\",\"minLength\":1,\"description\":\"a shop's id\"},"
    "\"all\":{\"type\":\"boolean\",\"description\":\"every proposed action (the others "
    "narrow it)\"},"
    "\"note\":{\"type\":\"string\",\"minLength\":1,\"description\":\"why, kept with each "
    "decision\"}}}";

static const char body_protect[] =
    "{\"type\":\"object\",\"required\":[\"shop\",\"from\",\"to\",\"reason\"],"
    "\"additionalProperties\":false,\"properties\":{"
    "\"shop\":{\"type\":\"string\",\"description\":\"the shop's id\"},"
    "\"from\":{\"type\":\"string\",\"description\":\"an instant with its offset, or a local date "
    "or time in tz (default: the shop's zone)\"},"
    "\"to\":{\"type\":\"string\",\"description\":\"the end (exclusive), read as from\"},"
    "\"reason\":{\"type\":\"string\",\"minLength\":1,\"description\":\"why it was granted\"},"
    "\"tz\":{\"type\":\"string\",\"description\":\"IANA zone of local times\"}}}";
/* the daily cycle's schedule (and the organisation's other settings) */
static const char body_org[] =
    "{\"type\":\"object\",\"additionalProperties\":false,\"minProperties\":1,\"properties\":{"
    "\"cycle_at\":{\"type\":[\"string\",\"null\"],\"pattern\":\"^[0-9]{1,2}:[0-9]{2}$\","
    "\"description\":\"the local time the day's cycle runs at, HH:MM; null: no schedule\"},"
    "\"cycle_tz\":{\"type\":\"string\",\"description\":\"its IANA zone (Asia/Shanghai); "
    "needed with a first cycle_at\"},"
    "\"currency\":{\"type\":[\"string\",\"null\"],\"description\":\"ISO 4217 code reports "
    "total in; null: none\"}}}";
static const char body_retention[] =
    "{\"type\":\"object\",\"additionalProperties\":false,\"minProperties\":1,\"properties\":{"
    "\"webhook_delivered\":{\"oneOf\":[{\"type\":\"integer\",\"minimum\":1,\"maximum\":36500},"
    "{\"enum\":[\"keep\",\"default\"]}],"
    "\"description\":\"days delivered deliveries are kept (default 30)\"},"
    "\"webhook_failed\":{\"oneOf\":[{\"type\":\"integer\",\"minimum\":1,\"maximum\":36500},"
    "{\"enum\":[\"keep\",\"default\"]}],"
    "\"description\":\"days failed or cancelled deliveries are kept (default 90)\"},"
    "\"webhook_events\":{\"oneOf\":[{\"type\":\"integer\",\"minimum\":1,\"maximum\":36500},"
    "{\"enum\":[\"keep\",\"default\"]}],"
    "\"description\":\"days events no delivery names are kept (default 30)\"},"
    "\"idempotency\":{\"oneOf\":[{\"type\":\"integer\",\"minimum\":1,\"maximum\":36500},"
    "{\"enum\":[\"keep\",\"default\"]}],"
    "\"description\":\"days an Idempotency-Key is kept past its lease (default 1)\"},"
    "\"audit\":{\"oneOf\":[{\"type\":\"integer\",\"minimum\":1,\"maximum\":36500},"
    "{\"enum\":[\"keep\",\"default\"]}],"
    "\"description\":\"days the audit log is kept (default 400)\"}}}";
static const char body_me[] =
    "{\"type\":\"object\",\"required\":[\"language\"],\"additionalProperties\":false,"
    "\"properties\":{\"language\":{\"type\":[\"string\",\"null\"],\"enum\":[\"en\","
    "\"zh-CN\",null],\"description\":\"the dashboard's language for this user; null: none "
    "(the browser's)\"}}}";
/* ---- the customer side: query parameters and bodies */
static const struct bl__api_param q_impact[] = {
    {"as_of", "string", "the instant (default now, kept inside the disruption's window)"},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_assess_orders[] = {
    {"rule", "string", "only this rule's metric (late_shipment, late_delivery, cancel...)"},
    {"profile", "string", "under this platform profile instead of the shop's own"},
    {"as_of", "string", "the instant (default now); a date is the end of that day UTC"},
    {"limit", "integer", "orders listed per rule and list, 1 to 1000 (default 100)"},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_coupons[] = {
    {"shop", "string", "only this shop's coupons (its id)"},
    {"state", "string", "paid (from the deposit) or owed"},
    {"limit", "integer", "coupons per page, 1 to 1000 (default 100)"},
    {"cursor", "string", "the next_cursor of the page before"},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_ledger[] = {
    {"shop", "string", "the shop (required): its deposit's entries and balance"},
    {"limit", "integer", "entries per page, 1 to 1000 (default 100)"},
    {"cursor", "string", "the next_cursor of the page before"},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_refunds[] = {
    {"shop", "string", "only this shop's decisions (its id)"},
    {"limit", "integer", "decisions per page, 1 to 1000 (default 100)"},
    {"cursor", "string", "the next_cursor of the page before"},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_banners[] = {
    {"as_of", "string", "the instant (default now; give it with cursor: pages of one as_of)"},
    {"shop", "string", "only this shop's notices"},
    {"limit", "integer", "banners per page, 1 to 1000 (default 100)"},
    {"cursor", "string", "the next_cursor of the page before"},
    {NULL, NULL, NULL},
};

static const char body_dis_edit[] =
    "{\"type\":\"object\",\"additionalProperties\":false,\"minProperties\":1,\"properties\":{"
    "\"from\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"to\":{\"type\":[\"string\",\"null\"],\"format\":\"date-time\","
    "\"description\":\"null: until further notice\"},"
    "\"region\":{\"type\":\"string\"},"
    "\"scope\":{\"enum\":[\"origin\",\"destination\",\"both\"]},"
    "\"kind\":{\"type\":\"string\"},"
    "\"note\":{\"type\":[\"string\",\"null\"],\"description\":\"null: removed\"}}}";
static const char body_dis_lift[] =
    "{\"type\":\"object\",\"required\":[\"at\"],\"additionalProperties\":false,"
    "\"properties\":{\"at\":{\"type\":\"string\",\"description\":\"the instant it ended "
    "(ISO 8601 with offset), or now\"}}}";
static const char body_compensate[] =
    "{\"type\":\"object\",\"required\":[\"as_of\"],\"additionalProperties\":false,"
    "\"properties\":{\"as_of\":{\"type\":\"string\",\"description\":\"a date (the end of "
    "that day UTC) or an instant\"},\"profile\":{\"type\":\"string\"},"
    "\"shop\":{\"type\":\"string\"},\"all_shops\":{\"type\":\"boolean\"},"
    "\"dry_run\":{\"type\":\"boolean\"}}}";
static const char body_refund[] =
    "{\"type\":\"object\",\"required\":[\"order\"],\"additionalProperties\":false,"
    "\"properties\":{\"order\":{\"type\":\"string\",\"description\":\"the order's id as "
    "its shop knows it\"},\"shop\":{\"type\":\"string\"},\"reason\":{\"type\":\"string\"},"
    "\"as_of\":{\"type\":\"string\"}}}";
static const char body_approve[] =
    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
    "\"ids\":{\"type\":\"array\",\"items\":{\"type\":\"integer\",\"minimum\":1},"
    "\"minItems\":1,\"maxItems\":1000},\"all\":{\"type\":\"boolean\"},"
    "\"kind\":{\"type\":\"string\",\"description\":\"with all: only this kind\"}}}";
static const char body_reject[] =
    "{\"type\":\"object\",\"required\":[\"reason\"],\"additionalProperties\":false,"
    "\"properties\":{\"reason\":{\"type\":\"string\",\"minLength\":1}}}";
static const char body_send[] =
    "{\"type\":\"object\",\"required\":[\"via\"],\"additionalProperties\":false,"
    "\"properties\":{\"via\":{\"enum\":[\"smtp\",\"webhook\"]},"
    "\"smtp\":{\"type\":\"string\",\"description\":\"smtp://host:port (default: the "
    "server's BALLAST_SMTP_URL)\"},\"from\":{\"type\":\"string\"},"
    "\"from_name\":{\"type\":\"string\"},\"webhook\":{\"type\":\"string\","
    "\"description\":\"the URL (signed with the server's BALLAST_WEBHOOK_SECRET)\"},"
    "\"kind\":{\"type\":\"string\"}}}";
static const char body_webhook[] =
    "{\"type\":\"object\",\"required\":[\"url\",\"events\"],\"additionalProperties\":false,"
    "\"properties\":{"
    "\"url\":{\"type\":\"string\",\"description\":\"http or https, without credentials\"},"
    "\"events\":{\"oneOf\":[{\"const\":\"all\"},{\"type\":\"array\",\"minItems\":1,"
    "\"items\":{\"enum\":[\"alert.raised\",\"shop.rating_at_risk\",\"disruption.declared\","
    "\"message.needs_approval\",\"action.applied\"]}}]}}}";
static const char body_user[] =
    "{\"type\":\"object\",\"required\":[\"name\",\"role\"],\"additionalProperties\":false,"
    "\"properties\":{"
    "\"name\":{\"type\":\"string\",\"description\":\"1 to 64 letters, digits and . _ @ -\"},"
    "\"role\":{\"enum\":[\"viewer\",\"operator\",\"admin\",\"platform\"]},"
    "\"password\":{\"type\":\"string\",\"description\":\"10 to 256 bytes; absent: one is "
    "generated and answered once\"}}}";
static const char body_passwd[] =
    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
    "\"password\":{\"type\":\"string\",\"description\":\"10 to 256 bytes; absent: one is "
    "generated and answered once\"}}}";
/* ---- order uploads (h_upload.c, upload.c) ---- */
static const struct bl__api_param q_upload[] = {
    {"format", "string",
     "orders (the native CSV columns; the default, and the only one for JSON Lines), "
     "amazon, shopify, tiktok or temu (the platform's report as exported)"},
    {"shop", "string", "the shop a platform report belongs to (its id)"},
    {"tz", "string", "IANA zone of times written without an offset"},
    {"corrections", "boolean", "an order's identity or recorded times may change, as a correction"},
    {NULL, NULL, NULL},
};
static const char body_upload[] =
    "{\"application/x-ndjson\":{\"schema\":{\"type\":\"string\",\"description\":"
    "\"JSON Lines: one order line per line, an object with the native orders CSV's columns "
    "(docs/formats.md)\"}},"
    "\"text/csv\":{\"schema\":{\"type\":\"string\",\"description\":"
    "\"the file as the importer named by ?format= reads it (gzip too)\"}}}";
static const char body_session[] =
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"description\":\"a user's name and password (and organisation), or, for a browser, an "
    "API token with cookie true\","
    "\"properties\":{"
    "\"org\":{\"type\":\"string\",\"description\":\"the organisation's name (default: "
    "default)\"},"
    "\"name\":{\"type\":\"string\"},\"password\":{\"type\":\"string\"},"
    "\"token\":{\"type\":\"string\",\"description\":\"an API token to keep in the "
    "browser's cookie (with cookie true)\"},"
    "\"cookie\":{\"type\":\"boolean\",\"description\":\"true: the token goes into an "
    "HttpOnly, SameSite=Strict cookie, not the answer, which gives the csrf_token every change "
    "must send as X-CSRF-Token\"}}}";

static const struct bl__api_param q_today[] = {
    {"as_of", "string", "the moment summarised (default the last cycle's as-of, else now)"},
    {"top", "integer", "rows of each list, 1 to 100 (default 8)"},
    {"locale", "string", "the language of the actions' reason_text: en (default) or zh-CN"},
    {NULL, NULL, NULL},
};

static const char body_whatif[] =
    "{\"type\":\"object\",\"required\":[\"as_of\"],\"additionalProperties\":false,"
    "\"properties\":{"
    "\"as_of\":{\"type\":\"string\",\"description\":\"a date (the end of that day in tz) or "
    "an instant\"},"
    "\"tz\":{\"type\":\"string\",\"description\":\"IANA zone of a date and of the "
    "events' local times (default UTC)\"},"
    "\"horizon_days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":366},"
    "\"replay\":{\"type\":\"boolean\",\"description\":\"take the orders the store holds "
    "up to the horizon as recorded (a past disruption replayed)\"},"
    "\"assume\":{\"type\":\"string\",\"description\":\"the assumption file's text "
    "(docs/formats.md, What-if assumptions); or events\"},"
    "\"events\":{\"type\":\"array\",\"items\":{\"type\":\"object\"},"
    "\"description\":\"the file's rows as objects of its columns (event, region, scope, kind, "
    "starts_at, ends_at, channel, supplier, sku, category, lead_days, change_pct, note)\"},"
    "\"mitigate\":{\"type\":\"boolean\",\"description\":\"also the cheapest way through: "
    "plans ranked by total cost, each measured by running the what-if again with it, under "
    "mitigation (docs/internals/mitigate.md)\"},"
    "\"apply\":{\"type\":\"integer\",\"minimum\":1,\"description\":\"with mitigate: plan N "
    "(its rank) proposed as actions for approval, under applied (201; docs/whatif.md, "
    "Applying a plan); a step proposed before is not proposed again\"},"
    "\"source\":{\"type\":\"string\",\"description\":\"what was assumed, in words, for the "
    "actions' reasons (default: the events' notes)\"}}}";

const struct bl__api_route bl__api_routes[] = {
    {"GET", "/healthz", bl__h_healthz, BL_ROLE_NONE, 0, "Liveness: the server answers.", NULL, NULL,
     "ok"},
    {"GET", "/readyz", bl__h_readyz, BL_ROLE_NONE, S, "Readiness: the store answers a query.", NULL,
     NULL, "ready (503 with an error when the store does not answer)"},
    {"GET", "/metrics", bl__h_metrics, BL_ROLE_NONE, 0,
     "Prometheus metrics: requests by route and status, latency, store errors; cycle step "
     "durations, cycles by state, the last done cycle, the scheduler's retries, the outbox.",
     NULL, NULL,
     "the metrics in Prometheus text format"},
    {"GET", "/api/v1/openapi.json", bl__h_openapi, BL_ROLE_NONE, E,
     "This document: every route, generated from the route table.", NULL, NULL,
     "the OpenAPI 3.1 document"},
    {"GET", "/api/v1/org", bl__h_org, V, E,
     "The caller's organisation: its name, currency, exchange rates and the daily cycle's "
     "schedule (the next and the last scheduled cycle).",
     NULL, NULL,
     "the organisation"},
    {"GET", "/api/v1/shops", bl__h_shops, V, E,
     "The organisation's shops with their platform and message settings.", NULL, NULL, "the shops"},
    {"GET", "/api/v1/orders", bl__h_orders, V, E,
     "Orders by placed time, a page at a time (cursor pagination).", q_orders, NULL,
     "a page of orders and the cursor of the next (null on the last page)"},
    {"GET", "/api/v1/orders/{id}", bl__h_order, V, E,
     "One order (its id as its shop knows it) with its lines and history.", q_order, NULL,
     "the order"},
    {"GET", "/api/v1/disruptions", bl__h_disruptions, V, E,
     "Declared and imported disruptions, by id.", q_disruptions, NULL, "the disruptions"},
    {"POST", "/api/v1/disruptions", bl__h_disruption_declare, O, BL_ROUTE_BODY | BL_ROUTE_IDEM,
     "Declares a disruption (with Idempotency-Key, a retry declares nothing twice).", NULL,
     body_disruption, "the disruption declared, with its history"},
    {"GET", "/api/v1/disruptions/{id}", bl__h_disruption, V, E,
     "One disruption and every change made to it.", NULL, NULL, "the disruption"},
    {"GET", "/api/v1/assessments", bl__h_assessments, V, E,
     "Each shop's assessment as its marketplace rates it: score, rating, each rule's status.",
     q_assess, NULL, "the shops' assessments (computed, not stored)"},
    {"GET", "/api/v1/messages", bl__h_messages, V, E,
     "Customer messages of the outbox, with why a held one may not leave.", q_messages, NULL,
     "the messages"},
    {"GET", "/api/v1/cycles", bl__h_cycles, V, E, "Past daily cycles, newest first.", q_cycles,
     NULL, "the cycles"},
    {"POST", "/api/v1/cycles", bl__h_cycle_run, O, BL_ROUTE_BODY | BL_ROUTE_IDEM,
     "Runs the day's cycle and sends its digest (with Idempotency-Key, a retry runs nothing "
     "twice).",
     NULL, body_cycle, "the cycle's steps and what they did"},
    {"GET", "/api/v1/cycles/{id}", bl__h_cycle, V, E, "One past cycle and its steps.", NULL, NULL,
     "the cycle"},
    {"GET", "/api/v1/tokens", bl__h_tokens, A, E,
     "The organisation's API tokens (never their secrets).", NULL, NULL, "the tokens"},
    /* ---- the supply side: catalogue, stock, forecasts, plans, alerts, actions, protections,
     * channels, calendars, quotes, routes, promises (h_stock.c, h_actions.c, h_protect.c,
     * h_logistics.c) */
    {"GET", "/api/v1/skus", bl__h_skus, V, E,
     "The catalogue: every SKU with its weight, size, price, handling days and listing state.",
     q_skus, NULL, "a page of SKUs and the cursor of the next (null on the last page)"},
    {"GET", "/api/v1/stock", bl__h_stock, V, E,
     "Units on hand, reserved and available per SKU and warehouse.", q_stock, NULL,
     "a page of stock rows and the cursor of the next"},
    {"GET", "/api/v1/forecasts", bl__h_forecasts, V, E,
     "Daily demand per SKU (p50, p90, p95) from the sales history, the model chosen per SKU.",
     q_forecasts, NULL, "a page of SKUs, each with its model and days"},
    {"GET", "/api/v1/plans", bl__h_plans, V, E,
     "The replenishment plan per SKU: cover, stock-out, reorder point, what to order from whom "
     "and by when (computed, not stored).",
     q_stock_day, NULL, "a page of the plan, one item per SKU"},
    {"GET", "/api/v1/stock/summary", bl__h_stock_summary, V, E,
     "The Stock page in one answer: every SKU's runway (and per warehouse), the shortest "
     "first, named, and the day's counts (stock-outs within the alert days, to reorder, too "
     "late to reorder).",
     q_stock_summary, NULL, "the counts and a page of SKUs in runway order"},
    {"GET", "/api/v1/alerts", bl__h_alerts, V, E,
     "The day's stock alerts: low stock, a stock-out ahead, reorder now, stocking reminders.",
     q_stock_day, NULL, "a page of alerts, each with its sentence"},
    {"GET", "/api/v1/actions", bl__h_actions, V, E,
     "The stock-out playbook's recorded actions: why, what undoes them, who decided.", q_actions,
     NULL, "a page of actions by id"},
    {"POST", "/api/v1/actions/approve", bl__h_actions_approve, O, BL_ROUTE_BODY | BL_ROUTE_IDEM,
     "Approves the proposed actions of a plan, a kind or a shop, or all of them, at once: all "
     "or none (409 names the one that cannot be, and why).",
     NULL, body_action_set, "how many were approved, and their ids"},
    {"POST", "/api/v1/actions/reject", bl__h_actions_reject, O, BL_ROUTE_BODY | BL_ROUTE_IDEM,
     "Rejects the proposed actions of a plan, a kind or a shop, or all of them, at once.", NULL,
     body_action_set, "how many were rejected, and their ids"},
    {"POST", "/api/v1/actions/{id}/approve", bl__h_action_approve, O, BL_ROUTE_BODY | BL_ROUTE_IDEM,
     "Approves a proposed action: its change is made now (409 when it is not proposed).", NULL,
     body_decision, "the action, applied"},
    {"POST", "/api/v1/actions/{id}/reject", bl__h_action_reject, O, BL_ROUTE_BODY | BL_ROUTE_IDEM,
     "Rejects a proposed action: nothing changes, and it is not proposed again while its "
     "condition holds (409 when it is not proposed).",
     NULL, body_decision, "the action, rejected"},
    {"GET", "/api/v1/protections", bl__h_protections, V, E,
     "The shops' approved protection windows (orders due inside are exempt).", q_protections, NULL,
     "a page of protection windows by id"},
    {"POST", "/api/v1/protections", bl__h_protect, O, BL_ROUTE_BODY | BL_ROUTE_IDEM,
     "Grants a shop a protection window (with Idempotency-Key, a retry grants nothing twice).",
     NULL, body_protect, "the protection window granted"},
    {"GET", "/api/v1/channels", bl__h_channels, V, E,
     "The logistics channels: carrier, mode, tier, lanes, transit, cut-off, calendar, SLA.", NULL,
     NULL, "the channels"},
    {"GET", "/api/v1/calendars", bl__h_calendars, V, E,
     "The channels' working calendars: weekend days, closures, first and last day.", NULL, NULL,
     "the calendars"},
    {"GET", "/api/v1/quotes", bl__h_quotes, V, E,
     "Every channel serving a shipment: price, departure and delivery window, and whether it "
     "runs.",
     q_quotes, NULL, "the serving channels, available ones first"},
    {"GET", "/api/v1/routes", bl__h_routes, V, E,
     "A channel and delivery window for every open order, by each shop's routing policy.", q_routes,
     NULL, "a page of open orders with their route"},
    {"GET", "/api/v1/promises", bl__h_promises, V, E,
     "The delivery window to show on a listing, per SKU and destination.", q_promises, NULL,
     "a page of windows by SKU, then destination"},
    /* ---- the daily cycle on a schedule */
    {"PATCH", "/api/v1/org", bl__h_org_patch, A, BL_ROUTE_BODY,
     "Sets the organisation's settings: the local time and zone its daily cycle runs at (run by "
     "the server, once per day, DST included; null: no schedule), its reporting currency.",
     NULL, body_org, "the organisation, with its next scheduled cycle"},
    /* ---- the customer side: disruptions changed, assessments' orders, money, messages */
    {"PATCH", "/api/v1/disruptions/{id}", bl__h_disruption_edit, O, BL_ROUTE_BODY,
     "Corrects a disruption: its window, region, scope, kind or note (as `disruption edit`).",
     NULL, body_dis_edit, "the disruption with its history, and the messages withdrawn"},
    {"POST", "/api/v1/disruptions/{id}/lift", bl__h_disruption_lift, O, BL_ROUTE_BODY,
     "Lifts a disruption: it ended at `at` (as `disruption lift`).", NULL, body_dis_lift,
     "the disruption with its history, and the messages withdrawn"},
    {"GET", "/api/v1/disruptions/{id}/impact", bl__h_disruption_impact, V, E,
     "What a disruption touches: orders held, SKUs and suppliers inside, exemptions, "
     "customers to write to.",
     q_impact, NULL, "the impact as of as_of"},
    {"GET", "/api/v1/assessments/{shop}/orders", bl__h_assess_orders, V, E,
     "The orders behind a shop's rules: those that count against each rule "
     "and those it exempts, with why.",
     q_assess_orders, NULL, "each rule's orders against it and exempt from it"},
    {"GET", "/api/v1/coupons", bl__h_coupons, V, E,
     "Coupons issued for late shipments: paid from the deposit or owed, and why.", q_coupons,
     NULL, "a page of coupons"},
    {"GET", "/api/v1/ledger", bl__h_ledger, V, E,
     "A shop's deposit ledger: the opening deposit, each entry with its balance.", q_ledger,
     NULL, "a page of the shop's entries and its balance"},
    {"POST", "/api/v1/compensate", bl__h_compensate, O, BL_ROUTE_BODY | BL_ROUTE_IDEM,
     "Issues coupons for counted late shipments, once per order whatever the concurrency "
     "(with Idempotency-Key, a retry issues nothing twice).",
     NULL, body_compensate, "the coupons issued by this request"},
    {"GET", "/api/v1/refunds", bl__h_refunds, V, E,
     "The refund decisions recorded (by `refund` or POST), oldest first.", q_refunds, NULL,
     "a page of decisions"},
    {"POST", "/api/v1/refunds", bl__h_refund, O, BL_ROUTE_BODY | BL_ROUTE_IDEM,
     "Decides a buyer's refund request and records it once (as `refund`).", NULL, body_refund,
     "the decision: 201 when recorded now, 200 when it was decided before"},
    {"GET", "/api/v1/messages/{id}", bl__h_message, V, E,
     "One message of the outbox, with its text and why a held one may not leave.", NULL, NULL,
     "the message"},
    {"GET", "/api/v1/messages/{id}/preview", bl__h_message_preview, V, E,
     "A message's subject and text exactly as the buyer will read them.", NULL, NULL,
     "the message as it will leave"},
    {"POST", "/api/v1/messages/{id}/approve", bl__h_message_approve, O, 0,
     "Approves a message waiting for approval (409 when it is not waiting).", NULL, NULL,
     "the message, approved"},
    {"POST", "/api/v1/messages/{id}/reject", bl__h_message_reject, O, BL_ROUTE_BODY,
     "Rejects a message waiting for approval or held: it never leaves.", NULL, body_reject,
     "the message, rejected"},
    {"POST", "/api/v1/messages/approve", bl__h_messages_approve, O, BL_ROUTE_BODY,
     "Approves many messages: by ids, or every one waiting (of a kind).", NULL, body_approve,
     "how many were approved, and the ids refused with why"},
    {"POST", "/api/v1/messages/send", bl__h_messages_send, O, BL_ROUTE_BODY | BL_ROUTE_IDEM,
     "Sends the approved messages over SMTP or a signed webhook (with Idempotency-Key, a retry "
     "sends nothing twice).",
     NULL, body_send, "each message looked at, and what still waits"},
    {"GET", "/api/v1/banners", bl__h_banners, V, E,
     "The notices for the shops' pages while a disruption lasts: home, shipping, product.",
     q_banners, NULL, "the banners per shop and locale"},

    /* outgoing webhooks (h_webhooks.c) */
    {"GET", "/api/v1/webhooks", bl__h_webhooks, A, E,
     "The organisation's webhooks: events, deliveries pending, delivered and failed, the last "
     "attempt (never the secrets).",
     NULL, NULL, "the webhooks"},
    {"POST", "/api/v1/webhooks", bl__h_webhook_add, A, BL_ROUTE_BODY | BL_ROUTE_CREATED,
     "Subscribes a URL to events; the answer holds its signing secret, the only time it is "
     "given (no Idempotency-Key: the same URL twice is 409).",
     NULL, body_webhook, "the webhook, with its signing secret"},
    {"DELETE", "/api/v1/webhooks/{id}", bl__h_webhook_remove, A, 0,
     "Removes a webhook: what it was still to receive is not sent.", NULL, NULL,
     "the webhook removed"},
    {"POST", "/api/v1/webhooks/{id}/test", bl__h_webhook_test, A, 0,
     "Sends a ping event to the webhook at once and says how it went.", NULL, NULL,
     "the ping's event id and outcome"},
    /* users (h_users.c) */
    {"GET", "/api/v1/users", bl__h_users, A, E,
     "The organisation's users: role, when added, failed sign-ins and a lock (never a password "
     "or its hash).",
     NULL, NULL, "the users, by name"},
    {"POST", "/api/v1/users", bl__h_user_add, A, BL_ROUTE_BODY | BL_ROUTE_CREATED,
     "Adds a user who signs in with a password (POST /api/v1/sessions); without a password one "
     "is generated and answered this once.",
     NULL, body_user, "the user, with the generated password if one was"},
    {"POST", "/api/v1/users/{name}/password", bl__h_user_passwd, A, BL_ROUTE_BODY,
     "Gives a user a new password (generated when none is sent): the user's sessions end and a "
     "lock is lifted.",
     NULL, body_passwd, "the sessions ended, with the generated password if one was"},
    {"DELETE", "/api/v1/users/{name}", bl__h_user_remove, A, 0,
     "Removes a user: the user's sessions end at once.", NULL, NULL, "the user removed"},
    /* ---- order uploads ---- */
    {"POST", "/api/v1/orders", bl__h_orders_upload, O, BL_ROUTE_STREAM | BL_ROUTE_IDEM,
     "Imports orders in bulk, streamed, all or nothing, as 'ballast import' does (with "
     "Idempotency-Key, a retry imports nothing twice).",
     q_upload, body_upload,
     "what was imported: the batch, lines read, orders new, updated and unchanged"},
    /* the audit log, users and sessions, platform operators (s8-audit) */
    {"GET", "/api/v1/audit", bl__h_audit, A, E,
     "The audit log, newest first: who changed what, when, from where, before and after.",
     q_audit, NULL, "a page of entries and the cursor of the next (null on the last page)"},
    {"GET", "/api/v1/retention", bl__h_retention, A, S,
     "How long the organisation keeps webhook deliveries and events, Idempotency-Keys and the "
     "audit log (days, keep or the default), and the rows the daily cycle's prunes removed.",
     NULL, NULL, "each kind's days and what its prunes removed"},
    {"PATCH", "/api/v1/retention", bl__h_retention_patch, A, BL_ROUTE_BODY,
     "Sets how many days some kinds are kept (a number, \"keep\" or \"default\"); recorded in "
     "the audit log.",
     NULL, body_retention, "each kind's days and what its prunes removed"},
    {"POST", "/api/v1/sessions", bl__h_session_open, BL_ROLE_NONE, S | BL_ROUTE_BODY,
     "Signs a user in: a bearer token for 12 hours (5 wrong passwords in a row lock the name "
     "for 15 minutes: 429); with cookie true, the browser's session cookie instead.",
     NULL, body_session, "the session's token, its expiry and role"},
    {"DELETE", "/api/v1/sessions", bl__h_session_close, V, 0,
     "Signs out: the session token of the request is revoked (and the browser's cookie "
     "cleared).",
     NULL, NULL, "signed out"},
    {"GET", "/api/v1/merchants", bl__h_merchants, BL_ROLE_PLATFORM, E,
     "A marketplace's merchant organisations, each shop's rating now and the exemptions "
     "granted; act on one with the header 'Ballast-Org: NAME'.",
     NULL, NULL, "the merchants"},
    /* the dashboard (s9-web) */
    {"GET", "/api/v1/me", bl__h_me, V, E,
     "Who is signed in: name, role, organisation (a marketplace's platform, or a merchant), "
     "language, and the CSRF token of a browser's cookie session.",
     NULL, NULL, "the caller"},
    {"GET", "/api/v1/regions", bl__h_regions, V, E,
     "Places named in a language, for a region picker: the countries, a country's "
     "subdivisions, or given codes (ISO 3166), sorted as the language sorts names.",
     q_regions, NULL, "the regions, each with its code and name"},
    /* ---- what the dashboard's pages needed (issue 17) */
    {"POST", "/api/v1/actions/{id}/revert", bl__h_action_revert, O, BL_ROUTE_BODY | BL_ROUTE_IDEM,
     "Reverts an applied action at a person's word: its field goes back to the value before "
     "it, and the playbook does not make the same change again while its condition holds "
     "(409 when it is not applied).",
     NULL, body_decision, "the action, undone"},
    {"GET", "/api/v1/assessments/{shop}/trend", bl__h_assess_trend, V, E,
     "A shop's rules day by day: each day's value, status, orders counted and exempt, score "
     "and rating, as of the end of each day (no carry-over), computed, stored nowhere.",
     q_trend, NULL, "the profile's rules and one entry per day, oldest first"},
    {"GET", "/api/v1/sales", bl__h_sales, V, E,
     "One SKU's units sold per day over its shops, with the days it was out of stock: the "
     "history its forecast stands on.",
     q_sales, NULL, "one entry per day, oldest first"},
    {"GET", "/api/v1/windows", bl__h_windows, V, E,
     "The catalogue's delivery windows against real deliveries, per destination: delivered "
     "early, inside the window, late, or on a lane no channel serves now.",
     q_windows, NULL, "one entry per destination, and the total"},
    /* tax thresholds (h_comply.c, issue 19) */
    {"GET", "/api/v1/compliance", bl__h_compliance, V, E,
     "Where the sales into each jurisdiction stand against its tax registration threshold: "
     "the totals of the periods its rule counts, the day 80% and 100% were crossed, the rule "
     "and its source.",
     q_compliance, NULL, "each jurisdiction's standing"},
    /* support programmes (s9-prog, issue 19) */
    {"GET", "/api/v1/programs", bl__h_programs, V, E,
     "The support programmes the organisation runs for its merchants: conditions, coverage, "
     "benefits, how many members and losses, the last evaluation.",
     NULL, NULL, "the programmes"},
    {"GET", "/api/v1/programs/{id}/members", bl__h_program_members, V, E,
     "A programme's members and the shops that lost its benefits: since when, each benefit's "
     "amount, the reason of a loss (a code: docs/api.md).",
     q_program_members, NULL, "the programme and its members"},
    /* the dashboard in the reader's language (s10-webwords, issue 17) */
    {"PATCH", "/api/v1/me", bl__h_me_patch, V, BL_ROUTE_BODY,
     "Keeps a signed-in user's language, the dashboard's switch (422 not_a_session for an "
     "API token): answers as GET /api/v1/me.",
     NULL, body_me, "the caller, with the language kept"},
    /* the dashboard at speed (s10-webspeed, issue 17) */
    {"GET", "/api/v1/today", bl__h_today, V, E,
     "What needs a decision first, in one answer: messages waiting by kind and held, the "
     "actions proposed, the soonest stock-outs (from the plan kept per data generation), the "
     "shops with a rule in breach or at risk, the disruptions in force, the last cycle.",
     q_today, NULL, "counts and the first rows of each list"},
    {"GET", "/api/v1/merchants/coupons", bl__h_market_coupons, BL_ROLE_PLATFORM, E,
     "A marketplace's merchants' coupons, paid and still owed to buyers: how many and how much "
     "per currency, every merchant in one answer.",
     NULL, NULL, "each merchant's sums per currency (never summed across currencies)"},
    /* what if (h_whatif.c, issue 20) */
    {"POST", "/api/v1/whatif", bl__h_whatif, O, BL_ROUTE_BODY | BL_ROUTE_IDEM,
     "What hypothetical events would cost before they happen: the horizon run without and "
     "with them on one snapshot (held and late orders, stock-outs, ratings with and without "
     "the exemptions, coupons, deposits, messages, playbook actions). Writes nothing, unless "
     "\"apply\": N proposes plan N of the search as actions for approval (201).",
     NULL, body_whatif,
     "the difference the events make (docs/whatif.md); with apply, the actions proposed"},
};

const size_t bl__api_nroutes = sizeof(bl__api_routes) / sizeof(bl__api_routes[0]);
