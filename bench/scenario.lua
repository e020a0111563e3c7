-- One wrk script for every Gatehouse scenario, chosen by environment variables the bench driver sets:
--   BENCH_MODE   plain | bearer | admin_page | refresh | login | login_flood | client_credentials
--                (login_flood: wrong passwords for random emails, each request from a random X-Forwarded-For
--                address in 10.0.0.0/8, as from a botnet; the bench server trusts loopback as its proxy)
--   BENCH_PATH   request path (plain, bearer)
--   BENCH_INPUT  file with one item per line: an access token (bearer, admin_page), a refresh token
--                (refresh), "email<TAB>tenant-slug" (login) or a service account's HTTP Basic header value
--                (client_credentials)
--   BENCH_PASSWORD  password of the seeded users (login)
--   BENCH_PAGES  highest page number asked for (admin_page)
--   BENCH_DELAY_MS  if set: each connection waits about this long (uniformly 0.5x..1.5x) before each request
--   BENCH_FORM_CLIENT  if set (refresh, login): an OAuth token endpoint at BENCH_PATH (Keycloak, bench/peer.py):
--                form bodies with grant_type refresh_token / password and this client_id; login's input lines
--                are then usernames
-- Each wrk thread takes every n-th line of the input, so threads never share a token; within a thread the
-- lines are used round robin (bearer, admin_page, login) or once each (refresh: a rotated token is dead,
-- the new one from the response goes back into the thread's queue).
-- done() prints one line "BENCH_RESULT {json}" that the driver parses.

local mode = os.getenv("BENCH_MODE") or "plain"
local threads = {}
local thread_count = 0

-- wrk calls setup(thread) and then that thread's init() before it creates the next thread, so the thread
-- count comes from the driver (BENCH_THREADS = wrk -t), not from counting setup calls.
function setup(thread)
   thread:set("id", thread_count)
   thread:set("nthreads", tonumber(os.getenv("BENCH_THREADS") or "1"))
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

local items = {}
local index = 0
local queue = {}
local qhead, qtail = 1, 0
local path = os.getenv("BENCH_PATH") or "/"
local pages = tonumber(os.getenv("BENCH_PAGES") or "5")
local password = os.getenv("BENCH_PASSWORD") or ""
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "")
local form_client = os.getenv("BENCH_FORM_CLIENT")
non2xx = 0
starved = 0
-- login_flood, login: answers by status
s401, s429, s503, s5xx, sother = 0, 0, 0, 0, 0

function init(args)
   math.randomseed(os.time() + (id or 0) * 7919)
   local file = os.getenv("BENCH_INPUT")
   if file and file ~= "" then
      local n = 0
      for line in io.lines(file) do
         if line ~= "" then
            if n % nthreads == id then
               table.insert(items, line)
            end
            n = n + 1
         end
      end
   end
end

local function json_headers(token)
   local h = { ["Accept"] = "application/json" }
   if token then
      h["Authorization"] = "Bearer " .. token
   end
   return h
end

local function form_encode(s)
   return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function form_request(body)
   local h = json_headers(nil)
   h["Content-Type"] = "application/x-www-form-urlencoded"
   return wrk.format("POST", path, h, "client_id=" .. form_encode(form_client) .. "&" .. body)
end

local function next_item()
   index = index + 1
   if index > #items then
      index = 1
   end
   return items[index]
end

local function next_refresh_token()
   if qhead <= qtail then
      local t = queue[qhead]
      queue[qhead] = nil
      qhead = qhead + 1
      return t
   end
   index = index + 1
   if index > #items then
      starved = starved + 1
      index = 1 -- reusing a token: the server answers 401 (and revokes its family); counted as non-2xx
   end
   return items[index]
end

function request()
   if mode == "bearer" then
      return wrk.format("GET", path, json_headers(next_item()))
   elseif mode == "admin_page" then
      local page = math.random(1, pages)
      return wrk.format("GET", "/api/v1/users?page=" .. page .. "&page_size=20", json_headers(next_item()))
   elseif mode == "refresh" and form_client then
      return form_request("grant_type=refresh_token&refresh_token=" .. form_encode(next_refresh_token()))
   elseif mode == "login" and form_client then
      return form_request("grant_type=password&username=" .. form_encode(next_item()) .. "&password=" .. form_encode(password))
   elseif mode == "refresh" then
      local h = json_headers(nil)
      h["Content-Type"] = "application/json"
      return wrk.format("POST", "/api/v1/auth/refresh", h, '{"refresh_token":"' .. next_refresh_token() .. '"}')
   elseif mode == "client_credentials" then
      local h = json_headers(nil)
      h["Content-Type"] = "application/x-www-form-urlencoded"
      h["Authorization"] = next_item()
      return wrk.format("POST", "/api/v1/oauth/token", h, "grant_type=client_credentials")
   elseif mode == "login_flood" then
      local h = json_headers(nil)
      h["Content-Type"] = "application/json"
      h["X-Forwarded-For"] = "10." .. math.random(0, 255) .. "." .. math.random(0, 255) .. "." .. math.random(1, 254)
      return wrk.format("POST", "/api/v1/auth/login", h,
         '{"email":"flood-' .. math.random(1, 1000000000) .. '@example.com","password":"not the password at all"}')
   elseif mode == "login" then
      local email, slug = next_item():match("([^\t]+)\t([^\t]+)")
      local h = json_headers(nil)
      h["Content-Type"] = "application/json"
      return wrk.format("POST", "/api/v1/auth/login", h,
         '{"email":"' .. email .. '","password":"' .. password .. '","tenant":"' .. slug .. '"}')
   end
   return wrk.format("GET", path, json_headers(nil))
end

if delay_ms then
   function delay()
      return math.random(math.floor(delay_ms * 0.5), math.floor(delay_ms * 1.5))
   end
end

if mode == "refresh" then
   function response(status, headers, body)
      if status < 200 or status > 299 then
         non2xx = non2xx + 1
         if os.getenv("BENCH_DEBUG") then
            io.stderr:write(status .. " " .. body .. "\n")
         end
         return
      end
      local t = body:match('"refresh_token"%s*:%s*"([^"]+)"')
      if t then
         qtail = qtail + 1
         queue[qtail] = t
      end
   end
end

-- the answers of logins by status (bench/peer.py reports what the non-2xx were)
if mode == "login_flood" or mode == "login" then
   function response(status, headers, body)
      if status == 401 then
         s401 = s401 + 1
      elseif status == 429 then
         s429 = s429 + 1
      elseif status == 503 then
         s503 = s503 + 1
      elseif status >= 500 then
         s5xx = s5xx + 1
      else
         sother = sother + 1
      end
   end
end

function done(summary, latency, requests)
   local counted_non2xx, counted_starved = 0, 0
   local st = { s401 = 0, s429 = 0, s503 = 0, s5xx = 0, sother = 0 }
   for _, t in ipairs(threads) do
      counted_non2xx = counted_non2xx + (tonumber(t:get("non2xx")) or 0)
      counted_starved = counted_starved + (tonumber(t:get("starved")) or 0)
      for k, v in pairs(st) do
         st[k] = v + (tonumber(t:get(k)) or 0)
      end
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"lua_non2xx":%d,"starved":%d,' ..
      '"statuses":{"401":%d,"429":%d,"503":%d,"other_5xx":%d,"other":%d},' ..
      '"latency_us":{"min":%d,"mean":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      counted_non2xx, counted_starved,
      st.s401, st.s429, st.s503, st.s5xx, st.sother,
      latency.min, latency.mean, latency.max,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
end
