-- wrk script: sends the request paths listed, one per line, in the file named by WRK_PATHS, in turn.
-- bench-search lists distinct queries, more than a run can send: like real traffic, they miss the shared
-- response cache (and are stored in it) rather than being answered from it.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  paths[#paths + 1] = line
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
