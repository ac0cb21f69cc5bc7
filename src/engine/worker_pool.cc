#include "engine/worker_pool.h"

#include <chrono>

namespace rd::engine {

int BackoffSeconds(const WorkerOptions& options, int attempts) {
  long long delay = options.backoff_base_seconds;
  for (int i = 1; i < attempts && delay < options.backoff_cap_seconds; ++i) delay *= 2;
  return static_cast<int>(std::min<long long>(delay, options.backoff_cap_seconds));
}

WorkerPool::WorkerPool(core::Store& store, const core::Clock& clock, log::Logger& logger,
                       WorkerOptions options, std::string name)
    : store_(store), clock_(clock), logger_(logger), options_(options), name_(std::move(name)) {}

WorkerPool::~WorkerPool() { Stop(); }

void WorkerPool::Register(const std::string& kind, JobHandler* handler) {
  handlers_[kind] = handler;
}

core::Result<bool> WorkerPool::RunOnce(const std::string& worker_id) {
  std::optional<core::Job> job;
  auto claimed = store_.Write([&](core::Transaction& tx) -> core::Status {
    auto j = tx.Jobs().Claim(worker_id, clock_.Now(), options_.lease_seconds);
    if (!j) return tl::unexpected(j.error());
    job = std::move(*j);
    return {};
  });
  if (!claimed) return tl::unexpected(claimed.error());
  if (!job) return false;

  core::Status result = core::Fail(core::Errc::kInternal, "no handler for job kind " + job->kind);
  const auto it = handlers_.find(job->kind);
  if (it != handlers_.end()) {
    try {
      result = it->second->Run(*job);
    } catch (const std::exception& e) {
      // The one catch-all of the worker loop: a bug in a handler fails the attempt only.
      result = core::Fail(core::Errc::kInternal, std::string("unexpected error: ") + e.what());
    }
  }
  const core::UnixTime now = clock_.Now();
  auto finished = store_.Write([&](core::Transaction& tx) -> core::Status {
    if (result) return tx.Jobs().Complete(job->id, worker_id, now);
    if (it == handlers_.end() || job->attempts >= options_.max_attempts) {
      return tx.Jobs().Bury(job->id, worker_id, result.error().message, now);
    }
    return tx.Jobs().Retry(job->id, worker_id, now + BackoffSeconds(options_, job->attempts),
                           result.error().message, now);
  });
  if (!result) {
    logger_.Warn("job failed", {{"job", job->id},
                                {"kind", job->kind},
                                {"attempt", job->attempts},
                                {"error", result.error().message}});
  }
  if (!finished && finished.error().code != core::Errc::kConflict) {
    return tl::unexpected(finished.error());
  }
  return true;
}

void WorkerPool::Start() {
  stopping_ = false;
  for (int i = 0; i < options_.threads; ++i) {
    threads_.emplace_back([this, i] { Loop(name_ + "/" + std::to_string(i)); });
  }
}

void WorkerPool::Stop() {
  stopping_ = true;
  wake_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void WorkerPool::Loop(const std::string& worker_id) {
  while (!stopping_) {
    auto ran = RunOnce(worker_id);
    if (!ran) {
      logger_.Error("job queue unavailable", {{"error", ran.error().message}});
    }
    if (!ran || !*ran) {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait_for(lock, std::chrono::milliseconds(options_.idle_poll_ms),
                     [this] { return stopping_.load(); });
    }
  }
}

}  // namespace rd::engine
