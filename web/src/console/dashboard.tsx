// Open requests by status, due this week, overdue, median days to close per type, and the requests that need attention first.
import { Get, type RequestCounts, type RequestPage } from "../shared/api";
import { Link } from "./router";
import { Alert, DaysLeft, useLoad, Words } from "./ui";

const kOpen = ["unverified", "review", "process", "reply"];

export function Dashboard() {
  const counts = useLoad(() => Get<RequestCounts>("/api/v1/dashboard"), []);
  const overdue = useLoad(() => Get<RequestPage>("/api/v1/requests", { overdue: "true", limit: 10 }), []);
  const c = counts.data;
  return (
    <section>
      <h1>Dashboard</h1>
      <Alert text={counts.error || overdue.error} />
      {c ? (
        <div class="tiles">
          <div class="tile">
            <span class="tile-n">{c.open}</span> open
          </div>
          <div class="tile warn">
            <span class="tile-n">{c.due_this_week}</span> due this week
          </div>
          <div class={c.overdue ? "tile bad" : "tile"}>
            <span class="tile-n">{c.overdue}</span> overdue
          </div>
        </div>
      ) : null}
      <h2>Open by status</h2>
      {c ? (
        <table class="list narrow">
          <tbody>
            {kOpen.map((s) => (
              <tr key={s}>
                <th scope="row">
                  {s === "unverified" ? Words(s) : <Link href={`/?status=${s}`}>{s[0].toUpperCase() + s.slice(1)}</Link>}
                </th>
                <td class="num">{c.by_status[s] ?? 0}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">
                <Link href="/?status=closed">Closed</Link>
              </th>
              <td class="num">{c.by_status.closed ?? 0}</td>
            </tr>
          </tbody>
        </table>
      ) : null}
      <h2>Median days to close</h2>
      {c && Object.keys(c.median_days_to_close ?? {}).length ? (
        <table class="list narrow" aria-label="Median days to close per type, last 90 days">
          <tbody>
            {Object.entries(c.median_days_to_close).map(([type, days]) => (
              <tr key={type}>
                <th scope="row">{Words(type)}</th>
                <td class="num">{days}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="hint">No request closed in the last 90 days.</p>
      )}
      <h2>Overdue</h2>
      {overdue.data && overdue.data.items.length ? (
        <ul>
          {overdue.data.items.map((q) => (
            <li key={q.id}>
              <Link href={`/requests/${q.id}`}>{q.reference}</Link> · {q.type_name || Words(q.type)} · {q.status}{" "}
              <DaysLeft days={q.days_left} />
            </li>
          ))}
        </ul>
      ) : (
        <p class="hint">Nothing overdue.</p>
      )}
    </section>
  );
}
