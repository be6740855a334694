/* handlers.h - the route handlers (internal to src/api): each parses its request, calls one
 * bl_app_* use case with c->org, and renders JSON (api_impl.h). */
#ifndef BL_API_HANDLERS_H
#define BL_API_HANDLERS_H

#include "api/api_impl.h"

unsigned bl__h_healthz(struct bl__api_call *c); /* h_sys.c */
unsigned bl__h_readyz(struct bl__api_call *c);
unsigned bl__h_metrics(struct bl__api_call *c);
unsigned bl__h_openapi(struct bl__api_call *c);

unsigned bl__h_org(struct bl__api_call *c); /* h_org.c */
unsigned bl__h_shops(struct bl__api_call *c);
unsigned bl__h_tokens(struct bl__api_call *c);

unsigned bl__h_orders(struct bl__api_call *c); /* h_orders.c */
unsigned bl__h_order(struct bl__api_call *c);

unsigned bl__h_disruptions(struct bl__api_call *c); /* h_disruptions.c */
unsigned bl__h_disruption(struct bl__api_call *c);
unsigned bl__h_disruption_declare(struct bl__api_call *c);

unsigned bl__h_assessments(struct bl__api_call *c); /* h_assess.c */
unsigned bl__h_messages(struct bl__api_call *c);

unsigned bl__h_org_patch(struct bl__api_call *c); /* h_schedule.c */
/* The schedule's members added to the organisation's JSON: 0 or the failure's status. */
unsigned bl__api_schedule_add(struct bl__api_call *c, json_t *org);

unsigned bl__h_cycles(struct bl__api_call *c); /* h_cycles.c */
unsigned bl__h_cycle(struct bl__api_call *c);
unsigned bl__h_cycle_run(struct bl__api_call *c);

/* the supply side: h_stock.c, h_actions.c, h_protect.c, h_logistics.c */
unsigned bl__h_skus(struct bl__api_call *c);
unsigned bl__h_stock(struct bl__api_call *c);
unsigned bl__h_forecasts(struct bl__api_call *c);
unsigned bl__h_plans(struct bl__api_call *c);
unsigned bl__h_stock_summary(struct bl__api_call *c);
unsigned bl__h_alerts(struct bl__api_call *c);
unsigned bl__h_actions(struct bl__api_call *c);
unsigned bl__h_action_approve(struct bl__api_call *c);
unsigned bl__h_action_reject(struct bl__api_call *c);
unsigned bl__h_protections(struct bl__api_call *c);
unsigned bl__h_protect(struct bl__api_call *c);
unsigned bl__h_channels(struct bl__api_call *c);
unsigned bl__h_calendars(struct bl__api_call *c);
unsigned bl__h_quotes(struct bl__api_call *c);
unsigned bl__h_routes(struct bl__api_call *c);
unsigned bl__h_promises(struct bl__api_call *c);
/* ---- the customer side: disruptions changed, money, messages, banners ---- */

/* A page of a list by id (h_page.c): ?limit= (1..1000, default 100) and ?cursor=. */
struct bl__api_page {
    int64_t limit, after; /* after: the last id of the page before (0: the first page) */
    int64_t n, last;      /* taken so far, the last id taken */
    bool more;            /* an item past the page exists */
};
/* Reads limit and cursor: 0, or the 400 answer's status. */
unsigned bl__api_page_args(struct bl__api_call *c, struct bl__api_page *p);
/* Whether the item with this id (ids ascending) goes on the page. */
bool bl__api_page_takes(struct bl__api_page *p, int64_t id);
/* {name: list, "next_cursor": ...} (NULL when list is). */
json_t *bl__api_page_answer(const struct bl__api_page *p, const char *name, json_t *list);
/* A shop named in the query is the caller's (another's answers 404, as an unknown one):
 * 0, or the answer's status. NULL shop: 0. */
unsigned bl__api_shop_check(struct bl__api_call *c, const char *shop);

unsigned bl__h_disruption_edit(struct bl__api_call *c); /* h_dis_change.c */
unsigned bl__h_disruption_lift(struct bl__api_call *c);
unsigned bl__h_disruption_impact(struct bl__api_call *c);

unsigned bl__h_coupons(struct bl__api_call *c); /* h_money.c */
unsigned bl__h_ledger(struct bl__api_call *c);
unsigned bl__h_compensate(struct bl__api_call *c);
unsigned bl__h_refund(struct bl__api_call *c);
unsigned bl__h_refunds(struct bl__api_call *c);

unsigned bl__h_message(struct bl__api_call *c); /* h_messages.c */
unsigned bl__h_message_preview(struct bl__api_call *c);
unsigned bl__h_message_approve(struct bl__api_call *c);
unsigned bl__h_messages_approve(struct bl__api_call *c);
unsigned bl__h_message_reject(struct bl__api_call *c);
unsigned bl__h_messages_send(struct bl__api_call *c);
unsigned bl__h_banners(struct bl__api_call *c);

unsigned bl__h_assess_orders(struct bl__api_call *c); /* h_assess_orders.c */
unsigned bl__h_webhooks(struct bl__api_call *c); /* h_webhooks.c */
unsigned bl__h_webhook_add(struct bl__api_call *c);
unsigned bl__h_webhook_remove(struct bl__api_call *c);
unsigned bl__h_webhook_test(struct bl__api_call *c);
unsigned bl__h_users(struct bl__api_call *c); /* h_users.c */
unsigned bl__h_user_add(struct bl__api_call *c);
unsigned bl__h_user_passwd(struct bl__api_call *c);
unsigned bl__h_user_remove(struct bl__api_call *c);
unsigned bl__h_orders_upload(struct bl__api_call *c); /* h_upload.c (streamed: upload.c) */
unsigned bl__h_audit(struct bl__api_call *c); /* h_audit.c */
unsigned bl__h_retention(struct bl__api_call *c); /* h_retention.c */
unsigned bl__h_retention_patch(struct bl__api_call *c);
unsigned bl__h_session_open(struct bl__api_call *c); /* h_sessions.c */
unsigned bl__h_session_close(struct bl__api_call *c);
unsigned bl__h_me(struct bl__api_call *c);
unsigned bl__h_me_patch(struct bl__api_call *c);
unsigned bl__h_regions(struct bl__api_call *c); /* h_regions.c */
unsigned bl__h_action_revert(struct bl__api_call *c); /* h_actions.c */
unsigned bl__h_actions_approve(struct bl__api_call *c); /* h_action_set.c */
unsigned bl__h_actions_reject(struct bl__api_call *c);
unsigned bl__h_assess_trend(struct bl__api_call *c);  /* h_dash.c */
unsigned bl__h_sales(struct bl__api_call *c);
unsigned bl__h_windows(struct bl__api_call *c);
unsigned bl__h_compliance(struct bl__api_call *c); /* h_comply.c */
unsigned bl__h_programs(struct bl__api_call *c); /* h_programs.c */
unsigned bl__h_program_members(struct bl__api_call *c);
unsigned bl__h_today(struct bl__api_call *c); /* h_today.c */
unsigned bl__h_market_coupons(struct bl__api_call *c); /* h_market.c */
unsigned bl__h_merchants(struct bl__api_call *c);
unsigned bl__h_whatif(struct bl__api_call *c); /* h_whatif.c */

#endif
