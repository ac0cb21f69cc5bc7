-- The same POST as submit.lua with an invalid type: parsed and validated, never stored. The
-- floor of the intake route (HTTP, JSON, validation) for comparison.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"type":"nothing","email":"bench@example.com","name":"Bench Person",' ..
  '"jurisdiction":"gdpr","details":"Please delete my account and newsletter data."}'
