// watch.js - the watch (issue 19): where the sales into each place stand against its tax
// registration threshold (the running total, the days 80% and 100% were passed and the
// order that passed it, the rule with its source), and the support programmes a
// marketplace runs for its merchants (members and their shares, joins, losses and why).
// A merchant sees its thresholds and its own programmes; a marketplace's platform user its
// programmes. Reads GET /compliance (in the reader's language), /programs,
// /programs/{id}/members.
import { h, card, table, empty, chip, errorBox } from '/ui.js';
import { chart } from '/charts.js';
import { asOf, asOfLine, pageHead, pageStyle } from '/dash.js';

const STATUS_KIND = { under: 'ok', near: 'warn', over: 'bad', next_year: 'bad' };
const ROWS = 25;

function word(ctx, prefix, code) {
  return ctx.has(prefix + code) ? ctx.t(prefix + code) : ctx.t(prefix + 'other');
}

function pct(ctx, bp) {
  return ctx.fmt.percent(bp / 10000, bp < 1000 ? 1 : 0);
}

// The period a jurisdiction's rule judges on (this year, last year, the last 12 months).
function judged(j) {
  return j[j.judged_on] || j.year;
}

// "3 Sep 2024: €8,042.23 over 149 orders" (and the order that passed it), or "not passed".
function passed(ctx, x, currency, order) {
  if (!x) return h('span', { class: 'muted' }, ctx.t('watch.not_passed'));
  return h('span', {}, ctx.fmt.date(x.day), h('br'),
    h('span', { class: 'hint' }, ctx.t('watch.passed_at', {
      amount: ctx.fmt.money(x.amount, currency), n: ctx.fmt.number(x.transactions) })),
    order ? [h('br'), h('span', { class: 'hint' }, ctx.t('watch.by_order', { order }))] : null);
}

// A source as written in the rules file: its web addresses become links.
function source(ctx, text) {
  if (!text) return null;
  const parts = text.split(/(https?:\/\/[^\s;,)]+)/);
  return h('span', { class: 'watch-source', translate: 'no', lang: 'en' },
    parts.map((p) => (/^https?:\/\//.test(p) ? h('a', { href: p, rel: 'noreferrer', target: '_blank' }, p) : p)));
}

function ruleCell(ctx, j) {
  const r = j.rule || {};
  return h('details', { class: 'watch-rule' },
    h('summary', {}, ctx.t('watch.rule_since', { since: ctx.fmt.date(r.since) })),
    h('p', { class: 'hint' }, ctx.t('watch.rule_checked', { checked: ctx.fmt.date(r.checked) })),
    h('p', { class: 'small' }, source(ctx, r.source)));
}

function thresholdTable(ctx, rows) {
  return table({
    caption: ctx.t('watch.thresholds_caption'),
    rowClass: (j) => 'watch-' + j.status,
    columns: [
      { label: ctx.t('watch.col_place'), value: (j) => h('span', {}, h('strong', {}, j.name), ' ',
        h('span', { class: 'muted', translate: 'no' }, j.jurisdiction)) },
      { label: ctx.t('watch.col_status'), value: (j) => chip(word(ctx, 'watch.status.', j.status), STATUS_KIND[j.status] || 'muted') },
      { label: ctx.t('watch.col_total'), value: (j) => h('span', {},
        ctx.fmt.money(judged(j).amount, j.currency), h('br'),
        h('span', { class: 'hint' }, ctx.t('watch.total_of', {
          n: ctx.fmt.number(judged(j).transactions), period: word(ctx, 'watch.period.', j.judged_on) }))) },
      { label: ctx.t('watch.col_threshold'), value: (j) => j.threshold },
      { label: ctx.t('watch.col_progress'), num: true, value: (j) => pct(ctx, j.progress_bp) },
      { label: ctx.t('watch.col_near'), value: (j) => passed(ctx, judged(j).near, j.currency) },
      { label: ctx.t('watch.col_crossed'), value: (j) => passed(ctx, judged(j).crossed, j.currency, j.order) },
      { label: ctx.t('watch.col_rule'), value: (j) => ruleCell(ctx, j) },
    ],
    rows,
  });
}

async function thresholds(ctx, when) {
  const c = await ctx.api.get('/compliance', { as_of: when || undefined, locale: ctx.lang });
  const list = c.jurisdictions || [];
  const sold = list.filter((j) => j.year.transactions || j.previous_year.transactions ||
    (j.twelve_months && j.twelve_months.transactions) || j.status !== 'under');
  const quiet = list.filter((j) => !sold.includes(j));
  const due = list.filter((j) => j.status === 'over' || j.status === 'next_year').length;
  const near = list.filter((j) => j.status === 'near').length;
  const body = [
    h('div', { class: 'stats' },
      stat(ctx, 'due', due, due ? 'bad' : 'ok'), stat(ctx, 'near', near, near ? 'warn' : 'ok'),
      stat(ctx, 'places', list.length, 'muted')),
    h('p', { class: 'hint' }, ctx.t('watch.counted', {
      n: ctx.fmt.number(c.orders), uncovered: ctx.fmt.number(c.uncovered), through: ctx.fmt.date(c.through) })),
  ];
  if (c.unconverted) body.push(h('p', { class: 'notice notice-warn' }, ctx.t('watch.unconverted', { n: ctx.fmt.number(c.unconverted) })));
  if (!sold.length) {
    body.push(empty(ctx.t('watch.no_sales')));
  } else {
    const shown = [...sold].sort((a, b) => b.progress_bp - a.progress_bp);
    const top = Math.max(...shown.map((j) => j.progress_bp)) / 10000;
    const box = h('div', { class: 'watch-chart' });
    chart(box, ctx, {
      caption: ctx.t('watch.chart_caption'),
      x: shown.map((j) => j.name), xLabel: ctx.t('watch.col_place'),
      y: { format: (v) => ctx.fmt.percent(v, 0), min: 0, max: Math.max(1.2, Math.min(top, 2)) },
      series: [{ name: ctx.t('watch.col_progress'), type: 'bar', color: 'accent',
        values: shown.map((j) => j.progress_bp / 10000) }],
      marks: [{ value: 0.8, label: '80%' }, { value: 1, label: '100%' }],
      summary: top > 2 ? ctx.t('watch.chart_cut') : ctx.t('watch.chart_summary'),
    });
    body.push(box, thresholdTable(ctx, shown));
  }
  if (quiet.length) {
    body.push(h('details', { class: 'watch-quiet' },
      h('summary', {}, ctx.t('watch.quiet', { n: ctx.fmt.number(quiet.length) })),
      h('p', { class: 'small' }, quiet.map((j) => j.name).join(ctx.t('watch.list_sep')))));
  }
  return card(ctx.t('watch.thresholds'), body);
}

function stat(ctx, id, n, kind) {
  return h('div', { class: 'stat-card stat-' + kind, id: 'watch-' + id },
    h('span', { class: 'stat' }, ctx.fmt.number(n)), h('span', { class: 'stat-label' }, ctx.t('watch.stat_' + id)));
}

// ---- support programmes

function progName(ctx, p) {
  const n = p.name || {};
  return n[ctx.lang] || n.en || p.id;
}

function benefitText(ctx, b) {
  const vars = {
    amount: ctx.fmt.money(b.amount), cap: b.cap ? ctx.fmt.money(b.cap) : '',
    days: ctx.t('common.days', { n: ctx.fmt.number(b.sales_days || 0) }),
  };
  let s = ctx.t('watch.benefit.' + (b.kind === 'deposit_waiver' ? 'deposit_waiver' : 'traffic_subsidy'), vars);
  if (b.kind !== 'deposit_waiver') s += ctx.t(b.share === 'equal' ? 'watch.share.equal' : 'watch.share.sales_before', vars);
  if (b.cap) s += ctx.t('watch.share.cap', vars);
  return s;
}

function programFacts(ctx, p) {
  const conds = (p.conditions || []).map((c) => word(ctx, 'watch.cond.', c));
  if (p.linked_accounts) conds.push(ctx.t('watch.cond.linked'));
  const kinds = p.coverage && p.coverage.disruption_kinds;
  return h('dl', { class: 'facts' },
    h('dt', {}, ctx.t('watch.p_conditions')), h('dd', {}, conds.length ? conds.join(ctx.t('watch.list_sep')) : ctx.t('common.none')),
    h('dt', {}, ctx.t('watch.p_coverage')), h('dd', {}, kinds && kinds.length
      ? ctx.t('watch.covered_by', { kinds: kinds.map((k) => word(ctx, 'disruptions.kind.', k)).join(ctx.t('watch.list_sep')) })
      : ctx.t('watch.everyone')),
    h('dt', {}, ctx.t('watch.p_benefits')), h('dd', {}, (p.benefits || []).map((b) => h('div', {}, benefitText(ctx, b)))),
    h('dt', {}, ctx.t('watch.p_evaluated')), h('dd', {}, p.evaluated_as_of ? ctx.fmt.date(p.evaluated_as_of) : ctx.t('watch.never_evaluated')));
}

function share(ctx, m) {
  const b = (m.benefits || []).map((x) => ctx.fmt.money(x.amount) + ' ' + word(ctx, 'watch.benefit_short.', x.kind));
  return b.length ? b.join(' · ') : ctx.t('common.none');
}

function shareOf(m) {
  return (m.benefits || []).reduce((s, x) => s + Number(x.amount.amount), 0);
}

// A long list a page at a time: the first ROWS rows, then a button for the rest.
function longTable(ctx, o, id) {
  const wrap = h('div', { id });
  const draw = (all) => {
    wrap.replaceChildren(table({ ...o, rows: all ? o.rows : o.rows.slice(0, ROWS) }));
    if (!all && o.rows.length > ROWS) {
      wrap.append(h('button', { type: 'button', class: 'btn', onclick: () => draw(true) },
        ctx.t('watch.show_all', { n: ctx.fmt.number(o.rows.length) })));
    }
  };
  draw(false);
  return wrap;
}

async function programCard(ctx, p) {
  const r = await ctx.api.get('/programs/' + encodeURIComponent(p.id) + '/members');
  const members = r.members.filter((m) => m.state === 'member').sort((a, b) => shareOf(b) - shareOf(a));
  const lost = r.members.filter((m) => m.state === 'lost')
    .sort((a, b) => (b.lost_at || '').localeCompare(a.lost_at || ''));
  const shop = { label: ctx.t('watch.col_merchant'), value: (m) => h('span', { translate: 'no' }, m.name || m.shop) };
  const body = [
    h('p', { class: 'hint' }, ctx.t('watch.p_counts', { n: ctx.fmt.number(members.length), lost: ctx.fmt.number(lost.length) })),
    programFacts(ctx, p),
    h('h3', {}, ctx.t('watch.members', { n: ctx.fmt.number(members.length) })),
  ];
  const paid = members.filter((m) => shareOf(m) > 0).slice(0, 15);
  if (paid.length) {
    const cur = paid[0].benefits[0].amount.currency;
    const box = h('div', { class: 'watch-chart' });
    chart(box, ctx, {
      caption: ctx.t('watch.shares_caption', { n: paid.length }),
      x: paid.map((m) => m.name || m.shop), xLabel: ctx.t('watch.col_merchant'),
      y: { format: (v) => ctx.fmt.money(v, cur), min: 0 },
      series: [{ name: ctx.t('watch.col_share'), type: 'bar', color: 'ok', values: paid.map(shareOf) }],
    });
    body.push(box);
  }
  body.push(members.length ? longTable(ctx, {
    caption: ctx.t('watch.members_caption'),
    columns: [shop,
      { label: ctx.t('watch.col_since'), value: (m) => ctx.fmt.date(m.since_day) },
      { label: ctx.t('watch.col_share'), value: (m) => share(ctx, m) }],
    rows: members,
  }, 'watch-members-' + p.id) : empty(ctx.t('watch.no_members')));
  body.push(h('h3', {}, ctx.t('watch.losses', { n: ctx.fmt.number(lost.length) })));
  body.push(lost.length ? longTable(ctx, {
    caption: ctx.t('watch.losses_caption'),
    columns: [shop,
      { label: ctx.t('watch.col_joined'), value: (m) => ctx.fmt.date(m.since_day) },
      { label: ctx.t('watch.col_lost'), value: (m) => ctx.fmt.date(m.lost_day) },
      { label: ctx.t('watch.col_reason'), value: (m) => word(ctx, 'watch.reason.', m.reason) }],
    rows: lost,
  }, 'watch-lost-' + p.id) : empty(ctx.t('watch.no_losses')));
  return h('section', { class: 'card watch-program', id: 'program-' + p.id },
    h('h2', { class: 'card-title' }, progName(ctx, p)), body);
}

async function programs(ctx) {
  const r = await ctx.api.get('/programs');
  const list = r.programs || [];
  const head = h('h2', { class: 'section-title' }, ctx.t('watch.programs'));
  if (!list.length) return [head, card(null, empty(ctx.t('watch.no_programs')))];
  const cards = await Promise.all(list.map((p) => programCard(ctx, p).catch((e) => card(progName(ctx, p), errorBox(e, ctx.t, ctx.has)))));
  return [head, ...cards];
}

export default {
  id: 'watch',
  title: 'watch.title',
  async render(el, ctx) {
    pageStyle('watch');
    const platform = ctx.me && ctx.me.org && ctx.me.org.kind === 'platform';
    const when = await asOf(ctx);
    el.append(pageHead(ctx, ctx.t('watch.title'), asOfLine(ctx, when)),
      h('p', { class: 'lede' }, ctx.t(platform ? 'watch.lede_platform' : 'watch.lede')));
    if (!platform) {
      try {
        el.append(await thresholds(ctx, when));
      } catch (e) {
        el.append(card(ctx.t('watch.thresholds'), errorBox(e, ctx.t, ctx.has)));
      }
    }
    try {
      el.append(...await programs(ctx));
    } catch (e) {
      el.append(card(ctx.t('watch.programs'), errorBox(e, ctx.t, ctx.has)));
    }
  },
};
