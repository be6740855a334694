/* gen_people.c - customers.csv: a name and an address for every buyer orders.csv named,
 * so the demo's messages greet buyers by name and can reach them. A buyer's name is in
 * the language of the shop's main market and is a pure function of (seed, shop,
 * customer): the same seed gives the same people. */
#include "gen_impl.h"

#include <string.h>

struct name {
    const char *shown; /* as the buyer writes it */
    const char *ascii; /* for the mailbox: lower case a-z */
};

struct names {
    const struct name *given, *family;
    size_t ngiven, nfamily;
    bool family_first; /* Chinese and Japanese: family name, then given, no space */
};

#define NAMES(g, f, ff)                                                                            \
    {                                                                                              \
        g, f, sizeof(g) / sizeof(g[0]), sizeof(f) / sizeof(f[0]), ff                               \
    }

static const struct name en_g[] = {{"Emma", "emma"},     {"Olivia", "olivia"}, {"James", "james"},
                                   {"Liam", "liam"},     {"Sophia", "sophia"}, {"Noah", "noah"},
                                   {"Grace", "grace"},   {"Ethan", "ethan"},   {"Chloe", "chloe"},
                                   {"Daniel", "daniel"}, {"Mia", "mia"},       {"Lucas", "lucas"}};
static const struct name en_f[] = {
    {"Smith", "smith"},   {"Johnson", "johnson"}, {"Brown", "brown"}, {"Walker", "walker"},
    {"Taylor", "taylor"}, {"Wilson", "wilson"},   {"Evans", "evans"}, {"Clarke", "clarke"},
    {"Hughes", "hughes"}, {"Parker", "parker"},   {"Reed", "reed"},   {"Morgan", "morgan"}};
static const struct name de_g[] = {{"Lena", "lena"},      {"Jonas", "jonas"},  {"Hannah", "hannah"},
                                   {"Lukas", "lukas"},    {"Marie", "marie"},  {"Felix", "felix"},
                                   {"Jürgen", "juergen"}, {"Sophie", "sophie"}};
static const struct name de_f[] = {{"Müller", "mueller"},      {"Schmidt", "schmidt"},
                                   {"Schneider", "schneider"}, {"Fischer", "fischer"},
                                   {"Weber", "weber"},         {"Becker", "becker"},
                                   {"Hoffmann", "hoffmann"},   {"Krüger", "krueger"}};
static const struct name fr_g[] = {
    {"Camille", "camille"}, {"Louis", "louis"},     {"Léa", "lea"},     {"Hugo", "hugo"},
    {"Chloé", "chloe"},     {"Gabriel", "gabriel"}, {"Manon", "manon"}, {"Étienne", "etienne"}};
static const struct name fr_f[] = {
    {"Martin", "martin"}, {"Bernard", "bernard"}, {"Dubois", "dubois"}, {"Lefèvre", "lefevre"},
    {"Moreau", "moreau"}, {"Laurent", "laurent"}, {"Girard", "girard"}, {"Roux", "roux"}};
static const struct name pt_g[] = {
    {"Ana", "ana"},     {"João", "joao"},   {"Maria", "maria"},     {"Lucas", "lucas"},
    {"Júlia", "julia"}, {"Pedro", "pedro"}, {"Beatriz", "beatriz"}, {"Gabriel", "gabriel"}};
static const struct name pt_f[] = {{"Silva", "silva"},         {"Santos", "santos"},
                                   {"Oliveira", "oliveira"},   {"Souza", "souza"},
                                   {"Lima", "lima"},           {"Pereira", "pereira"},
                                   {"Conceição", "conceicao"}, {"Ferreira", "ferreira"}};
static const struct name ru_g[] = {{"Анна", "anna"},      {"Иван", "ivan"},   {"Мария", "maria"},
                                   {"Дмитрий", "dmitry"}, {"Елена", "elena"}, {"Сергей", "sergey"}};
static const struct name ru_f[] = {{"Иванов", "ivanov"},      {"Смирнов", "smirnov"},
                                   {"Кузнецов", "kuznetsov"}, {"Попов", "popov"},
                                   {"Соколов", "sokolov"},    {"Лебедев", "lebedev"}};
static const struct name ja_g[] = {{"翔太", "shota"}, {"陽菜", "hina"}, {"大翔", "hiroto"},
                                   {"結衣", "yui"},   {"蓮", "ren"},    {"美咲", "misaki"}};
static const struct name ja_f[] = {{"佐藤", "sato"},   {"鈴木", "suzuki"}, {"高橋", "takahashi"},
                                   {"田中", "tanaka"}, {"伊藤", "ito"},    {"渡辺", "watanabe"}};
static const struct name zh_g[] = {{"芳", "fang"},       {"伟", "wei"},    {"静", "jing"},
                                   {"磊", "lei"},        {"丽娜", "lina"}, {"浩然", "haoran"},
                                   {"晓明", "xiaoming"}, {"雨涵", "yuhan"}};
static const struct name zh_f[] = {{"王", "wang"}, {"李", "li"},   {"张", "zhang"}, {"刘", "liu"},
                                   {"陈", "chen"}, {"杨", "yang"}, {"黄", "huang"}, {"赵", "zhao"}};

static const struct names by_country[BL__NCOUNTRY] = {
    [BL__US] = NAMES(en_g, en_f, false), [BL__GB] = NAMES(en_g, en_f, false),
    [BL__DE] = NAMES(de_g, de_f, false), [BL__FR] = NAMES(fr_g, fr_f, false),
    [BL__BR] = NAMES(pt_g, pt_f, false), [BL__RU] = NAMES(ru_g, ru_f, false),
    [BL__JP] = NAMES(ja_g, ja_f, true),  [BL__CN] = NAMES(zh_g, zh_f, true),
};

/* One buyer's row: id, name, e-mail (name.family.N at the demo's mail domain). */
static char *put_customer(const struct bl_gen *g, char *p, int64_t si, uint64_t c)
{
    const struct names *n = &by_country[g->shops[si].market[0]];
    uint64_t h = bl__mix(bl__mix(g->o.seed, (uint64_t)si), c);
    const struct name *gv = &n->given[h % n->ngiven];
    const struct name *fm = &n->family[(h >> 32) % n->nfamily];
    p = bl__put(p, "cu", 2);
    p = bl__put_pad(p, si + 1, g->shop_width);
    *p++ = '-';
    p = bl__put_u64(p, c);
    *p++ = ',';
    const struct name *first = n->family_first ? fm : gv, *second = n->family_first ? gv : fm;
    p = bl__puts(p, first->shown);
    if (!n->family_first)
        *p++ = ' ';
    p = bl__puts(p, second->shown);
    *p++ = ',';
    p = bl__puts(p, gv->ascii);
    *p++ = '.';
    p = bl__puts(p, fm->ascii);
    *p++ = '.';
    p = bl__put_u64(p, c);
    return bl__puts(p, "@mail.ballast-demo.shop\n");
}

int bl__write_customers(struct bl_gen *g, struct bl__sink *s)
{
    int rc = bl__orders_pass(g); /* the buyers are those the orders name */
    if (rc)
        return rc;
    bl__sink_header(s, "id,name,email");
    for (int64_t si = 0; si < g->o.shops; si++)
        for (uint64_t c = 1; c <= g->ncust[si]; c++)
            bl__sink_end_row(s, put_customer(g, bl__sink_row(s), si, c));
    return BL_OK;
}
