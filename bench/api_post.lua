-- api_post.lua - wrk script of bench/api.sh: POST /api/v1/orders with 1,000 order lines
-- as JSON Lines per request (500 new orders of two lines each), every request's orders
-- new (the thread, the run and a counter in their ids).
-- Arguments (after --): SHOP SKU1 SKU2 RUN AS_OF
-- The body is made once per thread with a mark where the request's counter goes; each
-- request substitutes it (one gsub in C), so wrk's Lua costs little of the machine's CPU
-- (formatting 1,000 lines per request took about a third of a core).
local counter = 1

function setup(thread)
    thread:set("tid", counter)
    counter = counter + 1
end

function init(args)
    local shop, sku1, sku2, run = args[1], args[2], args[3], args[4]
    local placed = (args[5] or "2024-11-15") .. "T08:00:00Z"
    n = 0
    wrk.method = "POST"
    wrk.path = "/api/v1/orders"
    wrk.headers["Content-Type"] = "application/x-ndjson"
    local t = {}
    for i = 0, 999 do
        local id = string.format("B%s-%d-@N@-%d", run, tid, math.floor(i / 2))
        t[i + 1] = string.format(
            '{"order":"%s","shop":"%s","sku":"%s","qty":%d,"unit_price":"9.99",' ..
            '"placed_at":"%s","ship_to":"US-CA:94103","customer":"bench-%d"}',
            id, shop, (i % 2 == 0) and sku1 or sku2, 1 + i % 3, placed, math.floor(i / 2))
    end
    template = table.concat(t, "\n") .. "\n"
end

function request()
    n = n + 1
    local body = template:gsub("@N@", tostring(n))
    return wrk.format(nil, nil, nil, body)
end
