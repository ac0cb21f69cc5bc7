-- POSTs Privacy Center submissions, each for a different email address, and counts the
-- answers by status so that the run can check that every accepted submission was stored.
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  accepted = 0
  other = 0
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"type":"deletion","email":"bench-%d-%d@example.com","name":"Bench Person",' ..
    '"jurisdiction":"gdpr","details":"Please delete my account and newsletter data."}',
    tid, counter)
  return wrk.format("POST", "/api/v1/privacy-center/requests",
                    {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status == 202 then accepted = accepted + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local a, o = 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    o = o + t:get("other")
  end
  io.write(string.format("accepted (202): %d, other: %d\n", a, o))
end
