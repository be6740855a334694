# The independent check of tests/cli/comply.sh: from the raw Online Retail file, the
# days the sales into today's 27 EU member states pass 80% and 100% of EUR 10,000 in each
# calendar year, with each invoice converted from GBP at the year's rate (EUR -> GBP
# 0.85784 in 2010, 0.86788 in 2011: input rate_2010, rate_2011), rounded to the cent.
# Input: the CSV (header first). Output: "YEAR near DAY" and "YEAR over DAY" lines.
BEGIN {
    FS = ","
    split("Austria,Belgium,Bulgaria,Croatia,Cyprus,Czech Republic,Denmark,Estonia,Finland," \
          "France,Germany,Greece,Hungary,EIRE,Italy,Latvia,Lithuania,Luxembourg,Malta," \
          "Netherlands,Poland,Portugal,Romania,Slovakia,Slovenia,Spain,Sweden", m, ",")
    for (i in m) eu[m[i]] = 1
}
NR == 1 { next }
{
    inv = $1; country = $NF; qty = $(NF - 4); at = $(NF - 3); price = $(NF - 2)
    if (!(country in eu) || inv ~ /^[CA]/ || qty <= 0 || price <= 0) next
    if (!(inv in when)) { when[inv] = at; order[++n] = inv }
    pence[inv] += qty * int(price * 100 + 0.5)
}
END {
    # time order (a stable sort on the invoice's first time: insertion sort is enough)
    for (i = 2; i <= n; i++) {
        v = order[i]; j = i - 1
        while (j > 0 && when[order[j]] > when[v]) { order[j + 1] = order[j]; j-- }
        order[j + 1] = v
    }
    for (i = 1; i <= n; i++) {
        inv = order[i]; y = substr(when[inv], 1, 4); day = substr(when[inv], 1, 10)
        rate = y == "2010" ? rate_2010 : rate_2011
        cents = int(pence[inv] / rate + 0.5)
        sum[y] += cents
        if (!(y in near) && sum[y] > 800000) { near[y] = day; print y, "near", day }
        if (!(y in over) && sum[y] > 1000000) { over[y] = day; print y, "over", day }
    }
}
