-- wrk script: cycles through the request paths listed, one per line, in the file named by WRK_PATHS.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  paths[#paths + 1] = line
end
-- A cookie keeps our responses out of the shared cache (API keys no longer do: keyed callers share it): the
-- search benchmark measures the search, not cache hits (Datasette ignores the cookie).
if os.getenv("WRK_BYPASS_CACHE") == "1" then
  wrk.headers["Cookie"] = "benchmark=1"
end
-- Phones ask for compressed bodies; the mixed-load benchmark does too.
if os.getenv("WRK_ACCEPT_ENCODING") then
  wrk.headers["Accept-Encoding"] = os.getenv("WRK_ACCEPT_ENCODING")
end
local index = 0
request = function()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end
