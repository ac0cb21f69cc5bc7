"""A worker killed in the middle of erasures loses nothing (PostgreSQL only).

`serve` runs without its in-process pool; a separate `rightsdesk worker` process, with a short
lease (worker.lease), runs the erasures of many deletion requests against a shop database on
the same PostgreSQL server. The test SIGKILLs the worker while some tasks are running and
others still pending, starts another worker, and waits until every request reaches reply.
Then: no row of any subject is left in the shop, the other customers are whole, every task is
done with exactly one task.completed event, every task.run job is done, and the audit chain
verifies. A second test SIGTERMs a worker with claimed jobs: it finishes them before it
exits, so that no job is left waiting for a lease to expire."""

import json
import os
import signal
import subprocess
import time
import unittest

from harness import BINARY, PG_URL, Server
from smtp_sink import MAILDIR, SMTP, smtp_env
from flows import read_fixture
from test_integrations import ShopServer

SUBJECTS = 40
ORDERS_PER_SUBJECT = 800  # 4,000 order items each: an erasure takes a noticeable moment
OTHERS = 2000
LEASE = "2s"
BATCH = "3"  # worker.erase_batch: batches of three subjects, so that a batch dies mid-way


def email(i):
    return f"crash{i}@example.org"


def big_shop():
    """The shop schema with the indexes a real shop has, filled with generate_series:
    subjects 1..SUBJECTS with many orders, and OTHERS customers who must stay whole."""
    shop = ShopServer(PG_URL)
    last = SUBJECTS + OTHERS
    per = ORDERS_PER_SUBJECT
    shop.run(shop.name, f"""
        DELETE FROM order_items; DELETE FROM orders; DELETE FROM addresses;
        DELETE FROM customers; DELETE FROM newsletter; DELETE FROM tickets;
        CREATE INDEX ON customers (email);
        CREATE INDEX ON addresses (customer_id);
        CREATE INDEX ON orders (customer_id);
        CREATE INDEX ON orders (shipping_address_id);
        CREATE INDEX ON order_items (order_id);
        CREATE INDEX ON newsletter (email);
        CREATE INDEX ON tickets (customer_email);
        INSERT INTO customers (id, email, name, phone)
          SELECT 100 + g, CASE WHEN g <= {SUBJECTS} THEN 'crash' || g || '@example.org'
                               ELSE 'other' || g || '@example.org' END,
                 'Name ' || g, '+49151' || lpad(g::text, 8, '0')
          FROM generate_series(1, {last}) g;
        INSERT INTO addresses (id, customer_id, street, city)
          SELECT 100000 + g, 100 + g, 'Street ' || g, 'City' FROM generate_series(1, {last}) g;
        INSERT INTO orders (id, customer_id, shipping_address_id, total_cents)
          SELECT 1000000 + (c - 1) * {per} + o, 100 + c, 100000 + c, o
          FROM generate_series(1, {SUBJECTS}) c, generate_series(1, {per}) o;
        INSERT INTO orders (id, customer_id, shipping_address_id, total_cents)
          SELECT 9000000 + g, 100 + g, 100000 + g, 1
          FROM generate_series({SUBJECTS} + 1, {last}) g;
        INSERT INTO order_items (id, order_id, product, quantity)
          SELECT o.id * 10 + i, o.id, 'Tea', i FROM orders o, generate_series(1, 5) i;
        INSERT INTO newsletter (id, email)
          SELECT 200000 + g, 'crash' || g || '@example.org' FROM generate_series(1, {SUBJECTS}) g;
        INSERT INTO tickets (id, customer_email, subject, body)
          SELECT 300000 + g, 'crash' || g || '@example.org', 'Hello', 'Where is my tea?'
          FROM generate_series(1, {SUBJECTS}) g;
        ANALYZE;
    """)
    return shop


def psql(url, sql):
    p = subprocess.run(["psql", "-X", "-q", "-At", url, "-c", sql], capture_output=True,
                       text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    return [line.split("|") for line in p.stdout.splitlines()]


@unittest.skipUnless(PG_URL, "the crash test runs on PostgreSQL (RD_TEST_DATABASE)")
class WorkerCrash(unittest.TestCase):
    def setUp(self):
        env = smtp_env() if SMTP and MAILDIR else {}
        # serve runs no jobs: the worker processes do all of them.
        env.update({"RIGHTSDESK_WORKER__THREADS": "0", "RIGHTSDESK_WORKER__LEASE": LEASE})
        self.server = Server(env=env).start()
        self.admin = self.server.admin()
        self.workers = []

    def tearDown(self):
        for w, log in self.workers:
            if w.poll() is None:
                w.kill()
                w.wait()
            log.close()
        code = self.server.stop()
        self.assertEqual(code, 0, self.server.stderr()[-2000:])

    def start_worker(self, threads=2):
        env = dict(self.server.env)
        env.update({"RIGHTSDESK_WORKER__THREADS": str(threads),
                    "RIGHTSDESK_WORKER__LEASE": LEASE, "RIGHTSDESK_WORKER__ERASE_BATCH": BATCH,
                    "RIGHTSDESK_LOG__LEVEL": "warn"})
        log = open(os.path.join(self.server.dir, f"worker{len(self.workers)}.log"), "w")
        w = subprocess.Popen([BINARY, "worker", *self.server.common_args()], stdout=log,
                             stderr=subprocess.STDOUT, env=env)
        self.workers.append((w, log))
        return w

    def rd(self, sql):
        return psql(self.server.database, sql)

    def task_counts(self):
        return {s: int(n) for s, n in
                self.rd("SELECT status, COUNT(*) FROM tasks GROUP BY status")}

    def job_counts(self):
        return {s: int(n) for s, n in
                self.rd("SELECT status, COUNT(*) FROM jobs WHERE kind = 'task.run' GROUP BY status")}

    def deletions(self, shop, n):
        """n deletion requests (agent-created, verification skipped) continued to process with
        the shop source; the source is created after the requests, so that their pre-scans
        have nothing to search."""
        ids = []
        for i in range(1, n + 1):
            r = self.admin.post("/api/v1/requests", {"type": "deletion",
                                                     "subject": {"email": email(i)},
                                                     "skip_verification": True})
            self.assertEqual(r.status, 201, r)
            ids.append(r.json()["id"])
        r = self.admin.post("/api/v1/data-sources", {
            "name": "Big shop", "category": "database", "process": "integration",
            "connector": {"kind": "sql", "url": shop.url, "erasure": {"default": "delete"}},
            "dataset": read_fixture("dataset.yml")})
        self.assertEqual(r.status, 201, r)
        source = r.json()["id"]
        for q in ids:
            r = self.admin.post(f"/api/v1/requests/{q}/continue", {"data_source_ids": [source]})
            self.assertEqual(r.status, 200, r)
        return ids

    def wait_all_reply(self, ids, timeout=180):
        deadline = time.time() + timeout
        while True:
            open_ = [q for q in ids
                     if self.admin.get("/api/v1/requests/" + q).json()["status"] != "reply"]
            if not open_:
                return
            if time.time() > deadline:
                self.fail(f"{len(open_)} request(s) not in reply: tasks {self.task_counts()}, "
                          f"jobs {self.job_counts()}")
            time.sleep(0.5)

    def test_a_killed_worker_loses_nothing(self):
        shop = big_shop()
        ids = self.deletions(shop, SUBJECTS)
        self.assertEqual(self.task_counts(), {"pending": SUBJECTS})
        first = self.start_worker()
        # Kill it once some erasures are done, some running and some still pending.
        deadline = time.time() + 120
        while True:
            counts = self.task_counts()
            if counts.get("done", 0) >= 2 and counts.get("running", 0) >= 1 and \
                    counts.get("pending", 0) >= 1:
                break
            self.assertLess(time.time(), deadline, f"never caught erasures in flight: {counts}")
            self.assertIsNone(first.poll(), "the worker exited")
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait()
        interrupted = [r[0] for r in self.rd("SELECT id FROM tasks WHERE status = 'running'")]
        self.assertTrue(interrupted)
        self.assertIn("running", self.job_counts())  # held by the dead worker until the lease ends

        self.start_worker()
        self.wait_all_reply(ids)

        # The shop: no row of any subject left; every other customer whole.
        subject_ids = "SELECT id FROM customers WHERE email LIKE 'crash%'"
        self.assertEqual(shop.query(subject_ids), [])
        self.assertEqual(shop.query("SELECT COUNT(*) FROM orders WHERE customer_id <= "
                                    f"{100 + SUBJECTS}"), [("0",)])
        self.assertEqual(shop.query("SELECT COUNT(*) FROM order_items WHERE order_id < 9000000"),
                         [("0",)])
        for table, col in (("newsletter", "email"), ("tickets", "customer_email")):
            self.assertEqual(shop.query(f"SELECT COUNT(*) FROM {table} WHERE {col} LIKE 'crash%'"),
                             [("0",)])
        self.assertEqual(shop.query("SELECT COUNT(*), MIN(id), MAX(id) FROM customers"),
                         [(str(OTHERS), str(101 + SUBJECTS), str(100 + SUBJECTS + OTHERS))])
        self.assertEqual(shop.query("SELECT COUNT(*) FROM orders"), [(str(OTHERS),)])
        self.assertEqual(shop.query("SELECT COUNT(*) FROM order_items"), [(str(5 * OTHERS),)])
        self.assertEqual(shop.query("SELECT COUNT(*) FROM addresses"), [(str(OTHERS),)])

        # Every task done exactly once: one task.completed each, verified, nothing failed.
        self.assertEqual(self.task_counts(), {"done": SUBJECTS})
        completed = {}
        batches = []
        for q in ids:
            detail = self.admin.get("/api/v1/requests/" + q).json()
            (task,) = detail["tasks"]
            self.assertEqual((task["status"], task["completed_by"]), ("done", "system"), task)
            self.assertTrue(task["result"]["verified"], task)
            batches.append(task["result"].get("batch_subjects", 1))
            events = self.admin.get(f"/api/v1/requests/{q}/history").json()["events"]
            kinds = [e["kind"] for e in events]
            self.assertEqual(kinds.count("task.started"), 1, kinds)
            self.assertEqual(kinds.count("task.completed"), 1, kinds)
            self.assertEqual(kinds.count("request.tasks_finished"), 1, kinds)
            self.assertNotIn("task.failed", kinds)
            self.assertNotIn(email(1), json.dumps(events))
            done = next(e for e in events if e["kind"] == "task.completed")
            completed[task["id"]] = done["detail"]["counts"]
        # Erasures ran in batches (worker.erase_batch), each task with its own counts.
        self.assertGreater(max(batches), 1, batches)
        # All of a subject's rows were erased by one run or the other, never twice: in total,
        # exactly the subjects' rows (a run after a committed-but-unrecorded erasure finds 0).
        erased = sum(c["erased"] for c in completed.values())
        per_subject = 1 + 1 + ORDERS_PER_SUBJECT * 6 + 1 + 1  # customer, address, orders+items,
        self.assertLessEqual(erased, SUBJECTS * per_subject)  # newsletter, ticket
        self.assertGreaterEqual(erased, (SUBJECTS - len(interrupted)) * per_subject)
        # Nothing left in the queue: the jobs of the interrupted tasks ran again after the
        # lease (or the put-off of the tasks a batch took along) and are done.
        self.assertEqual(self.job_counts(), {"done": SUBJECTS})
        self.assertGreater(int(self.rd("SELECT MAX(attempts) FROM jobs WHERE kind = 'task.run'")
                               [0][0]), 1)

        # The history is whole: the audit chain verifies.
        v = self.admin.get("/api/v1/audit/verify").json()
        self.assertTrue(v["ok"], v)
        p = self.server.run_cli("audit", "verify")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertTrue(json.loads(p.stdout)["ok"])

    def test_sigterm_finishes_claimed_jobs(self):
        shop = big_shop()
        n = 12
        ids = self.deletions(shop, n)
        worker = self.start_worker()
        deadline = time.time() + 120
        while self.task_counts().get("running", 0) == 0:
            self.assertLess(time.time(), deadline, "no erasure started")
            time.sleep(0.02)
        worker.send_signal(signal.SIGTERM)
        self.assertEqual(worker.wait(timeout=60), 0)
        # Nothing claimed is left behind for a lease to expire: the jobs it held are done.
        self.assertEqual(self.rd("SELECT COUNT(*) FROM jobs WHERE status = 'running'"), [["0"]])
        self.assertEqual(self.task_counts().get("running", 0), 0)
        self.assertGreaterEqual(self.task_counts().get("done", 0), 1)
        self.start_worker()
        self.wait_all_reply(ids)
        self.assertEqual(self.task_counts(), {"done": n})


if __name__ == "__main__":
    unittest.main()
