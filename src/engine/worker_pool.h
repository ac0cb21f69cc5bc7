#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "core/store.h"
#include "log/json_log.h"

namespace rd::engine {

// Runs the jobs of one kind. Run() must be idempotent: a job whose worker died after doing the
// work but before recording it is run again. Called from worker threads, concurrently.
class JobHandler {
 public:
  virtual ~JobHandler() = default;
  // An error schedules a retry with backoff; after WorkerOptions::max_attempts the job is
  // buried as failed with the error's message.
  [[nodiscard]] virtual core::Status Run(const core::Job& job) = 0;
};

struct WorkerOptions {
  int threads = 2;
  int lease_seconds = 300;        // a claimed job is someone else's to take after this
  int idle_poll_ms = 500;         // sleep between polls when nothing is due
  int max_attempts = 8;           // then the job is buried as failed
  int backoff_base_seconds = 30;  // first retry after this; doubles each attempt
  int backoff_cap_seconds = 3600;
};

// Seconds to wait before attempt `attempts + 1`, given the options: base * 2^(attempts-1),
// capped.
int BackoffSeconds(const WorkerOptions& options, int attempts);

// Claims due jobs from the store and runs them on a few threads. Any number of pools, in any
// number of processes, may share one PostgreSQL database: the store's claim hands each job to
// one of them. Thread-safe.
class WorkerPool {
 public:
  // `name` identifies this process in claims ("host:pid"); threads append their index.
  WorkerPool(core::Store& store, const core::Clock& clock, log::Logger& logger,
             WorkerOptions options, std::string name);
  ~WorkerPool();

  // Handlers are registered before Start(); `handler` must outlive the pool.
  void Register(const std::string& kind, JobHandler* handler);

  // Claims one due job and runs it on the calling thread. True when a job ran (whatever its
  // result), false when none was due.
  [[nodiscard]] core::Result<bool> RunOnce(const std::string& worker_id);

  void Start();
  // Stops claiming, lets the running jobs finish, and joins the threads.
  void Stop();

 private:
  void Loop(const std::string& worker_id);

  core::Store& store_;
  const core::Clock& clock_;
  log::Logger& logger_;
  const WorkerOptions options_;
  const std::string name_;
  std::map<std::string, JobHandler*> handlers_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable wake_;
};

}  // namespace rd::engine
