// regions.js - region codes named in the reader's language (GET /api/v1/regions), kept
// for the page's life: names(api, ['CN-ZJ', 'DE'], 'zh-CN') -> Map {'CN-ZJ' => '浙江省'}.
const cache = new Map(); // lang -> Map(code -> name)

export async function regionNames(api, codes, lang) {
  const known = cache.get(lang) || new Map();
  cache.set(lang, known);
  const want = [...new Set(codes.filter((c) => c && !known.has(c)))];
  for (let i = 0; i < want.length; i += 200) {
    const part = want.slice(i, i + 200);
    const res = await api.get('/regions', { locale: lang, codes: part.join(',') });
    for (const r of res.regions) known.set(r.code, r.name || r.code);
    for (const c of part) if (!known.has(c)) known.set(c, c);
  }
  return known;
}

// "浙江省 (CN-ZJ)": the name, and the code when the name is not the code itself.
export function regionLabel(names, code) {
  const name = names.get(code);
  return name && name !== code ? name + ' (' + code + ')' : code;
}

export async function countries(api, lang) {
  return (await api.get('/regions', { locale: lang })).regions;
}

export async function subdivisions(api, country, lang) {
  return (await api.get('/regions', { locale: lang, country })).regions;
}
