#pragma once

#include <cstdio>
#include <mutex>
#include <string_view>

#include <nlohmann/json.hpp>

namespace rd::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Parses "debug", "info", "warn", "error"; false for anything else.
bool ParseLevel(std::string_view name, Level* out);

// Structured logs: one JSON object per line, {"ts","level","msg",...fields}. Every string
// field is passed through RedactPersonalData, so an email or phone number that slips into a
// message is masked. Thread-safe; the sink is not owned.
class Logger {
 public:
  Logger(std::FILE* sink, Level min_level) : sink_(sink), min_level_(min_level) {}

  void Log(Level level, std::string_view msg, const nlohmann::json& fields = nullptr);
  void Info(std::string_view msg, const nlohmann::json& fields = nullptr) {
    Log(Level::kInfo, msg, fields);
  }
  void Warn(std::string_view msg, const nlohmann::json& fields = nullptr) {
    Log(Level::kWarn, msg, fields);
  }
  void Error(std::string_view msg, const nlohmann::json& fields = nullptr) {
    Log(Level::kError, msg, fields);
  }
  bool Enabled(Level level) const { return level >= min_level_; }

 private:
  std::FILE* sink_;
  Level min_level_;
  std::mutex mu_;
};

}  // namespace rd::log
