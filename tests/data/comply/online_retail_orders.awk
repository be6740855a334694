# online_retail.csv -> Ballast's native orders CSV (docs/formats.md, orders): the invoices
# to countries other than the UK, shipped from GB; credit notes (C...) and adjustments
# (A...) are left out, as are lines with no quantity or price. "European Community",
# "Channel Islands" and "Unspecified" name no one country: no destination.
BEGIN {
    FS = ","; OFS = ","
    n = split("Austria;AT;Belgium;BE;Cyprus;CY;Czech Republic;CZ;Denmark;DK;EIRE;IE;" \
              "Finland;FI;France;FR;Germany;DE;Greece;GR;Italy;IT;Lithuania;LT;Malta;MT;" \
              "Netherlands;NL;Poland;PL;Portugal;PT;Spain;ES;Sweden;SE;Switzerland;CH;" \
              "Norway;NO;Iceland;IS;Australia;AU;Japan;JP;Israel;IL;Singapore;SG;USA;US;" \
              "Canada;CA;United Arab Emirates;AE;RSA;ZA;Lebanon;LB;Brazil;BR;Bahrain;BH;" \
              "Saudi Arabia;SA;Hong Kong;HK", a, ";")
    for (i = 1; i < n; i += 2) cc[a[i]] = a[i + 1]
    print "order,shop,sku,qty,unit_price,currency,placed_at,ship_from,ship_to"
}
NR == 1 { next }
{
    inv = $1; country = $NF; qty = $(NF - 4); at = $(NF - 3); price = $(NF - 2)
    if (country == "United Kingdom" || inv ~ /^[CA]/ || qty <= 0 || price <= 0) next
    if (!(inv in first)) first[inv] = at  # an invoice spanning a minute: its first line's time
    print inv, "uk", $2, qty, price, "GBP", first[inv], "GB", (country in cc ? cc[country] : "")
}
