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
    {"state", "string", "planned, approved, held, sent, failed..."},
    {"kind", "string", "the message kind (delay_notice, compensation_coupon...)"},
    {NULL, NULL, NULL},
};
static const struct bl__api_param q_cycles[] = {
    {"limit", "integer", "the newest N cycles, 1 to 1000 (default 50)"},
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

static const char body_session[] =
    "{\"type\":\"object\",\"required\":[\"name\",\"password\"],\"additionalProperties\":false,"
    "\"properties\":{"
    "\"org\":{\"type\":\"string\",\"description\":\"the organisation's name (default: "
    "default)\"},"
    "\"name\":{\"type\":\"string\"},\"password\":{\"type\":\"string\"}}}";

const struct bl__api_route bl__api_routes[] = {
    {"GET", "/healthz", bl__h_healthz, BL_ROLE_NONE, 0, "Liveness: the server answers.", NULL, NULL,
     "ok"},
    {"GET", "/readyz", bl__h_readyz, BL_ROLE_NONE, S, "Readiness: the store answers a query.", NULL,
     NULL, "ready (503 with an error when the store does not answer)"},
    {"GET", "/metrics", bl__h_metrics, BL_ROLE_NONE, 0,
     "Prometheus metrics: requests by route and status, latency, store errors.", NULL, NULL,
     "the metrics in Prometheus text format"},
    {"GET", "/api/v1/openapi.json", bl__h_openapi, BL_ROLE_NONE, E,
     "This document: every route, generated from the route table.", NULL, NULL,
     "the OpenAPI 3.1 document"},
    {"GET", "/api/v1/org", bl__h_org, V, E,
     "The caller's organisation: its name, currency and exchange rates.", NULL, NULL,
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
    /* the audit log, users and sessions, platform operators (s8-audit) */
    {"GET", "/api/v1/audit", bl__h_audit, A, E,
     "The audit log, newest first: who changed what, when, from where, before and after.",
     q_audit, NULL, "a page of entries and the cursor of the next (null on the last page)"},
    {"POST", "/api/v1/sessions", bl__h_session_open, BL_ROLE_NONE, S | BL_ROUTE_BODY,
     "Signs a user in: a bearer token for 12 hours (5 wrong passwords in a row lock the name "
     "for 15 minutes: 429).",
     NULL, body_session, "the session's token, its expiry and role"},
    {"DELETE", "/api/v1/sessions", bl__h_session_close, V, 0,
     "Signs out: the session token of the request is revoked.", NULL, NULL, "signed out"},
    {"GET", "/api/v1/merchants", bl__h_merchants, BL_ROLE_PLATFORM, E,
     "A marketplace's merchant organisations, each shop's rating now and the exemptions "
     "granted; act on one with the header 'Ballast-Org: NAME'.",
     NULL, NULL, "the merchants"},
};

const size_t bl__api_nroutes = sizeof(bl__api_routes) / sizeof(bl__api_routes[0]);
