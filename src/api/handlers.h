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

unsigned bl__h_cycles(struct bl__api_call *c); /* h_cycles.c */
unsigned bl__h_cycle(struct bl__api_call *c);
unsigned bl__h_cycle_run(struct bl__api_call *c);

unsigned bl__h_audit(struct bl__api_call *c); /* h_audit.c */
unsigned bl__h_session_open(struct bl__api_call *c); /* h_sessions.c */
unsigned bl__h_session_close(struct bl__api_call *c);
unsigned bl__h_merchants(struct bl__api_call *c);

#endif
