/* gen_model.c - the generator's catalogue and model: markets, shops, SKUs,
 * suppliers, logistics channels and disruptions, all derived from the seed. */
#include "gen_impl.h"

#include "ballast/alloc.h"

/* ---------------------------------------------------------------- static catalogue */

/* Fixed conversion rates (a synthetic world: no exchange-rate history). */
const struct bl__currency bl__currencies[BL__NCUR] = {
    [BL__USD] = {"USD", 2, 10000}, [BL__EUR] = {"EUR", 2, 9200},  [BL__GBP] = {"GBP", 2, 7900},
    [BL__JPY] = {"JPY", 0, 15000}, [BL__CNY] = {"CNY", 2, 72000}, [BL__BRL] = {"BRL", 2, 50000},
};

const struct bl__country bl__countries[BL__NCOUNTRY] = {
    [BL__US] = {"US", "en-US", -6}, [BL__GB] = {"GB", "en-GB", 0},  [BL__DE] = {"DE", "de-DE", 1},
    [BL__FR] = {"FR", "fr-FR", 1},  [BL__BR] = {"BR", "pt-BR", -3}, [BL__RU] = {"RU", "ru-RU", 3},
    [BL__JP] = {"JP", "ja-JP", 9},  [BL__CN] = {"CN", "zh-CN", 8},
};

/* Orders by local hour of the day: a night trough, a lunch bump and the evening
 * peak of e-commerce traffic (relative, the busiest hour 100). */
static const uint16_t local_hour[24] = {35, 20, 11, 7,  6,  8,  14, 26, 40,  50, 56, 62,
                                        66, 62, 60, 62, 66, 72, 80, 92, 100, 98, 82, 56};

/* Where buyers live: subdivisions weighted roughly by online population, some with
 * the leading digits of the postal code (as exports often have them). */
const struct bl__place bl__dests[] = {
    {"US-CA:900", BL__US, 6},  {"US-CA:941", BL__US, 3}, {"US-CA", BL__US, 6},
    {"US-TX:770", BL__US, 4},  {"US-TX", BL__US, 5},     {"US-NY:100", BL__US, 5},
    {"US-NY", BL__US, 3},      {"US-FL:331", BL__US, 3}, {"US-FL", BL__US, 4},
    {"US-IL:606", BL__US, 3},  {"US-WA:981", BL__US, 2}, {"US-PA", BL__US, 3},
    {"US-OH", BL__US, 3},      {"US-GA", BL__US, 3},     {"US-NJ:070", BL__US, 2},
    {"GB:SW1", BL__GB, 2},     {"GB:E1", BL__GB, 2},     {"GB:M1", BL__GB, 3},
    {"GB:B1", BL__GB, 3},      {"GB:LS1", BL__GB, 2},    {"GB:G1", BL__GB, 2},
    {"GB:EH1", BL__GB, 1},     {"GB:CF1", BL__GB, 1},    {"GB", BL__GB, 4},
    {"DE-BE:10", BL__DE, 4},   {"DE-BY:80", BL__DE, 4},  {"DE-HH:20", BL__DE, 3},
    {"DE-NW:50", BL__DE, 4},   {"DE-NW", BL__DE, 4},     {"DE-HE:60", BL__DE, 3},
    {"DE-BW:70", BL__DE, 3},   {"DE-SN", BL__DE, 2},     {"FR-IDF:75", BL__FR, 5},
    {"FR-IDF", BL__FR, 3},     {"FR-ARA:69", BL__FR, 3}, {"FR-PAC:13", BL__FR, 3},
    {"FR-OCC:31", BL__FR, 2},  {"FR-NAQ:33", BL__FR, 2}, {"FR-HDF:59", BL__FR, 2},
    {"BR-SP:013", BL__BR, 3},  {"BR-SP:010", BL__BR, 3}, {"BR-SP", BL__BR, 6},
    {"BR-RJ:220", BL__BR, 3},  {"BR-RJ", BL__BR, 3},     {"BR-MG:301", BL__BR, 3},
    {"BR-RS", BL__BR, 2},      {"BR-PR", BL__BR, 2},     {"BR-BA", BL__BR, 2},
    {"RU-MOW:101", BL__RU, 4}, {"RU-MOW", BL__RU, 4},    {"RU-SPE:190", BL__RU, 3},
    {"RU-NVS", BL__RU, 2},     {"RU-SVE", BL__RU, 2},    {"RU-TA", BL__RU, 1},
    {"RU-KDA", BL__RU, 2},     {"JP-13:100", BL__JP, 3}, {"JP-13", BL__JP, 4},
    {"JP-27:530", BL__JP, 3},  {"JP-14", BL__JP, 3},     {"JP-23", BL__JP, 2},
    {"JP-01", BL__JP, 1},      {"JP-40", BL__JP, 2},     {"CN-GD:518", BL__CN, 3},
    {"CN-GD", BL__CN, 4},      {"CN-ZJ", BL__CN, 4},     {"CN-JS", BL__CN, 4},
    {"CN-SH:200", BL__CN, 3},  {"CN-BJ:100", BL__CN, 3}, {"CN-SC", BL__CN, 3},
    {"CN-SD", BL__CN, 3},      {"CN-HB", BL__CN, 2},     {"CN-HA", BL__CN, 2},
    {"CN-FJ", BL__CN, 2},
};
const size_t bl__ndests = sizeof(bl__dests) / sizeof(bl__dests[0]);

/* Where shops ship from. Kind 0: cross-border from China (the channel origins);
 * 1: China domestic; 2: an overseas warehouse in the market; 3: FBA. */
const struct bl__from bl__froms[] = {
    {"CN-GD:518", BL__O_CNGD, 0, 0, 30},   {"CN-GD:510", BL__O_CNGD, 0, 0, 12},
    {"CN-GD", BL__O_CNGD, 0, 0, 5},        {"CN-ZJ:322", BL__O_CNZJ, 0, 0, 18},
    {"CN-ZJ:310", BL__O_CNZJ, 0, 0, 6},    {"CN-ZJ", BL__O_CNZJ, 0, 0, 3},
    {"CN-SH:201", BL__O_CNSH, 0, 0, 8},    {"CN-SH", BL__O_CNSH, 0, 0, 4},
    {"CN-FJ:361", BL__O_CN, 1, BL__CN, 5}, {"CN-FJ:350", BL__O_CN, 1, BL__CN, 2},
    {"CN-JS:215", BL__O_CN, 1, BL__CN, 3}, {"CN-GD:518", BL__O_CN, 1, BL__CN, 4},
    {"CN-ZJ:322", BL__O_CN, 1, BL__CN, 4}, {"CN-SD:266", BL__O_CN, 1, BL__CN, 2},
    {"US-CA:917", BL__O_US, 2, BL__US, 6}, {"US-NJ:088", BL__O_US, 2, BL__US, 4},
    {"GB:NN4", BL__O_GB, 2, BL__GB, 1},    {"DE-NW:47", BL__O_DE, 2, BL__DE, 1},
    {"JP-12:272", BL__O_JP, 2, BL__JP, 1}, {"US-CA:923", BL__O_US, 3, BL__US, 1},
};
const size_t bl__nfroms = sizeof(bl__froms) / sizeof(bl__froms[0]);

const struct bl__warehouse bl__warehouses[] = {
    {"wh-szx", "Shenzhen Longhua warehouse", "CN-GD:518", "own"},
    {"wh-ywu", "Yiwu warehouse", "CN-ZJ:322", "own"},
    {"wh-sha", "Shanghai Jiading 3PL", "CN-SH:201", "3pl"},
    {"wh-xmn", "Xiamen warehouse", "CN-FJ:361", "own"},
    {"wh-us-ca", "Ontario, CA overseas warehouse", "US-CA:917", "overseas"},
    {"wh-us-nj", "Edison, NJ overseas warehouse", "US-NJ:088", "overseas"},
    {"wh-gb", "Northampton overseas warehouse", "GB:NN4", "overseas"},
    {"wh-de", "Duisburg overseas warehouse", "DE-NW:47", "overseas"},
    {"wh-jp", "Chiba overseas warehouse", "JP-12:272", "overseas"},
    {"fba-ont8", "Amazon FBA ONT8", "US-CA:923", "fba"},
};
const size_t bl__nwarehouses = sizeof(bl__warehouses) / sizeof(bl__warehouses[0]);

/* clang-format off */
/* platform, currency, tz, markets, market weights, share of shops, price level (permille),
 * deposit (minor units), overseas-warehouse and FBA shares (permille) */
#define M1(a) {a}, {1}
const struct bl__arch bl__archs[] = {
    {"amazon", BL__USD, "America/Los_Angeles", M1(BL__US), 18, 1000, 0, 250, 200},
    {"amazon", BL__GBP, "Europe/London", M1(BL__GB), 5, 1000, 0, 200, 0},
    {"amazon", BL__EUR, "Europe/Berlin", {BL__DE, BL__FR}, {80, 20}, 5, 1000, 0, 200, 0},
    {"amazon", BL__EUR, "Europe/Paris", M1(BL__FR), 3, 1000, 0, 0, 0},
    {"amazon", BL__JPY, "Asia/Tokyo", M1(BL__JP), 4, 1000, 0, 250, 0},
    {"temu", BL__USD, "America/Los_Angeles", M1(BL__US), 8, 850, 1000000, 300, 0},
    {"temu", BL__EUR, "Europe/Berlin", {BL__DE, BL__FR}, {50, 50}, 3, 850, 1000000, 0, 0},
    {"temu", BL__BRL, "America/Sao_Paulo", M1(BL__BR), 2, 850, 5000000, 0, 0},
    {"tiktok-shop", BL__USD, "America/Los_Angeles", M1(BL__US), 6, 950, 50000, 400, 0},
    {"tiktok-shop", BL__GBP, "Europe/London", M1(BL__GB), 3, 950, 50000, 300, 0},
    {"shein", BL__USD, "America/Los_Angeles", M1(BL__US), 3, 900, 300000, 0, 0},
    /* AliExpress seller deadlines run on Pacific time; cross-border prices in USD */
    {"aliexpress", BL__USD, "America/Los_Angeles",
     {BL__RU, BL__BR, BL__FR, BL__US, BL__DE}, {35, 25, 15, 15, 10}, 5, 900, 140000, 0, 0},
    {"ebay", BL__USD, "America/New_York", M1(BL__US), 3, 1000, 0, 200, 0},
    {"ebay", BL__GBP, "Europe/London", M1(BL__GB), 2, 1000, 0, 0, 0},
    {"shopify", BL__USD, "America/New_York",
     {BL__US, BL__GB, BL__DE}, {80, 10, 10}, 3, 1100, 0, 0, 0},
    {"own-site", BL__USD, "America/New_York",
     {BL__US, BL__BR, BL__JP}, {70, 20, 10}, 2, 1100, 0, 0, 0},
    {"own-site", BL__EUR, "Europe/Paris", {BL__FR, BL__DE}, {50, 50}, 2, 1100, 0, 0, 0},
    {"kuaishou", BL__CNY, "Asia/Shanghai", M1(BL__CN), 4, 800, 200000, 0, 0},
    {"douyin", BL__CNY, "Asia/Shanghai", M1(BL__CN), 5, 800, 200000, 0, 0},
    {"taobao", BL__CNY, "Asia/Shanghai", M1(BL__CN), 3, 800, 100000, 0, 0},
    {"pinduoduo", BL__CNY, "Asia/Shanghai", M1(BL__CN), 2, 700, 200000, 0, 0},
    {"jd", BL__CNY, "Asia/Shanghai", M1(BL__CN), 1, 850, 1000000, 0, 0},
};
#undef M1
/* clang-format on */
const size_t bl__narchs = sizeof(bl__archs) / sizeof(bl__archs[0]);

/* Weight bands, grams. */
static const int32_t b_post[] = {0, 500, 1000, 2000};
static const int32_t b_line[] = {0, 500, 1000, 2000, 5000, 30000};
static const int32_t b_exp[] = {0, 500, 2000, 5000, 20000, 70000};
static const int32_t b_rail[] = {0, 2000, 30000, 500000};
static const int32_t b_sea[] = {20000, 100000, 1000000, 10000000};
static const int32_t b_us[] = {0, 454, 2268, 9072, 31752}; /* 1, 5, 20, 70 lb */
static const int32_t b_gb[] = {0, 1000, 2000, 10000, 20000};
static const int32_t b_de[] = {0, 2000, 5000, 10000, 31500};
static const int32_t b_jp[] = {0, 2000, 5000, 10000, 25000};
static const int32_t b_cn[] = {0, 1000, 3000, 10000, 30000};
#define BANDS(b) b, sizeof(b) / sizeof(b[0])

#define O(x) (1u << BL__O_##x)
#define CNX (O(CNGD) | O(CNZJ) | O(CNSH))
/* clang-format off */
/* Per product: id prefix, carrier, mode, tier, currency, origins; transit days by
 * destination (US GB DE FR BR RU JP CN); weight bands; fee and per-kg rate (minor
 * units); how often it is chosen; SLA days past transit_max; cut-off, zone,
 * calendar, remedy, volumetric divisor. */
const struct bl__product bl__products[] = {
    {"CNPOST-EPACKET", "China Post", "postal", "core", BL__CNY, CNX,
     {{10, 20}, {8, 15}, {10, 18}, {10, 18}, {20, 40}, {15, 30}, {6, 12}, {0, 0}},
     BANDS(b_post), 1500, 8500, 30, 0, "17:00", "Asia/Shanghai", "CN", NULL, 0},
    {"YUN-LINE", "YunExpress", "dedicated", "core", BL__CNY, CNX,
     {{6, 10}, {5, 8}, {6, 9}, {6, 10}, {12, 20}, {10, 18}, {4, 7}, {0, 0}},
     BANDS(b_line), 2000, 7000, 45, 5, "15:00", "Asia/Shanghai", "CN", "freight_waiver", 6000},
    {"YW-DED", "Yanwen", "dedicated", "backup", BL__CNY, CNX,
     {{7, 12}, {6, 10}, {7, 11}, {7, 12}, {14, 25}, {12, 20}, {5, 9}, {0, 0}},
     BANDS(b_line), 1800, 7300, 8, 0, "16:00", "Asia/Shanghai", "CN",
     "claim up to the declared value", 6000},
    {"DHL-EXP", "DHL Express", "express", "backup", BL__CNY, CNX,
     {{3, 5}, {3, 5}, {3, 4}, {3, 5}, {5, 9}, {5, 9}, {2, 4}, {0, 0}},
     BANDS(b_exp), 9000, 11000, 5, 2, "18:00", "Asia/Shanghai", "CN", "freight_waiver", 5000},
    {"CRE-RAIL", "China Railway Express", "rail", "core", BL__CNY, CNX,
     {{0, 0}, {22, 30}, {18, 25}, {20, 28}, {0, 0}, {12, 18}, {0, 0}, {0, 0}},
     BANDS(b_rail), 1200, 3200, 15, 0, "12:00", "Asia/Shanghai", "CN", NULL, 6000},
    {"COSCO-SEA", "COSCO Shipping", "sea", "core", BL__CNY, CNX,
     {{25, 40}, {35, 50}, {35, 50}, {35, 50}, {40, 60}, {0, 0}, {10, 18}, {0, 0}},
     BANDS(b_sea), 30000, 800, 0, 0, "10:00", "Asia/Shanghai", "CN", NULL, 0},
    {"USPS-GA", "USPS", "overseas", "core", BL__USD, O(US), {[BL__US] = {2, 5}},
     BANDS(b_us), 450, 120, 40, 0, "14:00", "America/Los_Angeles", "US", NULL, 0},
    {"UPS-GRD", "UPS", "overseas", "backup", BL__USD, O(US), {[BL__US] = {3, 5}},
     BANDS(b_us), 890, 180, 10, 1, "16:00", "America/Los_Angeles", "US", "freight_waiver", 5000},
    {"RM-T48", "Royal Mail", "overseas", "core", BL__GBP, O(GB), {[BL__GB] = {2, 3}},
     BANDS(b_gb), 335, 60, 40, 0, "15:00", "Europe/London", "GB", NULL, 0},
    {"EVRI", "Evri", "overseas", "backup", BL__GBP, O(GB), {[BL__GB] = {2, 4}},
     BANDS(b_gb), 299, 80, 15, 0, "15:00", "Europe/London", "GB", NULL, 0},
    {"DHL-PAKET", "DHL Paket", "overseas", "core", BL__EUR, O(DE), {[BL__DE] = {1, 3}},
     BANDS(b_de), 499, 70, 40, 0, "16:00", "Europe/Berlin", "DE", NULL, 0},
    {"HERMES", "Hermes", "overseas", "backup", BL__EUR, O(DE), {[BL__DE] = {2, 4}},
     BANDS(b_de), 449, 80, 15, 0, "14:00", "Europe/Berlin", "DE", NULL, 0},
    {"YAMATO", "Yamato Transport", "overseas", "core", BL__JPY, O(JP), {[BL__JP] = {1, 2}},
     BANDS(b_jp), 940, 200, 40, 0, "15:00", "Asia/Tokyo", "JP", NULL, 0},
    {"ZTO", "ZTO Express", "express", "core", BL__CNY, O(CN), {[BL__CN] = {2, 4}},
     BANDS(b_cn), 500, 150, 45, 0, "18:00", "Asia/Shanghai", "CN", NULL, 0},
    {"YTO", "YTO Express", "express", "core", BL__CNY, O(CN), {[BL__CN] = {2, 5}},
     BANDS(b_cn), 450, 160, 35, 0, "18:00", "Asia/Shanghai", "CN", NULL, 0},
    {"SF-EXP", "SF Express", "express", "backup", BL__CNY, O(CN), {[BL__CN] = {1, 2}},
     BANDS(b_cn), 1200, 400, 10, 1, "19:00", "Asia/Shanghai", "CN", "freight_waiver", 0},
};
/* clang-format on */
const size_t bl__nproducts = sizeof(bl__products) / sizeof(bl__products[0]);
#undef O
#undef CNX
#undef BANDS

/* Price level of cross-border lanes by destination, permille. */
const uint16_t bl__dest_price_pm[BL__NCOUNTRY] = {1000, 950, 950, 1000, 1300, 850, 750, 1000};

struct category {
    const char *name;
    int32_t gmin, gmax; /* weight, grams */
    int64_t pmin, pmax; /* list price, US cents */
    uint16_t weight;
    const char *nouns[4];
    const char *cn; /* a Chinese product name */
};

static const struct category categories[] = {
    {"Phone accessories",
     30,
     250,
     199,
     1999,
     16,
     {"phone case 6.1\"", "USB-C cable", "magnetic car mount", "screen protector"},
     "手机壳"},
    {"Home & Kitchen",
     150,
     2500,
     599,
     4999,
     14,
     {"garlic press", "storage jar set", "silicone spatula", "drawer organiser"},
     "收纳盒"},
    {"Toys & Games",
     100,
     1500,
     499,
     3999,
     10,
     {"building blocks", "plush bear", "puzzle 1000 pieces", "RC car"},
     "积木玩具"},
    {"Apparel",
     100,
     800,
     799,
     4999,
     12,
     {"hoodie", "running socks", "rain jacket", "beanie"},
     "卫衣"},
    {"Beauty",
     50,
     400,
     399,
     2999,
     9,
     {"makeup brush set", "hair clip", "nail kit", "face roller"},
     "化妆刷"},
    {"Pet supplies",
     100,
     3000,
     499,
     3999,
     8,
     {"cat toy", "dog harness", "pet water fountain", "grooming glove"},
     "宠物玩具"},
    {"Sports & Outdoors",
     200,
     5000,
     999,
     8999,
     8,
     {"yoga mat", "camping lantern", "resistance bands", "water bottle"},
     "瑜伽垫"},
    {"Electronics",
     100,
     2000,
     1299,
     14999,
     10,
     {"wireless earbuds", "power bank 10000mAh", "smart plug", "LED strip 5m"},
     "蓝牙耳机"},
    {"Garden",
     300,
     8000,
     999,
     6999,
     5,
     {"solar path light", "hose nozzle", "planter", "pruner"},
     "太阳能灯"},
    {"Office",
     50,
     1500,
     299,
     2999,
     8,
     {"desk organiser", "gel pens", "monitor stand", "notebook"},
     "笔记本"},
};
#define NCAT (sizeof(categories) / sizeof(categories[0]))

static const char *const adjectives[] = {"Classic",  "Premium",    "Compact", "Eco",
                                         "Foldable", "Deluxe",     "Mini",    "Pro",
                                         "Soft",     "Heavy-duty", "Slim",    "Vintage"};
static const char *const variants[] = {"black", "white",  "navy blue", "pink",  "grey",
                                       "green", "2-pack", "large",     "small", "red"};
static const char *const brands[] = {
    "Sunrise", "Blue Harbor", "Lotus",       "Nordic Nest", "Panda",  "Golden Bay",
    "Maple",   "Jade",        "Pearl River", "Orchid",      "Lily's", "Kai \"Sunny\"",
    "Bamboo",  "Silk Road",   "Happy Tail",  "Urban",       "Cedar",  "Peak",
    "Bright",  "Coral",       "Summit",      "Willow",      "Harbor", "Zen"};
static const char *const suffixes[] = {"Home",  "Gadgets", "Outdoor", "Beauty", "Kids",  "Pets",
                                       "Style", "Tech",    "Living",  "Store",  "Goods", "Supply"};
static const char *const cn_prefix[] = {"优品", "乐购", "星辰", "好物", "潮流", "悦家",
                                        "云端", "小熊", "花语", "森林", "锦鲤", "青柠"};
static const char *const cn_suffix[] = {"旗舰店", "专营店", "官方店", "生活馆", "精品店", "百货"};

struct sup_region {
    const char *region, *city;
    uint16_t weight;
};
static const struct sup_region sup_regions[] = {
    {"CN-GD:518", "Shenzhen", 30}, {"CN-GD:528", "Foshan", 8},    {"CN-ZJ:322", "Yiwu", 22},
    {"CN-ZJ:315", "Ningbo", 12},   {"CN-FJ:362", "Quanzhou", 10}, {"CN-JS:215", "Suzhou", 10},
    {"CN-SD:266", "Qingdao", 8},
};
#define NSUPREG (sizeof(sup_regions) / sizeof(sup_regions[0]))
static const char *const sup_names[] = {"Huaxin",  "Jiali",  "Mingde",   "Xinyuan",
                                        "Hongda",  "Tianyi", "Jinhui",   "Yongsheng",
                                        "Longfei", "Baoli",  "Ruixiang", "Haitian"};
static const char *const sup_trades[] = {"Electronics",    "Plastic Products", "Household Goods",
                                         "Textile",        "Hardware",         "Toys",
                                         "Import & Export"};

#define N(a) (sizeof(a) / sizeof(a[0]))

/* Disruption templates: where, what, which channel, how long (hours), and the
 * chance (permille) that one starting in the second half is still open. */
struct dis_tpl {
    const char *region;
    uint8_t scope;
    const char *kind;
    const char *channel; /* channel id or NULL */
    int supplier;        /* 1: a supplier shutdown (region = the supplier's) */
    int32_t hmin, hmax;
    uint16_t open_pm;
    const char *note;
};

static const struct dis_tpl dis_tpls[] = {
    {"CN-SH", BL__SCOPE_ORIGIN, "lockdown", NULL, 0, 72, 192, 0,
     "Shanghai lockdown: warehouses closed, no pickups in the city"},
    {"RU", BL__SCOPE_DEST, "route_suspension", "CRE-RAIL-RU", 0, 240, 720, 300,
     "China-Russia rail freight suspended at Zabaikalsk, backlog at the border"},
    {"GB", BL__SCOPE_DEST, "strike", NULL, 0, 24, 72, 0,
     "Royal Mail national strike: no collections or deliveries"},
    {"CN-GD:518", BL__SCOPE_ORIGIN, "lockdown", NULL, 0, 48, 168, 0,
     "Shenzhen: Longhua and Bao'an districts locked down, pickups suspended"},
    {"BR", BL__SCOPE_DEST, "strike", NULL, 0, 120, 480, 0,
     "Correios strike, customs clearance backlog"},
    {"CN-GD", BL__SCOPE_ORIGIN, "weather", NULL, 0, 36, 96, 0,
     "Typhoon: Shenzhen and Guangzhou ports and airports closed"},
    {"RU", BL__SCOPE_DEST, "route_suspension", "CNPOST-EPACKET-RU", 0, 168, 504, 200,
     "China Post suspends e-packet acceptance to Russia"},
    {"FR", BL__SCOPE_DEST, "strike", NULL, 0, 24, 96, 0, "La Poste strike, deliveries delayed"},
    {"CN-ZJ:322", BL__SCOPE_ORIGIN, "lockdown", NULL, 0, 48, 120, 0,
     "Yiwu: logistics parks closed for mass testing"},
    {NULL, BL__SCOPE_ORIGIN, "supplier_shutdown", NULL, 1, 120, 480, 400,
     "Factory closed for an environmental inspection"},
    {"DE", BL__SCOPE_DEST, "strike", "DHL-PAKET-DE", 0, 24, 72, 0,
     "Verdi strike at DHL parcel centres"},
    {"BR", BL__SCOPE_DEST, "carrier_suspension", "YW-DED-BR", 0, 168, 720, 300,
     "Yanwen suspends its Brazil line after the Remessa Conforme change"},
    {"US-TX", BL__SCOPE_DEST, "weather", NULL, 0, 48, 120, 0,
     "Winter storm: carriers suspend service in Texas"},
    {"CN-SH", BL__SCOPE_ORIGIN, "carrier_suspension", "DHL-EXP-US", 0, 48, 168, 0,
     "DHL Express suspends pickups in Shanghai"},
    {"CN-FJ", BL__SCOPE_ORIGIN, "weather", NULL, 0, 24, 72, 0,
     "Typhoon landfall in Fujian, pickups suspended"},
    {"DE", BL__SCOPE_DEST, "route_suspension", "COSCO-SEA-DE", 0, 336, 720, 300,
     "Red Sea diversions: sailings to Hamburg suspended"},
    {"CN-GD:510", BL__SCOPE_ORIGIN, "lockdown", NULL, 0, 48, 120, 0,
     "Guangzhou Baiyun district lockdown"},
    {"JP-13", BL__SCOPE_DEST, "weather", NULL, 0, 24, 48, 0, "Typhoon: Tokyo deliveries suspended"},
    {"US", BL__SCOPE_DEST, "other", "YUN-LINE-US", 0, 48, 168, 0,
     "US customs hold de minimis entries on the YunExpress line for review"},
    {"US-CA", BL__SCOPE_ORIGIN, "strike", NULL, 0, 24, 96, 0,
     "Warehouse workers' strike at Inland Empire fulfilment centres"},
    {NULL, BL__SCOPE_ORIGIN, "supplier_shutdown", NULL, 1, 72, 240, 0,
     "Power rationing: factory on a three-day week"},
    {"CN-JS:215", BL__SCOPE_ORIGIN, "lockdown", NULL, 0, 48, 120, 0,
     "Suzhou industrial park lockdown"},
    {"GB:EH", BL__SCOPE_DEST, "weather", NULL, 0, 24, 48, 0,
     "Storm: Royal Mail suspends deliveries in Edinburgh"},
    {"RU-MOW", BL__SCOPE_BOTH, "weather", NULL, 0, 24, 72, 0, "Snowstorm in Moscow"},
    {"FR", BL__SCOPE_DEST, "other", NULL, 0, 24, 48, 0, "Customs IT outage at Roissy, \"no ETA\""},
    {"CN-ZJ:322", BL__SCOPE_ORIGIN, "other", NULL, 0, 24, 72, 0,
     "Peak season in Yiwu: carriers cap capacity, pickups delayed"},
};

/* Chinese New Year's day, 2020..2035. */
static const uint8_t spring_festival[][2] = {
    {1, 25}, {2, 12}, {2, 1}, {1, 22}, {2, 10}, {1, 29}, {2, 17}, {2, 6},
    {1, 26}, {2, 13}, {2, 3}, {1, 23}, {2, 11}, {1, 31}, {2, 19}, {2, 8},
};

/* ---------------------------------------------------------------- helpers */

bool bl__region_contains(const char *outer, const char *inner)
{
    size_t n = strlen(outer);
    if (strncmp(outer, inner, n) != 0)
        return false;
    char next = inner[n];
    return next == '\0' || strchr(outer, ':') || next == '-' || next == ':';
}

static int ndigits(int64_t v)
{
    int n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

char *bl__put_shop_id(char *p, const struct bl_gen *g, int64_t i)
{
    p = bl__put(p, "shop-", 5);
    return bl__put_pad(p, (uint64_t)(i + 1), g->shop_width);
}

char *bl__put_sku_id(char *p, const struct bl_gen *g, int64_t k)
{
    p = bl__put(p, "SKU-", 4);
    return bl__put_pad(p, (uint64_t)(k + 1), g->sku_width);
}

char *bl__put_sup_id(char *p, const struct bl_gen *g, int64_t j)
{
    p = bl__put(p, "sup-", 4);
    return bl__put_pad(p, (uint64_t)(j + 1), g->sup_width);
}

void bl__shop_name(const struct bl_gen *g, const struct bl__shop *s, char *out, size_t cap)
{
    (void)g;
    const struct bl__arch *a = &bl__archs[s->arch];
    if (a->market[0] == BL__CN)
        snprintf(out, cap, "%s%s", cn_prefix[s->name_a % N(cn_prefix)],
                 cn_suffix[s->name_b % N(cn_suffix)]);
    else
        snprintf(out, cap, "%s %s, %s", brands[s->name_a % N(brands)],
                 suffixes[s->name_b % N(suffixes)], bl__countries[s->market[0]].code);
}

const char *bl__sku_category(const struct bl__sku *s)
{
    return categories[s->category].name;
}

void bl__sku_name(const struct bl_gen *g, int64_t k, char *out, size_t cap)
{
    const struct bl__sku *s = &g->skus[k];
    const struct category *c = &categories[s->category];
    uint64_t h = bl__mix(g->o.seed, (uint64_t)k);
    if (h % 13 == 0)
        snprintf(out, cap, "%s %d号", c->cn, (int)((h >> 8) % 9) + 1);
    else
        snprintf(out, cap, "%s %s, %s", adjectives[(h >> 8) % N(adjectives)],
                 c->nouns[(h >> 16) % 4], variants[(h >> 24) % N(variants)]);
}

const char *bl__supplier_region(const struct bl__supplier *s)
{
    return sup_regions[s->region].region;
}

void bl__supplier_name(const struct bl__supplier *s, char *out, size_t cap)
{
    snprintf(out, cap, "%s %s %s Co., Ltd.", sup_regions[s->region].city,
             sup_names[s->name_a % N(sup_names)], sup_trades[s->name_b % N(sup_trades)]);
}

/* ---------------------------------------------------------------- building */

static int build_channels(struct bl_gen *g)
{
    size_t n = 0;
    for (size_t p = 0; p < bl__nproducts; p++)
        for (int c = 0; c < BL__NCOUNTRY; c++)
            n += bl__products[p].transit[c][1] > 0;
    g->chans = bl_calloc(n, sizeof(*g->chans));
    if (!g->chans)
        return BL_ENOMEM;
    for (size_t p = 0; p < bl__nproducts; p++) {
        const struct bl__product *pr = &bl__products[p];
        for (int c = 0; c < BL__NCOUNTRY; c++) {
            if (!pr->transit[c][1])
                continue;
            struct bl__chan *ch = &g->chans[g->nchan];
            snprintf(ch->id, sizeof(ch->id), "%s-%s", pr->prefix, bl__countries[c].code);
            ch->product = (uint16_t)p;
            ch->country = (uint8_t)c;
            ch->tmin = pr->transit[c][0];
            ch->tmax = pr->transit[c][1];
            ch->min_g = pr->bands[0];
            ch->max_g = pr->bands[pr->nbands - 1];
            for (int o = 0; o < BL__NORIGIN; o++) {
                struct bl__lane *l = &g->lanes[o][c];
                if ((pr->origins & (1u << o)) && l->n < BL__LANE_MAX)
                    l->chan[l->n++] = (uint16_t)g->nchan;
            }
            g->nchan++;
        }
    }
    return BL_OK;
}

static int find_chan(const struct bl_gen *g, const char *id)
{
    for (size_t i = 0; i < g->nchan; i++)
        if (strcmp(g->chans[i].id, id) == 0)
            return (int)i;
    return -1;
}

static uint64_t weight_zipf(uint64_t rank, uint64_t q)
{
    return (UINT64_C(1) << 32) / (rank + q);
}

static int build_shops(struct bl_gen *g)
{
    int64_t ns = g->o.shops;
    g->shops = bl_calloc((size_t)ns, sizeof(*g->shops));
    uint64_t *w = bl_calloc((size_t)ns, sizeof(*w));
    if (!g->shops || !w) {
        bl_free(w);
        return BL_ENOMEM;
    }
    struct bl__rng r;
    bl__rng_seed(&r, g->o.seed, BL__S_SHOPS);
    uint16_t aw[32], hw[3] = {30, 45, 25}, fw[32];
    for (size_t i = 0; i < bl__narchs; i++)
        aw[i] = bl__archs[i].weight;
    for (int64_t i = 0; i < ns; i++) {
        struct bl__shop *s = &g->shops[i];
        char *e = bl__put_shop_id(s->id, g, i);
        s->id_len = (uint8_t)(e - s->id);
        s->arch = (uint8_t)bl__rng_pick(&r, aw, bl__narchs);
        const struct bl__arch *a = &bl__archs[s->arch];
        s->handling = (uint8_t)(bl__rng_pick(&r, hw, 3) + 1);
        uint64_t q = bl__rng_below(&r, 1000);
        s->ontime_pm = (uint16_t)(q < 50    ? bl__rng_range(&r, 750, 900)
                                  : q < 300 ? bl__rng_range(&r, 900, 950)
                                            : bl__rng_range(&r, 950, 990));
        s->pickup_pm = (uint16_t)bl__rng_range(&r, 780, 950);
        s->vacation = bl__rng_pm(&r, 20);
        s->name_a = (uint16_t)bl__rng_below(&r, 64);
        s->name_b = (uint16_t)bl__rng_below(&r, 64);
        /* ship_from kind: 1 domestic, 3 FBA, 2 overseas warehouse, else 0 */
        int kind = 0;
        uint8_t mk = a->market[0];
        if (mk == BL__CN)
            kind = 1;
        else if (bl__rng_pm(&r, a->fba_pm))
            kind = 3;
        else if (bl__rng_pm(&r, a->overseas_pm))
            kind = 2;
        size_t nf = 0;
        for (size_t f = 0; f < bl__nfroms; f++) {
            const struct bl__from *fr = &bl__froms[f];
            bool ok = fr->kind == kind && (kind < 2 || fr->country == mk);
            fw[f] = ok ? fr->weight : 0;
            nf += ok;
        }
        if (!nf) { /* no warehouse in that market: ship from China */
            kind = 0;
            for (size_t f = 0; f < bl__nfroms; f++)
                fw[f] = bl__froms[f].kind == 0 ? bl__froms[f].weight : 0;
        }
        s->from = (uint8_t)bl__rng_pick(&r, fw, bl__nfroms);
        s->platform_fulfilled = kind == 3;
        if (kind >= 2) { /* a warehouse in the market serves that market only */
            s->nmarket = 1;
            s->market[0] = mk;
            s->mweight[0] = 1;
        } else {
            for (int m = 0; m < 5 && a->mweight[m]; m++) {
                s->market[m] = a->market[m];
                s->mweight[m] = a->mweight[m];
                s->nmarket++;
            }
        }
    }
    /* a few big shops, a long tail (Zipf, s = 1), spread over the UTC hours by the
     * local hour of each market: weight <= 2^20 * 100 */
    uint64_t *wh = bl_calloc((size_t)ns, sizeof(*wh));
    if (!wh) {
        bl_free(w);
        return BL_ENOMEM;
    }
    for (int64_t i = 0; i < ns; i++)
        w[i] = weight_zipf((uint64_t)i, 1) >> 12;
    int rc = BL_OK;
    for (int h = 0; h < 24 && !rc; h++) {
        g->hour_w[h] = 0;
        for (int64_t i = 0; i < ns; i++) {
            const struct bl__shop *s = &g->shops[i];
            uint64_t act = 0, msum = 0;
            for (int m = 0; m < s->nmarket; m++) {
                int local = (h + bl__countries[s->market[m]].utc_offset + 24) % 24;
                act += (uint64_t)s->mweight[m] * local_hour[local];
                msum += s->mweight[m];
            }
            wh[i] = w[i] * act / msum;
            g->hour_w[h] += wh[i];
        }
        rc = bl__alias_build(&g->shop_alias[h], wh, (uint32_t)ns);
    }
    bl_free(wh);
    bl_free(w);
    return rc;
}

static int build_skus(struct bl_gen *g)
{
    int64_t nk = g->o.skus;
    g->skus = bl_calloc((size_t)nk, sizeof(*g->skus));
    g->sku_w = bl_calloc((size_t)nk, sizeof(*g->sku_w));
    if (!g->skus || !g->sku_w)
        return BL_ENOMEM;
    struct bl__rng r;
    bl__rng_seed(&r, g->o.seed, BL__S_SKUS);
    uint16_t cw[NCAT];
    for (size_t c = 0; c < NCAT; c++)
        cw[c] = categories[c].weight;
    int64_t days = g->o.days;
    for (int64_t k = 0; k < nk; k++) {
        struct bl__sku *s = &g->skus[k];
        s->category = (uint16_t)bl__rng_pick(&r, cw, NCAT);
        const struct category *c = &categories[s->category];
        /* lighter items are more common: the smaller of two uniform draws */
        int64_t w1 = bl__rng_range(&r, c->gmin, c->gmax), w2 = bl__rng_range(&r, c->gmin, c->gmax);
        s->weight_g = (uint32_t)(w1 < w2 ? w1 : w2);
        int64_t cents = bl__rng_range(&r, c->pmin, c->pmax);
        s->cents = cents / 100 * 100 + 99;
        s->oos_from = s->oos_to = -1;
        if (k < g->nsales && days >= 4 && bl__rng_pm(&r, 250)) {
            int64_t len = bl__rng_range(&r, 2, days / 2 < 14 ? days / 2 : 14);
            s->oos_from = (int32_t)bl__rng_range(&r, 0, days - len);
            s->oos_to = (int32_t)(s->oos_from + len);
        }
        /* Zipf-Mandelbrot popularity, SKU-00001 the best seller */
        g->sku_w[k] = weight_zipf((uint64_t)k, 3);
        g->sku_wsum += g->sku_w[k];
    }
    return bl__alias_build(&g->sku_alias, g->sku_w, (uint32_t)nk);
}

static int build_suppliers(struct bl_gen *g)
{
    int64_t n = g->o.skus / 40;
    n = n < 5 ? 5 : n > 2000 ? 2000 : n;
    g->nsup = n;
    g->sups = bl_calloc((size_t)n, sizeof(*g->sups));
    if (!g->sups)
        return BL_ENOMEM;
    struct bl__rng r;
    bl__rng_seed(&r, g->o.seed, BL__S_SUPPLIERS);
    uint16_t rw[NSUPREG];
    for (size_t i = 0; i < NSUPREG; i++)
        rw[i] = sup_regions[i].weight;
    static const uint16_t moqs[] = {50, 100, 200, 300, 500, 1000};
    static const uint16_t packs[] = {10, 12, 20, 24, 50, 100};
    for (int64_t j = 0; j < n; j++) {
        struct bl__supplier *s = &g->sups[j];
        s->region = (uint16_t)bl__rng_pick(&r, rw, NSUPREG);
        s->name_a = (uint16_t)bl__rng_below(&r, 64);
        s->name_b = (uint16_t)bl__rng_below(&r, 64);
        s->lead = (uint8_t)bl__rng_range(&r, 7, 30);
        s->lead_max = (uint8_t)(s->lead + bl__rng_range(&r, 0, 14));
        s->case_pack = packs[bl__rng_below(&r, N(packs))];
        int32_t moq = moqs[bl__rng_below(&r, N(moqs))];
        s->moq = (moq + s->case_pack - 1) / s->case_pack * s->case_pack;
        s->state = j == 2 ? 1 : j == 4 ? 2 : 0;
        s->backup_for = j % 6 == 5 ? (int32_t)(j - 1) : -1;
    }
    return BL_OK;
}

static void add_dis(struct bl_gen *g, const char *region, uint8_t scope, const char *kind,
                    int64_t start, int64_t end, int32_t chan, int32_t sup, const char *note)
{
    if (g->ndis >= BL__MAX_DIS)
        return;
    struct bl__dis *x = &g->dis[g->ndis++];
    snprintf(x->region, sizeof(x->region), "%s", region);
    x->scope = scope;
    x->kind = kind;
    x->start = start;
    x->end = end;
    x->chan = chan;
    x->supplier = sup;
    x->note = note;
}

static void build_disruptions(struct bl_gen *g)
{
    struct bl__rng r;
    bl__rng_seed(&r, g->o.seed, BL__S_DISRUPT);
    int64_t range_h = g->o.days * 24;
    /* about one every three days: 30 over the default 90 days */
    int64_t target = g->o.days / 3;
    target = target < 8 ? 8 : target > 48 ? 48 : target;
    int sup_round = 0;
    for (int64_t i = 0; i < target; i++) {
        const struct dis_tpl *t = &dis_tpls[i % (int64_t)N(dis_tpls)];
        int64_t dur = bl__rng_range(&r, t->hmin, t->hmax);
        if (dur > range_h)
            dur = range_h;
        int64_t at = bl__rng_range(&r, 0, range_h - dur);
        int64_t start = g->t0 + at * BL__HOUR;
        int64_t end = start + dur * BL__HOUR;
        if (bl__rng_pm(&r, t->open_pm) && at >= range_h / 2)
            end = BL__NEVER;
        int32_t chan = t->channel ? find_chan(g, t->channel) : -1;
        int32_t sup = -1;
        const char *region = t->region;
        if (t->supplier) {
            /* the first names the supplier whose state is "shutdown" */
            sup = sup_round++ == 0 ? 2 : (int32_t)bl__rng_below(&r, (uint64_t)g->nsup);
            region = bl__supplier_region(&g->sups[sup]);
        }
        add_dis(g, region, t->scope, t->kind, start, end, chan, sup, t->note);
    }
    /* Public holidays in China inside the range: most carriers and factories stop. */
    int y0, y1, m, d;
    bl__civil(g->o.start_day, &y0, &m, &d);
    bl__civil(g->o.start_day + g->o.days - 1, &y1, &m, &d);
    for (int y = y0; y <= y1; y++) {
        int64_t spans[2][2] = {{bl__days(y, 10, 1), bl__days(y, 10, 8)}, {0, 0}};
        if (y >= 2020 && y < 2020 + (int)N(spring_festival)) {
            const uint8_t *sf = spring_festival[y - 2020];
            int64_t nyd = bl__days(y, sf[0], sf[1]);
            spans[1][0] = nyd - 2;
            spans[1][1] = nyd + 8;
        }
        static const char *const notes[2] = {
            "National Day Golden Week: factories and most carriers closed",
            "Spring Festival: factories closed, carriers on reduced service"};
        for (int h = 0; h < 2; h++) {
            int64_t s = spans[h][0] * BL__DAY, e = spans[h][1] * BL__DAY;
            if (e <= s || e <= g->t0 || s >= g->t1)
                continue;
            add_dis(g, "CN", BL__SCOPE_ORIGIN, "holiday", s < g->t0 ? g->t0 : s,
                    e > g->t1 ? g->t1 : e, -1, -1, notes[h]);
        }
    }
    /* Which disruptions touch which ship_from and ship_to. */
    for (size_t i = 0; i < g->ndis; i++) {
        const struct bl__dis *x = &g->dis[i];
        uint64_t bit = UINT64_C(1) << i;
        if (x->supplier >= 0)
            continue; /* affects purchase orders, not parcels */
        if (x->chan >= 0)
            g->chan_filtered |= bit;
        if (strcmp(x->kind, "holiday") == 0)
            g->holidays |= bit;
        for (size_t f = 0; f < bl__nfroms; f++)
            if (x->scope != BL__SCOPE_DEST && bl__region_contains(x->region, bl__froms[f].region))
                g->from_mask[f] |= bit;
        for (size_t t = 0; t < bl__ndests; t++)
            if (x->scope != BL__SCOPE_ORIGIN && bl__region_contains(x->region, bl__dests[t].region))
                g->dest_mask[t] |= bit;
    }
}

int bl__gen_build(struct bl_gen *g, struct bl_diag *d)
{
    g->t0 = g->o.start_day * BL__DAY;
    g->t1 = g->t0 + g->o.days * BL__DAY;
    g->shop_width = ndigits(g->o.shops) < 3 ? 3 : ndigits(g->o.shops);
    g->sku_width = ndigits(g->o.skus) < 5 ? 5 : ndigits(g->o.skus);
    g->nsales = g->o.skus < BL_GEN_SALES_SKUS ? g->o.skus : BL_GEN_SALES_SKUS;
    for (size_t t = 0; t < bl__ndests; t++) {
        uint8_t c = bl__dests[t].country;
        if (!g->dest_n[c])
            g->dest_first[c] = (uint16_t)t;
        g->dest_n[c]++;
        g->dest_w[t] = bl__dests[t].weight;
    }
    /* dates from the earliest purchase order to well after the last delivery */
    g->date0 = g->o.start_day - 60;
    g->ndates = g->o.days + 240;
    g->dates = bl_malloc((size_t)g->ndates * 10);
    if (!g->dates)
        return bl_diag_set(d, BL_ENOMEM, "out of memory building the generator model");
    for (int64_t i = 0; i < g->ndates; i++)
        bl__put_date(g->dates + i * 10, g->date0 + i);
    int rc;
    if ((rc = build_channels(g)) || (rc = build_shops(g)) || (rc = build_skus(g)) ||
        (rc = build_suppliers(g)))
        return bl_diag_set(d, rc,
                           "out of memory building the generator model (%lld shops, "
                           "%lld SKUs)",
                           (long long)g->o.shops, (long long)g->o.skus);
    g->sup_width = ndigits(g->nsup) < 3 ? 3 : ndigits(g->nsup);
    build_disruptions(g);
    return BL_OK;
}
